// Main window: menus and status bar around the viewport; errors reach the user here, never in
// library code.
#include "app/main_window.h"

#include "app/export/experiment_dialog.h"
#include "app/export/experiment_table.h"
#include "app/export/export_dialog.h"
#include "app/offscreen_scene.h"
#include "app/scene/count_text.h"
#include "app/scene/lesson.h"
#include "app/theme.h"

#include "app/scene/scene_file.h"
#include "app/scene/scene_geometry_builder.h"
#include "app/shortcuts_dialog.h"
#include "app/viewport_widget.h"

#include "physics/datasets.h"
#include "physics/point_io.h"
#include "physics/torch/learned_field.h"
#include "physics/trajectory_io.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPointer>
#include <QSaveFile>
#include <QSettings>
#include <QSignalBlocker>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTimer>

#include <cmath>

namespace psc::app {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_viewport(new ViewportWidget(m_session, this)),
      m_frameLabel(new QLabel(this)),
      m_fieldStore(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                   "/learned-fields") {
    setWindowTitle("Poissonscope");
    setCentralWidget(m_viewport);
    setAcceptDrops(true);
    resize(1280, 820);
    buildMenus();
    QSettings settings;
    restoreGeometry(settings.value("window/geometry").toByteArray());
    statusBar()->addPermanentWidget(m_frameLabel);
    // Notices outlive the viewport's status line, which changes with every scene.
    m_notice = new QLabel(this);
    m_notice->setObjectName("notice");
    m_notice->setStyleSheet("color: #e0a040;");
    m_notice->setVisible(false);
    statusBar()->addPermanentWidget(m_notice, 1);
    connect(&m_session, &SceneSession::statusChanged, this,
            [this](const QString& text) { statusBar()->showMessage(text); });
    auto* frameTimer = new QTimer(this);
    connect(frameTimer, &QTimer::timeout, this, [this] {
        const auto& clock = m_session.clock();
        const QString sigma = !m_session.sceneData() ? QString("-")
                              : clock.atBottom()
                                  ? QString("0")
                                  : QString::number(std::exp(clock.logSigma()), 'g', 3);
        m_frameLabel->setText(QString("σ = %1  ·  frame %2 ms")
                                  .arg(sigma)
                                  .arg(m_viewport->lastFrameMilliseconds(), 0, 'f', 1));
    });
    frameTimer->start(500);
}

// The viewport draws the session: it goes first (a child widget would outlive the member).
MainWindow::~MainWindow() {
    delete m_viewport;
}

void MainWindow::buildMenus() {
    auto* file = menuBar()->addMenu("&File");
    file->addAction("&Open data or scene...", QKeySequence::Open, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, "Open", {},
            "Data and scenes (*.csv *.npy *.ply *.xyz *.png *.jpg *.jpeg *.json)");
        if (!path.isEmpty()) openFile(path);
    });
    m_recentMenu = file->addMenu("Open &recent");
    rebuildRecentMenu();
    file->addAction("&Save scene...", QKeySequence::Save, this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, "Save scene", "scene.json", "Scenes (*.json)");
        if (!path.isEmpty()) saveScene(path);
    });
    file->addSeparator();
    file->addAction("Save scree&nshot...", QKeySequence(Qt::CTRL | Qt::Key_E), this,
                    [this] { saveScreenshot(false); });
    file->addAction("Save screenshot, &transparent background...", this,
                    [this] { saveScreenshot(true); });
    file->addAction("Export &video...", QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), this,
                    &MainWindow::exportVideo);
    file->addAction("Export trajector&ies...", this, &MainWindow::exportTrajectories);
    file->addSeparator();
    file->addAction("&Quit", QKeySequence::Quit, this, &QWidget::close);

    auto* edit = menuBar()->addMenu("&Edit");
    // Keys that ImGui's text fields also use stay with the viewport, which hands them to ImGui
    // first; the menus only name them.
    edit->addAction("&Undo charge edit\tCtrl+Z", this, [this] { m_session.undo(); });
    edit->addAction("&Redo charge edit\tCtrl+Shift+Z", this, [this] { m_session.redo(); });

    auto* view = menuBar()->addMenu("&View");
    for (const auto& [label, preset] : {std::pair{"&Top\t1", render::CameraPreset::Top},
                                        std::pair{"&Side\t2", render::CameraPreset::Side},
                                        std::pair{"&Iso\t3", render::CameraPreset::Iso}})
        view->addAction(label, this,
                        [this, preset = preset] { m_session.camera().animateTo(preset, 0.6f); });
    view->addAction("&Reset camera\tR", this, [this] { m_session.resetCamera(); });
    view->addSeparator();
    auto* layers = view->addMenu("&Layers");
    for (const auto& l : render::kLayers) {
        auto* action = layers->addAction(QString::fromUtf8(l.menuLabel.data(), l.menuLabel.size()));
        action->setCheckable(true);
        const unsigned bit = static_cast<unsigned>(l.value);
        connect(action, &QAction::toggled, this, [this, bit](bool on) {
            ViewSettings v = m_session.viewSettings();
            if (((v.layers & bit) != 0) == on) return;
            v.layers ^= bit;
            m_session.setViewSettings(v);
        });
        auto sync = [this, action, bit] {
            const QSignalBlocker block(action);
            action->setChecked((m_session.viewSettings().layers & bit) != 0);
        };
        sync();
        connect(&m_session, &SceneSession::viewSettingsChanged, action, sync);
        connect(layers, &QMenu::aboutToShow, action, sync);
    }
    auto* compare = view->addAction("&Compare D = 1, 8, 128, ∞ (2×2)");
    compare->setCheckable(true);
    connect(compare, &QAction::toggled, this, [this](bool on) {
        ViewSettings v = m_session.viewSettings();
        if (v.compare == on) return;
        v.compare = on;
        m_session.setViewSettings(v);
    });
    connect(view, &QMenu::aboutToShow, compare, [this, compare] {
        const QSignalBlocker block(compare);
        compare->setChecked(m_session.viewSettings().compare);
    });
    auto* panel = view->addAction("Control &panel");
    panel->setCheckable(true);
    panel->setChecked(true);
    connect(panel, &QAction::toggled, m_viewport, &ViewportWidget::setPanelVisible);
    auto* present =
        view->addAction("P&resentation mode", this, [this] { m_viewport->setPresenting(true); });
    present->setToolTip("Every control hidden, larger labels, a legend (P; Esc ends it)");
    // The window's own bars go with the controls.
    connect(m_viewport, &ViewportWidget::presentingChanged, this, [this](bool presenting) {
        menuBar()->setVisible(!presenting);
        statusBar()->setVisible(!presenting);
    });
    view->addAction("Field &slice x₁–σ", this, [this, panel] {
        panel->setChecked(true);
        m_viewport->openSlicePanel();
    });
    view->addAction("&Laws of D and N", this, [this, panel] {
        panel->setChecked(true);
        m_viewport->openLawsPanel();
    });
    auto* themes = view->addMenu("T&heme");
    for (const Theme theme : {Theme::Dark, Theme::Light}) {
        auto* action = themes->addAction(theme == Theme::Dark ? "&Dark" : "&Light", this,
                                         [this, theme] { setTheme(theme); });
        action->setCheckable(true);
        action->setChecked(theme == Theme::Dark);
        action->setData(QString(themeName(theme)));
        action->setToolTip("Panels and dialogs; the 3D scene keeps its dark stage.");
        m_themeActions.push_back(action);
    }
    view->addSeparator();
    view->addAction("&Full screen\tF", this,
                    [this] { isFullScreen() ? showNormal() : showFullScreen(); });

    auto* tools = menuBar()->addMenu("&Tools");
    tools->addAction("&Learned field panel", this, [this, panel] {
        panel->setChecked(true); // shows the panels, and keeps the View menu in step
        m_viewport->openLearnedPanel();
    });
    tools->addAction("L&oad learned field...", this, [this] {
        // Poissonscope models and TorchScript modules (PyTorch's usual names for both).
        const QString path = QFileDialog::getOpenFileName(
            this, "Load learned field", {},
            "Learned fields and TorchScript modules (*.pt *.pth *.ts);;All files (*)");
        if (path.isEmpty()) return;
        if (const auto error = m_session.loadLearnedField(path))
            QMessageBox::warning(this, "Learned field", *error);
    });
    tools->addAction("&Save learned field...", this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, "Save learned field", "field.pt",
                                                          "Learned fields (*.pt)");
        if (path.isEmpty()) return;
        if (const auto error = m_session.saveLearnedField(path))
            QMessageBox::warning(this, "Cannot save learned field", *error);
        else
            statusBar()->showMessage("Saved " + path, 4000);
    });
    tools->addSeparator();
    // The pointer lives in the slot, so a second request raises the open dialog instead.
    tools->addAction(
        "&Robustness experiment...", this,
        [this, open = QPointer<exporter::ExperimentDialog>()]() mutable {
            if (open && open->isVisible()) {
                open->raise();
                open->activateWindow();
                return;
            }
            const auto data = m_session.sceneData();
            if (!data) {
                statusBar()->showMessage("The scene is still being computed", 4000);
                return;
            }
            const SceneSettings& s = data->settings;
            // Teaching sets have fixed charges: a second draw would be the same points.
            const auto* builtin = physics::findDataset(s.dataset);
            const bool teaching = builtin && builtin->teaching && s.dataPath.empty();
            const bool edited = !s.editedPositions.empty() || teaching;
            const std::string name = dataSourceName(s);
            try {
                auto [train, held] =
                    edited || !s.dataPath.empty()
                        ? exporter::splitHeldOut(data->charges, teaching ? "a teaching scene"
                                                                : edited ? "the edited charges"
                                                                         : "the data file")
                        : exporter::splitHeldOut(data->charges, s.dataset, s.datasetParams);
                open =
                    new exporter::ExperimentDialog(std::move(train), std::move(held), name, this);
                open->setAttribute(Qt::WA_DeleteOnClose);
                connect(open, &exporter::ExperimentDialog::runningChanged, m_viewport,
                        &ViewportWidget::setBackgroundJob);
                open->show();
            } catch (const std::exception& e) {
                QMessageBox::warning(this, "Robustness experiment", e.what());
            }
        });
    // The prepared studies run on their own data set, whatever the scene shows.
    for (const auto& study : exporter::experimentStudies())
        tools->addAction(
            QString::fromStdString("Study: " + study.name + "..."), this, [this, &study] {
                try {
                    const physics::DatasetParams params;
                    auto [train, held] = exporter::splitHeldOut(
                        physics::makeDataset(study.dataset, params), study.dataset, params);
                    auto* dialog = new exporter::ExperimentDialog(std::move(train), std::move(held),
                                                                  study.dataset, this);
                    dialog->setAttribute(Qt::WA_DeleteOnClose);
                    connect(dialog, &exporter::ExperimentDialog::runningChanged, m_viewport,
                            &ViewportWidget::setBackgroundJob);
                    dialog->applyStudy(study.name, false);
                    dialog->show();
                } catch (const std::exception& e) {
                    QMessageBox::warning(this, "Study", e.what());
                }
            });

    auto* help = menuBar()->addMenu("&Help");
    auto* lessons = help->addMenu("&Lessons");
    for (const auto& [title, path] : builtinLessons())
        lessons->addAction(title, this, [this, path = path] { openLesson(path); });
    lessons->addSeparator();
    lessons->addAction("&Open lesson file...", this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, "Open lesson", {}, "Lessons (*.json)");
        if (!path.isEmpty()) openLesson(path);
    });
    // One dialog, kept open beside the window while one learns the keys; asked again, it comes
    // to the front.
    help->addAction("&Shortcuts", this, [this, open = QPointer<ShortcutsDialog>()]() mutable {
        if (!open) {
            open = new ShortcutsDialog(this);
            open->setAttribute(Qt::WA_DeleteOnClose);
        }
        open->show();
        open->raise();
        open->activateWindow();
    });
    help->addAction("&About Poissonscope", this, [this] {
        QMessageBox::about(
            this, "About Poissonscope",
            "<p><b>Poissonscope</b> shows Poisson flow generative models: data points are "
            "charges on the plane r = 0 of a space with D extra dimensions.</p>"
            "<p>PFGM: Y. Xu, Z. Liu, M. Tegmark, T. Jaakkola, <i>Poisson Flow Generative "
            "Models</i>, NeurIPS 2022 (arXiv 2209.11178).<br>"
            "PFGM++: Y. Xu, Z. Liu, Y. Tian, S. Tong, M. Tegmark, T. Jaakkola, <i>PFGM++: "
            "Unlocking the Potential of Physics-Inspired Generative Models</i>, ICML 2023 "
            "(arXiv 2302.04265).</p>");
    });
}

