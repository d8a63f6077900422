// Scene computation: exact field lines on the fast CPU path, and the particles' flows there or,
// left to the GPU, only their starting points.
#include "app/scene/scene_data.h"

#include "app/scene/learned_model.h"
#include "app/scene/scene_keys.h"

#include "physics/extra_dims.h"
#include "physics/fast_denoiser.h"
#include "physics/log_sigma_flow.h"
#include "physics/point_io.h"
#include "physics/samplers.h"

#include <chrono>
#include <filesystem>
#include <stdexcept>

namespace psc::app {

std::string dataSourceName(const SceneSettings& s) {
    if (!s.editedPositions.empty()) return "edited charges";
    if (!s.dataPath.empty()) return std::filesystem::path(s.dataPath).filename().string();
    return s.dataset;
}

namespace {

void checkSceneDim(const std::string& path, int dim) {
    if (dim >= kMinSceneDim && dim <= kMaxSceneDim) return;
    throw physics::PointIoError(
        path + ": " + std::to_string(dim) + (dim == 1 ? " coordinate" : " coordinates") +
        ": scenes (the window, render, --screenshot) show data of 2 or 3; `poissonscope sample`, "
        "`train`, `eval` and `experiment` take any number up to " +
        std::to_string(physics::kMaxDataDim));
}

} // namespace

physics::ChargeSet loadSceneCharges(const SceneSettings& s) {
    if (!s.editedPositions.empty())
        return physics::ChargeSet(2, s.editedPositions, s.editedWeights);
    if (!s.dataPath.empty()) {
        physics::PointTable table = physics::loadPoints(s.dataPath);
        checkSceneDim(s.dataPath, table.dim);
        return physics::chargesFromTable(table);
    }
    physics::ChargeSet charges = physics::makeDataset(s.dataset, s.datasetParams);
    checkSceneDim("data set '" + s.dataset + "'", charges.dim());
    return charges;
}

void checkSceneDataFile(const std::string& path) {
    checkSceneDim(path, physics::loadPoints(path).dim);
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

// The hemisphere particles' starting points: the seeds the field-line tracer would use.
ParticleStart hemisphereStart(const SceneData& scene) {
    ParticleStart start;
    for (auto& seed : physics::fieldLineSeeds(scene.charges, scene.settings.d,
                                              hemisphereParticleLines(scene.settings))) {
        start.x.insert(start.x.end(), seed.x.begin(), seed.x.end());
        start.sigma.push_back(seed.sigma);
    }
    return start;
}

ParticleStart gpuParticleStart(const SceneData& scene) {
    const auto& s = scene.settings;
    ParticleStart start;
    if (s.particleSource == ParticleSource::Hemisphere) {
        start = hemisphereStart(scene);
    } else {
        start.x = physics::samplePriorMixture(scene.charges, s.sigmaMax, s.d,
                                              static_cast<std::size_t>(s.particles), s.seed);
        start.sigma.assign(static_cast<std::size_t>(s.particles), s.sigmaMax);
    }
    return start;
}

std::vector<ParticlePath> hemispherePaths(const SceneData& scene, const physics::Denoiser& denoiser,
                                          const physics::CancelFlag* cancel) {
    const physics::FieldLineSettings lines = hemisphereParticleLines(scene.settings);
    std::vector<ParticlePath> paths;
    for (auto& line :
         physics::traceFieldLines(scene.charges, scene.settings.d, denoiser, lines, {}, cancel))
        paths.push_back({std::move(line.x), std::move(line.sigma)});
    return paths;
}

// A learned field is evaluated per call, not per point: its hemisphere particles advance
// together, each with fixed RK4 steps in log σ from its own height (as on the GPU).
std::vector<ParticlePath> learnedHemispherePaths(const SceneData& scene,
                                                 const physics::Denoiser& denoiser,
                                                 const physics::CancelFlag* cancel) {
    const ParticleStart start = hemisphereStart(scene);
    std::vector<ParticlePath> paths;
    for (auto& curve : physics::integrateLogSigmaRk4(
             denoiser, start.x, start.sigma, scene.settings.sigmaMin, kGpuFieldLineSteps, cancel))
        paths.push_back({std::move(curve.x), std::move(curve.sigma)});
    return paths;
}

std::vector<ParticlePath> priorPaths(const SceneData& scene, const physics::Denoiser& denoiser,
                                     const physics::CancelFlag* cancel) {
    const auto& s = scene.settings;
    const int n = scene.charges.dim();
    const auto start = physics::samplePriorMixture(scene.charges, s.sigmaMax, s.d,
                                                   static_cast<std::size_t>(s.particles), s.seed);
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
    auto scene =
        std::make_shared<SceneData>(SceneData{s, loadSceneCharges(s), {}, {}, false, {}, {}, 0});
    const physics::FastDenoiser denoiser(scene->charges, s.d);
    scene->fieldLines = physics::traceFieldLines(scene->charges, s.d, denoiser, lines, {}, cancel);
    if (cancel && cancel->load()) return nullptr;
    scene->flowModel = pickLearnedModel(s.learned, s.d, scene->charges);
    if (scene->flowModel) {
        const LockedLearnedDenoiser learned(*scene->flowModel);
        scene->paths = s.particleSource == ParticleSource::Hemisphere
                           ? learnedHemispherePaths(*scene, learned, cancel)
                           : priorPaths(*scene, learned, cancel);
    } else if (particlesOnGpu && gpuCanMoveParticles(s)) {
        scene->particlesOnGpu = true;
        scene->gpuStart = gpuParticleStart(*scene);
    } else {
        scene->paths = s.particleSource == ParticleSource::Hemisphere
                           ? hemispherePaths(*scene, denoiser, cancel)
                           : priorPaths(*scene, denoiser, cancel);
    }
    if (cancel && cancel->load()) return nullptr;
    scene->computeSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return scene;
}

} // namespace psc::app
