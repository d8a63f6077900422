// The exact law of the PFGM++ kernel's radius, and how far it is from diffusion's, for any N, D.
#pragma once

namespace psc::physics {

// The density of T = R/σ for a point drawn from the kernel p_r(x | y) ∝ (|x − y|² + r²)^(−(N+D)/2)
// with r = σ√D, R = |x − y|: R²/r² ~ BetaPrime(N/2, D/2), so T = √(D·B) for B of that law; at
// D = ∞ (d = +inf), T ~ χ_N. Returned as the logarithm (−inf at t <= 0 where the density is 0).
double logRadialDensity(double t, int n, double d);
double radialDensity(double t, int n, double d);

// The q-quantile of T = R/σ (q in (0, 1)): the t with P(T <= t) = q, from the density integrated
// in log t (Simpson, 0.002 apart from t = e^−30 to e^60, so the heavy tails of small D are
// covered), to a probability error under 1e-6. The cap of a truncated kernel (samplers.h).
double radialQuantile(int n, double d, double q);

// The total-variation distance between the law of R/σ at D and χ_N (D = ∞) at the same σ (the
// aligned σ of physics/README.md §2): ½ ∫ |f_D − f_∞| dt, computed as 1 − ∫ min(f_D, f_∞) dt over
// where χ_N has its mass (√N ± 14, Simpson on 4,000 intervals; what lies outside is under 1e-12
// of χ_N and the min is at most that). In [0, 1]; 0 at D = ∞.
double radialTotalVariation(int n, double d);

// The smallest D (by bisection in log D over [1, 1e12]) at which radialTotalVariation(n, D) <= tv:
// where, for data of N coordinates, D is as good as infinite at that tolerance. The distance falls
// monotonically in D (checked by the tests on a grid).
double diffusionLikeD(int n, double tv);

} // namespace psc::physics
