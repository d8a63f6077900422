// One point, all charges, double precision: π by log-sum-exp of the kernel's log-weights.
#include "physics/point_inspection.h"

#include "physics/extra_dims.h"
#include "physics/kernel.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>
#include <stdexcept>

namespace psc::physics {

PointInspection inspectPoint(const ChargeSet& charges, double d, std::span<const double> x,
                             double sigma, std::size_t top) {
    const int n = charges.dim();
    if (x.size() != static_cast<std::size_t>(n))
        throw std::invalid_argument("inspectPoint: x must have N values");
    if (!(sigma > 0) || !std::isfinite(sigma))
        throw std::invalid_argument("inspectPoint: σ must be finite and positive");
    const bool infinite = isInfiniteD(d);
    const std::size_t m = charges.size();
    std::vector<double> logw(m), dist2To(m);
    for (std::size_t i = 0; i < m; ++i) {
        double d2 = 0;
        for (int k = 0; k < n; ++k)
            d2 += (x[k] - charges.position(i)[k]) * (x[k] - charges.position(i)[k]);
        dist2To[i] = d2;
        logw[i] = charges.logWeights()[i] + kernelLogWeight(d2, sigma, d, n);
    }
    const std::vector<double> logWeight = logw;
    const double peak = *std::max_element(logw.begin(), logw.end());
    double z = 0;
    for (double& w : logw) z += (w = std::exp(w - peak));
    PointInspection p;
    p.x.assign(x.begin(), x.end());
    p.sigma = sigma;
    p.r = infinite ? INFINITY : sigma * std::sqrt(d);
    p.xhat.assign(n, 0.0);
    // x − x̂ as a weighted sum of x − y_i keeps its digits when x is close to x̂.
    std::vector<double> offset(n, 0.0);
    for (std::size_t i = 0; i < m; ++i)
        for (int k = 0; k < n; ++k) offset[k] += logw[i] / z * (x[k] - charges.position(i)[k]);
    double dist2 = 0;
    for (int k = 0; k < n; ++k) {
        p.xhat[k] = x[k] - offset[k];
        p.velocity.push_back(offset[k] / sigma);
        dist2 += offset[k] * offset[k];
    }
    const double logZ = peak + std::log(z);
    if (infinite) {
        double logDist = 0.5 * std::log(dist2);
        std::vector<double> direction = offset;
        if (dist2 == 0) {
            // On a charge at small σ every other charge's π underflows to 0 and so does x − x̂,
            // though the score is only tiny (log10 ~ −1e11 at σ = 1e-6), not 0: rescale by the
            // strongest charge at a positive distance so that the logarithm survives. Still −inf
            // where x − x̂ vanishes exactly (one charge, or every charge at x).
            double peak2 = -INFINITY;
            for (std::size_t i = 0; i < m; ++i)
                if (dist2To[i] > 0) peak2 = std::max(peak2, logWeight[i]);
            std::vector<double> scaled(n, 0.0);
            for (std::size_t i = 0; i < m; ++i)
                if (dist2To[i] > 0)
                    for (int k = 0; k < n; ++k)
                        scaled[k] +=
                            std::exp(logWeight[i] - peak2) * (x[k] - charges.position(i)[k]);
            double scaled2 = 0;
            for (double v : scaled) scaled2 += v * v;
            if (scaled2 > 0) {
                logDist = 0.5 * std::log(scaled2) + peak2 - logZ;
                direction = scaled;
            }
        }
        double norm = 0;
        for (double v : direction) norm += v * v;
        norm = std::sqrt(norm);
        for (int k = 0; k < n; ++k)
            p.fieldDirection.push_back(norm > 0 ? direction[k] / norm : 0.0);
        p.log10Field = (logDist - 2.0 * std::log(sigma)) / std::numbers::ln10;
    } else {
        const double r2 = p.r * p.r, norm = std::sqrt(dist2 + r2);
        for (int k = 0; k < n; ++k) p.fieldDirection.push_back(offset[k] / norm);
        p.fieldDirection.push_back(p.r / norm);
        // Σ q_i ρ_i^−(N+D) = Z·r^−(N+D) with Z the sum of the kernel's weights.
        p.log10Field = (logZ - 0.5 * (n + d) * std::log(r2) + std::log(norm)) / std::numbers::ln10;
    }
    std::vector<std::size_t> order(m);
    std::iota(order.begin(), order.end(), 0);
    const std::size_t keep = std::min(top, m);
    std::partial_sort(order.begin(), order.begin() + keep, order.end(),
                      [&](std::size_t a, std::size_t b) { return logw[a] > logw[b]; });
    for (std::size_t j = 0; j < keep; ++j) p.strongest.emplace_back(order[j], logw[order[j]] / z);
    return p;
}

} // namespace psc::physics
