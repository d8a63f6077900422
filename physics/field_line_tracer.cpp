// Seeding and tracing of field lines; every numerical failure ends a line with a recorded reason.
#include "physics/field_line_tracer.h"

#include "physics/dormand_prince.h"
#include "physics/extra_dims.h"
#include "physics/kernel.h"
#include "physics/samplers.h"
#include "physics/thread_pool.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numeric>
#include <thread>

namespace psc::physics {

const char* fieldLineStopText(FieldLineStop stop) {
    switch (stop) {
    case FieldLineStop::ReachedCharge:
        return "reached a charge";
    case FieldLineStop::ReachedPlane:
        return "reached the data plane between charges";
    case FieldLineStop::ReachedTop:
        return "reached sigma-max";
    case FieldLineStop::LeftBounds:
        return "left the bounds";
    case FieldLineStop::StepLimit:
        return "step limit";
    case FieldLineStop::NonFinite:
        return "non-finite value";
    case FieldLineStop::Cancelled:
        return "cancelled";
    }
    return "?";
}

std::optional<std::string> validateFieldLineSettings(const FieldLineSettings& s) {
    if (s.count > 1'000'000) return std::string("field-line count must be <= 1000000");
    if (!(std::isfinite(s.sigmaMin) && s.sigmaMin > 0 && std::isfinite(s.sigmaMax) &&
          s.sigmaMax > s.sigmaMin))
        return std::string("field lines need 0 < sigma-min < sigma-max < inf");
    if (!(std::isfinite(s.seedRadius) && s.seedRadius > 0))
        return std::string("field-line seed radius must be > 0");
    if (!(s.rtol > 0 && s.atol > 0)) return std::string("field-line tolerances must be > 0");
    if (s.maxSteps < 1) return std::string("field-line step limit must be >= 1");
    if (s.threads < 0) return std::string("field-line thread count must be >= 0");
    if (!(std::isfinite(s.bound) && s.bound >= 0))
        return std::string("field-line bound must be >= 0");
    return std::nullopt;
}

std::vector<std::size_t> linesPerCharge(const ChargeSet& charges, std::size_t total) {
    const std::size_t m = charges.size();
    std::vector<std::size_t> counts(m);
    std::vector<std::pair<double, std::size_t>> remainders(m);
    std::size_t assigned = 0;
    for (std::size_t i = 0; i < m; ++i) {
        const double exact = charges.weights()[i] * static_cast<double>(total);
        counts[i] = static_cast<std::size_t>(std::floor(exact));
        assigned += counts[i];
        remainders[i] = {exact - std::floor(exact), i};
    }
    // Ties go to the lower index so the split is deterministic.
    std::stable_sort(remainders.begin(), remainders.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t k = 0; assigned < total && k < m; ++k, ++assigned)
        ++counts[remainders[k].second];
    return counts;
}

namespace {

class LineTracer {
public:
    LineTracer(const ChargeSet& charges, double d, const Denoiser& denoiser,
               const FieldLineSettings& settings, const CancelFlag* cancel)
        : m_charges(charges), m_d(d), m_denoiser(denoiser), m_settings(settings), m_cancel(cancel),
          m_center(charges.mean()), m_spread(charges.rmsSpread()) {
        m_bound =
            settings.bound > 0
                ? settings.bound
                : 1000.0 * (settings.sigmaMax * (isInfiniteD(d) ? 1.0 : std::sqrt(d)) + m_spread);
    }

