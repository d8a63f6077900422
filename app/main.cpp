// Poissonscope's entry point: headless subcommands run without a display; otherwise the window opens.
#include "app/cli/commands.h"
#include "app/main_window.h"

#include <QApplication>

#include <cstring>
#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    using namespace psc::app;
    const std::string first = argc > 1 ? argv[1] : "";
    std::vector<std::string> rest;
    for (int i = 2; i < argc; ++i) rest.emplace_back(argv[i]);
    if (first == "sample") return runSampleCommand(rest, std::cout, std::cerr);
    if (first == "datasets") return runDatasetsCommand(rest, std::cout, std::cerr);
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
    QApplication app(argc, argv);
    QApplication::setApplicationName("Poissonscope");
    QApplication::setOrganizationName("Poissonscope");
    MainWindow window;
    window.show();
    return QApplication::exec();
}
