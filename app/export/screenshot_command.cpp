// Screenshot from the command line; the PNG goes to a temporary name and is renamed on success.
#include "app/export/screenshot_command.h"

#include "app/cli/commands.h"
#include "app/cli/option_parser.h"
#include "app/offscreen_scene.h"
#include "app/scene/scene_file.h"
#include "app/scene/scene_geometry_builder.h"

#include "physics/extra_dims.h"

#include <QFileInfo>
#include <QSaveFile>

#include <cmath>
#include <optional>
#include <ostream>

namespace psc::app {

int runScreenshotCommand(const std::vector<std::string>& args, std::ostream& out,
                         std::ostream& err) {
    OptionParser parser({
        {"screenshot", "FILE.png", "render the scene offscreen into this PNG and exit", ""},
        {"scene", "FILE.json",
         "scene file (data, D, flow, view, camera); options given here override it", ""},
        {"size", "WxH", "image size in pixels", "1280x800"},
        {"dataset", "NAME", "built-in data set", "two-moons"},
        {"data", "FILE", "data file (.csv/.npy) instead of --dataset", ""},
        {"D", "VALUE|inf", "augmented dimensions", "1"},
        {"particles", "P", "animated particles", "1500"},
        {"field-lines", "L", "field lines", "64"},
        {"sigma", "S|0", "where the particles are on the flow (sigma; 0 = landed)", "0.5"},
        {"view", "iso|top|side", "camera preset", "iso"},
        {"transparent", "", "transparent background (straight alpha)", ""},
        {"help", "", "show this help", ""},
    });
    if (auto e = parser.parse(args)) {
        err << "poissonscope: " << *e << "\n";
        return kExitBadInput;
    }
    if (parser.has("help")) {
        out << "Usage: poissonscope --screenshot FILE.png [options]\n\nOptions:\n"
            << parser.helpText();
        return kExitOk;
    }
    SceneSettings scene;
    ViewSettings viewSettings;
    std::optional<CameraState> sceneCamera;
    // The scene file first; options given on the command line then override it.
    if (parser.has("scene")) {
        try {
            const SceneFile file = loadSceneFile(QString::fromStdString(parser.value("scene")));
            scene = file.scene;
            viewSettings = file.view;
            sceneCamera = file.camera;
        } catch (const std::exception& e) {
            err << "poissonscope: " << e.what() << "\n";
            return kExitBadInput;
        }
    }
    const std::string path = parser.value("screenshot");
    if (QFileInfo(QString::fromStdString(path)).suffix().toLower() != "png") {
        err << "poissonscope: --screenshot needs a .png file name\n";
        return kExitBadInput;
    }
    const auto size = parseSize(parser.value("size"), 16, 8192, 8192);
    if (!size) {
        err << "poissonscope: --size must be WxH with 16 <= W, H <= 8192\n";
        return kExitBadInput;
    }
    const int width = size->width, height = size->height;
    if (parser.has("D") || !parser.has("scene")) {
        const auto d = physics::parseExtraDims(parser.value("D"));
        if (!d || physics::validateExtraDims(*d)) {
            err << "poissonscope: --D must be a number >= 1 or inf\n";
            return kExitBadInput;
        }
        scene.d = *d;
    }
    // A data source named here replaces the file's, hand-edited charges included.
    if (parser.has("dataset") || parser.has("data")) {
        scene.editedPositions.clear();
        scene.editedWeights.clear();
        scene.dataPath = parser.value("data");
        if (parser.has("dataset")) scene.dataset = parser.value("dataset");
    }
    const auto particles = parseInteger(parser.value("particles"));
    const auto lines = parseInteger(parser.value("field-lines"));
    const auto sigma = parseDouble(parser.value("sigma"));
    if (!particles || *particles < 0 || *particles > 200000 || !lines || *lines < 0 ||
        *lines > 100000 || !sigma || *sigma < 0) {
        err << "poissonscope: --particles, --field-lines and --sigma must be non-negative "
               "numbers\n";
        return kExitBadInput;
    }
    if (parser.has("particles") || !parser.has("scene"))
        scene.particles = static_cast<int>(*particles);
    if (parser.has("field-lines") || !parser.has("scene"))
        scene.fieldLines = static_cast<int>(*lines);
    OffscreenView view;
    view.size = QSize(width, height);
    view.transparent = parser.has("transparent");
    const std::string preset = parser.value("view");
    if (preset == "top")
        view.preset = render::CameraPreset::Top;
    else if (preset == "side")
        view.preset = render::CameraPreset::Side;
    else if (preset != "iso") {
        err << "poissonscope: --view must be iso, top or side\n";
        return kExitBadInput;
    }
    if (parser.has("view")) sceneCamera.reset(); // an explicit preset wins over the file's camera
    std::shared_ptr<const SceneData> data;
    try {
        data = computeScene(scene);
    } catch (const std::exception& e) {
        err << "poissonscope: " << e.what() << "\n";
        return kExitBadInput;
    }
    view.clockLogSigma = clockLogSigma(*data, *sigma);
    if (sceneCamera) {
        render::OrbitCamera camera = fittedCamera(*data, view.preset);
        applyCameraState(camera, *sceneCamera);
        view.camera = camera;
    }
    QString error;
    const QImage image = renderSceneOffscreen(*data, viewSettings, view, &error);
    if (image.isNull()) {
        err << "poissonscope: cannot render: " << error.toStdString() << "\n";
        return kExitFailure;
    }
    QSaveFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::WriteOnly) || !image.save(&file, "PNG") || !file.commit()) {
        err << "poissonscope: cannot write '" << path << "': " << file.errorString().toStdString()
            << "\n";
        return kExitBadInput;
    }
    return kExitOk;
}

} // namespace psc::app
