// Intervals for experiments repeated over seeds: Student's t for a mean and for a paired
// difference, so that a table says only what its repetitions support.
#pragma once

#include <cstddef>
#include <span>

namespace psc::physics {

// The p-quantile of Student's t with dof >= 1 degrees of freedom, p in (0, 1): bisection on the
// CDF, itself the regularised incomplete beta (continued fraction), to 1e-10.
double studentQuantile(double p, int dof);

// A mean with a two-sided confidence interval [lo, hi]. count < 2 leaves the interval as
// [mean, mean] with `spread` false: one run says nothing of its own variability.
struct Interval {
    double mean = 0, lo = 0, hi = 0;
    std::size_t count = 0;
    bool spread = false;
    bool excludesZero() const { return spread && (lo > 0 || hi < 0); }
};

// mean ± t_(1−(1−confidence)/2, n−1) · s/√n of the finite values in xs (NaNs are left out and
// lower count).
Interval meanInterval(std::span<const double> xs, double confidence = 0.95);

// The interval of the mean of a_i − b_i over the pairs where both are finite: the paired
// comparison of two settings run on the same seeds.
Interval pairedDifference(std::span<const double> a, std::span<const double> b,
                          double confidence = 0.95);

} // namespace psc::physics
