// The physics results behind one scene: charges, field lines and particle paths (GL-free).
#pragma once

#include "app/scene/scene_settings.h"

#include "physics/charge_set.h"
#include "physics/field_line_tracer.h"
#include "physics/progress.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace psc::app {

// A particle's path: positions (N per point) at σ values in decreasing order, ending at σ = 0.
struct ParticlePath {
    std::vector<double> x;
    std::vector<double> sigma;
};

// Where the particles start when their flow is left to the GPU: N values and σ per particle.
struct ParticleStart {
    std::vector<double> x;
    std::vector<double> sigma;
};

struct SceneData {
    SceneSettings settings;
    physics::ChargeSet charges;
    std::vector<physics::FieldLine> fieldLines;
    std::vector<ParticlePath> paths; // empty when particlesOnGpu
    bool particlesOnGpu = false;
    ParticleStart gpuStart; // when particlesOnGpu
    // The learned field that moved the particles (see SceneSettings::learned); null: the exact one.
    std::shared_ptr<const LearnedModel> flowModel;
    double computeSeconds = 0;
};

// The flow of a scene's prior particles, on the CPU and the GPU alike: σ range, steps, solver.
physics::FlowSettings sceneFlowSettings(const SceneSettings& settings);

// Whether a scene's particles may be moved on the GPU (render/compute/gpu_particle_flow.h):
// the GPU takes fixed steps, so the adaptive rk45 of prior particles stays on the CPU; and it
// evaluates only the exact field, so particles in a learned field stay on the CPU too.
bool gpuCanMoveParticles(const SceneSettings& settings);

// rk4 steps in log σ of each hemisphere particle on the GPU (the CPU traces adaptively).
inline constexpr int kGpuFieldLineSteps = 96;

// What the charges are, for people: the built-in set's name, the data file's name, or "edited
// charges".
std::string dataSourceName(const SceneSettings& settings);

// Scenes are drawn in their own coordinates: data of 2 or 3 (the command line's sample, train,
// eval and experiment take up to physics::kMaxDataDim).
inline constexpr int kMinSceneDim = 2, kMaxSceneDim = 3;

// Loads or generates the charges of settings. Throws physics::PointIoError (file problems, a
// dimension outside [kMinSceneDim, kMaxSceneDim] with what to use instead), std::invalid_argument
// (unknown data set, bad parameters) or physics::InvalidChargeSet.
physics::ChargeSet loadSceneCharges(const SceneSettings& settings);
// The same check for a data file about to be opened, without keeping its points.
void checkSceneDataFile(const std::string& path);

// Computes everything the view shows; returns null when cancelled. With particlesOnGpu (and
// gpuCanMoveParticles), the particles' starting points are drawn but not moved. Throws as
// loadSceneCharges, and std::invalid_argument for settings the key table refuses
// (validateSceneSettings).
std::shared_ptr<const SceneData> computeScene(const SceneSettings& settings,
                                              const physics::CancelFlag* cancel = nullptr,
                                              bool particlesOnGpu = false);

} // namespace psc::app
