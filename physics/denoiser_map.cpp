// The learned-versus-exact error picture, computed as one batch per denoiser.
#include "physics/denoiser_map.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace psc::physics {

DenoiserDifferenceMap denoiserDifferenceMap(const Denoiser& a, const Denoiser& b, double sigma,
                                            std::array<double, 2> lo, std::array<double, 2> hi,
                                            std::span<const double> through, int columns,
                                            int rows) {
    const int n = a.dim();
    if (b.dim() != n || n < 2 || through.size() != static_cast<std::size_t>(n))
        throw std::invalid_argument("denoiserDifferenceMap: the denoisers and the slice point "
                                    "must share one dimension N >= 2");
    if (columns < 1 || columns > 1024 || rows < 1 || rows > 1024)
        throw std::invalid_argument("denoiserDifferenceMap: columns and rows must be in [1, 1024]");
    for (int k = 0; k < 2; ++k)
        if (!std::isfinite(lo[k]) || !std::isfinite(hi[k]) || !(hi[k] > lo[k]))
            throw std::invalid_argument("denoiserDifferenceMap: empty or non-finite rectangle");
    if (!(sigma > 0) || !std::isfinite(sigma))
        throw std::invalid_argument("denoiserDifferenceMap: σ must be finite and positive");

    DenoiserDifferenceMap map;
    map.columns = columns;
    map.rows = rows;
    map.lo = lo;
    map.hi = hi;
    map.sigma = sigma;
    const std::size_t cells = static_cast<std::size_t>(columns) * rows;
    std::vector<double> points(cells * n);
    for (int j = 0; j < rows; ++j)
        for (int i = 0; i < columns; ++i) {
            double* p = points.data() + (static_cast<std::size_t>(j) * columns + i) * n;
            std::copy(through.begin(), through.end(), p);
            p[0] = lo[0] + (i + 0.5) * (hi[0] - lo[0]) / columns;
            p[1] = lo[1] + (j + 0.5) * (hi[1] - lo[1]) / rows;
        }
    std::vector<double> xa(points.size()), xb(points.size());
    a.denoise(points, sigma, xa);
    b.denoise(points, sigma, xb);
    map.value.resize(cells);
    for (std::size_t c = 0; c < cells; ++c) {
        double sum = 0;
        for (int k = 0; k < n; ++k) {
            const double d = xa[c * n + k] - xb[c * n + k];
            sum += d * d;
        }
        map.value[c] = std::sqrt(sum);
        map.max = std::max(map.max, map.value[c]);
    }
    return map;
}

} // namespace psc::physics
