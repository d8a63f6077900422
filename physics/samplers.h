// Samplers of PFGM++: the perturbation kernel, the priors at σ_max, and the hemisphere
// (physics/README.md §3).
#pragma once

#include "physics/charge_set.h"

#include <cstdint>
#include <limits>
#include <random>
#include <span>
#include <vector>

namespace psc::physics {

using Rng = std::mt19937_64;

// The kernel's radius law left whole (see samplePerturbation's maxRatio).
inline constexpr double kUntruncated = std::numeric_limits<double>::infinity();

// One draw x − y from p_σ(· | y) in N dimensions, written to out (N values):
//   finite D: R = σ√D · sqrt(a / b), a ~ Γ(N/2), b ~ Γ(D/2) (the Beta trick), direction uniform;
//   D = ∞   : σ · N(0, I).
// Heavy-tailed for small D (R²/r² ~ BetaPrime(N/2, D/2)). σ > 0, D validated by the caller.
// maxRatio truncates the law: radii above maxRatio·σ are drawn again (so the law is the kernel's
// conditioned on R <= maxRatio·σ, e.g. at radialQuantile(n, d, q)); +inf leaves it whole.
void samplePerturbation(int n, double sigma, double d, Rng& rng, std::span<double> out,
                        double maxRatio = kUntruncated);
// The same law from three streams: the direction and a ~ Γ(N/2) (shared by every D) and
// b ~ Γ(D/2) (the only D-dependent draw), so draws at different D share their directions and
// differ only in radius ("the same noise"). D = ∞ uses R = σ·sqrt(2a), i.e. σ·sqrt(χ²_N), along
// the same unit vector.
void samplePerturbation(int n, double sigma, double d, Rng& directions, Rng& shared, Rng& perD,
                        std::span<double> out, double maxRatio = kUntruncated);

// count points from the exact prior mixture Σ q_i p_σ(· | y_i) at σ (charge i chosen with
// probability q_i). Deterministic for a seed; the charges picked and the directions depend on the
// seed only, not on D or σ (the samplers below share that property), so runs at several D start
// from the same noise. Returns count*N values.
// maxRatio truncates the kernel as in samplePerturbation (a learned field's prior is truncated
// where its training noise was).
std::vector<double> samplePriorMixture(const ChargeSet& charges, double sigma, double d,
                                       std::size_t count, std::uint64_t seed,
                                       double maxRatio = kUntruncated);

// count points from p_σ(· | mean of the charges), as the reference code starts its flows.
std::vector<double> samplePriorCentred(const ChargeSet& charges, double sigma, double d,
                                       std::size_t count, std::uint64_t seed,
                                       double maxRatio = kUntruncated);

// Points uniform on the hemisphere of radius R_h = σ_max√D in R^(N+D), folded to (x, σ = r/√D)
// and shifted by center (N values). At D = 1, N = 2, σ/σ_max is Uniform(0, 1); as D → ∞ the
// hemisphere flattens to x − center ~ σ_max N(0, I), σ = σ_max (the diffusion prior).
struct HemispherePoints {
    std::vector<double> x;     // count*N
    std::vector<double> sigma; // count
};
HemispherePoints sampleHemisphere(int n, double d, double sigmaMax, std::span<const double> center,
                                  std::size_t count, std::uint64_t seed);

} // namespace psc::physics
