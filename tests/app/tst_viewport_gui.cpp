// The real window driven with QTest events under Xvfb: a click adds a charge, undo removes it,
// D changes the flows, and a failed computation is reported instead of crashing.
#include "app/main_window.h"
#include "app/scene/scene_geometry_builder.h"
#include "app/shortcuts.h"
#include "app/viewport_widget.h"
#include "tests/support/camera_rest.h"

#include "physics/extra_dims.h"

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QDir>
#include <QHeaderView>
#include <QMenuBar>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableWidget>
#include <QTest>
#include <QTimer>

using namespace psc;
using namespace psc::app;

namespace {

// The first scene may be ready before a spy exists: wait for a scene and an idle computer.
bool waitForFirstScene(ViewportWidget* viewport) {
    const bool ok = QTest::qWaitFor(
        [&] { return viewport->session().sceneData() && !viewport->computing(); }, 30000);
    QTest::qWait(50); // deliver a result that is still queued
    return ok;
}

// After an action: wait for the scene it caused (the spy was cleared before the action).
bool waitForNewScene(ViewportWidget* viewport, QSignalSpy& spy) {
    const bool ok =
        QTest::qWaitFor([&] { return !spy.isEmpty() && !viewport->computing(); }, 30000);
    QTest::qWait(50);
    spy.clear();
    return ok;
}

// ImGui sees input once per frame: move, let a frame pass, press, let a frame pass, release.
void clickImGui(QWidget* widget, QPoint at) {
    QTest::mouseMove(widget, at);
    QTest::qWait(150);
    QTest::mousePress(widget, Qt::LeftButton, {}, at);
    QTest::qWait(150);
    QTest::mouseRelease(widget, Qt::LeftButton, {}, at);
}

} // namespace

class TestViewportGui : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void clickAddsAChargeAndUndoRemovesIt();
    void changingDChangesTheFlows();
    void badDataIsReportedNotFatal();
    void compareShowsFourDValuesFromTheSameNoise();
    void viewMenuTogglesLayersAndPanel();
    void dSliderDrivenByTheMouseChangesTheFlows();
    void playbackRunsBothWays();
    void shortcutsAreATableInGroups();
    void presentationModeHidesEveryControl();
};

void TestViewportGui::clickAddsAChargeAndUndoRemovesIt() {
    MainWindow window;
    window.resize(1100, 760);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* viewport = window.viewport();
    QSignalSpy ready(&viewport->session(), &SceneSession::sceneReady);
    QVERIFY(waitForFirstScene(viewport));
    ready.clear();
    QVERIFY2(viewport->renderError().isEmpty(), qPrintable(viewport->renderError()));
    const std::size_t before = viewport->session().sceneData()->charges.size();
    // At the end of the flow the camera frames the data.
    viewport->session().setClockLogSigma(clockBottom(*viewport->session().sceneData()));
    QVERIFY(psc::test::waitForCameraAtRest(viewport, viewport->session()));
    // A plane point on screen, clear of the panel at the top left and of every charge (a click
    // on a charge grabs it instead).
    const auto& data = viewport->session().sceneData()->charges;
    // Pixels of the scene's area, between the panel columns.
    const QRectF area = viewport->sceneRect();
    const glm::vec2 size(area.width(), area.height());
    glm::vec2 pixel(-1.0f);
    for (double x1 = -1.0; x1 <= 2.0 && pixel.x < 0; x1 += 0.25)
        for (double x2 = -1.0; x2 <= 1.5 && pixel.x < 0; x2 += 0.25) {
            double nearest = INFINITY;
            for (std::size_t i = 0; i < data.size(); ++i)
                nearest = std::min(nearest, std::hypot(data.position(i)[0] - x1,
                                                       data.position(i)[1] - x2));
            const glm::vec2 p = viewport->session().camera().project(
                viewport->session().warp().toWorld3D(x1, x2, 0.0), size, size.x / size.y);
            if (nearest > 0.3 && p.x > 5 && p.x < size.x - 80 && p.y > 5 && p.y < size.y - 5)
                pixel = p;
        }
    QVERIFY2(pixel.x >= 0, "no free plane point on screen");
    const QPoint click(int(pixel.x + area.left()), int(pixel.y + area.top()));
    QTest::mouseClick(viewport, Qt::LeftButton, {}, click);
    QVERIFY(waitForNewScene(viewport, ready));
    const auto& charges = viewport->session().sceneData()->charges;
    QCOMPARE(charges.size(), before + 1);
    const auto added = charges.position(before);
    // The new charge sits under the cursor.
    const glm::vec2 back = viewport->session().camera().project(
        viewport->session().warp().toWorld3D(added[0], added[1], 0.0), size, size.x / size.y);
    QVERIFY2(std::hypot(back.x + area.left() - click.x(), back.y + area.top() - click.y()) < 1.5,
             qPrintable(QString("added at (%1, %2), seen at (%3, %4)")
                            .arg(added[0])
                            .arg(added[1])
                            .arg(back.x)
                            .arg(back.y)));
    QVERIFY(viewport->session().undo());
    QVERIFY(waitForNewScene(viewport, ready));
    QCOMPARE(viewport->session().sceneData()->charges.size(), before);
}

