// Main window: menus, status bar and the default scene.
#include "app/main_window.h"

#include "app/flow_preview_widget.h"

#include "physics/datasets.h"

#include <QApplication>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

namespace psc::app {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle("Poissonscope");
    const auto charges = physics::makeDataset("two-moons", {});
    auto* preview = new FlowPreviewWidget(charges, 1.0, 400, this);
    setCentralWidget(preview);
    auto* file = menuBar()->addMenu("&File");
    file->addAction("&Quit", QKeySequence::Quit, this, &QWidget::close);
    auto* help = menuBar()->addMenu("&Help");
    help->addAction("&About Poissonscope", this, [this] {
        QMessageBox::about(this, "About Poissonscope",
                           "<p><b>Poissonscope</b> shows Poisson flow generative models.</p>"
                           "<p>PFGM: Xu, Liu, Tegmark, Jaakkola, NeurIPS 2022 (arXiv 2209.11178).<br>"
                           "PFGM++: Xu, Liu, Tian, Tong, Tegmark, Jaakkola, ICML 2023 "
                           "(arXiv 2302.04265).</p>");
    });
    statusBar()->showMessage(QString("two moons, %1 charges, D = 1, %2 field evaluations")
                                 .arg(charges.size())
                                 .arg(preview->flow().denoiserCalls));
}

} // namespace psc::app
