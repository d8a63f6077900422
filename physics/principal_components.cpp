#include "physics/principal_components.h"

#include "physics/gram_schmidt.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace psc::physics {

void symmetricEigen(std::vector<double> a, int n, std::vector<double>& values,
                    std::vector<double>& vectors) {
    const auto at = [n](int r, int c) { return static_cast<std::size_t>(r) * n + c; };
    std::vector<double> v(static_cast<std::size_t>(n) * n, 0.0);
    for (int i = 0; i < n; ++i) v[at(i, i)] = 1.0;
    for (int sweep = 0; sweep < 100; ++sweep) {
        double off = 0, diag = 0;
        for (int r = 0; r < n; ++r)
            for (int c = 0; c < n; ++c) (r == c ? diag : off) += a[at(r, c)] * a[at(r, c)];
        if (off <= 1e-30 * std::max(diag, 1e-300)) break;
        for (int p = 0; p < n; ++p)
            for (int q = p + 1; q < n; ++q) {
                const double apq = a[at(p, q)];
                if (apq == 0) continue;
                const double theta = (a[at(q, q)] - a[at(p, p)]) / (2 * apq);
                const double t =
                    std::copysign(1.0, theta) / (std::abs(theta) + std::sqrt(theta * theta + 1));
                const double c = 1 / std::sqrt(t * t + 1), s = t * c;
                for (int k = 0; k < n; ++k) { // columns p, q
                    const double akp = a[at(k, p)], akq = a[at(k, q)];
                    a[at(k, p)] = c * akp - s * akq;
                    a[at(k, q)] = s * akp + c * akq;
                }
                for (int k = 0; k < n; ++k) { // rows p, q
                    const double apk = a[at(p, k)], aqk = a[at(q, k)];
                    a[at(p, k)] = c * apk - s * aqk;
                    a[at(q, k)] = s * apk + c * aqk;
                }
                for (int k = 0; k < n; ++k) { // eigenvectors as columns of v
                    const double vkp = v[at(k, p)], vkq = v[at(k, q)];
                    v[at(k, p)] = c * vkp - s * vkq;
                    v[at(k, q)] = s * vkp + c * vkq;
                }
            }
    }
    std::vector<int> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int i, int j) { return a[at(i, i)] > a[at(j, j)]; });
    values.assign(static_cast<std::size_t>(n), 0.0);
    vectors.assign(static_cast<std::size_t>(n) * n, 0.0);
    for (int r = 0; r < n; ++r) {
        values[r] = a[at(order[r], order[r])];
        for (int k = 0; k < n; ++k) vectors[at(r, k)] = v[at(k, order[r])];
    }
}

double varianceAlong(const ChargeSet& charges, const std::vector<double>& mean,
                     const double* direction) {
    const int n = charges.dim();
    double sum = 0;
    for (std::size_t i = 0; i < charges.size(); ++i) {
        const auto y = charges.position(i);
        double dot = 0;
        for (int k = 0; k < n; ++k) dot += (y[k] - mean[k]) * direction[k];
        sum += charges.weights()[i] * dot * dot;
    }
    return sum;
}

double totalVariance(const ChargeSet& charges, const std::vector<double>& mean) {
    const int n = charges.dim();
    double sum = 0;
    for (std::size_t i = 0; i < charges.size(); ++i) {
        const auto y = charges.position(i);
        double squared = 0;
        for (int k = 0; k < n; ++k) squared += (y[k] - mean[k]) * (y[k] - mean[k]);
        sum += charges.weights()[i] * squared;
    }
    return sum;
}

