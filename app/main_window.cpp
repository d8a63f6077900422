// Main window: menus and status bar around the viewport; errors reach the user here, never in library code.
#include "app/main_window.h"

#include "app/viewport_widget.h"

#include "physics/point_io.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QStatusBar>
#include <QTimer>

namespace psc::app {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_viewport(new ViewportWidget(this)), m_frameLabel(new QLabel(this)) {
    setWindowTitle("Poissonscope");
    setCentralWidget(m_viewport);
    resize(1280, 820);
    buildMenus();
    statusBar()->addPermanentWidget(m_frameLabel);
    connect(m_viewport, &ViewportWidget::statusChanged, this, [this](const QString& text) { statusBar()->showMessage(text); });
    auto* frameTimer = new QTimer(this);
    connect(frameTimer, &QTimer::timeout, this, [this] {
        m_frameLabel->setText(QString("frame %1 ms").arg(m_viewport->lastFrameMilliseconds(), 0, 'f', 1));
    });
    frameTimer->start(500);
}

void MainWindow::buildMenus() {
    auto* file = menuBar()->addMenu("&File");
    file->addAction("&Open data (CSV, NPY)...", QKeySequence::Open, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, "Open data", {}, "Point sets (*.csv *.npy)");
        if (!path.isEmpty()) openData(path);
    });
    file->addAction("Save &screenshot...", QKeySequence(Qt::CTRL | Qt::Key_E), this, &MainWindow::saveScreenshot);
    file->addSeparator();
    file->addAction("&Quit", QKeySequence::Quit, this, &QWidget::close);

    auto* help = menuBar()->addMenu("&Help");
    help->addAction("&Shortcuts", this, [this] {
        QMessageBox::information(this, "Shortcuts",
                                 "Left drag: orbit    Shift+left or right drag: pan    Wheel: zoom\n"
                                 "Space: play / pause    R: reset camera\n"
                                 "1 / 2 / 3: top / side / iso view\n"
                                 "Ctrl+O: open data    Ctrl+E: save screenshot    Ctrl+Q: quit");
    });
    help->addAction("&About Poissonscope", this, [this] {
        QMessageBox::about(this, "About Poissonscope",
                           "<p><b>Poissonscope</b> shows Poisson flow generative models: data points are "
                           "charges on the plane r = 0 of a space with D extra dimensions.</p>"
                           "<p>PFGM: Y. Xu, Z. Liu, M. Tegmark, T. Jaakkola, <i>Poisson Flow Generative "
                           "Models</i>, NeurIPS 2022 (arXiv 2209.11178).<br>"
                           "PFGM++: Y. Xu, Z. Liu, Y. Tian, S. Tong, M. Tegmark, T. Jaakkola, <i>PFGM++: "
                           "Unlocking the Potential of Physics-Inspired Generative Models</i>, ICML 2023 "
                           "(arXiv 2302.04265).</p>");
    });
}

void MainWindow::openData(const QString& path) {
    try {
        physics::LoadLimits limits;
        limits.minDim = 2;
        physics::loadPoints(path.toStdString(), limits); // validate before the scene changes
    } catch (const std::exception& e) {
        QMessageBox::warning(this, "Cannot open data", QString::fromStdString(e.what()));
        return;
    }
    SceneSettings settings = m_viewport->sceneSettings();
    settings.dataPath = path.toStdString();
    settings.editedPositions.clear();
    settings.editedWeights.clear();
    m_viewport->setSceneSettings(settings);
}

void MainWindow::saveScreenshot() {
    const QString path = QFileDialog::getSaveFileName(this, "Save screenshot", "poissonscope.png", "PNG images (*.png)");
    if (path.isEmpty()) return;
    const QImage image = m_viewport->grabFramebuffer();
    if (!image.save(path, "PNG"))
        QMessageBox::warning(this, "Cannot save screenshot", "Could not write " + path);
}

} // namespace psc::app
