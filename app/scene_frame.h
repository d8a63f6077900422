// One frame of a computed scene, drawn the same way by the window, its 2×2 comparison and
// offscreen renders.
#pragma once

#include "app/scene/scene_data.h"
#include "app/scene/scene_settings.h"

#include "render/axis_warp.h"
#include "render/scene_renderer.h"

#include <memory>

namespace psc::compute {
class GpuParticleFlow;
}

namespace psc::app {

// Uploads the particle heads and the trail window for the clock value (or, for particles moved on
// the GPU, points the renderer at their track), completes frame with the clock, trail and layer
// settings of view, and draws. frame carries the camera and the target area. The renderer must
// hold scene's geometry; needs its GL context current.
void drawSceneFrame(render::SceneRenderer& renderer, const SceneData& scene,
                    const ViewSettings& view, const render::AxisWarp& warp, double clockLogSigma,
                    render::FrameParams frame,
                    const compute::GpuParticleFlow* gpuParticles = nullptr);

// The GPU flow of a scene whose particles were left to the GPU (SceneData::particlesOnGpu), not
// yet advanced: hemisphere particles along their field lines, prior particles on the scene's
// schedule. Needs a current GL 4.3 context; throws as GlField does.
std::unique_ptr<compute::GpuParticleFlow> makeGpuParticleFlow(const SceneData& scene);

// What the renderer needs to draw a GPU particle track in this scene's view.
render::GpuTrack gpuTrack(const compute::GpuParticleFlow& flow, const SceneData& scene,
                          const ViewSettings& view, const render::AxisWarp& warp);

} // namespace psc::app
