// Exact samplers; the chi-square and Beta draws use gamma variates so real-valued D works.
#include "physics/samplers.h"

#include "physics/extra_dims.h"

#include <cassert>
#include <cmath>

namespace psc::physics {
namespace {

void unitDirection(int n, Rng& rng, std::span<double> out) {
    std::normal_distribution<double> normal;
    double len2 = 0;
    do {
        len2 = 0;
        for (int k = 0; k < n; ++k) {
            out[k] = normal(rng);
            len2 += out[k] * out[k];
        }
    } while (len2 < 1e-300);
    const double inv = 1.0 / std::sqrt(len2);
    for (int k = 0; k < n; ++k) out[k] *= inv;
}

double positiveGamma(double shape, Rng& rng) {
    std::gamma_distribution<double> gamma(shape, 1.0);
    double v = 0;
    // Shapes below 1 can underflow to exactly 0; that draw has probability 0 in the continuum.
    do v = gamma(rng);
    while (!(v > 0));
    return v;
}

} // namespace

void samplePerturbation(int n, double sigma, double d, Rng& rng, std::span<double> out,
                        double maxRatio) {
    assert(static_cast<int>(out.size()) == n);
    assert(maxRatio > 0);
    for (;;) {
        if (isInfiniteD(d)) {
            std::normal_distribution<double> normal;
            double r2 = 0;
            for (int k = 0; k < n; ++k) {
                out[k] = normal(rng);
                r2 += out[k] * out[k];
            }
            if (r2 > maxRatio * maxRatio) continue;
            for (int k = 0; k < n; ++k) out[k] *= sigma;
            return;
        }
        const double a = positiveGamma(0.5 * n, rng);
        const double b = positiveGamma(0.5 * d, rng);
        const double ratio = std::sqrt(d * a / b);
        if (ratio > maxRatio) continue;
        unitDirection(n, rng, out);
        for (int k = 0; k < n; ++k) out[k] *= sigma * ratio;
        return;
    }
}

void samplePerturbation(int n, double sigma, double d, Rng& directions, Rng& shared, Rng& perD,
                        std::span<double> out, double maxRatio) {
    assert(static_cast<int>(out.size()) == n);
    assert(maxRatio > 0);
    unitDirection(n, directions, out);
    // R²/r² = a/b with r² = σ²D, and as D → ∞ (b ≈ D/2) R²/σ² → 2a ~ χ²_N.
    double ratio = 0;
    do {
        const double a = positiveGamma(0.5 * n, shared);
        ratio =
            isInfiniteD(d) ? std::sqrt(2.0 * a) : std::sqrt(d * a / positiveGamma(0.5 * d, perD));
    } while (ratio > maxRatio);
    for (int k = 0; k < n; ++k) out[k] *= sigma * ratio;
}

namespace {

// Seeds of the second and third streams: far from the first in the generator's state space.
std::uint64_t sharedSeed(std::uint64_t seed) {
    return seed ^ 0x9E3779B97F4A7C15ull;
}
std::uint64_t perDSeed(std::uint64_t seed) {
    return seed ^ 0xC2B2AE3D27D4EB4Full;
}

} // namespace

std::vector<double> samplePriorMixture(const ChargeSet& charges, double sigma, double d,
                                       std::size_t count, std::uint64_t seed, double maxRatio) {
    const int n = charges.dim();
    Rng rng(seed), shared(sharedSeed(seed)), perD(perDSeed(seed));
    std::discrete_distribution<std::size_t> pick(charges.weights().begin(),
                                                 charges.weights().end());
    std::vector<double> out(count * n);
    for (std::size_t p = 0; p < count; ++p) {
        std::span<double> x(out.data() + p * n, n);
        const auto y = charges.position(pick(rng));
        samplePerturbation(n, sigma, d, rng, shared, perD, x, maxRatio);
        for (int k = 0; k < n; ++k) x[k] += y[k];
    }
    return out;
}

std::vector<double> samplePriorCentred(const ChargeSet& charges, double sigma, double d,
                                       std::size_t count, std::uint64_t seed, double maxRatio) {
    const int n = charges.dim();
    const auto mu = charges.mean();
    Rng rng(seed), shared(sharedSeed(seed)), perD(perDSeed(seed));
    std::vector<double> out(count * n);
    for (std::size_t p = 0; p < count; ++p) {
        std::span<double> x(out.data() + p * n, n);
        samplePerturbation(n, sigma, d, rng, shared, perD, x, maxRatio);
        for (int k = 0; k < n; ++k) x[k] += mu[k];
    }
    return out;
}

HemispherePoints sampleHemisphere(int n, double d, double sigmaMax, std::span<const double> center,
                                  std::size_t count, std::uint64_t seed) {
    assert(static_cast<int>(center.size()) == n);
    Rng rng(seed), shared(sharedSeed(seed)), perD(perDSeed(seed));
    std::normal_distribution<double> normal;
    HemispherePoints h;
    h.x.resize(count * n);
    h.sigma.resize(count);
    const bool infinite = isInfiniteD(d);
    for (std::size_t p = 0; p < count; ++p) {
        double gx2 = 0;
        for (int k = 0; k < n; ++k) {
            const double g = normal(rng);
            h.x[p * n + k] = g;
            gx2 += g * g;
        }
        if (infinite) {
            for (int k = 0; k < n; ++k) h.x[p * n + k] = center[k] + sigmaMax * h.x[p * n + k];
            h.sigma[p] = sigmaMax;
            continue;
        }
        const double gz2 = 2.0 * positiveGamma(0.5 * d, perD); // |g_z|² ~ χ²_D
        const double norm = std::sqrt(gx2 + gz2);
        // x = R_h g_x / |g| with R_h = σ_max √D; σ = r / √D = σ_max |g_z| / |g|.
        const double scale = sigmaMax * std::sqrt(d) / norm;
        for (int k = 0; k < n; ++k) h.x[p * n + k] = center[k] + scale * h.x[p * n + k];
        h.sigma[p] = sigmaMax * std::sqrt(gz2) / norm;
    }
    return h;
}

} // namespace psc::physics
