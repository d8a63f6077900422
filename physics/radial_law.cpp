#include "physics/radial_law.h"

#include <algorithm>
#include <cmath>

namespace psc::physics {
namespace {

// The law's constants, so that a density costs a log and a log1p (maps evaluate millions).
struct RadialLaw {
    double a, b, logNorm;
    bool infinite;

    RadialLaw(int n, double d) : a(0.5 * n), b(0.5 * d), infinite(std::isinf(d)) {
        if (infinite) {
            logNorm = -(a - 1) * std::log(2.0) - std::lgamma(a);
            return;
        }
        // lgamma(a + b) − lgamma(b) cancels almost all of its digits once b is huge; its series
        // in 1/b does not.
        const double shift = b > 1e7 ? a * std::log(b) + a * (a - 1) / (2 * b) -
                                           a * (a - 1) * (2 * a - 1) / (12 * b * b)
                                     : std::lgamma(a + b) - std::lgamma(b);
        logNorm = shift - std::lgamma(a) + std::log(2.0 / d) - (a - 1) * std::log(d);
    }

    // T²/D = B ~ BetaPrime(a, b): f_T(t) = f_B(t²/D)·2t/D, written with log t throughout.
    double logDensity(double t) const {
        if (!(t > 0)) return -INFINITY;
        const double logT = std::log(t);
        if (infinite) return (2 * a - 1) * logT - 0.5 * t * t + logNorm;
        return (2 * a - 1) * logT - (a + b) * std::log1p(t * t / (2 * b)) + logNorm;
    }
};

} // namespace

double logRadialDensity(double t, int n, double d) {
    return RadialLaw(n, d).logDensity(t);
}

double radialDensity(double t, int n, double d) {
    return std::exp(logRadialDensity(t, n, d));
}

double radialQuantile(int n, double d, double q) {
    const RadialLaw law(n, d);
    constexpr double kLo = -30, kHi = 60, kStep = 0.002;
    // g(s) = f_T(e^s)·e^s is the density of ln T; Simpson pieces are accumulated until they
    // reach q, and the quantile is found inside the last piece by bisection on the same rule
    // (a piece can hold a few percent of the mass where the law is narrow, N in the hundreds).
    auto g = [&](double s) { return std::exp(law.logDensity(std::exp(s)) + s); };
    auto simpson = [&](double a, double b) {
        return (b - a) / 6 * (g(a) + 4 * g(0.5 * (a + b)) + g(b));
    };
    double mass = 0;
    for (int i = 0; kLo + i * kStep < kHi; ++i) {
        const double s = kLo + i * kStep;
        const double piece = simpson(s, s + kStep);
        if (mass + piece >= q) {
            double lo = s, hi = s + kStep;
            for (int k = 0; k < 50; ++k) {
                const double mid = 0.5 * (lo + hi);
                (mass + simpson(s, mid) < q ? lo : hi) = mid;
            }
            return std::exp(0.5 * (lo + hi));
        }
        mass += piece;
    }
    return std::exp(kHi);
}

double radialTotalVariation(int n, double d) {
    if (std::isinf(d)) return 0.0;
    const RadialLaw law(n, d), gauss(n, INFINITY);
    const double centre = std::sqrt(static_cast<double>(n));
    // N = 1 has a density that does not vanish at t = 0, where the log form is undefined.
    const double lo = std::max(1e-12, centre - 14.0), hi = centre + 14.0;
    constexpr int kIntervals = 4000; // even, for Simpson
    const double h = (hi - lo) / kIntervals;
    double overlap = 0;
    for (int i = 0; i <= kIntervals; ++i) {
        const double t = lo + i * h;
        const double m = std::exp(std::min(law.logDensity(t), gauss.logDensity(t)));
        overlap += (i == 0 || i == kIntervals ? 1 : i % 2 ? 4 : 2) * m;
    }
    return std::clamp(1.0 - overlap * h / 3, 0.0, 1.0);
}

double diffusionLikeD(int n, double tv) {
    if (radialTotalVariation(n, 1.0) <= tv) return 1.0;
    if (radialTotalVariation(n, 1e12) > tv) return INFINITY;
    double lo = 0, hi = 12; // log10 D
    for (int i = 0; i < 40; ++i) {
        const double mid = 0.5 * (lo + hi);
        (radialTotalVariation(n, std::pow(10.0, mid)) <= tv ? hi : lo) = mid;
    }
    return std::pow(10.0, hi);
}

} // namespace psc::physics