    FieldLine trace(const FieldLineSeed& seed, bool inward) const {
        const int n = m_charges.dim();
        FieldLine line;
        line.charge = seed.charge;
        append(line, seed.x, seed.sigma);
        std::vector<double> x = seed.x;
        const double target = inward ? m_settings.sigmaMin : m_settings.sigmaMax;
        AdaptiveSettings adaptive;
        adaptive.rtol = m_settings.rtol;
        adaptive.atol = m_settings.atol;
        adaptive.maxSteps = m_settings.maxSteps;
        adaptive.time = TimeVariable::LogSigma;
        AdaptiveStats stats;
        bool outOfBounds = false, pierced = false;
        const bool hemisphere = !inward && m_settings.stopAtHemisphere && !isInfiniteD(m_d);
        const double radius2 = m_d * m_settings.sigmaMax * m_settings.sigmaMax;
        auto sphereValue = [&](std::span<const double> p, double sigma) {
            double r2 = 0;
            for (int k = 0; k < n; ++k) r2 += (p[k] - m_center[k]) * (p[k] - m_center[k]);
            return r2 + m_d * sigma * sigma - radius2;
        };
        const auto status = integrateDormandPrince(
            m_denoiser, x, seed.sigma, target, adaptive, stats,
            [&](double sigma, std::span<const double> p) {
                if (hemisphere && sphereValue(p, sigma) >= 0) {
                    placeOnSphere(line, p, sigma, sphereValue);
                    pierced = true;
                    return false;
                }
                append(line, p, sigma);
                double r2 = 0;
                for (int k = 0; k < n; ++k) r2 += (p[k] - m_center[k]) * (p[k] - m_center[k]);
                outOfBounds = !(std::sqrt(r2) <= m_bound);
                return !outOfBounds;
            },
            m_cancel);
        if (pierced) {
            line.stop = FieldLineStop::ReachedTop;
            return line;
        }
        switch (status) {
        case AdaptiveStatus::Cancelled:
            line.stop = FieldLineStop::Cancelled;
            return line;
        case AdaptiveStatus::NonFinite:
            line.stop = FieldLineStop::NonFinite;
            return line;
        case AdaptiveStatus::StepLimit:
            line.stop = FieldLineStop::StepLimit;
            return line;
        case AdaptiveStatus::Stopped:
            line.stop = outOfBounds ? FieldLineStop::LeftBounds : FieldLineStop::StepLimit;
            return line;
        case AdaptiveStatus::Reached:
            break;
        }
        if (!inward) {
            line.stop = FieldLineStop::ReachedTop;
            return line;
        }
        // The last stretch σ_min → 0 is the straight segment onto x̂(x, σ_min), as in the flow.
        std::vector<double> end(n);
        m_denoiser.denoise(x, m_settings.sigmaMin, end);
        line.x.insert(line.x.end(), end.begin(), end.end());
        line.sigma.push_back(0.0);
        line.logDensity.push_back(-INFINITY);
        line.stop = inwardLineStop(m_charges, end, m_settings.sigmaMin, line.charge);
        return line;
    }

private:
    // Bisects the chord from the last recorded point to (p, σ) for the crossing of the sphere;
    // steps are short enough near the sphere that the chord stands in for the curve.
    template <class SphereFn>
    void placeOnSphere(FieldLine& line, std::span<const double> p, double sigma,
                       const SphereFn& f) const {
        const int n = m_charges.dim();
        const std::vector<double> a(line.x.end() - n, line.x.end());
        const double sa = line.sigma.back();
        double lo = 0, hi = 1;
        std::vector<double> q(n);
        for (int it = 0; it < 50; ++it) {
            const double mid = 0.5 * (lo + hi);
            for (int k = 0; k < n; ++k) q[k] = a[k] + mid * (p[k] - a[k]);
            (f(q, sa + mid * (sigma - sa)) < 0 ? lo : hi) = mid;
        }
        for (int k = 0; k < n; ++k) q[k] = a[k] + hi * (p[k] - a[k]);
        append(line, q, sa + hi * (sigma - sa));
    }

    void append(FieldLine& line, std::span<const double> x, double sigma) const {
        line.x.insert(line.x.end(), x.begin(), x.end());
        line.sigma.push_back(sigma);
        double density = std::nan("");
        if (m_settings.recordDensity) {
            density = m_denoiser.fastLogDensity(x, sigma);
            if (std::isnan(density)) density = logPerturbedDensity(m_charges, x, sigma, m_d);
        }
        line.logDensity.push_back(density);
    }

