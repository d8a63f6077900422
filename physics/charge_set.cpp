// Validation and summary statistics of a charge set.
#include "physics/charge_set.h"

#include <cmath>
#include <string>

namespace psc::physics {

ChargeSet::ChargeSet(int dim, std::vector<double> positions, std::vector<double> weights)
    : m_dim(dim), m_positions(std::move(positions)), m_uniform(weights.empty()) {
    if (dim < 1) throw InvalidChargeSet("charge set: dimension must be >= 1");
    if (m_positions.empty()) throw InvalidChargeSet("charge set: no charges");
    if (m_positions.size() % static_cast<std::size_t>(dim) != 0)
        throw InvalidChargeSet("charge set: coordinate count is not a multiple of the dimension");
    const std::size_t m = m_positions.size() / dim;
    for (std::size_t k = 0; k < m_positions.size(); ++k)
        if (!std::isfinite(m_positions[k]))
            throw InvalidChargeSet("charge set: charge " + std::to_string(k / dim + 1) +
                                   " has a non-finite coordinate");
    if (weights.empty()) weights.assign(m, 1.0);
    if (weights.size() != m)
        throw InvalidChargeSet("charge set: " + std::to_string(weights.size()) + " weights for " +
                               std::to_string(m) + " charges");
    double total = 0;
    for (std::size_t i = 0; i < m; ++i) {
        if (!std::isfinite(weights[i]) || weights[i] <= 0)
            throw InvalidChargeSet("charge set: weight of charge " + std::to_string(i + 1) +
                                   " must be finite and > 0");
        total += weights[i];
    }
    if (!std::isfinite(total)) throw InvalidChargeSet("charge set: weights overflow");
    m_weights.resize(m);
    m_logWeights.resize(m);
    for (std::size_t i = 0; i < m; ++i) {
        m_weights[i] = weights[i] / total;
        m_logWeights[i] = std::log(weights[i]) - std::log(total);
    }
    summarise();
}

std::vector<double> ChargeSet::mean() const {
    return m_mean;
}

double ChargeSet::rmsSpread() const {
    return m_spread;
}

void ChargeSet::summarise() {
    m_mean.assign(m_dim, 0.0);
    for (std::size_t i = 0; i < size(); ++i)
        for (int k = 0; k < m_dim; ++k) m_mean[k] += m_weights[i] * m_positions[i * m_dim + k];
    double var = 0;
    for (std::size_t i = 0; i < size(); ++i)
        for (int k = 0; k < m_dim; ++k) {
            const double d = m_positions[i * m_dim + k] - m_mean[k];
            var += m_weights[i] * d * d;
        }
    m_spread = std::sqrt(var / m_dim);
}

std::size_t nearestCharge(const ChargeSet& charges, std::span<const double> x, double* distance) {
    const int n = charges.dim();
    std::size_t best = 0;
    double bestD2 = INFINITY;
    for (std::size_t i = 0; i < charges.size(); ++i) {
        const auto y = charges.position(i);
        double d2 = 0;
        // A partial sum already past the best cannot win (most charges, at large N).
        for (int k = 0; k < n && d2 < bestD2; ++k) d2 += (x[k] - y[k]) * (x[k] - y[k]);
        if (d2 < bestD2) bestD2 = d2, best = i;
    }
    if (distance) *distance = std::sqrt(bestD2);
    return best;
}

} // namespace psc::physics
