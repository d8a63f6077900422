// Offscreen rendering of a scene through the same geometry builder and renderer as the viewport.
#include "app/offscreen_scene.h"

#include "app/scene/scene_geometry_builder.h"
#include "app/scene_frame.h"

#include "render/offscreen_target.h"
#include "render/scene_renderer.h"

namespace psc::app {

render::OrbitCamera fittedCamera(const SceneData& scene, render::CameraPreset preset) {
    const SceneBounds bounds = sceneBounds(scene, sceneWarp(scene));
    render::OrbitCamera camera;
    camera.setPreset(preset);
    camera.fitBounds(bounds.min, bounds.max);
    return camera;
}

QImage renderSceneOffscreen(const SceneData& scene, const ViewSettings& view,
                            const OffscreenView& options, QString* error) {
    render::OffscreenTarget target(options.size);
    if (!target.valid()) {
        if (error) *error = target.error();
        return {};
    }
    target.bind();
    try {
        render::SceneRenderer renderer;
        const auto warp = sceneWarp(scene);
        renderer.setGeometry(buildSceneGeometry(scene, view, warp));
        render::OrbitCamera camera = options.camera ? *options.camera : fittedCamera(scene, options.preset);
        if (!options.camera)
            frameClock(camera, scene, warp, options.clockLogSigma, scene.settings.d, 1.0f,
                       static_cast<float>(options.size.width()) /
                           std::max(1, options.size.height()));
        render::FrameParams frame;
        const float aspect = static_cast<float>(options.size.width()) / options.size.height();
        frame.viewProjection = camera.projection(aspect) * camera.view();
        frame.framebufferSize = {options.size.width(), options.size.height()};
        // Transparent black: the blending then leaves premultiplied colour, which the read-back
        // un-premultiplies.
        if (options.transparent) frame.background = glm::vec4(0.0f);
        drawSceneFrame(renderer, scene, view, warp, options.clockLogSigma, frame);
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        return {};
    }
    return target.image();
}

} // namespace psc::app