void TestViewportGui::changingDChangesTheFlows() {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* viewport = window.viewport();
    QSignalSpy ready(&viewport->session(), &SceneSession::sceneReady);
    QVERIFY(waitForFirstScene(viewport));
    ready.clear();
    const auto first = viewport->session().sceneData();
    SceneSettings settings = viewport->session().sceneSettings();
    settings.d = physics::kInfiniteD;
    viewport->session().setSceneSettings(settings);
    QVERIFY(waitForNewScene(viewport, ready));
    const auto second = viewport->session().sceneData();
    QVERIFY(physics::isInfiniteD(second->settings.d));
    // Hemisphere starting points flatten: at D = ∞ every path starts at σ_max.
    for (const auto& path : second->paths) QCOMPARE(path.sigma.front(), second->settings.sigmaMax);
    int below = 0;
    for (const auto& path : first->paths)
        below += path.sigma.front() < 0.9 * first->settings.sigmaMax;
    QVERIFY(below > static_cast<int>(first->paths.size() / 2));
}

void TestViewportGui::badDataIsReportedNotFatal() {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* viewport = window.viewport();
    QVERIFY(waitForFirstScene(viewport));
    QSignalSpy status(&viewport->session(), &SceneSession::statusChanged);
    SceneSettings settings = viewport->session().sceneSettings();
    settings.dataPath = "/nonexistent/points.csv";
    viewport->session().setSceneSettings(settings);
    QTRY_VERIFY_WITH_TIMEOUT(
        !status.isEmpty() && status.last().at(0).toString().contains("points.csv"), 10000);
    QVERIFY(viewport->session().sceneData()); // the previous scene stays on screen
}

void TestViewportGui::compareShowsFourDValuesFromTheSameNoise() {
    MainWindow window;
    window.resize(1000, 700);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* viewport = window.viewport();
    QVERIFY(waitForFirstScene(viewport));
    ViewSettings view = viewport->session().viewSettings();
    view.compare = true;
    viewport->session().setViewSettings(view);
    QVERIFY(QTest::qWaitFor(
        [&] {
            for (const auto& d : viewport->session().comparisonData())
                if (!d) return false;
            return true;
        },
        60000));
    const auto& scenes = viewport->session().comparisonData();
    for (std::size_t q = 0; q < 4; ++q) {
        QCOMPARE(physics::formatExtraDims(scenes[q]->settings.d),
                 physics::formatExtraDims(SceneSession::kCompareD[q]));
        QCOMPARE(scenes[q]->paths.size(), scenes[0]->paths.size());
    }
    // Same noise: each particle starts in the same direction from the centre at every D.
    const auto c = scenes[0]->charges.mean();
    for (std::size_t p = 0; p < scenes[0]->paths.size(); p += 37) {
        const auto& a = scenes[0]->paths[p].x;
        const auto& b = scenes[3]->paths[p].x;
        QVERIFY(std::abs(std::atan2(a[1] - c[1], a[0] - c[0]) -
                         std::atan2(b[1] - c[1], b[0] - c[0])) < 1e-6);
    }
    QTest::qWait(100);
    const QImage image = viewport->grabFramebuffer();
    image.save(QDir::temp().filePath("poissonscope-compare.png"));
    for (int q = 0; q < 4; ++q) {
        const QRect quadrant((q % 2) * image.width() / 2, (q / 2) * image.height() / 2,
                             image.width() / 2, image.height() / 2);
        int inked = 0;
        for (int y = quadrant.top() + 40; y < quadrant.bottom() - 5; y += 2)
            for (int x = quadrant.left() + 5; x < quadrant.right() - 5; x += 2) {
                const QRgb px = image.pixel(x, y);
                inked += qRed(px) + qGreen(px) + qBlue(px) > 3 * 45;
            }
        QVERIFY2(inked > 200,
                 qPrintable(QString("quadrant %1: %2 inked samples").arg(q).arg(inked)));
    }
}

