// Peak-memory estimates of sample runs and scenes, so that a run too big for the machine is
// announced (or refused) before it starts rather than killed halfway.
#pragma once

#include "physics/flow_solver.h"

#include <cstddef>
#include <string>

namespace psc::physics {

// What a sample run (integrateFlow over a ChargeSet, as `poissonscope sample` does it) holds.
struct SampleRunShape {
    int dim = 2;               // N
    std::size_t charges = 0;   // M
    std::size_t particles = 0; // P
    SolverKind solver = SolverKind::Heun;
    std::size_t recordedFrames = 0; // frames kept (0: no trajectory); see recordedFrameCount
    // The denoiser's own copy of the charges: FastDenoiser's floats (true) or the
    // ReferenceDenoiser's ChargeSet (false).
    bool fastDenoiser = true;
    // The tree code holds a ChargeTree instead (ChargeTree::estimateBytes).
    bool treeCode = false;
    // ChargeSets alive during the run besides the denoiser's (the caller's and a FlowBackend's).
    int chargeSetCopies = 2;
    // How many times the recorded frames exist at the peak: 1 while the flow runs; a writer that
    // regroups them per particle and into rows holds them several times (the CLI: about 4.6).
    double frameCopies = 1.0;
};

// Bytes by what holds them; every field >= 0.
struct MemoryEstimate {
    double charges = 0;   // ChargeSet copies (M·(N + 2) doubles each) and the denoiser's copy
    double particles = 0; // start points, the solver's state and stages (P·N doubles each)
    double recorded = 0;  // trajectory frames, or a scene's field lines and particle paths
    double scratch = 0;   // temporaries of the worker threads (FastDenoiser's float batches)
    double total() const { return charges + particles + recorded + scratch; }
};

// The peak of a sample run; within ~30% of the growth of resident memory for runs whose size is
// dominated by charges, particles or frames (tested against /proc/self/status). Ignores the
// process's fixed cost (code, libraries, thread stacks: tens of MB).
MemoryEstimate estimateSampleRun(const SampleRunShape& shape);

// Frames integrateFlow records with settings: the start, every recordEvery-th step and the last
// state, capped by maxRecordedFrames; 0 when recordEvery is 0. The adaptive rk45 takes an unknown
// number of steps: adaptiveSteps is assumed.
std::size_t recordedFrameCount(const FlowSettings& settings, std::size_t adaptiveSteps = 200);

// What a scene holds besides its charges: field lines (σ, x and log-density per point) and
// particle paths (σ and x per point), each built by appending (so with ~1.5× capacity slack).
struct SceneShape {
    int dim = 2;
    std::size_t charges = 0;
    std::size_t fieldLines = 0;
    std::size_t pointsPerLine = 0; // recorded points of an average line (adaptive: ~50–200)
    std::size_t particles = 0;
    std::size_t pointsPerPath = 0;
};

MemoryEstimate estimateScene(const SceneShape& shape);

// "about 1.2 GB", "about 340 MB", "about 12 KB", "about 512 bytes": binary units (1 MB =
// 2^20 bytes, as --memory-budget counts them), two significant digits below 10 of a unit.
// Negative or non-finite input gives "an unknown amount".
std::string formatBytes(double bytes);

} // namespace psc::physics
