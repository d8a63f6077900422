// Backward (generation) and forward (encoding) PFGM++ flows with fixed-step and adaptive solvers.
#pragma once

#include "physics/denoiser.h"
#include "physics/progress.h"
#include "physics/solvers.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace psc::physics {

enum class FlowDirection { Backward, Forward };

// The solver table's names (physics/solvers.h): "euler", "heun", "rk4", "rk45".
const char* solverName(SolverKind kind);
std::optional<SolverKind> parseSolver(std::string_view name);
const char* directionName(FlowDirection direction);
std::optional<FlowDirection> parseDirection(std::string_view name);

struct FlowSettings {
    double sigmaMax = 80.0;
    double sigmaMin = 0.002;
    int steps = 18; // schedule length K for fixed-step solvers (K steps in all with the final one)
    double rho = 7.0; // EDM schedule exponent
    SolverKind solver = SolverKind::Heun;
    double rtol = 1e-5, atol = 1e-5; // rk45 only
    int maxAdaptiveSteps = 100000;   // rk45 only
    FlowDirection direction = FlowDirection::Backward;
    // Backward only: after reaching σ_min, take EDM's last Euler step to σ = 0, which lands
    // exactly on x̂(x, σ_min).
    bool finalStepToZero = true;
    // 0: record nothing; k >= 1: every k-th step plus the first and the last state.
    int recordEvery = 0;
    // 0: no limit. Otherwise recording stops after this many frames and the result says so
    // (an adaptive run's step count is not known in advance, its memory must still be bounded).
    std::size_t maxRecordedFrames = 0;
    // The PFGM++ paper's robustness protocol (a), fixed-step solvers only: before every step from
    // σ_k (the final step to 0 included), x ← x + α·σ_k·ε with ε ~ N(0, I), drawn from noiseSeed.
    // 0 leaves the flow deterministic and unchanged.
    double noiseAlpha = 0;
    std::uint64_t noiseSeed = 0;
};

// Empty when usable, else a one-line reason (σ range, steps, tolerances, record interval).
std::optional<std::string> validateFlowSettings(const FlowSettings& settings);

struct TrajectoryFrame {
    double sigma;
    std::vector<double> points; // P*N
    int step = 0;               // solver steps taken to reach this state (0 for the start)
};

enum class FlowStatus { Completed, Cancelled, NonFinite, StepLimit };
const char* flowStatusText(FlowStatus status);

struct FlowResult {
    std::vector<double> points; // final state, P*N
    std::vector<TrajectoryFrame> frames;
    FlowStatus status = FlowStatus::Completed;
    double sigmaReached = 0; // σ of the final state (0 after the final step)
    std::size_t denoiserCalls = 0;
    int acceptedSteps = 0;
    int rejectedSteps = 0; // rk45 only
    std::size_t nonFinitePoints = 0;
    bool framesTruncated = false; // maxRecordedFrames was reached
};

// Backward: from σ_max (start holds points at σ_max) down to σ_min, then the final step to 0.
// Forward: from σ_min (start at σ_min) up to σ_max. Fixed-step solvers follow
// edmSigmaSchedule(σ_max, σ_min, steps, ρ) (reversed when forward); Heun takes no corrector on
// the step to 0, as EDM. Reports progress as the fraction of log σ covered; stops with
// FlowStatus::Cancelled (the state so far in points) when *cancel becomes true.
// settings must pass validateFlowSettings (asserted).
FlowResult integrateFlow(const Denoiser& denoiser, std::span<const double> start,
                         const FlowSettings& settings, const ProgressFn& progress = {},
                         const CancelFlag* cancel = nullptr);

} // namespace psc::physics