void TestViewportGui::viewMenuTogglesLayersAndPanel() {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* viewport = window.viewport();
    QAction* hemisphere = nullptr;
    QAction* panel = nullptr;
    for (auto* action : window.findChildren<QAction*>()) {
        if (action->text() == "&Hemisphere") hemisphere = action;
        if (action->text() == "Control &panel") panel = action;
    }
    QVERIFY(hemisphere && panel);
    const unsigned bit = static_cast<unsigned>(render::Layer::Hemisphere);
    QVERIFY(viewport->session().viewSettings().layers & bit);
    hemisphere->trigger();
    QVERIFY(!(viewport->session().viewSettings().layers & bit));
    hemisphere->trigger();
    QVERIFY(viewport->session().viewSettings().layers & bit);
    panel->trigger();
    QVERIFY(!viewport->panelVisible());
}

// The real ImGui slider, through the Qt → ImGui bridge: a click at its right end is D = ∞.
void TestViewportGui::dSliderDrivenByTheMouseChangesTheFlows() {
    MainWindow window;
    window.resize(1000, 700);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* viewport = window.viewport();
    QVERIFY(waitForFirstScene(viewport));
    QTest::qWait(100);
    const float* rect = viewport->panels().control.dSliderRect;
    QVERIFY(rect[2] > rect[0] && rect[3] > rect[1]);
    const QPoint end(int(rect[2]) - 3, int((rect[1] + rect[3]) / 2));
    const QPoint middle(int((rect[0] + rect[2]) / 2), end.y());
    // A click shows a preview from the ladder at once; letting go computes the exact scene.
    const auto exactScene = [&] {
        return QTest::qWaitFor(
            [&] { return viewport->session().showsCurrentScene() && !viewport->computing(); },
            30000);
    };
    clickImGui(viewport, end);
    QVERIFY(exactScene());
    QVERIFY(physics::isInfiniteD(viewport->session().sceneData()->settings.d));
    for (const auto& path : viewport->session().sceneData()->paths)
        QCOMPARE(path.sigma.front(), viewport->session().sceneData()->settings.sigmaMax);
    // The slider spends its travel where the picture changes for 2-D data, D = 1 to 50: its
    // middle is D = 50^(0.5 / 0.95), about 7.8.
    clickImGui(viewport, middle);
    QVERIFY(exactScene());
    const double d = viewport->session().sceneData()->settings.d;
    QVERIFY2(d > 5 && d < 12, qPrintable(QString::number(d)));
}

// Backward playback moves the clock down in log σ (generation), forward moves it up (encoding).
void TestViewportGui::playbackRunsBothWays() {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* viewport = window.viewport();
    QVERIFY(waitForFirstScene(viewport));
    const auto& data = *viewport->session().sceneData();
    const double middle = 0.5 * (clockTop(data) + clockBottom(data));
    viewport->session().setClockLogSigma(middle);
    QTest::qWait(300);
    QVERIFY(viewport->session().clockLogSigma() < middle - 0.1);
    ViewSettings view = viewport->session().viewSettings();
    view.forward = true;
    viewport->session().setViewSettings(view);
    viewport->session().setClockLogSigma(middle);
    QTest::qWait(300);
    QVERIFY(viewport->session().clockLogSigma() > middle + 0.1);
}