bool MainWindow::openLesson(const QString& path) {
    try {
        m_session.startLesson(loadLesson(path));
    } catch (const LessonError& e) {
        QMessageBox::warning(this, "Cannot open lesson", QString::fromUtf8(e.what()));
        return false;
    }
    return true;
}

bool MainWindow::openFile(const QString& path) {
    const bool ok = QFileInfo(path).suffix().toLower() == "json" ? openScene(path) : openData(path);
    if (ok) rememberRecent(path);
    return ok;
}

bool MainWindow::openData(const QString& path) {
    try {
        checkSceneDataFile(path.toStdString(),
                           m_session.sceneSettings().image); // before the scene changes
    } catch (const std::exception& e) {
        QMessageBox::warning(this, "Cannot open data", QString::fromStdString(e.what()));
        return false;
    }
    SceneSettings settings = m_session.sceneSettings();
    settings.dataPath = path.toStdString();
    settings.editedPositions.clear();
    settings.editedWeights.clear();
    m_session.setSceneSettings(settings);
    return true;
}

bool MainWindow::openScene(const QString& path) {
    SceneFile scene;
    try {
        scene = loadSceneFile(path);
    } catch (const std::exception& e) {
        QMessageBox::warning(this, "Cannot open scene", QString::fromStdString(e.what()));
        return false;
    }
    m_session.applySceneFile(scene);
    return true;
}

