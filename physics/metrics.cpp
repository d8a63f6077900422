// Sample-quality metrics: sliced Wasserstein, MMD with the median heuristic, memorisation.
#include "physics/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace psc::physics {
namespace {

[[noreturn]] void fail(const char* function, const std::string& reason) {
    throw std::invalid_argument(std::string("physics::") + function + ": " + reason);
}

// Returns the point count.
std::size_t checkPoints(const char* function, const char* name, std::span<const double> points,
                        int n) {
    if (n < 1) fail(function, "n must be >= 1, got " + std::to_string(n));
    if (points.empty()) fail(function, std::string(name) + " is empty");
    if (points.size() % static_cast<std::size_t>(n) != 0)
        fail(function, std::string(name) + " has " + std::to_string(points.size()) +
                           " values, not a multiple of n = " + std::to_string(n));
    for (double v : points)
        if (!std::isfinite(v)) fail(function, std::string(name) + " holds a non-finite value");
    return points.size() / static_cast<std::size_t>(n);
}

double squaredDistance(const double* x, const double* y, int n) {
    double s = 0;
    for (int k = 0; k < n; ++k) {
        const double d = x[k] - y[k];
        s += d * d;
    }
    return s;
}

// Quantile k of the grid t_k = (k + ½)/m read from a sorted sample of size c: position
// ((2k + 1)c − m) / (2m). Integer arithmetic keeps the position exact, so c = m returns s[k]
// itself and identical inputs cancel to exactly 0.
double quantile(const std::vector<double>& sorted, std::size_t k, std::size_t m) {
    const auto c = static_cast<std::int64_t>(sorted.size());
    const auto twoM = 2 * static_cast<std::int64_t>(m);
    const std::int64_t num =
        (2 * static_cast<std::int64_t>(k) + 1) * c - static_cast<std::int64_t>(m);
    if (num <= 0) return sorted.front();
    const std::int64_t i = num / twoM, rem = num % twoM;
    if (i >= c - 1) return sorted.back();
    if (rem == 0) return sorted[i];
    const double frac = static_cast<double>(rem) / static_cast<double>(twoM);
    return sorted[i] + frac * (sorted[i + 1] - sorted[i]);
}

// maxPoints distinct rows of points (all of them when there are no more), in their original
// order. A fresh generator per call: equal inputs pick equal rows.
std::vector<double> subsample(std::span<const double> points, int n, std::size_t maxPoints,
                              std::uint64_t seed) {
    const std::size_t count = points.size() / n;
    if (count <= maxPoints) return {points.begin(), points.end()};
    std::vector<std::size_t> index(count);
    std::iota(index.begin(), index.end(), std::size_t{0});
    std::mt19937_64 rng(seed);
    // Partial Fisher–Yates: the first maxPoints slots become a uniform draw without replacement.
    for (std::size_t i = 0; i < maxPoints; ++i) {
        std::uniform_int_distribution<std::size_t> pick(i, count - 1);
        std::swap(index[i], index[pick(rng)]);
    }
    index.resize(maxPoints);
    std::sort(index.begin(), index.end());
    std::vector<double> out;
    out.reserve(maxPoints * n);
    for (std::size_t i : index)
        out.insert(out.end(), points.begin() + i * n, points.begin() + (i + 1) * n);
    return out;
}

// Σ_i Σ_j k(x_i, y_j) in one fixed loop order, so that x = y gives bit-identical sums for the
// three terms of MMD² and they cancel exactly.
double kernelSum(const std::vector<double>& x, const std::vector<double>& y, int n,
                 double inverseTwoH2) {
    double total = 0;
    for (std::size_t i = 0; i < x.size(); i += n) {
        double row = 0;
        for (std::size_t j = 0; j < y.size(); j += n)
            row += std::exp(-squaredDistance(&x[i], &y[j], n) * inverseTwoH2);
        total += row;
    }
    return total;
}

double median(std::vector<double> values) {
    const std::size_t mid = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + mid, values.end());
    if (values.size() % 2 == 1) return values[mid];
    const double upper = values[mid];
    const double lower = *std::max_element(values.begin(), values.begin() + mid);
    return 0.5 * (lower + upper);
}

} // namespace

double slicedWasserstein2(std::span<const double> a, std::span<const double> b, int n,
                          int projections, std::uint64_t seed) {
    constexpr const char* kName = "slicedWasserstein2";
    const std::size_t ca = checkPoints(kName, "a", a, n), cb = checkPoints(kName, "b", b, n);
    if (projections < 1)
        fail(kName, "projections must be >= 1, got " + std::to_string(projections));

    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal;
    std::vector<double> theta(n), pa(ca), pb(cb);
    const std::size_t m = std::max(ca, cb);
    double sum = 0;
    for (int p = 0; p < projections; ++p) {
        double len2 = 0;
        // A normalised Gaussian vector is uniform on the sphere; the retry only guards against
        // the (probability 0) all-zero draw.
        do {
            len2 = 0;
            for (double& t : theta) {
                t = normal(rng);
                len2 += t * t;
            }
        } while (len2 < 1e-300);
        const double inv = 1.0 / std::sqrt(len2);
        for (double& t : theta) t *= inv;

        auto project = [&](std::span<const double> points, std::vector<double>& out) {
            for (std::size_t i = 0; i < out.size(); ++i) {
                double s = 0;
                for (int k = 0; k < n; ++k) s += theta[k] * points[i * n + k];
                out[i] = s;
            }
            std::sort(out.begin(), out.end());
        };
        project(a, pa);
        project(b, pb);
        double w2 = 0;
        for (std::size_t k = 0; k < m; ++k) {
            const double d = quantile(pa, k, m) - quantile(pb, k, m);
            w2 += d * d;
        }
        sum += w2 / static_cast<double>(m);
    }
    return std::sqrt(sum / projections);
}