    const ChargeSet& m_charges;
    double m_d;
    const Denoiser& m_denoiser;
    const FieldLineSettings& m_settings;
    const CancelFlag* m_cancel;
    std::vector<double> m_center;
    double m_spread;
    double m_bound;
};

std::vector<FieldLineSeed> hemisphereSeeds(const ChargeSet& charges, double d,
                                           const FieldLineSettings& s) {
    const int n = charges.dim();
    const auto center = charges.mean();
    const auto h = sampleHemisphere(n, d, s.sigmaMax, center, s.count, s.seed);
    std::vector<FieldLineSeed> seeds(s.count);
    for (std::size_t p = 0; p < s.count; ++p) {
        seeds[p].x.assign(h.x.begin() + p * n, h.x.begin() + (p + 1) * n);
        // Points on the rim (σ → 0) would start inside the plane; lift them just above σ_min.
        seeds[p].sigma = std::clamp(h.sigma[p], 2.0 * s.sigmaMin, s.sigmaMax);
        seeds[p].charge = 0;
    }
    return seeds;
}

std::vector<FieldLineSeed> chargeSeeds(const ChargeSet& charges, double d,
                                       const FieldLineSettings& s) {
    const int n = charges.dim();
    const auto counts = linesPerCharge(charges, s.count);
    const double spread = charges.rmsSpread();
    const double radius = s.seedRadius * (spread > 0 ? spread : 1.0);
    std::vector<FieldLineSeed> seeds;
    seeds.reserve(s.count);
    for (std::size_t i = 0; i < charges.size(); ++i) {
        if (counts[i] == 0) continue;
        const auto y = charges.position(i);
        const auto h = sampleHemisphere(n, d, radius, y, counts[i], s.seed + 7919 * (i + 1));
        for (std::size_t p = 0; p < counts[i]; ++p) {
            FieldLineSeed seed;
            seed.x.assign(h.x.begin() + p * n, h.x.begin() + (p + 1) * n);
            // A seed on the rim would need decades of σ to leave the plane; start it at a
            // thousandth of the radius instead, still deep inside the charge's own field.
            seed.sigma = std::max(h.sigma[p], 1e-3 * radius);
            seed.charge = i;
            seeds.push_back(std::move(seed));
        }
    }
    return seeds;
}

} // namespace

std::vector<FieldLineSeed> fieldLineSeeds(const ChargeSet& charges, double d,
                                          const FieldLineSettings& settings) {
    return settings.seeding == FieldLineSeeding::Hemisphere ? hemisphereSeeds(charges, d, settings)
                                                            : chargeSeeds(charges, d, settings);
}

FieldLineStop inwardLineStop(const ChargeSet& charges, std::span<const double> end, double sigmaMin,
                             std::size_t& charge) {
    double dist = 0;
    charge = nearestCharge(charges, end, &dist);
    const double tolerance = std::max(10.0 * sigmaMin, 1e-9 * charges.rmsSpread());
    return dist <= tolerance ? FieldLineStop::ReachedCharge : FieldLineStop::ReachedPlane;
}

std::vector<FieldLine> traceFieldLines(const ChargeSet& charges, double d, const Denoiser& denoiser,
                                       const FieldLineSettings& settings,
                                       const ProgressFn& progress, const CancelFlag* cancel) {
    const bool inward = settings.seeding == FieldLineSeeding::Hemisphere;
    const auto seeds = fieldLineSeeds(charges, d, settings);
    LineTracer tracer(charges, d, denoiser, settings, cancel);
    std::vector<FieldLine> lines(seeds.size());
    std::vector<char> done(seeds.size(), 0);
    std::atomic<std::size_t> finished{0};
    const auto caller = std::this_thread::get_id();
    // The pool hands lines out in small chunks, which balances lines of very different cost, and
    // rethrows the first exception from any of them here.
    ThreadPool pool(settings.threads);
    pool.parallelFor(seeds.size(), 1, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            if (cancel && cancel->load(std::memory_order_relaxed)) return;
            lines[i] = tracer.trace(seeds[i], inward);
            done[i] = 1;
            const std::size_t count = ++finished;
            if (progress && std::this_thread::get_id() == caller)
                progress(static_cast<double>(count) / seeds.size());
        }
    });
    if (progress && !seeds.empty()) progress(static_cast<double>(finished.load()) / seeds.size());
    std::vector<FieldLine> result;
    result.reserve(seeds.size());
    for (std::size_t i = 0; i < seeds.size(); ++i)
        if (done[i]) result.push_back(std::move(lines[i]));
    return result;
}

} // namespace psc::physics
