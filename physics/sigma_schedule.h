// EDM's noise-level schedule, shared by every fixed-step solver and every view (physics/README.md
// §4).
#pragma once

#include <vector>

namespace psc::physics {

// steps values σ_0 = σ_max > … > σ_(steps−1) = σ_min with
//   σ_k = (σ_max^(1/ρ) + k/(steps−1) · (σ_min^(1/ρ) − σ_max^(1/ρ)))^ρ.
// steps = 1 gives {σ_max}. Requires 0 < σ_min < σ_max, steps >= 1, ρ > 0 (asserted).
// The final step of a backward run (to σ = 0) is not part of the list.
std::vector<double> edmSigmaSchedule(double sigmaMax, double sigmaMin, int steps, double rho = 7.0);

} // namespace psc::physics