void MainWindow::showNotice(const QString& text) {
    m_notice->setText(text);
    m_notice->setVisible(true);
    QTimer::singleShot(15000, m_notice, [label = m_notice, text] {
        if (label->text() == text) label->setVisible(false);
    });
}

void MainWindow::setTheme(Theme theme) {
    applyQtTheme(theme);
    m_viewport->setTheme(theme);
    for (auto* action : m_themeActions)
        action->setChecked(action->data().toString() == themeName(theme));
}

QVariantMap MainWindow::sessionValues() {
    QVariantMap values;
    values["window/geometry"] = saveGeometry();
    values["session/panels"] = m_viewport->panelLayout();
    values["ui/theme"] = QString(themeName(m_viewport->theme()));
    SceneFile scene{m_session.sceneSettings(), m_session.viewSettings(), m_session.cameraState()};
    // Absolute, so the next run finds the data whatever its working folder.
    if (!scene.scene.dataPath.empty())
        scene.scene.dataPath = QFileInfo(QString::fromStdString(scene.scene.dataPath))
                                   .absoluteFilePath()
                                   .toStdString();
    values["session/scene"] = sceneToJson(scene);
    QStringList problems;
    values["session/learnedFields"] = m_fieldStore.sync(m_session.learned(), &problems);
    values["session/flowsLearned"] = m_session.flowsLearned();
    if (!problems.isEmpty()) showNotice("A learned field could not be kept: " + problems.front());
    return values;
}

