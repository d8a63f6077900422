// Straightforward double-precision evaluation of the exact denoiser.
#include "physics/reference_denoiser.h"

#include "physics/extra_dims.h"
#include "physics/kernel.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <stdexcept>

namespace psc::physics {

ReferenceDenoiser::ReferenceDenoiser(ChargeSet charges, double d)
    : m_charges(std::move(charges)), m_d(d) {
    if (auto err = validateExtraDims(d)) throw std::invalid_argument(*err);
}

std::vector<double> ReferenceDenoiser::posterior(std::span<const double> x, double sigma) const {
    const int n = m_charges.dim();
    std::vector<double> lw(m_charges.size());
    double top = -INFINITY;
    for (std::size_t i = 0; i < m_charges.size(); ++i) {
        const auto y = m_charges.position(i);
        double d2 = 0;
        for (int k = 0; k < n; ++k) d2 += (x[k] - y[k]) * (x[k] - y[k]);
        lw[i] = m_charges.logWeights()[i] + kernelLogWeight(d2, sigma, m_d, n);
        top = std::max(top, lw[i]);
    }
    double total = 0;
    for (double& v : lw) total += (v = std::exp(v - top));
    for (double& v : lw) v /= total;
    return lw;
}

void ReferenceDenoiser::denoise(std::span<const double> points, double sigma,
                                std::span<double> out) const {
    const int n = m_charges.dim();
    assert(points.size() == out.size() && points.size() % n == 0);
    std::vector<double> x(n);
    for (std::size_t p = 0; p < points.size() / n; ++p) {
        std::copy_n(points.begin() + p * n, n, x.begin());
        const auto pi = posterior(x, sigma);
        for (int k = 0; k < n; ++k) {
            double acc = 0;
            for (std::size_t i = 0; i < pi.size(); ++i) acc += pi[i] * m_charges.position(i)[k];
            out[p * n + k] = acc;
        }
    }
}

} // namespace psc::physics
