// Orthonormal rows from random ones: the embedding of data sets and the start of principal
// components share it.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace psc::physics {

// Orthonormalises rows 0..count−1 (each n values, one after another) in place: modified
// Gram–Schmidt, applied twice so the rows are orthogonal to rounding. A row left shorter than
// minNorm (nearly in the span of those before it) is refilled by redraw(row) and tried again,
// at most 16 times. Needs count <= n for random rows to succeed.
template <typename Redraw>
void orthonormaliseRows(double* rows, int count, int n, double minNorm, Redraw&& redraw) {
    for (int j = 0; j < count; ++j) {
        double* v = rows + static_cast<std::size_t>(j) * n;
        double norm = 0;
        for (int attempt = 0;; ++attempt) {
            for (int pass = 0; pass < 2; ++pass)
                for (int i = 0; i < j; ++i) {
                    const double* u = rows + static_cast<std::size_t>(i) * n;
                    double dot = 0;
                    for (int k = 0; k < n; ++k) dot += v[k] * u[k];
                    for (int k = 0; k < n; ++k) v[k] -= dot * u[k];
                }
            norm = 0;
            for (int k = 0; k < n; ++k) norm += v[k] * v[k];
            norm = std::sqrt(norm);
            if (norm >= minNorm || attempt == 16) break;
            redraw(v);
        }
        for (int k = 0; k < n; ++k) v[k] /= std::max(norm, 1e-300);
    }
}

} // namespace psc::physics
