// Batched RK4 in log σ with a step of its own for every curve.
#include "physics/log_sigma_flow.h"

#include "physics/solvers.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace psc::physics {

std::vector<SigmaCurve> integrateLogSigmaRk4(const Denoiser& denoiser,
                                             std::span<const double> start,
                                             std::span<const double> startSigma, double sigmaMin,
                                             int steps, const CancelFlag* cancel) {
    const auto n = static_cast<std::size_t>(denoiser.dim());
    const std::size_t count = startSigma.size();
    if (steps < 1) throw std::invalid_argument("steps must be at least 1");
    if (!(sigmaMin > 0) || !std::isfinite(sigmaMin))
        throw std::invalid_argument("sigmaMin must be finite and positive");
    if (start.size() != count * n)
        throw std::invalid_argument("start has " + std::to_string(start.size()) + " values for " +
                                    std::to_string(count) + " curves");
    std::vector<double> logSigma(count), h(count);
    for (std::size_t p = 0; p < count; ++p) {
        if (!(startSigma[p] > 0) || !std::isfinite(startSigma[p]))
            throw std::invalid_argument("start σ must be finite and positive");
        logSigma[p] = std::log(startSigma[p]);
        h[p] = std::min(0.0, (std::log(sigmaMin) - logSigma[p]) / steps);
    }
    std::vector<SigmaCurve> curves(count);
    for (auto& c : curves) {
        c.x.reserve((steps + 2) * n);
        c.sigma.reserve(steps + 2);
    }
    std::vector<double> x(start.begin(), start.end());
    auto record = [&](const std::vector<double>& at, auto sigmaOf) {
        for (std::size_t p = 0; p < count; ++p) {
            curves[p].x.insert(curves[p].x.end(), at.begin() + p * n, at.begin() + (p + 1) * n);
            curves[p].sigma.push_back(sigmaOf(p));
        }
    };
    record(x, [&](std::size_t p) { return startSigma[p]; });
    // Slope at (y, ln σ + c·h) for every curve: y − x̂(y, σ).
    std::vector<double> stage(count * n), sigmas(count), xhat(count * n);
    auto slope = [&](const std::vector<double>& y, double c, std::vector<double>& k) {
        for (std::size_t p = 0; p < count; ++p) sigmas[p] = std::exp(logSigma[p] + c * h[p]);
        denoiser.denoiseEach(y, sigmas, xhat);
        for (std::size_t i = 0; i < y.size(); ++i) k[i] = y[i] - xhat[i];
    };
    // The classical RK4 of the solver table, each curve with its own step h_p in ln σ.
    const ButcherTableau& rk4 = solverInfo(SolverKind::Rk4).tableau;
    std::vector<double> k(count * n), sum(count * n);
    for (int s = 0; s < steps; ++s) {
        if (cancel && cancel->load()) return {};
        for (int j = 0; j < rk4.stages; ++j) {
            slope(j == 0 ? x : stage, rk4.c[j], k);
            for (std::size_t i = 0; i < x.size(); ++i) {
                sum[i] = (j == 0 ? 0.0 : sum[i]) + rk4.b[j] * k[i];
                if (j + 1 < rk4.stages) stage[i] = x[i] + rk4.a[j + 1] * h[i / n] * k[i];
            }
        }
        for (std::size_t i = 0; i < x.size(); ++i) x[i] += h[i / n] * sum[i];
        for (std::size_t p = 0; p < count; ++p) logSigma[p] += h[p];
        // The last step lands on σ_min exactly rather than on a rounded sum of steps.
        record(x, [&](std::size_t p) {
            return s + 1 == steps ? std::min(startSigma[p], sigmaMin) : std::exp(logSigma[p]);
        });
    }
    if (cancel && cancel->load()) return {};
    for (std::size_t p = 0; p < count; ++p) sigmas[p] = std::min(startSigma[p], sigmaMin);
    denoiser.denoiseEach(x, sigmas, xhat);
    record(xhat, [](std::size_t) { return 0.0; });
    return curves;
}

} // namespace psc::physics