double mmdRbf(std::span<const double> a, std::span<const double> b, int n, std::size_t maxPoints,
              std::uint64_t seed) {
    constexpr const char* kName = "mmdRbf";
    checkPoints(kName, "a", a, n);
    checkPoints(kName, "b", b, n);
    if (maxPoints < 1) fail(kName, "maxPoints must be >= 1");

    const std::vector<double> x = subsample(a, n, maxPoints, seed);
    const std::vector<double> y = subsample(b, n, maxPoints, seed);
    const std::size_t cx = x.size() / n, cy = y.size() / n, m = cx + cy;
    auto pooled = [&](std::size_t i) { return i < cx ? &x[i * n] : &y[(i - cx) * n]; };

    // Distances are stored in single precision (half the dominant memory cost) as fractions of
    // the bounding-box diagonal, an upper bound of them all, so no float range is ever exceeded.
    double diagonal2 = 0;
    for (int k = 0; k < n; ++k) {
        double lo = std::numeric_limits<double>::infinity(), hi = -lo;
        for (std::size_t i = 0; i < m; ++i) {
            lo = std::min(lo, pooled(i)[k]);
            hi = std::max(hi, pooled(i)[k]);
        }
        diagonal2 += (hi - lo) * (hi - lo);
    }
    if (diagonal2 == 0) return 0.0; // every pooled point is the same point
    const double inverseDiagonal = 1.0 / std::sqrt(diagonal2);
    std::vector<float> dist;
    dist.reserve(m * (m - 1) / 2);
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = i + 1; j < m; ++j)
            dist.push_back(static_cast<float>(std::sqrt(squaredDistance(pooled(i), pooled(j), n)) *
                                              inverseDiagonal));
    // Coinciding pairs would drive the median to 0 and the kernel to a delta; leave them out.
    // The farthest pair, at least diagonal/√n apart, always survives.
    dist.erase(std::remove(dist.begin(), dist.end(), 0.0f), dist.end());
    const auto mid = dist.begin() + (dist.size() - 1) / 2;
    std::nth_element(dist.begin(), mid, dist.end());
    const double h = *mid / inverseDiagonal;
    dist = {};
    const double inverseTwoH2 = 1.0 / (2.0 * h * h);

    const double kxx = kernelSum(x, x, n, inverseTwoH2), kyy = kernelSum(y, y, n, inverseTwoH2),
                 kxy = kernelSum(x, y, n, inverseTwoH2);
    // The same expression for all three means keeps the exact cancellation for x = y.
    auto mean = [](double total, std::size_t p, std::size_t q) {
        return total / (static_cast<double>(p) * static_cast<double>(q));
    };
    const double mmd2 = mean(kxx, cx, cx) + mean(kyy, cy, cy) - 2.0 * mean(kxy, cx, cy);
    return std::sqrt(std::max(0.0, mmd2));
}

double memorisationRatio(std::span<const double> samples, std::span<const double> training, int n,
                         double factor) {
    constexpr const char* kName = "memorisationRatio";
    const std::size_t cs = checkPoints(kName, "samples", samples, n);
    const std::size_t ct = checkPoints(kName, "training", training, n);
    if (ct < 2) fail(kName, "training needs at least 2 points");
    if (!std::isfinite(factor) || factor < 0)
        fail(kName, "factor must be finite and >= 0, got " + std::to_string(factor));

    auto nearestSquared = [&](const double* x, std::size_t skip) {
        double best = std::numeric_limits<double>::infinity();
        for (std::size_t j = 0; j < ct; ++j)
            if (j != skip) best = std::min(best, squaredDistance(x, &training[j * n], n));
        return best;
    };
    std::vector<double> spacing(ct);
    for (std::size_t i = 0; i < ct; ++i)
        spacing[i] = std::sqrt(nearestSquared(&training[i * n], i));
    const double threshold = factor * median(std::move(spacing));
    const double threshold2 = threshold * threshold;

    std::size_t copies = 0;
    for (std::size_t i = 0; i < cs; ++i) {
        const double d2 = nearestSquared(&samples[i * n], ct);
        copies += d2 < threshold2 || d2 == 0.0;
    }
    return static_cast<double>(copies) / static_cast<double>(cs);
}

} // namespace psc::physics
