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
    std::vector<double> logw(m);
    for (std::size_t i = 0; i < m; ++i) {
        double d2 = 0;
        for (int k = 0; k < n; ++k)
            d2 += (x[k] - charges.position(i)[k]) * (x[k] - charges.position(i)[k]);
        logw[i] = charges.logWeights()[i] + kernelLogWeight(d2, sigma, d, n);
    }
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
        const double norm = std::sqrt(dist2);
        for (int k = 0; k < n; ++k) p.fieldDirection.push_back(norm > 0 ? offset[k] / norm : 0.0);
        p.log10Field = (0.5 * std::log(dist2) - 2.0 * std::log(sigma)) / std::numbers::ln10;
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