bool MainWindow::saveSession() {
    const QVariantMap values = sessionValues();
    if (values == m_saved) return false;
    QSettings settings;
    for (auto it = values.begin(); it != values.end(); ++it)
        if (m_saved.value(it.key()) != it.value()) settings.setValue(it.key(), it.value());
    // QSettings writes its file whole, through a temporary and a rename.
    settings.sync();
    m_saved = values;
    return true;
}

void MainWindow::restoreSession(bool scene) {
    QSettings settings;
    if (const auto theme = parseTheme(settings.value("ui/theme").toString().toStdString()))
        setTheme(*theme);
    m_viewport->setPanelLayout(settings.value("session/panels").toByteArray());
    const QStringList problems = m_fieldStore.restore(
        m_session.learned(), settings.value("session/learnedFields").toStringList());
    if (!problems.isEmpty())
        showNotice("A learned field of the last session could not be restored: " +
                   problems.front());
    if (settings.value("session/flowsLearned").toBool()) m_session.setFlowsLearned(true);
    // Saved from now on: a few seconds after a change, whatever ends the process later.
    if (!m_autosave) {
        m_autosave = new QTimer(this);
        connect(m_autosave, &QTimer::timeout, this, [this] { saveSession(); });
        m_autosave->start(2000);
    }
    const QByteArray json = settings.value("session/scene").toByteArray();
    if (!scene || json.isEmpty()) return;
    try {
        m_session.applySceneFile(sceneFromJson(json, {}));
    } catch (const std::exception& e) {
        showNotice(QString("The last session's scene could not be restored (%1); showing the "
                           "default scene.")
                       .arg(QString::fromUtf8(e.what())));
    }
}

