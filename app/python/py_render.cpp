// Rendering for the Python module: a scene as an RGBA array (as `--screenshot` draws it) and a
// flow as a video file (as `poissonscope render`), offscreen.
#include "app/python/py_bindings.h"

#include "app/cli/backend_factory.h"
#include "app/export/export_video.h"
#include "app/export/render_command.h"
#include "app/export/screenshot_command.h"

#include <QGuiApplication>

#include <cstring>

namespace psc::python {

void ensureGuiApplication() {
    if (QGuiApplication::instance()) return;
    // Qt aborts the process when it finds no display; Debian's Qt has no OpenGL on its offscreen
    // platform, so a display (or Xvfb) it is.
    if (auto problem = app::headlessGlProblem()) throw std::runtime_error(*problem);
    static int argc = 1;
    static char name[] = "poissonscope";
    static char* argv[] = {name, nullptr};
    static QGuiApplication* application = new QGuiApplication(argc, argv);
    (void)application;
}

namespace {

py::array_t<std::uint8_t> renderImage(const py::kwargs& kwargs) {
    py::kwargs options(kwargs);
    if (options.contains("size") && py::isinstance<py::tuple>(options["size"])) {
        const auto size = options["size"].cast<std::pair<int, int>>();
        options["size"] = std::to_string(size.first) + "x" + std::to_string(size.second);
    }
    const auto parser = parseOptions(app::screenshotOptionSpecs(), options);
    if (parser.has("screenshot"))
        throw py::value_error("render_image returns the image; save it from NumPy or use "
                              "`poissonscope --screenshot`");
    app::ScreenshotJob job;
    if (auto e = app::resolveScreenshot(parser, job)) throw py::value_error(*e);
    ensureGuiApplication();
    std::string error;
    bool badInput = false;
    QImage image;
    {
        py::gil_scoped_release released;
        image = app::renderScreenshot(job, &error, &badInput);
    }
    if (image.isNull()) {
        if (badInput) throw py::value_error(error);
        throw std::runtime_error(error);
    }
    image = image.convertToFormat(QImage::Format_RGBA8888);
    const auto h = static_cast<py::ssize_t>(image.height()),
               w = static_cast<py::ssize_t>(image.width());
    py::array_t<std::uint8_t> out({h, w, py::ssize_t{4}});
    for (py::ssize_t y = 0; y < h; ++y)
        std::memcpy(out.mutable_data(y, 0, 0), image.constScanLine(static_cast<int>(y)),
                    static_cast<std::size_t>(w) * 4);
    return out;
}

py::dict renderVideo(const std::string& out, const py::object& progress, const py::kwargs& kwargs) {
    py::kwargs options(kwargs);
    options["out"] = out;
    const auto parser = parseOptions(exporter::renderOptionSpecs(), options);
    exporter::VideoJob job;
    if (auto e = exporter::resolveRenderJob(parser, job)) throw py::value_error(*e);
    const auto quality = app::parseInteger(parser.value("quality"));
    if (!quality || *quality < 1 || *quality > 100)
        throw py::value_error("--quality must be an integer from 1 to 100");
    ensureGuiApplication();
    PyProgress watch(progress);
    exporter::ExportResult result;
    {
        py::gil_scoped_release released;
        auto report = watch.function();
        result = exporter::exportVideo(
            job, out, static_cast<int>(*quality),
            [&](const exporter::ExportProgress& p) {
                report(p.frames > 0 ? static_cast<double>(p.frame) / p.frames : 1.0);
            },
            watch.cancelFlag());
    }
    watch.rethrow();
    py::dict d;
    d["cancelled"] = result.cancelled;
    d["frames"] = result.frames;
    d["seconds"] = result.seconds;
    return d;
}

} // namespace

void bindRender(py::module_& m) {
    m.def("render_image", &renderImage,
          "The scene drawn as the window draws it (without panels), as an (H, W, 4) uint8 RGBA "
          "array, e.g. for matplotlib's imshow. Keyword arguments are `poissonscope "
          "--screenshot`'s options: size ((W, H) or 'WxH'), sigma (where the particles are), "
          "view (iso|top|side), transparent, scene (a scene file), and every scene option "
          "(dataset, data, D, particles, field_lines, ...). Needs OpenGL through a display "
          "(xvfb-run python3 ... without one).");
    m.def("render_video", &renderVideo, py::arg("out"), py::kw_only(),
          py::arg("progress") = py::none(),
          "A flow rendered offscreen into a video (.mp4, .webm, .gif, or a folder/ for PNG "
          "frames), as `poissonscope render --out` with the same options (what, duration, fps, "
          "size, quality, and every scene option). Returns a dict of frames, seconds and "
          "cancelled; nothing is written when it is cancelled or fails.");
}

} // namespace psc::python
