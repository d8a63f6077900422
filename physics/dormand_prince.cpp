// Dormand–Prince 5(4) with FSAL and the standard step-size controller (Hairer, Nørsett, Wanner I,
// II.4).
#include "physics/dormand_prince.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace psc::physics {
namespace {

constexpr double kC[7] = {0, 1.0 / 5, 3.0 / 10, 4.0 / 5, 8.0 / 9, 1, 1};
constexpr double kA[7][6] = {
    {},
    {1.0 / 5},
    {3.0 / 40, 9.0 / 40},
    {44.0 / 45, -56.0 / 15, 32.0 / 9},
    {19372.0 / 6561, -25360.0 / 2187, 64448.0 / 6561, -212.0 / 729},
    {9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656},
    {35.0 / 384, 0, 500.0 / 1113, 125.0 / 192, -2187.0 / 6784, 11.0 / 84},
};
constexpr double kE[7] = {71.0 / 57600,      0,          -71.0 / 16695, 71.0 / 1920,
                          -17253.0 / 339200, 22.0 / 525, -1.0 / 40};

class Velocity {
public:
    Velocity(const Denoiser& denoiser, TimeVariable time, AdaptiveStats& stats)
        : m_denoiser(denoiser), m_time(time), m_stats(stats) {}

    double sigmaAt(double tau) const { return m_time == TimeVariable::Sigma ? tau : std::exp(tau); }
    double tauAt(double sigma) const {
        return m_time == TimeVariable::Sigma ? sigma : std::log(sigma);
    }

    void operator()(double tau, std::span<const double> x, std::vector<double>& out) {
        const double sigma = sigmaAt(tau);
        out.resize(x.size());
        m_denoiser.denoise(x, sigma, out);
        ++m_stats.denoiserCalls;
        // dx/dlogσ = x − x̂, dx/dσ = (x − x̂)/σ.
        const double factor = m_time == TimeVariable::Sigma ? 1.0 / sigma : 1.0;
        for (std::size_t i = 0; i < x.size(); ++i) out[i] = (x[i] - out[i]) * factor;
    }

private:
    const Denoiser& m_denoiser;
    TimeVariable m_time;
    AdaptiveStats& m_stats;
};

} // namespace

AdaptiveStatus integrateDormandPrince(const Denoiser& denoiser, std::vector<double>& points,
                                      double sigmaFrom, double sigmaTo,
                                      const AdaptiveSettings& settings, AdaptiveStats& stats,
                                      const StepObserver& observer, const CancelFlag* cancel) {
    assert(sigmaFrom > 0 && sigmaTo > 0);
    const int n = denoiser.dim();
    const std::size_t size = points.size();
    Velocity f(denoiser, settings.time, stats);
    const double tauEnd = f.tauAt(sigmaTo);
    double tau = f.tauAt(sigmaFrom);
    if (tau == tauEnd || size == 0) return AdaptiveStatus::Reached;
    const double direction = tauEnd > tau ? 1.0 : -1.0;

    std::vector<std::vector<double>> k(7);
    std::vector<double> stage(size), next(size);
    f(tau, points, k[0]);
    // Initial step: a small fraction of the local time scale, which is σ itself in both variables.
    double h = direction * std::min(std::abs(tauEnd - tau),
                                    settings.time == TimeVariable::Sigma ? 0.02 * sigmaFrom : 0.02);
    int steps = 0;
    while (direction * (tauEnd - tau) > 0) {
        if (cancel && cancel->load(std::memory_order_relaxed)) return AdaptiveStatus::Cancelled;
        if (++steps > settings.maxSteps) return AdaptiveStatus::StepLimit;
        const bool last = direction * (tau + h - tauEnd) >= 0;
        if (last) h = tauEnd - tau;
        for (int s = 1; s < 7; ++s) {
            for (std::size_t i = 0; i < size; ++i) {
                double acc = 0;
                for (int j = 0; j < s; ++j) acc += kA[s][j] * k[j][i];
                stage[i] = points[i] + h * acc;
            }
            f(last && kC[s] == 1 ? tauEnd : tau + kC[s] * h, stage, k[s]);
        }
        // Stage 7 was evaluated at the 5th-order solution itself (FSAL): stage holds next.
        next = stage;
        double worst = 0;
        for (std::size_t p = 0; p < size / n; ++p) {
            double sum = 0;
            for (int c = 0; c < n; ++c) {
                const std::size_t i = p * n + c;
                double err = 0;
                for (int j = 0; j < 7; ++j) err += kE[j] * k[j][i];
                err *= h;
                const double scale = settings.atol + settings.rtol * std::max(std::abs(points[i]),
                                                                              std::abs(next[i]));
                sum += (err / scale) * (err / scale);
            }
            if (!std::isfinite(sum)) return AdaptiveStatus::NonFinite; // std::max would drop a NaN
            worst = std::max(worst, std::sqrt(sum / n));
        }
        const double factor = std::clamp(0.9 * std::pow(std::max(worst, 1e-10), -0.2), 0.2, 5.0);
        if (worst <= 1.0) {
            tau = last ? tauEnd : tau + h;
            points.swap(next);
            k[0].swap(k[6]);
            ++stats.accepted;
            if (observer && !observer(f.sigmaAt(tau), points)) return AdaptiveStatus::Stopped;
            if (tau == tauEnd) break; // a last sliver of a step must not read as a step limit
            h *= factor;
        } else {
            ++stats.rejected;
            h *= std::min(1.0, factor);
        }
        if (std::abs(h) < 1e-14 * std::max(1.0, std::abs(tau))) return AdaptiveStatus::StepLimit;
    }
    return AdaptiveStatus::Reached;
}

} // namespace psc::physics
