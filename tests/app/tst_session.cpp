// Settings persist across a restart: theme, panel layout, the scene with its view and camera,
// recent files; a saved scene that no longer loads leaves the default scene and says so.
#include "app/main_window.h"
#include "app/scene/scene_file.h"
#include "app/viewport_widget.h"

#include "physics/extra_dims.h"

#include <QApplication>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

using namespace psc;
using namespace psc::app;

namespace {

bool waitForScene(ViewportWidget* viewport, const std::function<bool()>& also) {
    return QTest::qWaitFor(
        [&] { return viewport->session().sceneData() && !viewport->computing() && also(); }, 60000);
}

QStringList recentEntries(MainWindow& window) {
    QStringList names;
    for (auto* menu : window.menuBar()->findChildren<QMenu*>())
        if (menu->title() == "Open &recent")
            for (auto* action : menu->actions()) names << action->text();
    return names;
}

} // namespace

class TestSession : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init() { QSettings().clear(); }
    void restartRestoresTheSession();
    void aBrokenSavedSceneFallsBack();
    void windowsThatDoNotRestoreStartFresh();

private:
    QTemporaryDir m_config;
};

void TestSession::initTestCase() {
    // Never the user's own settings.
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_config.path());
    QCoreApplication::setOrganizationName("PoissonscopeTests");
    QCoreApplication::setApplicationName("tst_session");
}

void TestSession::restartRestoresTheSession() {
    QTemporaryDir dir;
    const QString scenePath = dir.filePath("three.json");
    QByteArray layout;
    {
        MainWindow first;
        first.show();
        QVERIFY(QTest::qWaitForWindowExposed(&first));
        auto* viewport = first.viewport();
        SceneSettings scene;
        scene.dataset = "three-charges";
        scene.d = 8.0;
        scene.particles = 300;
        viewport->session().setSceneSettings(scene);
        ViewSettings view = viewport->session().viewSettings();
        view.layers = static_cast<unsigned>(render::Layer::Charges) |
                      static_cast<unsigned>(render::Layer::FieldLines);
        view.trailLength = 2.5f;
        viewport->session().setViewSettings(view);
        first.setTheme(Theme::Light);
        QVERIFY(waitForScene(viewport,
                             [&] { return viewport->session().sceneData()->settings.d == 8.0; }));
        QVERIFY(first.saveScene(scenePath)); // and into the recent files
        QTest::qWait(200);
        layout = viewport->panelLayout();
        QVERIFY(layout.contains("[Window][Poissonscope]"));
        first.close();
    }
    MainWindow second;
    second.restoreSession();
    second.show();
    QVERIFY(QTest::qWaitForWindowExposed(&second));
    auto* viewport = second.viewport();
    QVERIFY(
        waitForScene(viewport, [&] { return viewport->session().sceneData()->settings.d == 8.0; }));
    const auto& scene = viewport->session().sceneData()->settings;
    QCOMPARE(scene.dataset, std::string("three-charges"));
    QCOMPARE(scene.particles, 300);
    QCOMPARE(viewport->session().viewSettings().trailLength, 2.5f);
    QCOMPARE(viewport->session().viewSettings().layers,
             static_cast<unsigned>(render::Layer::Charges) |
                 static_cast<unsigned>(render::Layer::FieldLines));
    QCOMPARE(viewport->theme(), Theme::Light);
    QCOMPARE(QApplication::palette().color(QPalette::Window).lightness() > 128, true);
    QTest::qWait(200);
    QVERIFY(viewport->panelLayout().contains("[Window][Poissonscope]"));
    QVERIFY(recentEntries(second).contains("three.json"));
    second.setTheme(Theme::Dark);
    QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 128);
}

void TestSession::aBrokenSavedSceneFallsBack() {
    QSettings().setValue("session/scene", QByteArray(R"({"format": "poissonscope-scene",
        "version": 1, "field": {"D": -3}})"));
    MainWindow window;
    window.restoreSession();
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const auto* notice = window.findChild<QLabel*>("notice");
    QVERIFY(notice && notice->isVisible());
    QVERIFY2(notice->text().contains("could not be restored") && notice->text().contains("field.D"),
             qPrintable(notice->text()));
    auto* viewport = window.viewport();
    QVERIFY(waitForScene(viewport, [] { return true; }));
    QCOMPARE(viewport->session().sceneData()->settings.dataset, SceneSettings{}.dataset);
}

void TestSession::windowsThatDoNotRestoreStartFresh() {
    {
        MainWindow first;
        SceneSettings scene;
        scene.dataset = "two-charges";
        first.viewport()->session().setSceneSettings(scene);
        first.close();
    }
    MainWindow second; // as tests and embedders make them: no restoreSession()
    QCOMPARE(second.viewport()->session().sceneSettings().dataset, SceneSettings{}.dataset);
    MainWindow third;
    third.restoreSession(false); // a scene named on the command line wins over the saved one
    QCOMPARE(third.viewport()->session().sceneSettings().dataset, SceneSettings{}.dataset);
}

QTEST_MAIN(TestSession)
#include "tst_session.moc"
