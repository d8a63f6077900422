// Options → VideoJob → exportVideo. Every refusal is one line, exit 2, and nothing is written.
#include "app/export/render_command.h"

#include "app/cli/commands.h"
#include "app/cli/option_parser.h"
#include "app/cli/progress_printer.h"
#include "app/cli/scene_options.h"
#include "app/export/export_video.h"
#include "app/export/video_encoder.h"
#include "app/export/video_frames.h"
#include "app/scene/count_text.h"
#include "app/scene/scene_data.h"

#include "physics/extra_dims.h"

#include <csignal>
#include <cstdio>
#include <ostream>

namespace psc::exporter {
namespace {

// Ctrl-C or a kill during an export cancels it, so the encoder removes its temporary output. A
// signal handler can only reach static storage.
physics::CancelFlag g_interrupted{false};

void onInterrupt(int) {
    g_interrupted.store(true);
}

} // namespace

std::vector<app::OptionSpec> renderOptionSpecs() {
    std::vector<app::OptionSpec> specs{
        {"out", "FILE", "output: .mp4 (H.264), .webm (VP9), .gif, or DIR/ for PNG frames", ""},
        {"what", "flow|d-sweep|orbit|grid",
         "flow: sigma-max to 0; d-sweep: D from 1 to 1e6, then inf, at --sigma; orbit: the flow "
         "while the camera circles; grid: D = 1, 8, 128, inf side by side",
         "flow"},
        {"size", "WxH", "frame size in pixels (even for mp4/webm)", "1280x720"},
        {"fps", "N", "frames per second", "30"},
        {"duration", "SECONDS", "length of the video", "8"},
        {"quality", "1..100", "encoder quality (higher: larger, sharper)", "70"},
        {"title", "TEXT", "a title burned into every frame", ""},
        {"formula", "TEX",
         "a formula typeset at the foot of every frame (TeX subset of lessons, e.g. "
         "'x = y + \\sigma\\sqrt{D}\\,u')",
         ""},
        {"no-labels", "", "do not burn D and sigma into the frames", ""},
        {"transparent", "", "transparent background (PNG frames only)", ""},
        {"view", "iso|top|side", "camera preset (overrides a scene file's camera)", "iso"},
        {"scene", "FILE.json",
         "scene file (data, D, flow, view, camera); the scene options below override it", ""},
        {"sigma", "S", "d-sweep: sigma at which the particles are held (0: landed)", "0.5"},
    };
    const auto scene = app::sceneOptionSpecs();
    specs.insert(specs.end(), scene.begin(), scene.end());
    specs.push_back({"quiet", "", "no progress or summary on stderr", ""});
    specs.push_back({"help", "", "show this help", ""});
    return specs;
}

std::optional<std::string> resolveRenderJob(const app::OptionParser& p, VideoJob& job) {
    if (p.has("scene")) {
        try {
            const app::SceneFile file =
                app::loadSceneFile(QString::fromStdString(p.value("scene")));
            job.scene = file.scene;
            job.view = file.view;
            job.camera = file.camera;
        } catch (const std::exception& e) {
            return std::string(e.what());
        }
    }
    if (auto e = app::applySceneOptions(p, {}, job.scene, job.view)) return e;
    const auto fps = app::parseInteger(p.value("fps"));
    if (!fps || *fps < 1 || *fps > 120)
        return std::string("--fps must be an integer from 1 to 120");
    job.fps = static_cast<int>(*fps);
    const auto size = app::parseSize(p.value("size"), 16, 7680, 4320);
    if (!size) return std::string("--size must be WxH between 16x16 and 7680x4320, e.g. 1280x720");
    job.size = QSize(size->width, size->height);
    const auto seconds = app::parseDouble(p.value("duration"));
    const auto sigma = app::parseDouble(p.value("sigma"));
    if (!seconds) return std::string("--duration must be a number of seconds");
    if (!sigma) return std::string("--sigma must be a number >= 0");
    job.seconds = *seconds;
    job.sweepSigma = *sigma;
    const auto what = parseVideoContent(p.value("what"));
    if (!what) return std::string("--what must be flow, d-sweep, orbit or grid");
    job.content = *what;
    job.title = p.value("title");
    job.formula = p.value("formula");
    job.labels = !p.has("no-labels");
    job.transparent = p.has("transparent");
    const std::string preset = p.value("view");
    if (preset != "iso" && preset != "top" && preset != "side")
        return std::string("--view must be iso, top or side");
    if (p.has("view")) {
        job.preset = preset == "top"    ? render::CameraPreset::Top
                     : preset == "side" ? render::CameraPreset::Side
                                        : render::CameraPreset::Iso;
        job.camera.reset(); // an explicit preset wins over the file's camera
    }
    if (!p.has("out"))
        return std::string("--out is required (FILE.mp4, FILE.webm, FILE.gif or DIR/)");
    return validateExportTarget(job, p.value("out"));
}

int runRenderCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    app::OptionParser parser(renderOptionSpecs());
    if (auto e = parser.parse(args)) {
        err << "poissonscope render: " << *e << "\n";
        return app::kExitBadInput;
    }
    if (parser.has("help")) {
        out << "Usage: poissonscope render --out FILE [options]\n\n"
               "Renders a PFGM++ flow offscreen (no window) into a video: H.264 MP4, VP9 WebM, "
               "animated GIF,\n"
               "or a directory of PNG frames. It needs OpenGL 3.3 through a display; without one, "
               "run it\n"
               "under xvfb-run. The output is written under a temporary name and renamed when "
               "complete.\n\n"
               "Options:\n"
            << parser.helpText()
            << "\nExit codes: 0 success, 1 rendering or encoding failed, 2 input refused (nothing "
               "written).\n"
               "Example: poissonscope render --dataset 8-gaussians --D 128 --what grid --out "
               "grid.mp4\n";
        return app::kExitOk;
    }
    VideoJob job;
    if (auto e = resolveRenderJob(parser, job)) {
        err << "poissonscope render: " << *e << "\n";
        return app::kExitBadInput;
    }
    const std::string path = parser.value("out");
    const bool quiet = parser.has("quiet");
    const auto quality = app::parseInteger(parser.value("quality"));
    if (!quality || *quality < 1 || *quality > 100) {
        err << "poissonscope render: --quality must be an integer from 1 to 100\n";
        return app::kExitBadInput;
    }
    struct sigaction action {};
    action.sa_handler = onInterrupt;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    try {
        app::ProgressPrinter progress(err, "render", quiet);
        const auto result = exportVideo(
            job, path, static_cast<int>(*quality),
            [&](const ExportProgress& p) {
                progress.update(static_cast<double>(p.frame) / p.frames);
            },
            &g_interrupted);
        progress.finish();
        if (result.cancelled) {
            err << "poissonscope render: interrupted; nothing written\n";
            return app::kExitFailure;
        }
        if (!quiet) {
            char line[200];
            std::snprintf(line, sizeof line, " (%s, %dx%d, %d fps) in %.1f s: %.1f frames/s\n",
                          videoContentName(job.content), job.size.width(), job.size.height(),
                          job.fps, result.seconds, result.frames / std::max(result.seconds, 1e-9));
            err << "poissonscope render: " << app::countText(result.frames, "frame") << line;
        }
    } catch (const ExportSetupError& e) { // the input: data, settings, the output path
        err << "poissonscope render: " << e.what() << "; nothing written\n";
        return app::kExitBadInput;
    } catch (const std::exception& e) {
        err << "poissonscope render: " << e.what() << "; nothing written\n";
        return app::kExitFailure;
    }
    return app::kExitOk;
}

} // namespace psc::exporter
