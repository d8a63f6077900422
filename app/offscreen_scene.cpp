// Offscreen rendering of a scene through the same geometry builder and renderer as the viewport.
#include "app/offscreen_scene.h"

#include "app/scene_geometry_builder.h"

#include "render/offscreen_target.h"
#include "render/scene_renderer.h"

namespace psc::app {

render::OrbitCamera fittedCamera(const SceneData& scene, const ViewSettings& view, render::CameraPreset preset) {
    const auto geometry = buildSceneGeometry(scene, view, sceneWarp(scene));
    render::OrbitCamera camera;
    camera.setPreset(preset);
    camera.fitBounds(geometry.boundsMin, geometry.boundsMax);
    return camera;
}

QImage renderSceneOffscreen(const SceneData& scene, const ViewSettings& view, const OffscreenView& options,
                            QString* error) {
    render::OffscreenTarget target(options.size);
    if (!target.valid()) {
        if (error) *error = target.error();
        return {};
    }
    target.bind();
    try {
        render::SceneRenderer renderer;
        const auto warp = sceneWarp(scene);
        const auto geometry = buildSceneGeometry(scene, view, warp);
        renderer.setGeometry(geometry);
        renderer.setParticles(particleHeads(scene, view, warp, options.clockLogSigma));
        const auto ranges = trailRanges(scene, options.clockLogSigma, view.trailLength, view.forward);
        renderer.setTrailRanges(ranges.firsts, ranges.counts);
        render::OrbitCamera camera = options.camera ? *options.camera : fittedCamera(scene, view, options.preset);
        render::FrameParams frame;
        const float aspect = static_cast<float>(options.size.width()) / options.size.height();
        frame.viewProjection = camera.projection(aspect) * camera.view();
        frame.framebufferSize = {options.size.width(), options.size.height()};
        frame.nowLogSigma = static_cast<float>(options.clockLogSigma);
        frame.trailLength = view.trailLength;
        frame.trailDirection = view.forward ? -1.0f : 1.0f;
        frame.layers = view.layers;
        renderer.render(frame);
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        return {};
    }
    return target.image();
}

} // namespace psc::app
