// The per-frame part of drawing a scene: what moves with the clock.
#include "app/scene_frame.h"

#include "app/scene/scene_geometry_builder.h"

#include "render/color_map.h"
#include "render/compute/gpu_particle_flow.h"

namespace psc::app {

std::unique_ptr<compute::GpuParticleFlow> makeGpuParticleFlow(const SceneData& scene) {
    const auto& s = scene.settings;
    if (s.particleSource == ParticleSource::Hemisphere)
        return compute::GpuParticleFlow::alongFieldLines(scene.charges, s.d, scene.gpuStart.x,
                                                         scene.gpuStart.sigma, s.sigmaMin,
                                                         kGpuFieldLineSteps);
    return compute::GpuParticleFlow::onSchedule(scene.charges, s.d, scene.gpuStart.x,
                                                sceneFlowSettings(s));
}

render::GpuTrack gpuTrack(const compute::GpuParticleFlow& flow, const SceneData& scene,
                          const ViewSettings& view, const render::AxisWarp& warp) {
    render::GpuTrack track;
    track.buffer = flow.trackBuffer();
    track.count = flow.count();
    track.frames = flow.frames();
    track.framesDone = flow.framesDone();
    track.dim = flow.dim();
    for (int c = 0; c < flow.dim(); ++c) track.offset[c] = static_cast<float>(flow.center()[c]);
    track.warpCentre = glm::vec3(warp.centre());
    track.warpRho0 = static_cast<float>(warp.rho0());
    track.clockTop = static_cast<float>(clockTop(scene));
    track.clockBottom = static_cast<float>(clockBottom(scene));
    for (std::size_t i = 0; i < track.colors.size(); ++i) {
        const auto c =
            render::colorAt(view.colorMap, static_cast<float>(i) / (track.colors.size() - 1));
        track.colors[i] = glm::vec3(c.r, c.g, c.b);
    }
    return track;
}

void drawSceneFrame(render::SceneRenderer& renderer, const SceneData& scene,
                    const ViewSettings& view, const render::AxisWarp& warp, double clockLogSigma,
                    render::FrameParams frame, const compute::GpuParticleFlow* gpuParticles) {
    if (gpuParticles) {
        const render::GpuTrack track = gpuTrack(*gpuParticles, scene, view, warp);
        renderer.setGpuTrack(&track);
        const double lower = view.forward ? clockLogSigma - view.trailLength : clockLogSigma;
        std::vector<int> firsts, counts;
        gpuParticles->trailWindows(lower, lower + view.trailLength, clockBottom(scene), firsts,
                                   counts);
        renderer.setTrailRanges(firsts, counts);
    } else {
        renderer.setGpuTrack(nullptr);
        renderer.setParticles(particleHeads(scene, view, warp, clockLogSigma));
        const auto ranges = trailRanges(scene, clockLogSigma, view.trailLength, view.forward);
        renderer.setTrailRanges(ranges.firsts, ranges.counts);
    }
    const render::StagePalette& stage = render::stagePalette(view.stage);
    if (frame.background.a > 0) frame.background = stage.background; // transparent stays so
    frame.additiveGlow = stage.additiveGlow;
    frame.nowLogSigma = static_cast<float>(clockLogSigma);
    frame.trailLength = view.trailLength;
    frame.trailDirection = view.forward ? -1.0f : 1.0f;
    frame.layers = view.layers;
    renderer.render(frame);
}

} // namespace psc::app
