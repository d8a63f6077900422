// Sample-quality metrics: how far generated points are from a reference set, and whether they
// merely copy the training points (the exact field's fate).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace psc::physics {

// Common contract. A point set is a row-major span of doubles, n coordinates per point. Every
// function throws std::invalid_argument (message "physics::<function>: <reason>") for n < 1, an
// empty set, a size that is not a multiple of n, or a NaN/infinite coordinate, and for the
// parameter errors listed with it. Coordinates are assumed small enough that squared distances
// stay finite (|x| below ~1e150). All functions are pure and reentrant: safe to call from several
// threads at once; randomness comes only from the seed, so results are reproducible.

// Sliced Wasserstein-2 distance (not squared) between the empirical distributions of a and b:
//   SW2 = sqrt( (1/P) Σ_p W2²(θ_p·a, θ_p·b) ),
// θ_p the `projections` = P unit directions, normalised Gaussian vectors drawn from
// std::mt19937_64(seed). The 1-D W2² compares quantile functions on a common grid of
// m = max(|a|, |b|) levels t_k = (k + ½)/m, k < m: a sorted projection s_0 ≤ … ≤ s_(c−1)
// is read at position t·c − ½ by linear interpolation, clamped to s_0 and s_(c−1) at the ends.
// For equal sizes that is exactly the sorted pairing, so identical inputs give exactly 0 and a
// copy shifted by v gives sqrt(mean (θ_p·v)²). Sets may differ in size (not in n). Same units as
// the coordinates.
// Cost: O(P · (|a| + |b|) · (n + log(|a| + |b|))) time, O(|a| + |b|) memory.
// Throws also for projections < 1.
double slicedWasserstein2(std::span<const double> a, std::span<const double> b, int n,
                          int projections = 256, std::uint64_t seed = 0);

// Maximum mean discrepancy with the Gaussian kernel k(x, y) = exp(−|x − y|² / (2h²)):
//   MMD = sqrt(max(0, mean k(a_i, a_j) + mean k(b_i, b_j) − 2 mean k(a_i, b_j)))
// (the biased V-statistic, so two finite samples of one law give a small positive value, not 0).
// Bandwidth by the median heuristic: h = median of |x − y| over the pairs of pooled points at
// positive distance (lower median for an even count; found in single precision, a relative 1e-7
// that is immaterial to a heuristic). Coinciding pairs are left out so duplicates cannot shrink h
// to 0; when every pooled point coincides the result is 0.
// A set with more than maxPoints points is replaced by maxPoints distinct points of it, chosen by
// std::mt19937_64(seed) (the same draw for a and b, so identical inputs still give exactly 0).
// Dimensionless, in [0, √2]. Cost with m = |a| + |b| after subsampling: O(m² n) time and
// 2·m² bytes for the pair distances (32 MB at the default maxPoints = 2000).
// Throws also for maxPoints < 1.
double mmdRbf(std::span<const double> a, std::span<const double> b, int n,
              std::size_t maxPoints = 2000, std::uint64_t seed = 0);

// Memorisation: the fraction of samples whose nearest training point lies closer than
// factor · (median nearest-neighbour distance among the training points), or coincides with one
// exactly (so copies count even when duplicate training points make that median 0). About 0 for
// a model that generalises (≈ 1 − 2^(−1/3^N) for fresh draws of a smooth law in N dimensions at
// the default factor: 0.07 at N = 2, a little more where the density varies), → 1 when every sample
// copies a training point, the exact field's behaviour. The training set against itself gives 1.
// Median of an even count: the mean of the two middle values. Brute force: O((|samples| +
// |training|) · |training| · n) time, O(|training|) memory; 10^4 × 10^4 points in N = 2 take a
// fraction of a second (≈ 0.3 s on one core). Throws also for fewer than 2 training points and a
// negative or non-finite factor.
double memorisationRatio(std::span<const double> samples, std::span<const double> training, int n,
                         double factor = 1.0 / 3.0);

} // namespace psc::physics
