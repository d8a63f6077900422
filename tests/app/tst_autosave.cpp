// A killed window loses nothing: the session (scene, view, camera, panels) and the learned fields
// are saved a few seconds after a change, not only on a clean exit, and the next start restores
// them. The first case kills the real binary with SIGKILL.
#include "app/main_window.h"
#include "app/scene/scene_file.h"
#include "app/viewport_widget.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace psc;
using namespace psc::app;

namespace {

// The scene a settings file holds, if it holds one that parses.
std::optional<SceneFile> savedScene(const QString& settingsFile) {
    if (!QFile::exists(settingsFile)) return std::nullopt;
    QSettings settings(settingsFile, QSettings::IniFormat);
    const QByteArray json = settings.value("session/scene").toByteArray();
    if (json.isEmpty()) return std::nullopt;
    try {
        return sceneFromJson(json, {});
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

} // namespace

class TestAutosave : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aKilledWindowRestartsWhereItWas() {
        QTemporaryDir home;
        SceneFile file;
        file.scene.dataset = "8-gaussians";
        file.scene.d = 7.5;
        file.scene.particles = 300;
        file.view.playing = false;
        const QString scenePath = home.filePath("lecture.json");
        saveSceneFile(scenePath, file);

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("HOME", home.path());
        env.insert("XDG_CONFIG_HOME", home.filePath("config"));
        env.insert("XDG_DATA_HOME", home.filePath("data"));
        const QString settingsFile = home.filePath("config/Poissonscope/Poissonscope.conf");
        QProcess app;
        app.setProcessEnvironment(env);
        app.start(QStringLiteral(PSC_BINARY), {"--scene", scenePath});
        QVERIFY(app.waitForStarted(10000));
        // Saved within seconds, while the process runs.
        QVERIFY2(QTest::qWaitFor(
                     [&] {
                         const auto saved = savedScene(settingsFile);
                         return saved && saved->scene.d == 7.5;
                     },
                     30000),
                 "the opened scene was not saved while the window ran");
        QCOMPARE(app.state(), QProcess::Running);
        app.kill(); // SIGKILL: no close event, no destructor
        QVERIFY(app.waitForFinished(10000));

        const auto saved = savedScene(settingsFile);
        QVERIFY(saved);
        QCOMPARE(saved->scene.dataset, std::string("8-gaussians"));
        QCOMPARE(saved->scene.particles, 300);
        QCOMPARE(saved->view.playing, false);
        QVERIFY2(QDir(home.path()).entryList({"*.tmp", "*.lock"}, QDir::Files).isEmpty(),
                 "nothing half-written is left beside the settings");

        // The next start restores it.
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, home.filePath("config"));
        QCoreApplication::setOrganizationName("Poissonscope");
        QCoreApplication::setApplicationName("Poissonscope");
        MainWindow window;
        window.restoreSession();
        window.show();
        QCOMPARE(window.session().sceneSettings().dataset, std::string("8-gaussians"));
        QCOMPARE(window.session().sceneSettings().d, 7.5);
        QCOMPARE(window.session().viewSettings().playing, false);
    }

    // An edit is on disk within seconds, learned fields included, without any close.
#ifdef PSC_WITH_TORCH_TESTS
    void learnedFieldsSurviveWithoutAClose() {
        QTemporaryDir home;
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, home.filePath("config"));
        qputenv("XDG_DATA_HOME", home.filePath("data").toUtf8());
        QCoreApplication::setOrganizationName("PoissonscopeTests");
        QCoreApplication::setApplicationName("tst_autosave");
        QSettings().clear();
        {
            auto* first = new MainWindow;
            first->restoreSession(false);
            first->show();
            QVERIFY(QTest::qWaitForWindowExposed(first));
            SceneSession& session = first->session();
            QVERIFY(QTest::qWaitFor([&] { return session.sceneData() && !session.computing(); },
                                    30000));
            physics::TrainSettings train;
            train.steps = 60;
            train.batch = 64;
            train.threads = 1;
            session.trainOnScene({8.0}, train);
            QVERIFY(QTest::qWaitFor([&] { return !session.trainer().busy(); }, 60000));
            QCOMPARE(session.trainer().state().models.size(), std::size_t(1));
            session.addCharge(0.25, 1.75);
            QVERIFY(QTest::qWaitFor(
                [&] {
                    QSettings settings;
                    return settings.value("session/learnedFields").toStringList().size() == 1 &&
                           savedScene(settings.fileName()) &&
                           !savedScene(settings.fileName())->scene.editedPositions.empty();
                },
                15000));
            // As good as a kill: the window is destroyed without a close event.
            delete first;
        }
        MainWindow second;
        second.restoreSession();
        QCOMPARE(second.session().trainer().state().models.size(), std::size_t(1));
        QCOMPARE(second.session().trainer().state().models.front()->origin,
                 std::string("kept from the last session"));
        QVERIFY(!second.session().sceneSettings().editedPositions.empty());
    }
#endif
};

QTEST_MAIN(TestAutosave)
#include "tst_autosave.moc"