namespace {

// out = C·block for the weighted covariance C, applied through the centred points.
void applyCovariance(const ChargeSet& charges, const std::vector<double>& mean,
                     const std::vector<double>& block, int b, std::vector<double>& out) {
    const int n = charges.dim();
    out.assign(block.size(), 0.0);
    std::vector<double> centred(static_cast<std::size_t>(n)), dots(static_cast<std::size_t>(b));
    for (std::size_t i = 0; i < charges.size(); ++i) {
        const auto y = charges.position(i);
        for (int k = 0; k < n; ++k) centred[k] = y[k] - mean[k];
        for (int j = 0; j < b; ++j) {
            const double* v = &block[static_cast<std::size_t>(j) * n];
            double dot = 0;
            for (int k = 0; k < n; ++k) dot += centred[k] * v[k];
            dots[j] = charges.weights()[i] * dot;
        }
        for (int j = 0; j < b; ++j) {
            double* o = &out[static_cast<std::size_t>(j) * n];
            for (int k = 0; k < n; ++k) o[k] += dots[j] * centred[k];
        }
    }
}

} // namespace

PrincipalComponents principalComponents(const ChargeSet& charges, int k) {
    const int n = charges.dim();
    k = std::clamp(k, 1, n);
    const int b = std::min(n, k + 4);
    PrincipalComponents pc;
    pc.dim = n;
    pc.count = k;
    pc.mean = charges.mean();
    pc.totalVariance = totalVariance(charges, pc.mean);

    std::mt19937_64 rng(0x5eed'ca11);
    std::normal_distribution<double> gauss;
    const auto redraw = [&](double* row) {
        for (int c = 0; c < n; ++c) row[c] = gauss(rng);
    };
    std::vector<double> block(static_cast<std::size_t>(b) * n), product;
    for (double& v : block) v = gauss(rng);
    orthonormaliseRows(block.data(), b, n, 1e-12, redraw);
    std::vector<double> ritz;
    std::vector<double> small(static_cast<std::size_t>(b) * b), vectors;
    for (int iteration = 0; iteration < 300; ++iteration) {
        applyCovariance(charges, pc.mean, block, b, product);
        // Rayleigh–Ritz: the covariance within the block's span, diagonalised.
        for (int r = 0; r < b; ++r)
            for (int c = 0; c < b; ++c) {
                double dot = 0;
                for (int j = 0; j < n; ++j)
                    dot += block[static_cast<std::size_t>(r) * n + j] *
                           product[static_cast<std::size_t>(c) * n + j];
                small[static_cast<std::size_t>(r) * b + c] = dot;
            }
        symmetricEigen(small, b, ritz, vectors);
        // Ritz vectors and their images under C, from the block and its product.
        std::vector<double> ritzVectors(block.size(), 0.0), images(block.size(), 0.0);
        for (int r = 0; r < b; ++r)
            for (int c = 0; c < b; ++c) {
                const double w = vectors[static_cast<std::size_t>(r) * b + c];
                for (int j = 0; j < n; ++j) {
                    ritzVectors[static_cast<std::size_t>(r) * n + j] +=
                        w * block[static_cast<std::size_t>(c) * n + j];
                    images[static_cast<std::size_t>(r) * n + j] +=
                        w * product[static_cast<std::size_t>(c) * n + j];
                }
            }
        // Converged when every wanted axis is an eigenvector to 1e-9 of the top variance.
        bool converged = true;
        for (int r = 0; r < k && converged; ++r) {
            double residual = 0;
            for (int j = 0; j < n; ++j) {
                const std::size_t at = static_cast<std::size_t>(r) * n + j;
                const double e = images[at] - ritz[r] * ritzVectors[at];
                residual += e * e;
            }
            converged = std::sqrt(residual) <= 1e-9 * std::max(ritz[0], 1e-300);
        }
        if (converged || iteration == 299) {
            block = std::move(ritzVectors);
            break;
        }
        block = std::move(images);
        orthonormaliseRows(block.data(), b, n, 1e-12, redraw);
    }
    pc.axes.assign(block.begin(), block.begin() + static_cast<std::ptrdiff_t>(k) * n);
    for (int j = 0; j < k; ++j) {
        double* axis = &pc.axes[static_cast<std::size_t>(j) * n];
        const double* largest = std::max_element(
            axis, axis + n, [](double x, double y) { return std::abs(x) < std::abs(y); });
        if (*largest < 0)
            for (int c = 0; c < n; ++c) axis[c] = -axis[c];
        pc.variance.push_back(varianceAlong(charges, pc.mean, axis));
    }
    return pc;
}

} // namespace psc::physics
