// What an exported video shows and how it looks: filled by `poissonscope render` and the export
// dialog.
#pragma once

#include "app/scene/scene_file.h"
#include "app/scene/scene_settings.h"
#include "render/camera.h"

#include <QSize>

#include <optional>
#include <string>
#include <string_view>

namespace psc::exporter {

// flow: σ from σ_max down to 0 (or up, with the view's forward direction); d-sweep: the particles
// held at one σ while D runs from 1 to 10⁶ and then ∞ (PFGM morphing into diffusion); orbit: the
// flow while the camera circles the scene once; grid: the flow at D = 1, 8, 128 and ∞ side by side.
enum class VideoContent { Flow, DSweep, Orbit, Grid };
std::optional<VideoContent>
parseVideoContent(std::string_view name); // "flow", "d-sweep", "orbit", "grid"
const char* videoContentName(VideoContent content);

struct VideoJob {
    app::SceneSettings scene;
    app::ViewSettings view;
    std::optional<app::CameraState> camera; // else preset, fitted to the scene
    render::CameraPreset preset = render::CameraPreset::Iso;
    QSize size{1280, 720};
    int fps = 30;
    double seconds = 8.0;
    VideoContent content = VideoContent::Flow;
    bool labels = true; // D and σ burned in, typeset (and the title when set)
    std::string title;
    // TeX (app/formula/formula.h) typeset at the foot of every frame, as the lesson window
    // shows it; empty: none. The window offers the running lesson step's formula.
    std::string formula;
    double sweepSigma = 0.5;  // d-sweep: where the particles are held (0: landed)
    bool transparent = false; // PNG frames only: no background
};

// Empty when the job can be rendered, else a one-line reason (size, fps, duration, σ, a formula
// that does not parse: "formula: unknown command \fracc at 12").
std::optional<std::string> validateVideoJob(const VideoJob& job);

// Frames a job has: round(seconds · fps), at least 1.
int videoFrameCount(const VideoJob& job);

} // namespace psc::exporter
