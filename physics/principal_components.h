// The principal axes of a weighted point set, for drawing data of many coordinates in two or three.
#pragma once

#include "physics/charge_set.h"

#include <vector>

namespace psc::physics {

struct PrincipalComponents {
    int dim = 0;                  // N
    int count = 0;                // k axes
    std::vector<double> mean;     // N values: the weighted mean
    std::vector<double> axes;     // k rows of N values, orthonormal, by decreasing variance
    std::vector<double> variance; // k values: the weighted variance along each axis
    double totalVariance = 0;     // the trace of the covariance: what all N axes explain
};

// The k leading eigenvectors of the weighted covariance Σ q_i (y_i − μ)(y_i − μ)ᵀ, by subspace
// iteration on a block of k + 4 vectors with the covariance applied through the points (O(M·N)
// per product, never an N×N matrix, so N of many thousands costs no more than the data itself),
// finished by Rayleigh–Ritz. Each axis's sign makes its largest component positive, so the
// result does not depend on the start. k is clamped to N. Stops when each axis is an eigenvector
// to a residual of 1e-9 of the top variance, or after 300 products; for a degenerate spectrum
// (equal variances) any basis of the eigenspace is returned, which is as good a view.
PrincipalComponents principalComponents(const ChargeSet& charges, int k);

// The trace of the weighted covariance, Σ q_i |y_i − μ|²: the variance all N axes explain.
double totalVariance(const ChargeSet& charges, const std::vector<double>& mean);

// The weighted variance of the charges along a unit direction (N values).
double varianceAlong(const ChargeSet& charges, const std::vector<double>& mean,
                     const double* direction);

// Eigen-decomposition of a symmetric n×n matrix (row-major) by cyclic Jacobi rotations:
// eigenvalues in decreasing order and the eigenvectors as rows. For the small matrices of
// Rayleigh–Ritz and for tests.
void symmetricEigen(std::vector<double> matrix, int n, std::vector<double>& values,
                    std::vector<double>& vectors);

} // namespace psc::physics
