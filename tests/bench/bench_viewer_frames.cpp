// Frame time of the viewer's drawing path, offscreen at 1280x800, for the default scene with
// P particles. CPU path: each frame moves the clock, rebuilds the particle heads, uploads them and
// draws every layer (trails only near the clock, as the viewport does), then waits for the GPU
// (glFinish), as a visible frame would. GPU path (when the context has compute shaders): the flow
// is computed by compute shaders (timed), then each frame draws trails and heads straight from
// the GPU track. Run under a display or `xvfb-run -a` (there: Mesa's llvmpipe, software GL).
//
//   bench_viewer_frames [particle counts, default 1500,20000] [cpu|gpu|both, default both]
#include "app/offscreen_scene.h"
#include "app/scene/scene_data.h"
#include "app/scene/scene_geometry_builder.h"
#include "app/scene_frame.h"

#include "render/compute/gl_field.h"
#include "render/compute/gpu_particle_flow.h"

#include "render/offscreen_target.h"
#include "render/scene_renderer.h"

#include <QGuiApplication>
#include <QOpenGLContext>
#include <QOpenGLFunctions>

#include <chrono>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

using namespace psc;

namespace {

struct FrameStats {
    double cpuMs;   // particle heads
    double frameMs; // heads + upload + draw + finish
};

// What both paths share: the scene's geometry uploaded, the fitted camera at 1280x800.
struct Stage {
    explicit Stage(const app::SceneData& scene)
        : warp(app::sceneWarp(scene)), camera(app::fittedCamera(scene, render::CameraPreset::Iso)) {
        renderer.setGeometry(app::buildSceneGeometry(scene, view, warp));
        frame.viewProjection = camera.projection(1280.0f / 800.0f) * camera.view();
        frame.framebufferSize = {1280, 800};
    }
    render::SceneRenderer renderer;
    const app::ViewSettings view;
    const render::AxisWarp warp;
    const render::OrbitCamera camera;
    render::FrameParams frame;
};

double clockAt(const app::SceneData& scene, int i, int frames) {
    return app::clockTop(scene) + (app::clockBottom(scene) - app::clockTop(scene)) * i / frames;
}

double millisecondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
}

FrameStats measure(const app::SceneData& scene, render::OffscreenTarget& target, int frames,
                   bool windowedTrails) {
    target.bind();
    Stage stage(scene);
    auto* gl = QOpenGLContext::currentContext()->functions();
    double cpu = 0;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < frames; ++i) {
        const double clock = clockAt(scene, i, frames);
        const auto t0 = std::chrono::steady_clock::now();
        const auto heads = app::particleHeads(scene, stage.view, stage.warp, clock);
        cpu += millisecondsSince(t0);
        stage.renderer.setParticles(heads);
        if (windowedTrails) {
            const auto ranges = app::trailRanges(scene, clock, stage.view.trailLength);
            stage.renderer.setTrailRanges(ranges.firsts, ranges.counts);
        }
        stage.frame.nowLogSigma = static_cast<float>(clock);
        stage.renderer.render(stage.frame);
        gl->glFinish();
    }
    return {cpu / frames, millisecondsSince(start) / frames};
}

struct GpuStats {
    double flowSeconds; // the whole flow on the GPU, to completion
    double frameMs;
};

GpuStats measureGpu(const app::SceneData& scene, render::OffscreenTarget& target, int frames) {
    target.bind();
    auto* gl = QOpenGLContext::currentContext()->functions();
    auto flow = app::makeGpuParticleFlow(scene);
    const auto t0 = std::chrono::steady_clock::now();
    flow->advance(1e300);
    gl->glFinish();
    const double flowSeconds = millisecondsSince(t0) / 1000.0;
    Stage stage(scene);
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < frames; ++i) {
        app::drawSceneFrame(stage.renderer, scene, stage.view, stage.warp,
                            clockAt(scene, i, frames), stage.frame, flow.get());
        gl->glFinish();
    }
    return {flowSeconds, millisecondsSince(start) / frames};
}

std::vector<int> parseCounts(const char* text) {
    std::vector<int> counts;
    std::stringstream in(text);
    for (std::string part; std::getline(in, part, ',');) counts.push_back(std::stoi(part));
    return counts;
}

} // namespace

int main(int argc, char** argv) {
    QGuiApplication app(argc, argv);
    render::OffscreenTarget target(QSize(1280, 800));
    if (!target.valid()) {
        std::fprintf(stderr, "bench_viewer_frames: %s\n", qPrintable(target.error()));
        return 1;
    }
    std::printf("viewer frame time, 1280x800, 4x MSAA, %s\n", qPrintable(target.glDescription()));
    const std::string which = argc > 2 ? argv[2] : "both";
    target.bind();
    const auto gpuProblem = compute::computeSupportProblem(QOpenGLContext::currentContext());
    for (int particles : parseCounts(argc > 1 ? argv[1] : "1500,20000")) {
        app::SceneSettings settings; // the default scene: two moons, D = 1, 64 field lines
        settings.particles = particles;
        if (which != "cpu") {
            if (gpuProblem) {
                std::printf("%6d particles on the GPU: unavailable (%s)\n", particles,
                            gpuProblem->c_str());
            } else {
                const auto scene = app::computeScene(settings, nullptr, true);
                const auto gpu = measureGpu(*scene, target, 60);
                std::printf("%6d particles on the GPU: %7.2f ms/frame (%5.1f fps) drawn from the "
                            "GPU track; "
                            "flow (%d rk4 steps in log sigma) computed in %.2f s\n",
                            particles, gpu.frameMs, 1000.0 / gpu.frameMs, app::kGpuFieldLineSteps,
                            gpu.flowSeconds);
            }
        }
        if (which == "gpu") continue;
        const auto scene = app::computeScene(settings);
        const auto stats = measure(*scene, target, 60, true);
        const auto baseline = measure(*scene, target, 20, false);
        std::printf("%6d particles: %7.2f ms/frame (%5.1f fps), of which particle heads on the CPU "
                    "%.2f ms; "
                    "scene computed in %.2f s\n",
                    particles, stats.frameMs, 1000.0 / stats.frameMs, stats.cpuMs,
                    scene->computeSeconds);
        std::printf("        baseline drawing whole trail strips: %7.2f ms/frame; windowed trails "
                    "are %.1fx faster\n",
                    baseline.frameMs, baseline.frameMs / stats.frameMs);
    }
    return 0;
}
