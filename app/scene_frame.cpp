// The per-frame part of drawing a scene: what moves with the clock.
#include "app/scene_frame.h"

#include "app/scene_geometry_builder.h"

namespace psc::app {

void drawSceneFrame(render::SceneRenderer& renderer, const SceneData& scene, const ViewSettings& view,
                    const render::AxisWarp& warp, double clockLogSigma, render::FrameParams frame) {
    renderer.setParticles(particleHeads(scene, view, warp, clockLogSigma));
    const auto ranges = trailRanges(scene, clockLogSigma, view.trailLength, view.forward);
    renderer.setTrailRanges(ranges.firsts, ranges.counts);
    frame.nowLogSigma = static_cast<float>(clockLogSigma);
    frame.trailLength = view.trailLength;
    frame.trailDirection = view.forward ? -1.0f : 1.0f;
    frame.layers = view.layers;
    renderer.render(frame);
}

} // namespace psc::app
