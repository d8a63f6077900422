// The robustness protocols with the exact field: no learning noise, so what changes with D is the
// ODE itself (physics/README.md §5a).
#pragma once

#include "physics/charge_set.h"
#include "physics/denoiser.h"
#include "physics/experiment_summary.h"
#include "physics/progress.h"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace psc::physics {

struct ProtocolLists {
    std::vector<double> alphas{0.0, 0.1, 0.2};    // (a) noise α·σ_k·ε before every step
    std::vector<int> stepCounts{3, 6, 9, 13, 18}; // (b) Heun schedules: NFE = 2·steps − 1
    std::vector<int> bits{5, 6, 7, 8, 9};         // (c) weight quantisation (learned only)
};

// One protocol's flow, shared by the exact and learned fields: Heun with `steps` steps from
// `start` (at sigmaMax) to 0, noise α·σ_k·ε before every step from seed + 1, scored against
// heldOut (sw2, mmd, nfe set; the caller names d, field, protocol, value and seed). nullopt when
// cancelled or not finite. endPoints, when given, receives where the points landed.
std::optional<Measurement> protocolFlow(const Denoiser& field, std::span<const double> start,
                                        double sigmaMax, int steps, double alpha,
                                        std::uint64_t seed, std::span<const double> heldOut,
                                        const CancelFlag* cancel,
                                        std::vector<double>* endPoints = nullptr);

// Protocols (a) and (b) at one D for one seed, with the exact field of `train` (FastDenoiser):
// `samples` start points from the centred prior at sigmaMax (seed `seed`), each flow scored
// against `heldOut` (SW2, MMD) and against the adaptive rk45 end point of the same start point
// (rtol = atol = 1e-6): mean distance over the data's rms spread, and the fraction that lands
// nearest the same charge. (a) runs Heun with 18 steps. Rows carry seedIndex. Returns the rows
// finished before *cancel became true.
std::vector<Measurement> runExactProtocols(const ChargeSet& train, std::span<const double> heldOut,
                                           double d, const ProtocolLists& lists,
                                           std::size_t samples, double sigmaMax, int seedIndex,
                                           std::uint64_t seed, const CancelFlag* cancel = nullptr);

} // namespace psc::physics
