// Scene computation: exact field lines on the fast CPU path, and the particles' flows there or,
// left to the GPU, only their starting points.
#include "app/scene/scene_data.h"

#include "app/scene/exact_field.h"
#include "app/scene/learned_model.h"
#include "app/scene/scene_keys.h"

#include "physics/extra_dims.h"
#include "physics/log_sigma_flow.h"
#include "physics/point_io.h"
#include "physics/samplers.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <optional>
#include <span>
#include <stdexcept>

namespace psc::app {

const physics::ChargeSet& dataCharges(const SceneData& scene) {
    return scene.projected ? scene.projected->charges : scene.charges;
}

int dataDim(const SceneData& scene) {
    return dataCharges(scene).dim();
}

const std::vector<ParticlePath>& dataPaths(const SceneData& scene) {
    return scene.projected ? scene.projected->paths : scene.paths;
}

std::string dataSourceName(const SceneSettings& s) {
    if (!s.editedPositions.empty()) return "edited charges";
    if (!s.dataPath.empty()) return std::filesystem::path(s.dataPath).filename().string();
    return s.dataset;
}

namespace {

void checkSceneDim(const std::string& path, int dim) {
    if (dim >= kMinSceneDim) return;
    throw physics::PointIoError(
        path + ": 1 coordinate: scenes (the window, render, --screenshot) show data of 2 or more "
               "(the flow's height σ needs a plane under it); `poissonscope sample`, `train`, "
               "`eval` and `experiment` take it");
}

} // namespace

physics::ChargeSet loadSceneCharges(const SceneSettings& s, std::pair<int, int>* imageShape) {
    if (imageShape) *imageShape = {0, 0};
    if (!s.editedPositions.empty())
        return physics::ChargeSet(2, s.editedPositions, s.editedWeights);
    if (!s.dataPath.empty()) {
        physics::PointTable table = loadDataFile(s.dataPath, s.image);
        checkSceneDim(s.dataPath, table.dim);
        if (imageShape) *imageShape = {table.imageWidth, table.imageHeight};
        return physics::chargesFromTable(table);
    }
    physics::ChargeSet charges = physics::makeDataset(s.dataset, s.datasetParams);
    checkSceneDim("data set '" + s.dataset + "'", charges.dim());
    return charges;
}

void checkSceneDataFile(const std::string& path, const ImageChargeSettings& image) {
    checkSceneDim(path, loadDataFile(path, image).dim);
}

namespace {

// What every traced curve of a scene shares: its σ range, a tolerance and all cores. rtol 1e-3
// looked right but sent 21% of the default scene's particles to a neighbouring charge (against
// a 1e-7 trace); 1e-5 sends none astray for 1.9x the tracing time.
physics::FieldLineSettings lineSettings(const SceneSettings& s) {
    physics::FieldLineSettings lines;
    lines.sigmaMax = s.sigmaMax;
    lines.sigmaMin = s.sigmaMin;
    lines.rtol = 1e-5;
    lines.atol = 1e-6;
    lines.threads = 0;
    return lines;
}

// The hemisphere particles are the lines seeded on the hemisphere.
physics::FieldLineSettings hemisphereParticleLines(const SceneSettings& s) {
    physics::FieldLineSettings lines = lineSettings(s);
    lines.seeding = physics::FieldLineSeeding::Hemisphere;
    lines.count = static_cast<std::size_t>(s.particles);
    lines.seed = s.seed;
    lines.recordDensity = false; // paths are coloured by σ, never by density
    return lines;
}

// The helpers below move the particles of settings s in the field of charges (in the data's
// own coordinates).

// The hemisphere particles' starting points: the seeds the field-line tracer would use.
ParticleStart hemisphereStart(const physics::ChargeSet& charges, const SceneSettings& s) {
    ParticleStart start;
    for (auto& seed : physics::fieldLineSeeds(charges, s.d, hemisphereParticleLines(s))) {
        start.x.insert(start.x.end(), seed.x.begin(), seed.x.end());
        start.sigma.push_back(seed.sigma);
    }
    return start;
}

ParticleStart gpuParticleStart(const physics::ChargeSet& charges, const SceneSettings& s) {
    ParticleStart start;
    if (s.particleSource == ParticleSource::Hemisphere) {
        start = hemisphereStart(charges, s);
    } else {
        start.x = physics::samplePriorMixture(charges, s.sigmaMax, s.d,
                                              static_cast<std::size_t>(s.particles), s.seed);
        start.sigma.assign(static_cast<std::size_t>(s.particles), s.sigmaMax);
    }
    return start;
}

std::vector<ParticlePath> hemispherePaths(const physics::ChargeSet& charges,
                                          const SceneSettings& s,
                                          const physics::Denoiser& denoiser,
                                          const physics::CancelFlag* cancel) {
    const physics::FieldLineSettings lines = hemisphereParticleLines(s);
    std::vector<ParticlePath> paths;
    for (auto& line : physics::traceFieldLines(charges, s.d, denoiser, lines, {}, cancel))
        paths.push_back({std::move(line.x), std::move(line.sigma)});
    return paths;
}

// A learned field is evaluated per call, not per point: its hemisphere particles advance
// together, each with fixed RK4 steps in log σ from its own height (as on the GPU).
std::vector<ParticlePath> learnedHemispherePaths(const physics::ChargeSet& charges,
                                                 const SceneSettings& s,
                                                 const physics::Denoiser& denoiser,
                                                 const physics::CancelFlag* cancel) {
    const ParticleStart start = hemisphereStart(charges, s);
    std::vector<ParticlePath> paths;
    for (auto& curve : physics::integrateLogSigmaRk4(denoiser, start.x, start.sigma, s.sigmaMin,
                                                     kGpuFieldLineSteps, cancel))
        paths.push_back({std::move(curve.x), std::move(curve.sigma)});
    return paths;
}

std::vector<ParticlePath> priorPaths(const physics::ChargeSet& charges, const SceneSettings& s,
                                     const physics::Denoiser& denoiser,
                                     const physics::CancelFlag* cancel) {
    const int n = charges.dim();
    const auto start =
        physics::samplePriorMixture(charges, s.sigmaMax, s.d, static_cast<std::size_t>(s.particles),
                                    s.seed, denoiser.noiseCap());
    physics::FlowSettings flow = sceneFlowSettings(s);
    flow.recordEvery = 1;
    const auto result = physics::integrateFlow(denoiser, start, flow, {}, cancel);
    std::vector<ParticlePath> paths(static_cast<std::size_t>(s.particles));
    for (const auto& frame : result.frames)
        for (std::size_t p = 0; p < paths.size(); ++p) {
            paths[p].x.insert(paths[p].x.end(), frame.points.begin() + p * n,
                              frame.points.begin() + (p + 1) * n);
            paths[p].sigma.push_back(frame.sigma);
        }
    return paths;
}

std::vector<ParticlePath> exactOrLearnedPaths(const physics::ChargeSet& charges,
                                              const SceneSettings& s,
                                              const physics::Denoiser& denoiser, bool learned,
                                              const physics::CancelFlag* cancel) {
    if (s.particleSource == ParticleSource::Prior) return priorPaths(charges, s, denoiser, cancel);
    return learned ? learnedHemispherePaths(charges, s, denoiser, cancel)
                   : hemispherePaths(charges, s, denoiser, cancel);
}

ParticlePath projectPath(const ViewProjection& projection, const ParticlePath& path) {
    return {projection.projectAll(path.x), path.sigma};
}

// The image shape of data with n coordinates: a built-in set's own (an embedded toy of 16 is no
// 4×4 image), the file's declared one, or, for a file without one, a square of at least 8×8.
void findImageShape(ProjectedScene& p, const SceneSettings& s, bool builtin,
                    std::pair<int, int> declared) {
    const int n = p.charges.dim();
    const physics::DatasetInfo* info = builtin ? physics::findDataset(s.dataset) : nullptr;
    if (declared.first * declared.second == n && n > 0) {
        p.imageWidth = declared.first;
        p.imageHeight = declared.second;
    } else if (info) {
        if (info->imageWidth * info->imageHeight != n) return;
        p.imageWidth = info->imageWidth;
        p.imageHeight = info->imageHeight;
    } else if (const int side = static_cast<int>(std::lround(std::sqrt(n)));
               !builtin && side >= 8 && side * side == n) {
        p.imageWidth = p.imageHeight = side;
    } else {
        return;
    }
    const auto values = p.charges.positions();
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    p.pixelLo = *lo;
    p.pixelHi = *hi > *lo ? *hi : *lo + 1;
}

// Particles of a scene in N > 3 coordinates move in chunks, each chunk projected as it lands, so
// memory holds a chunk's paths in N coordinates, not every particle's (1,500 paths of 100
// points at N = 784 would be 0.9 GB). Each chunk draws its own starting points (its own seed).
constexpr int kProjectedChunk = 128;

std::shared_ptr<SceneData> computeProjectedScene(const SceneSettings& s, physics::ChargeSet charges,
                                                 std::pair<int, int> imageShape,
                                                 const physics::FieldLineSettings& lines,
                                                 const physics::CancelFlag* cancel) {
    const bool builtin = s.dataPath.empty() && s.editedPositions.empty();
    auto projected = std::make_shared<ProjectedScene>(ProjectedScene{
        .projection = makeViewProjection(s.projection, charges, s.dataset, s.datasetParams,
                                         builtin, s.axisX, s.axisY),
        .charges = std::move(charges)});
    const ViewProjection& projection = projected->projection;
    const physics::ChargeSet& data = projected->charges;
    auto scene = std::make_shared<SceneData>(SceneData{
        .settings = s,
        .charges = physics::ChargeSet(
            projection.viewDim,
            projection.projectAll({data.positions().begin(), data.positions().end()}),
            {data.weights().begin(), data.weights().end()}),
        .projected = projected});
    const auto exact = sceneExactField(data, s.d, s.fieldMethod, s.fieldTolerance);
    const physics::Denoiser& denoiser = *exact;
    for (auto& line : physics::traceFieldLines(data, s.d, denoiser, lines, {}, cancel)) {
        line.x = projection.projectAll(line.x);
        scene->fieldLines.push_back(std::move(line));
    }
    if (cancel && cancel->load()) return nullptr;
    scene->flowModel = pickLearnedModel(s.learned, s.d, data);
    std::optional<LockedLearnedDenoiser> learned;
    if (scene->flowModel) learned.emplace(*scene->flowModel);
    const physics::Denoiser& field =
        learned ? static_cast<const physics::Denoiser&>(*learned) : denoiser;
    SceneSettings chunk = s;
    for (int first = 0; first < s.particles; first += kProjectedChunk) {
        chunk.particles = std::min(kProjectedChunk, s.particles - first);
        chunk.seed = s.seed + static_cast<std::uint64_t>(first) * 0x9e3779b97f4a7c15ull;
        for (auto& path : exactOrLearnedPaths(data, chunk, field, learned.has_value(), cancel)) {
            scene->paths.push_back(projectPath(projection, path));
            if (projected->paths.size() < kKeptPaths) projected->paths.push_back(std::move(path));
        }
        if (cancel && cancel->load()) return nullptr;
    }
    findImageShape(*projected, s, builtin, imageShape);
    const auto n = static_cast<std::size_t>(data.dim());
    for (std::size_t p = 0; p < std::min(kImageTiles, projected->paths.size()); ++p) {
        const auto& x = projected->paths[p].x;
        projected->landedNearest.push_back(
            physics::nearestCharge(data, std::span<const double>(x).subspan(x.size() - n, n)));
    }
    return scene;
}

// A scene of 2 or 3 coordinates, drawn as it is; its particles may be left to the GPU.
std::shared_ptr<SceneData> computeOwnScene(const SceneSettings& s, physics::ChargeSet charges,
                                           const physics::FieldLineSettings& lines,
                                           const physics::CancelFlag* cancel,
                                           bool particlesOnGpu) {
    auto scene =
        std::make_shared<SceneData>(SceneData{.settings = s, .charges = std::move(charges)});
    const auto exact = sceneExactField(scene->charges, s.d, s.fieldMethod, s.fieldTolerance);
    const physics::Denoiser& denoiser = *exact;
    scene->fieldLines = physics::traceFieldLines(scene->charges, s.d, denoiser, lines, {}, cancel);
    if (cancel && cancel->load()) return nullptr;
    scene->flowModel = pickLearnedModel(s.learned, s.d, scene->charges);
    if (scene->flowModel) {
        const LockedLearnedDenoiser learned(*scene->flowModel);
        scene->paths = exactOrLearnedPaths(scene->charges, s, learned, true, cancel);
    } else if (particlesOnGpu && gpuCanMoveParticles(s)) {
        scene->particlesOnGpu = true;
        scene->gpuStart = gpuParticleStart(scene->charges, s);
    } else {
        scene->paths = exactOrLearnedPaths(scene->charges, s, denoiser, false, cancel);
    }
    return scene;
}

} // namespace

physics::FlowSettings sceneFlowSettings(const SceneSettings& s) {
    physics::FlowSettings flow;
    flow.sigmaMax = s.sigmaMax;
    flow.sigmaMin = s.sigmaMin;
    flow.steps = s.steps;
    flow.solver = s.solver;
    return flow;
}

bool gpuCanMoveParticles(const SceneSettings& s) {
    return s.particleSource == ParticleSource::Hemisphere || s.solver != physics::SolverKind::Rk45;
}

std::shared_ptr<const SceneData>
computeScene(const SceneSettings& s, const physics::CancelFlag* cancel, bool particlesOnGpu) {
    const auto start = std::chrono::steady_clock::now();
    // The physics core asserts valid settings; settings from files, panels and options are
    // checked here, against the key table, whose ranges lie within the core's.
    if (auto err = validateSceneSettings(s)) throw std::invalid_argument(*err);
    physics::FieldLineSettings lines = lineSettings(s);
    lines.seeding = s.seeding;
    lines.count = static_cast<std::size_t>(s.fieldLines);
    lines.seed = s.seed + 1;
    // The picture of PFGM: every line runs from a charge to the hemisphere.
    lines.stopAtHemisphere = true;
    std::pair<int, int> imageShape;
    physics::ChargeSet charges = loadSceneCharges(s, &imageShape);
    auto scene = charges.dim() > kMaxDrawnDim
                     ? computeProjectedScene(s, std::move(charges), imageShape, lines, cancel)
                     : computeOwnScene(s, std::move(charges), lines, cancel, particlesOnGpu);
    if (!scene || (cancel && cancel->load())) return nullptr;
    scene->computeSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return scene;
}

} // namespace psc::app