// Help › Shortcuts: a dialog with one table, built from kShortcuts: a titled block per group in
// order, each key in the first column and its action in the second, every cell of a column at
// one x and wide enough for its text; asking again raises the same dialog.
void TestViewportGui::shortcutsAreATableInGroups() {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QAction* action = nullptr;
    for (auto* a : window.findChildren<QAction*>())
        if (a->text() == "&Shortcuts") action = a;
    QVERIFY(action);
    // A modal message box would block here: close it after a while so that the test fails.
    QTimer::singleShot(4000, [] {
        if (auto* modal = QApplication::activeModalWidget()) modal->close();
    });
    action->trigger();
    auto findTable = [] {
        for (auto* top : QApplication::topLevelWidgets())
            if (auto* t = top->findChild<QTableWidget*>("shortcuts"); t && t->isVisible()) return t;
        return static_cast<QTableWidget*>(nullptr);
    };
    QTRY_VERIFY_WITH_TIMEOUT(findTable() != nullptr, 3000);
    QTableWidget* table = findTable();
    QCOMPARE(table->columnCount(), 2);
    auto str = [](std::string_view s) { return QString::fromUtf8(s.data(), s.size()); };
    int row = 0, keyX = -1, actionX = -1;
    const QFontMetrics metrics(table->font());
    for (const auto& group : kShortcutGroups) {
        QVERIFY(row < table->rowCount());
        QCOMPARE(table->item(row, 0)->text(), str(group.title));
        QCOMPARE(table->columnSpan(row, 0), 2);
        ++row;
        for (const auto& s : kShortcuts) {
            if (s.group != group.value) continue;
            QVERIFY(row < table->rowCount());
            const auto* key = table->item(row, 0);
            const auto* what = table->item(row, 1);
            QCOMPARE(key->text(), str(s.keys));
            QCOMPARE(what->text(), str(s.action));
            const QRect k = table->visualItemRect(key), a = table->visualItemRect(what);
            if (keyX < 0) keyX = k.x(), actionX = a.x();
            QCOMPARE(k.x(), keyX);
            QCOMPARE(a.x(), actionX);
            QVERIFY2(metrics.horizontalAdvance(key->text()) < k.width() &&
                         metrics.horizontalAdvance(what->text()) < a.width(),
                     qPrintable(key->text() + " / " + what->text()));
            // Every row shows without scrolling.
            QVERIFY(table->viewport()->rect().contains(k) && table->viewport()->rect().contains(a));
            ++row;
        }
    }
    QCOMPARE(row, table->rowCount());
    QVERIFY(actionX > keyX);
    QDialog* dialog = qobject_cast<QDialog*>(table->window());
    QVERIFY(dialog && !dialog->isModal());
    action->trigger();
    int shown = 0;
    for (auto* t : window.findChildren<QTableWidget*>("shortcuts")) shown += t->isVisible();
    QCOMPARE(shown, 1);
    dialog->close();
}

// P hides every control and shows what the marks mean; Esc brings everything back.
void TestViewportGui::presentationModeHidesEveryControl() {
    MainWindow window;
    window.resize(1100, 760);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* viewport = window.viewport();
    QVERIFY(waitForFirstScene(viewport));
    QVERIFY(viewport->sceneRect().left() > 0); // the control panel's column
    QTest::keyClick(viewport, Qt::Key_P);
    QVERIFY(viewport->presenting());
    QVERIFY(!viewport->panelVisible());
    QVERIFY(!window.menuBar()->isVisible() && !window.statusBar()->isVisible());
    QTRY_COMPARE(viewport->sceneRect().left(), 0.0);
    QTRY_COMPARE(viewport->sceneRect().width(), double(viewport->width()));
    // The legend at the bottom left names the layers shown: with none, it is empty.
    const auto legendInk = [&](unsigned layers) {
        ViewSettings view = viewport->session().viewSettings();
        view.playing = false;
        view.layers = layers;
        viewport->session().setViewSettings(view);
        viewport->update();
        QTest::qWait(150);
        const QImage image = viewport->grabFramebuffer();
        int ink = 0;
        for (int y = image.height() - 110; y < image.height() - 8; ++y)
            for (int x = 10; x < 420; ++x) ink += qGray(image.pixel(x, y)) > 170;
        return ink;
    };
    const int with = legendInk(render::kAllLayers), without = legendInk(0);
    QVERIFY2(with > 300 && with > 10 * (without + 1),
             qPrintable(QString("%1 bright pixels with the legend, %2 without").arg(with).arg(without)));
    QTest::keyClick(viewport, Qt::Key_Escape);
    QVERIFY(!viewport->presenting());
    QVERIFY(viewport->panelVisible());
    QVERIFY(window.menuBar()->isVisible() && window.statusBar()->isVisible());
}

QTEST_MAIN(TestViewportGui)
#include "tst_viewport_gui.moc"
