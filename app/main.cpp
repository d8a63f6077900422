// Poissonscope's entry point: headless subcommands run without a display; otherwise the window
// opens.
#include "app/cli/backend_factory.h"
#include "app/cli/commands.h"
#include "app/export/experiment_command.h"
#include "app/export/render_command.h"
#include "app/export/screenshot_command.h"
#include "app/main_window.h"

#include <QApplication>
#include <QGuiApplication>
#include <QIcon>
#include <QSurfaceFormat>

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

namespace {

bool wantsGlBackend(const std::vector<std::string>& args) {
    for (std::size_t i = 0; i < args.size(); ++i)
        if (args[i] == "--backend=gl" ||
            (args[i] == "--backend" && i + 1 < args.size() && args[i + 1] == "gl"))
            return true;
    return false;
}

} // namespace

int main(int argc, char** argv) {
    using namespace psc::app;
    std::vector<std::string> args(argv + 1, argv + argc);
    const std::string first = args.empty() ? "" : args[0];
    const std::vector<std::string> rest(args.begin() + (args.empty() ? 0 : 1), args.end());
    if (first == "sample") {
        if (!wantsGlBackend(rest)) return runSampleCommand(rest, std::cout, std::cerr);
        // The gl backend needs a GUI platform for its offscreen context; Qt aborts without a
        // display, so that is checked first.
        if (auto problem = headlessGlProblem()) {
            std::cerr << "poissonscope sample: " << *problem << "\n";
            return kExitFailure;
        }
        QGuiApplication app(argc, argv);
        return runSampleCommand(rest, std::cout, std::cerr);
    }
    if (first == "datasets") return runDatasetsCommand(rest, std::cout, std::cerr);
    if (first == "eval") return runEvalCommand(rest, std::cout, std::cerr);
    if (first == "train") return runTrainCommand(rest, std::cout, std::cerr);
    if (first == "experiment") {
        // Only fonts are needed: the offscreen platform works without a display.
        if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
        QGuiApplication app(argc, argv);
        return psc::exporter::runExperimentCommand(rest, std::cout, std::cerr);
    }
    if (first == "render") {
        // Help needs no display: it is printed before any GUI platform starts.
        if (std::find(rest.begin(), rest.end(), "--help") != rest.end())
            return psc::exporter::runRenderCommand(rest, std::cout, std::cerr);
        if (auto problem = headlessGlProblem()) {
            std::cerr << "poissonscope render: " << *problem << "\n";
            return kExitFailure;
        }
        QGuiApplication app(argc, argv);
        return psc::exporter::runRenderCommand(rest, std::cout, std::cerr);
    }
    if (first == "--help" || first == "-h" || first == "help") {
        std::cout << mainHelpText();
        return kExitOk;
    }
    if (first == "--version") {
        std::cout << "poissonscope " << PSC_VERSION << "\n";
        return kExitOk;
    }
    if (!first.empty() && first.rfind("-", 0) != 0) {
        std::cerr << "poissonscope: unknown command '" << first << "' (see poissonscope --help)\n";
        return kExitBadInput;
    }
    QSurfaceFormat format;
    format.setRenderableType(QSurfaceFormat::OpenGL);
    format.setProfile(QSurfaceFormat::CoreProfile);
    format.setVersion(4, 3); // compute shaders where available; drivers may return 3.3+ core
    format.setDepthBufferSize(24);
    format.setSamples(4);
    QSurfaceFormat::setDefaultFormat(format);
    if (std::find(args.begin(), args.end(), "--screenshot") != args.end()) {
        const bool help = std::find(args.begin(), args.end(), "--help") != args.end();
        if (help) return runScreenshotCommand(args, std::cout, std::cerr);
        if (auto problem = headlessGlProblem()) {
            std::cerr << "poissonscope: " << *problem << "\n";
            return kExitFailure;
        }
        QGuiApplication app(argc, argv);
        return runScreenshotCommand(args, std::cout, std::cerr);
    }
    QString sceneToOpen;
    if (args.size() == 2 && args[0] == "--scene")
        sceneToOpen = QString::fromStdString(args[1]);
    else if (!args.empty()) {
        std::cerr << "poissonscope: unknown option '" << first << "' (see poissonscope --help)\n";
        return kExitBadInput;
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName("Poissonscope");
    QApplication::setOrganizationName("Poissonscope");
    QApplication::setWindowIcon(QIcon(":/icons/poissonscope-256.png"));
    // Lets Wayland compositors and docks match the window to poissonscope.desktop.
    QGuiApplication::setDesktopFileName("poissonscope");
    MainWindow window;
    window.restoreSession(sceneToOpen.isEmpty());
    window.show();
    if (!sceneToOpen.isEmpty() && !window.openFile(sceneToOpen)) return kExitBadInput;
    return QApplication::exec();
}
