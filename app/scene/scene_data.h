// The physics results behind one scene: charges, field lines and particle paths (GL-free).
#pragma once

#include "app/scene/scene_settings.h"
#include "app/scene/view_projection.h"

#include "physics/charge_set.h"
#include "physics/field_line_tracer.h"
#include "physics/progress.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
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

// What a scene of more than three coordinates keeps in its own coordinates beside the picture.
struct ProjectedScene {
    ViewProjection projection;
    physics::ChargeSet charges; // N values per charge
    // The first kKeptPaths particles' paths with N values per point, in the order of
    // SceneData::paths: for the images and the laws panel, which need the true distances.
    std::vector<ParticlePath> paths{};
    // Image data (the digits, a file of (M, H, W) images, or a file whose N is a square of at
    // least 8×8): each point is an image of width × height pixels, row by row; 0 otherwise.
    int imageWidth = 0, imageHeight = 0;
    double pixelLo = 0, pixelHi = 1; // the charges' range of values, drawn black to white
    // For the first kImageTiles paths: the charge nearest to where each landed.
    std::vector<std::size_t> landedNearest{};
};
inline constexpr std::size_t kKeptPaths = 256;
inline constexpr std::size_t kImageTiles = 8;

struct SceneData {
    SceneSettings settings;
    // What is drawn: the charges in view coordinates, as are fieldLines and paths below. For data
    // of 2 or 3 coordinates those are the data's own; above, their projection (see projected).
    physics::ChargeSet charges;
    std::vector<physics::FieldLine> fieldLines{};
    std::vector<ParticlePath> paths{}; // empty when particlesOnGpu
    bool particlesOnGpu = false;
    ParticleStart gpuStart{}; // when particlesOnGpu
    // The learned field that moved the particles (see SceneSettings::learned); null: the exact one.
    std::shared_ptr<const LearnedModel> flowModel{};
    double computeSeconds = 0;
    // Null for data of 2 or 3 coordinates; else the projection and the data in N coordinates.
    // Anything that evaluates the field (inspection, slice, editing, the GPU, the error map) is
    // for unprojected scenes only: the field of projected charges is not the data's.
    std::shared_ptr<const ProjectedScene> projected{};
};

// The charges in the data's own N coordinates (projected or not).
const physics::ChargeSet& dataCharges(const SceneData& scene);
int dataDim(const SceneData& scene);
// Paths in the data's own coordinates: all of them for N <= 3, the first kKeptPaths above.
const std::vector<ParticlePath>& dataPaths(const SceneData& scene);

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

// Scenes are drawn in their own coordinates for data of 2 or 3, through a ViewProjection above
// (up to physics::kMaxDataDim, as the command line's sample, train, eval and experiment).
inline constexpr int kMinSceneDim = 2, kMaxDrawnDim = 3;

// Loads or generates the charges of settings. Throws physics::PointIoError (file problems, one
// coordinate, with what to use instead), std::invalid_argument (unknown data set, bad
// parameters) or physics::InvalidChargeSet.
// imageShape, when given, receives the width and height a data file declares for its points
// (an .npy of shape (M, H, W)); 0 × 0 otherwise.
physics::ChargeSet loadSceneCharges(const SceneSettings& settings,
                                    std::pair<int, int>* imageShape = nullptr);
// The same check for a data file about to be opened, without keeping its points.
void checkSceneDataFile(const std::string& path, const ImageChargeSettings& image = {});

// Computes everything the view shows; returns null when cancelled. With particlesOnGpu (and
// gpuCanMoveParticles), the particles' starting points are drawn but not moved. Throws as
// loadSceneCharges, and std::invalid_argument for settings the key table refuses
// (validateSceneSettings).
std::shared_ptr<const SceneData> computeScene(const SceneSettings& settings,
                                              const physics::CancelFlag* cancel = nullptr,
                                              bool particlesOnGpu = false);

} // namespace psc::app
