// `poissonscope --screenshot out.png ...`: renders a scene offscreen and saves a PNG, no window.
#pragma once

#include "app/cli/option_parser.h"
#include "app/scene/scene_file.h"

#include "render/camera.h"

#include <QImage>
#include <QSize>

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace psc::app {

struct ScreenshotJob {
    std::string path; // .png; empty when the image is not saved
    SceneSettings scene;
    ViewSettings view;
    std::optional<CameraState> camera; // a scene file's pose; else the preset, fitted
    render::CameraPreset preset = render::CameraPreset::Iso;
    QSize size{1280, 800};
    double sigma = 0.5; // where the particles are on the flow (0: landed)
    bool transparent = false;
};

// Its options: its own, then every scene key with an option (app/cli/scene_options.h).
std::vector<OptionSpec> screenshotOptionSpecs();
// Fills job from parsed options (a scene file first, the options given over it); a one-line
// refusal otherwise. Reads the scene file, writes nothing.
std::optional<std::string> resolveScreenshot(const OptionParser& parser, ScreenshotJob& job);

// The job's scene computed and drawn offscreen (the command and the Python module share it). Needs
// a QGuiApplication. A null image on failure, with *error one line and *badInput telling whether
// the scene (data, settings) or the rendering failed.
QImage renderScreenshot(const ScreenshotJob& job, std::string* error, bool* badInput);

// args: everything after the program name. Needs a QGuiApplication. Exit codes as commands.h.
int runScreenshotCommand(const std::vector<std::string>& args, std::ostream& out,
                         std::ostream& err);

} // namespace psc::app
