// Independent statistical references for the sampler oracles: special functions and the KS test.
#pragma once

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

namespace psc::test {

// Regularised incomplete beta I_x(a, b) by Lentz's continued fraction (Numerical Recipes 6.4),
// with the symmetry I_x(a,b) = 1 − I_(1−x)(b,a) for fast convergence.
inline double incompleteBetaFraction(double a, double b, double x) {
    const double tiny = 1e-300;
    double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
    if (std::abs(d) < tiny) d = tiny;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= 10000; ++m) {
        const double m2 = 2.0 * m;
        double aa = m * (b - m) * x / ((a - 1.0 + m2) * (a + m2));
        d = 1.0 + aa * d;
        if (std::abs(d) < tiny) d = tiny;
        c = 1.0 + aa / c;
        if (std::abs(c) < tiny) c = tiny;
        d = 1.0 / d;
        h *= d * c;
        aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1.0 + m2));
        d = 1.0 + aa * d;
        if (std::abs(d) < tiny) d = tiny;
        c = 1.0 + aa / c;
        if (std::abs(c) < tiny) c = tiny;
        d = 1.0 / d;
        const double del = d * c;
        h *= del;
        if (std::abs(del - 1.0) < 1e-15) break;
    }
    return h;
}

inline double regularizedIncompleteBeta(double a, double b, double x) {
    if (x <= 0) return 0;
    if (x >= 1) return 1;
    const double lnFront =
        std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
    if (x < (a + 1.0) / (a + b + 2.0))
        return std::exp(lnFront) * incompleteBetaFraction(a, b, x) / a;
    return 1.0 - std::exp(lnFront) * incompleteBetaFraction(b, a, 1.0 - x) / b;
}

// CDF of BetaPrime(a, b) at v >= 0: I_(v/(1+v))(a, b).
inline double betaPrimeCdf(double a, double b, double v) {
    return regularizedIncompleteBeta(a, b, v / (1.0 + v));
}

// Regularised lower incomplete gamma P(a, x): its series below x = a + 1, Lentz's continued
// fraction for Q = 1 − P above (Numerical Recipes 6.2).
inline double regularizedGammaP(double a, double x) {
    if (x <= 0) return 0;
    const double lnFront = a * std::log(x) - x - std::lgamma(a);
    if (x < a + 1.0) {
        double term = 1.0 / a, sum = term;
        for (int n = 1; n < 100000; ++n) {
            term *= x / (a + n);
            sum += term;
            if (std::abs(term) < 1e-16 * std::abs(sum)) break;
        }
        return sum * std::exp(lnFront);
    }
    const double tiny = 1e-300;
    double b = x + 1.0 - a, c = 1.0 / tiny, d = 1.0 / b, h = d;
    for (int i = 1; i < 100000; ++i) {
        const double an = -i * (i - a);
        b += 2.0;
        d = an * d + b;
        if (std::abs(d) < tiny) d = tiny;
        c = b + an / c;
        if (std::abs(c) < tiny) c = tiny;
        d = 1.0 / d;
        const double del = d * c;
        h *= del;
        if (std::abs(del - 1.0) < 1e-15) break;
    }
    return 1.0 - std::exp(lnFront) * h;
}

// CDF of χ²_k: P(k/2, v/2); closed forms for k = 2 and 3, where the series was checked against
// them.
inline double chiSquareCdf(int k, double v) {
    if (v <= 0) return 0;
    if (k == 2) return 1.0 - std::exp(-0.5 * v);
    if (k == 3) {
        const double s = std::sqrt(0.5 * v);
        return std::erf(s) - std::sqrt(2.0 * v / M_PI) * std::exp(-0.5 * v);
    }
    return regularizedGammaP(0.5 * k, 0.5 * v);
}

// Kolmogorov–Smirnov statistic of samples against a CDF.
inline double ksStatistic(std::vector<double> samples, const std::function<double(double)>& cdf) {
    std::sort(samples.begin(), samples.end());
    const double n = static_cast<double>(samples.size());
    double worst = 0;
    for (std::size_t i = 0; i < samples.size(); ++i) {
        const double f = cdf(samples[i]);
        worst = std::max({worst, f - i / n, (i + 1) / n - f});
    }
    return worst;
}

// Critical KS distance at significance 0.001 for n samples (asymptotic).
inline double ksCritical001(std::size_t n) {
    return 1.949 / std::sqrt(static_cast<double>(n));
}

} // namespace psc::test
