// Curves that each start at their own σ (hemisphere particles), advanced together in log σ.
#pragma once

#include "physics/denoiser.h"
#include "physics/progress.h"

#include <span>
#include <vector>

namespace psc::physics {

// A flow curve: K*N positions at K decreasing σ values; the last state has σ = 0.
struct SigmaCurve {
    std::vector<double> x;
    std::vector<double> sigma;
};

// Integrates dx/d ln σ = x − x̂(x, σ) for every start point from its own σ (start.size()/N values
// in startSigma, each > 0) down to sigmaMin with `steps` classic RK4 steps in ln σ per curve, all
// curves in one denoiseEach() call per stage, then lands each on x̂(x, sigmaMin) at σ = 0 (the
// field lines' last stretch). This is the CPU twin of the GPU's field-line integrator, for
// denoisers whose cost is per call rather than per point (learned fields); the exact field's
// adaptive tracer (traceFieldLines) remains the reference. A start at or below sigmaMin does not
// move until it lands (its steps record the same state). Every state is recorded. Cancelling
// returns an empty vector. Throws std::invalid_argument for steps < 1, sigmaMin <= 0 or a start σ
// that is not finite and positive.
std::vector<SigmaCurve> integrateLogSigmaRk4(const Denoiser& denoiser,
                                             std::span<const double> start,
                                             std::span<const double> startSigma, double sigmaMin,
                                             int steps, const CancelFlag* cancel = nullptr);

} // namespace psc::physics
