// Double-precision kernel formulas shared by the reference path and the oracles.
#include "physics/kernel.h"

#include "physics/extra_dims.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <math.h>
#include <numbers>

namespace psc::physics {

double kernelLogWeight(double d2, double sigma, double d, int n) {
    if (isInfiniteD(d)) return -d2 / (2.0 * sigma * sigma);
    const double r2 = sigma * sigma * d;
    return -0.5 * (n + d) * std::log1p(d2 / r2);
}

namespace {

// lgamma_r: std::lgamma writes the global signgam, a data race when field lines are traced on
// several threads.
double logGamma(double x) {
#if defined(__GLIBC__)
    int sign = 0;
    return lgamma_r(x, &sign);
#else
    return std::lgamma(x);
#endif
}

// The part of log p_σ(x | y) that does not depend on x (finite D).
double logDensityConstant(double sigma, double d, int n) {
    const double r2 = sigma * sigma * d;
    // Written around log r² so that the large D·log r terms cancel analytically.
    return logGamma(0.5 * (n + d)) - logGamma(0.5 * d) - 0.5 * n * std::log(std::numbers::pi) -
           0.5 * n * std::log(r2);
}

} // namespace

double kernelLogDensity(double d2, double sigma, double d, int n) {
    if (isInfiniteD(d))
        return -0.5 * n * std::log(2.0 * std::numbers::pi * sigma * sigma) -
               d2 / (2.0 * sigma * sigma);
    return logDensityConstant(sigma, d, n) + kernelLogWeight(d2, sigma, d, n);
}

double logPerturbedDensity(const ChargeSet& charges, std::span<const double> x, double sigma,
                           double d) {
    const int n = charges.dim();
    assert(static_cast<int>(x.size()) == n);
    std::vector<double> lw(charges.size());
    double top = -INFINITY;
    for (std::size_t i = 0; i < charges.size(); ++i) {
        const auto y = charges.position(i);
        double d2 = 0;
        for (int k = 0; k < n; ++k) d2 += (x[k] - y[k]) * (x[k] - y[k]);
        lw[i] = charges.logWeights()[i] + kernelLogWeight(d2, sigma, d, n);
        top = std::max(top, lw[i]);
    }
    double s = 0;
    for (double v : lw) s += std::exp(v - top);
    const double constant = isInfiniteD(d)
                                ? -0.5 * n * std::log(2.0 * std::numbers::pi * sigma * sigma)
                                : logDensityConstant(sigma, d, n);
    return constant + top + std::log(s);
}

std::vector<double> augmentedField(const ChargeSet& charges, std::span<const double> x, double r,
                                   double d) {
    const int n = charges.dim();
    std::vector<double> e(n + 1, 0.0);
    for (std::size_t i = 0; i < charges.size(); ++i) {
        const auto y = charges.position(i);
        double d2 = 0;
        for (int k = 0; k < n; ++k) d2 += (x[k] - y[k]) * (x[k] - y[k]);
        const double w = charges.weights()[i] * std::pow(d2 + r * r, -0.5 * (n + d));
        for (int k = 0; k < n; ++k) e[k] += w * (x[k] - y[k]);
        e[n] += w * r;
    }
    return e;
}

} // namespace psc::physics
