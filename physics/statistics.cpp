#include "physics/statistics.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <vector>

namespace psc::physics {
namespace {

// Lentz's continued fraction for I_x(a, b), converging for x < (a + 1)/(a + b + 2).
double betaFraction(double a, double b, double x) {
    constexpr double kTiny = 1e-300;
    auto guard = [](double v) { return std::abs(v) < kTiny ? kTiny : v; };
    double c = 1, d = 1 / guard(1 - (a + b) * x / (a + 1)), h = d;
    for (int m = 1; m < 10000; ++m) {
        const double even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
        d = 1 / guard(1 + even * d);
        c = guard(1 + even / c);
        h *= d * c;
        const double odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
        d = 1 / guard(1 + odd * d);
        c = guard(1 + odd / c);
        h *= d * c;
        if (std::abs(d * c - 1) < 1e-15) break;
    }
    return h;
}

double incompleteBeta(double a, double b, double x) {
    if (x <= 0) return 0;
    if (x >= 1) return 1;
    const double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) +
                                  a * std::log(x) + b * std::log1p(-x));
    if (x < (a + 1) / (a + b + 2)) return front * betaFraction(a, b, x) / a;
    return 1 - front * betaFraction(b, a, 1 - x) / b;
}

// P(T <= t) for t >= 0: 1 − ½ I_(ν/(ν + t²))(ν/2, ½).
double studentUpperCdf(double t, int dof) {
    const double v = dof;
    return 1 - 0.5 * incompleteBeta(0.5 * v, 0.5, v / (v + t * t));
}

Interval intervalOf(const std::vector<double>& xs, double confidence) {
    Interval out;
    out.count = xs.size();
    if (xs.empty()) {
        out.mean = out.lo = out.hi = NAN;
        return out;
    }
    double sum = 0;
    for (double x : xs) sum += x;
    out.mean = out.lo = out.hi = sum / xs.size();
    if (xs.size() < 2) return out;
    double ss = 0;
    for (double x : xs) ss += (x - out.mean) * (x - out.mean);
    const double n = static_cast<double>(xs.size());
    const double half = studentQuantile(0.5 + 0.5 * confidence, static_cast<int>(xs.size()) - 1) *
                        std::sqrt(ss / (n - 1) / n);
    out.lo = out.mean - half;
    out.hi = out.mean + half;
    out.spread = true;
    return out;
}

} // namespace

double studentQuantile(double p, int dof) {
    assert(p > 0 && p < 1 && dof >= 1);
    if (p == 0.5) return 0;
    if (p < 0.5) return -studentQuantile(1 - p, dof);
    double lo = 0, hi = 1;
    while (studentUpperCdf(hi, dof) < p) hi *= 2;
    while (hi - lo > 1e-10 * std::max(1.0, hi)) {
        const double mid = 0.5 * (lo + hi);
        (studentUpperCdf(mid, dof) < p ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
}

Interval meanInterval(std::span<const double> xs, double confidence) {
    std::vector<double> finite;
    for (double x : xs)
        if (std::isfinite(x)) finite.push_back(x);
    return intervalOf(finite, confidence);
}

Interval pairedDifference(std::span<const double> a, std::span<const double> b, double confidence) {
    std::vector<double> diffs;
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
        if (std::isfinite(a[i]) && std::isfinite(b[i])) diffs.push_back(a[i] - b[i]);
    return intervalOf(diffs, confidence);
}

} // namespace psc::physics
