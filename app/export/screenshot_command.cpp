// Screenshot from the command line; the PNG goes to a temporary name and is renamed on success.
#include "app/export/screenshot_command.h"

#include "app/cli/commands.h"
#include "app/cli/scene_options.h"
#include "app/offscreen_scene.h"
#include "app/scene/scene_geometry_builder.h"

#include <QFileInfo>
#include <QSaveFile>

#include <ostream>

namespace psc::app {

std::vector<OptionSpec> screenshotOptionSpecs() {
    std::vector<OptionSpec> specs{
        {"screenshot", "FILE.png", "render the scene offscreen into this PNG and exit", ""},
        {"scene", "FILE.json",
         "scene file (data, D, flow, view, camera); the scene options below override it", ""},
        {"size", "WxH", "image size in pixels", "1280x800"},
        {"sigma", "S|0", "where the particles are on the flow (sigma; 0 = landed)", "0.5"},
        {"view", "iso|top|side", "camera preset (overrides a scene file's camera)", "iso"},
        {"transparent", "", "transparent background (straight alpha)", ""},
    };
    const auto scene = sceneOptionSpecs();
    specs.insert(specs.end(), scene.begin(), scene.end());
    specs.push_back({"help", "", "show this help", ""});
    return specs;
}

std::optional<std::string> resolveScreenshot(const OptionParser& p, ScreenshotJob& job) {
    // The scene file first; options given on the command line then override it.
    if (p.has("scene")) {
        try {
            const SceneFile file = loadSceneFile(QString::fromStdString(p.value("scene")));
            job.scene = file.scene;
            job.view = file.view;
            job.camera = file.camera;
        } catch (const std::exception& e) {
            return std::string(e.what());
        }
    }
    job.path = p.value("screenshot");
    if (p.has("screenshot") &&
        QFileInfo(QString::fromStdString(job.path)).suffix().toLower() != "png")
        return std::string("--screenshot needs a .png file name");
    const auto size = parseSize(p.value("size"), 16, 8192, 8192);
    if (!size) return std::string("--size must be WxH with 16 <= W, H <= 8192");
    job.size = QSize(size->width, size->height);
    if (auto e = applySceneOptions(p, {}, job.scene, job.view)) return e;
    const auto sigma = parseDouble(p.value("sigma"));
    if (!sigma || *sigma < 0) return std::string("--sigma must be a number >= 0");
    job.sigma = *sigma;
    job.transparent = p.has("transparent");
    const std::string preset = p.value("view");
    if (preset == "top")
        job.preset = render::CameraPreset::Top;
    else if (preset == "side")
        job.preset = render::CameraPreset::Side;
    else if (preset != "iso")
        return std::string("--view must be iso, top or side");
    if (p.has("view")) job.camera.reset(); // an explicit preset wins over the file's camera
    return std::nullopt;
}

QImage renderScreenshot(const ScreenshotJob& job, std::string* error, bool* badInput) {
    std::shared_ptr<const SceneData> data;
    try {
        data = computeScene(job.scene);
    } catch (const std::exception& e) {
        *error = e.what();
        *badInput = true;
        return {};
    }
    OffscreenView view;
    view.size = job.size;
    view.transparent = job.transparent;
    view.preset = job.preset;
    view.clockLogSigma = clockLogSigma(*data, job.sigma);
    if (job.camera) {
        render::OrbitCamera camera = fittedCamera(*data, job.preset);
        applyCameraState(camera, *job.camera);
        view.camera = camera;
    }
    QString why;
    QImage image = renderSceneOffscreen(*data, job.view, view, &why);
    if (image.isNull()) {
        *error = "cannot render: " + why.toStdString();
        *badInput = false;
    }
    return image;
}

int runScreenshotCommand(const std::vector<std::string>& args, std::ostream& out,
                         std::ostream& err) {
    OptionParser parser(screenshotOptionSpecs());
    if (auto e = parser.parse(args)) {
        err << "poissonscope: " << *e << "\n";
        return kExitBadInput;
    }
    if (parser.has("help")) {
        out << "Usage: poissonscope --screenshot FILE.png [options]\n\nOptions:\n"
            << parser.helpText();
        return kExitOk;
    }
    ScreenshotJob job;
    if (auto e = resolveScreenshot(parser, job)) {
        err << "poissonscope: " << *e << "\n";
        return kExitBadInput;
    }
    std::string error;
    bool badInput = false;
    const QImage image = renderScreenshot(job, &error, &badInput);
    if (image.isNull()) {
        err << "poissonscope: " << error << "\n";
        return badInput ? kExitBadInput : kExitFailure;
    }
    QSaveFile file(QString::fromStdString(job.path));
    if (!file.open(QIODevice::WriteOnly) || !image.save(&file, "PNG") || !file.commit()) {
        err << "poissonscope: cannot write '" << job.path
            << "': " << file.errorString().toStdString() << "\n";
        return kExitBadInput;
    }
    return kExitOk;
}

} // namespace psc::app
