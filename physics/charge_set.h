// The data: M positive charges at points y_i in R^N, with weights normalised to sum to 1.
#pragma once

#include <cstddef>
#include <span>
#include <stdexcept>
#include <vector>

namespace psc::physics {

// Thrown by ChargeSet's constructor for input that breaks its invariants; what() is one line.
class InvalidChargeSet : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

class ChargeSet {
public:
    // positions: M*N values, row-major (charge i occupies [i*N, i*N+N)).
    // weights: empty (uniform) or M values > 0 and finite; they are normalised to sum to 1.
    // Throws InvalidChargeSet for N < 1, M = 0, a size mismatch, a non-finite coordinate or a
    // non-positive / non-finite weight.
    ChargeSet(int dim, std::vector<double> positions, std::vector<double> weights = {});

    int dim() const { return m_dim; }
    std::size_t size() const { return m_weights.size(); }
    std::span<const double> positions() const { return m_positions; }
    std::span<const double> position(std::size_t i) const {
        return std::span<const double>(m_positions).subspan(i * m_dim, m_dim);
    }
    // Normalised charges q_i (sum 1) and their logarithms.
    std::span<const double> weights() const { return m_weights; }
    std::span<const double> logWeights() const { return m_logWeights; }
    bool uniform() const { return m_uniform; }

    // Weighted mean sum_i q_i y_i (N values). Computed once (a million charges are asked for
    // it per frame and per traced line).
    std::vector<double> mean() const;
    // sqrt of the weighted mean over coordinates of the per-coordinate variance.
    double rmsSpread() const;

private:
    void summarise();

    int m_dim;
    std::vector<double> m_positions;
    std::vector<double> m_weights;
    std::vector<double> m_logWeights;
    bool m_uniform;
    std::vector<double> m_mean;
    double m_spread = 0;
};

// The index of the charge nearest to x (N values; the first of equals), and, when distance is
// given, how far it is.
std::size_t nearestCharge(const ChargeSet& charges, std::span<const double> x,
                          double* distance = nullptr);

} // namespace psc::physics
