// Renders a computed scene without a window: for screenshots from the command line and GL tests.
#pragma once

#include "app/scene/scene_data.h"
#include "app/scene/scene_settings.h"

#include "render/camera.h"

#include <QImage>
#include <QSize>
#include <QString>

#include <optional>

namespace psc::app {

struct OffscreenView {
    QSize size{960, 640};
    double clockLogSigma = 0;                                // where the particles are
    render::CameraPreset preset = render::CameraPreset::Iso; // camera fitted to the scene
    std::optional<render::OrbitCamera> camera;               // overrides preset when set
    bool transparent = false; // no background: straight alpha in the image
};

// The scene as the viewport draws it, without the ImGui panel and labels. Needs a
// QGuiApplication; returns a null image with *error set when no OpenGL 3.3 core context can be
// made or a shader fails.
QImage renderSceneOffscreen(const SceneData& scene, const ViewSettings& view,
                            const OffscreenView& options, QString* error);

// The camera renderSceneOffscreen uses for a preset: the preset's angles, fitted to the scene.
render::OrbitCamera fittedCamera(const SceneData& scene, render::CameraPreset preset);

} // namespace psc::app
