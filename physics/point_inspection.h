// Everything about one point (x, σ) of the field: where it flows, how strong the field is, and
// which charges pull on it (the posterior weights π). For the viewer's inspector.
#pragma once

#include "physics/charge_set.h"

#include <cstddef>
#include <span>
#include <utility>
#include <vector>

namespace psc::physics {

struct PointInspection {
    std::vector<double> x;        // N values
    double sigma = 0, r = 0;      // r = σ√D (+∞ at D = ∞)
    std::vector<double> xhat;     // posterior mean E[y | x, σ] = Σ π_i y_i
    std::vector<double> velocity; // dx/dσ = (x − x̂)/σ, the flow's direction in x
    // Unit direction of E in (x, r): (x − x̂, r)/|·| at finite D (N + 1 values); at D = ∞ the
    // r part is dropped and the direction is that of x − x̂ (the negative score).
    std::vector<double> fieldDirection;
    // log10 |E| with E = Σ q_i (x − y_i, r)/ρ_i^(N+D) at finite D; log10 |∇ log p_σ| at D = ∞,
    // finite however small (on a charge at σ = 1e-6), −inf only where the score is exactly 0.
    double log10Field = 0;
    std::vector<std::pair<std::size_t, double>> strongest; // (charge, π), largest π first
};

// In double precision; `top` charges in strongest (fewer if there are fewer). Throws
// std::invalid_argument for x of the wrong size or σ that is not finite and positive.
PointInspection inspectPoint(const ChargeSet& charges, double d, std::span<const double> x,
                             double sigma, std::size_t top = 5);

} // namespace psc::physics