bool MainWindow::saveScene(const QString& path) {
    SceneFile scene{m_session.sceneSettings(), m_session.viewSettings(), m_session.cameraState()};
    try {
        saveSceneFile(path, scene);
    } catch (const std::exception& e) {
        QMessageBox::warning(this, "Cannot save scene", QString::fromStdString(e.what()));
        return false;
    }
    rememberRecent(path);
    statusBar()->showMessage("saved " + path, 4000);
    return true;
}

void MainWindow::rememberRecent(const QString& path) {
    QSettings settings;
    QStringList recent = settings.value("recentFiles").toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > 8) recent.removeLast();
    settings.setValue("recentFiles", recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
    m_recentMenu->clear();
    const QStringList recent = QSettings().value("recentFiles").toStringList();
    for (const QString& path : recent)
        m_recentMenu->addAction(QFileInfo(path).fileName(), this, [this, path] { openFile(path); })
            ->setToolTip(path);
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const auto urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.first().isLocalFile()) openFile(urls.first().toLocalFile());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    saveSession();
    QMainWindow::closeEvent(event);
}

// The scene as on screen, without the panel: the window's own framebuffer (GPU particles
// included), or for a transparent background an offscreen render with the same camera.
void MainWindow::saveScreenshot(bool transparent) {
    const QString path = QFileDialog::getSaveFileName(
        this, transparent ? "Save screenshot (transparent background)" : "Save screenshot",
        "poissonscope.png", "PNG images (*.png)");
    if (path.isEmpty()) return;
    QImage image;
    QString error;
    if (!transparent) {
        const bool panel = m_viewport->panelVisible();
        m_viewport->setPanelVisible(false);
        image = m_viewport->grabFramebuffer();
        m_viewport->setPanelVisible(panel);
    } else if (auto data = m_session.sceneData()) {
        if (data->particlesOnGpu)
            data = computeScene(data->settings); // the offscreen path draws CPU paths
        OffscreenView view;
        view.size = m_viewport->size() * m_viewport->devicePixelRatioF();
        view.clockLogSigma = m_session.clockLogSigma();
        view.camera = m_session.camera();
        view.transparent = true;
        image = renderSceneOffscreen(*data, m_session.viewSettings(), view, &error);
    }
    QSaveFile file(path);
    if (image.isNull() || !file.open(QIODevice::WriteOnly) || !image.save(&file, "PNG") ||
        !file.commit())
        QMessageBox::warning(this, "Cannot save screenshot",
                             "Could not write " + path + ": " +
                                 (error.isEmpty() ? file.errorString() : error));
}

void MainWindow::exportVideo() {
    if (!m_session.sceneData()) return;
    exporter::ExportDialog dialog(m_session.sceneSettings(), m_session.viewSettings(),
                                  m_session.cameraState(), this);
    if (const Lesson* lesson = m_session.lesson())
        dialog.setFormula(lesson->steps[static_cast<std::size_t>(m_session.lessonStep())].formula);
    if (dialog.exec() == QDialog::Accepted)
        statusBar()->showMessage("Exported " + dialog.outputPath(), 8000);
}

void MainWindow::exportTrajectories() {
    const auto set = m_viewport->particleTrajectories();
    if (set.particles.empty()) {
        QMessageBox::information(this, "Export trajectories",
                                 "The scene is still being computed; try again in a moment.");
        return;
    }
    const QString path =
        QFileDialog::getSaveFileName(this, "Export trajectories", "trajectories.csv",
                                     "CSV (*.csv);;NumPy (*.npy);;JSON (*.json)");
    if (path.isEmpty()) return;
    try {
        physics::saveTrajectories(path.toStdString(), set);
        statusBar()->showMessage(
            QString("Wrote %1 to %2")
                .arg(QString::fromStdString(countText(static_cast<long long>(set.particles.size()),
                                                      "trajectory", "trajectories")))
                .arg(path),
            8000);
    } catch (const std::exception& e) {
        QMessageBox::warning(this, "Cannot export trajectories", QString::fromStdString(e.what()));
    }
}

} // namespace psc::app
