// The exact empirical denoiser in plain double precision: the oracle every fast path is tested
// against.
#pragma once

#include "physics/charge_set.h"
#include "physics/denoiser.h"

namespace psc::physics {

// x̂(x, σ) = Σ π_i y_i with log π_i = log q_i + kernelLogWeight(|x − y_i|², σ, D) − logsumexp,
// two passes per point, single-threaded, no tricks. D as in extra_dims.h (validated: throws
// std::invalid_argument for D < 1 or NaN). Keeps a copy of the charges.
class ReferenceDenoiser final : public Denoiser {
public:
    ReferenceDenoiser(ChargeSet charges, double d);

    int dim() const override { return m_charges.dim(); }
    void denoise(std::span<const double> points, double sigma,
                 std::span<double> out) const override;
    const char* name() const override { return "reference"; }

    // Posterior weights π_i of every charge for one point (M values, summing to 1).
    std::vector<double> posterior(std::span<const double> x, double sigma) const;

    const ChargeSet& charges() const { return m_charges; }
    double extraDims() const { return m_d; }

private:
    ChargeSet m_charges;
    double m_d;
};

} // namespace psc::physics
