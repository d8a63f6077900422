// Peak-memory estimates: counts of the vectors physics/flow_solver.cpp, fast_denoiser.cpp and the
// tracers keep alive at once, times their sizes.
#include "physics/memory_estimate.h"

#include "physics/charge_tree.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace psc::physics {
namespace {

constexpr double kDouble = sizeof(double);
constexpr double kFloat = sizeof(float);
// Vectors grown by push_back/insert hold on average ~1.5× their size (capacity doubles).
constexpr double kAppendSlack = 1.5;

// P·N-double vectors alive inside integrateFlow at its peak, counting the caller's start points:
// for a fixed-step solver the state x and the stepper's stage slope, stage point and slope sum
// (flow_solver.cpp); rk45 holds x, seven stages, the stage point and the next state
// (dormand_prince.cpp).
double stateVectors(SolverKind solver) {
    return solverInfo(solver).adaptive ? 11.0 : 5.0;
}

} // namespace

MemoryEstimate estimateSampleRun(const SampleRunShape& s) {
    const double n = s.dim, m = static_cast<double>(s.charges),
                 p = static_cast<double>(s.particles);
    const double chargeSet = m * (n + 2.0) * kDouble; // positions, weights, log-weights
    MemoryEstimate e;
    // FastDenoiser: N rows of floats and the float log-weights, padded to eight lanes.
    const double padded = std::ceil(m / 8.0) * 8.0;
    const double denoiserCopy = s.treeCode       ? ChargeTree::estimateBytes(s.charges, s.dim)
                                : s.fastDenoiser ? padded * (n + 1.0) * kFloat
                                                 : chargeSet;
    e.charges = s.chargeSetCopies * chargeSet + denoiserCopy;
    const double state = p * n * kDouble;
    e.particles = stateVectors(s.solver) * state;
    e.recorded = static_cast<double>(s.recordedFrames) * state * s.frameCopies;
    // FastDenoiser converts each chunk to floats (in and out); the pool runs a quarter of the
    // points' chunks at once. The reference denoiser holds one posterior (M doubles) per call.
    e.scratch = s.fastDenoiser ? 0.25 * p * n * 2.0 * kFloat : m * kDouble;
    return e;
}

std::size_t recordedFrameCount(const FlowSettings& settings, std::size_t adaptiveSteps) {
    if (settings.recordEvery <= 0) return 0;
    const bool finalStep =
        settings.direction == FlowDirection::Backward && settings.finalStepToZero;
    std::size_t steps = settings.solver == SolverKind::Rk45
                            ? adaptiveSteps
                            : static_cast<std::size_t>(std::max(settings.steps, 1) - 1);
    if (finalStep) ++steps;
    const auto every = static_cast<std::size_t>(settings.recordEvery);
    std::size_t frames = 1 + steps / every + (steps % every != 0 ? 1 : 0);
    if (settings.maxRecordedFrames > 0 && frames > settings.maxRecordedFrames)
        frames = settings.maxRecordedFrames;
    return frames;
}

MemoryEstimate estimateScene(const SceneShape& s) {
    const double n = s.dim;
    MemoryEstimate e;
    e.charges = static_cast<double>(s.charges) * (n + 2.0) * kDouble;
    // A field line keeps x (N), σ and the log-density per point; a path keeps x and σ.
    const double lines = static_cast<double>(s.fieldLines) * static_cast<double>(s.pointsPerLine) *
                         (n + 2.0) * kDouble;
    const double paths = static_cast<double>(s.particles) * static_cast<double>(s.pointsPerPath) *
                         (n + 1.0) * kDouble;
    e.recorded = kAppendSlack * (lines + paths);
    return e;
}

std::string formatBytes(double bytes) {
    if (!std::isfinite(bytes) || bytes < 0) return "an unknown amount";
    static constexpr const char* kUnits[] = {"bytes", "KB", "MB", "GB", "TB", "PB"};
    int unit = 0;
    double value = bytes;
    while (value >= 1024.0 && unit < 5) {
        value /= 1024.0;
        ++unit;
    }
    char buf[48];
    if (unit == 0)
        std::snprintf(buf, sizeof buf, "about %.0f bytes", value);
    else if (value < 9.95)
        std::snprintf(buf, sizeof buf, "about %.1f %s", value, kUnits[unit]);
    else
        std::snprintf(buf, sizeof buf, "about %.0f %s", value, kUnits[unit]);
    return buf;
}

} // namespace psc::physics
