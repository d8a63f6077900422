// Where two denoisers disagree: |x̂_a − x̂_b| over a rectangle of the data plane at one σ.
#pragma once

#include "physics/denoiser.h"

#include <array>
#include <span>
#include <vector>

namespace psc::physics {

struct DenoiserDifferenceMap {
    int columns = 0, rows = 0;
    std::array<double, 2> lo{}, hi{}; // the rectangle in the first two coordinates
    double sigma = 0;
    // rows*columns values, row-major from lo: cell (i, j) is sampled at its centre
    // (lo + (i + ½, j + ½)·(hi − lo)/(columns, rows)); the Euclidean norm over all N coordinates.
    std::vector<double> value;
    double max = 0;
};

// Evaluates both denoisers (same dim N >= 2) on the grid; for N > 2 the plane is the slice whose
// other coordinates equal `through` (N values; its first two are ignored). Throws
// std::invalid_argument for mismatched dims, columns or rows outside 1..1024, an empty or
// non-finite rectangle, or σ that is not finite and positive.
DenoiserDifferenceMap denoiserDifferenceMap(const Denoiser& a, const Denoiser& b, double sigma,
                                            std::array<double, 2> lo, std::array<double, 2> hi,
                                            std::span<const double> through, int columns, int rows);

} // namespace psc::physics
