// Failure paths of the window under Xvfb: files that do not load leave the scene on screen as
// it was and say why (file, line or key); a lost OpenGL context while the GPU moves the
// particles hands them to the CPU with a notice and the picture comes back.
#include "app/main_window.h"
#include "app/viewport_widget.h"

#include "render/compute/gpu_particle_flow.h"

#include <QApplication>
#include <QFile>
#include <QImage>
#include <QMessageBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QVBoxLayout>

using namespace psc;
using namespace psc::app;

namespace {

bool waitForScene(
    ViewportWidget* viewport, const std::function<bool()>& also = [] { return true; }) {
    return QTest::qWaitFor(
        [&] { return viewport->session().sceneData() && !viewport->computing() && also(); }, 60000);
}

QString write(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes) {
    QFile file(dir.filePath(name));
    if (!file.open(QIODevice::WriteOnly)) return {};
    file.write(bytes);
    return file.fileName();
}

// Opens path in the window, answering the message box it must raise; returns its text.
QString openRefused(MainWindow& window, const QString& path) {
    QString shown;
    QTimer::singleShot(300, [&] {
        if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
            shown = box->text();
            box->accept();
        }
    });
    if (window.openFile(path)) return "accepted";
    return shown;
}

int litPixels(const QImage& image) {
    int lit = 0;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2) {
            const QRgb p = image.pixel(x, y);
            lit += qRed(p) + qGreen(p) + qBlue(p) > 3 * 90;
        }
    return lit;
}

} // namespace

class TestFailurePaths : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void brokenFilesLeaveTheScene_data();
    void brokenFilesLeaveTheScene();
    void lostContextHandsTheParticlesToTheCpu();
};

void TestFailurePaths::brokenFilesLeaveTheScene_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");
    QTest::newRow("scene: bad D")
        << "scene.json"
        << QByteArray(R"({"format": "poissonscope-scene", "version": 1, "field": {"D": -2}})")
        << "field.D";
    QTest::newRow("scene: not JSON")
        << "cut.json" << QByteArray("{\"format\":\n  \"poisson") << "line 2";
    QTest::newRow("csv: not a number")
        << "bad.csv" << QByteArray("x,y\n1,2\n3,abc\n") << "bad.csv:3";
    QTest::newRow("npy: truncated")
        << "cut.npy" << QByteArray("\x93NUMPY\x01\x00garbage", 15) << "cut.npy";
    QTest::newRow("missing file") << "" << QByteArray() << "missing.csv";
}

void TestFailurePaths::brokenFilesLeaveTheScene() {
    QFETCH(QString, name);
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* viewport = window.viewport();
    SceneSettings scene;
    scene.dataset = "three-charges";
    scene.d = 8.0;
    scene.particles = 200;
    viewport->session().setSceneSettings(scene);
    QVERIFY(
        waitForScene(viewport, [&] { return viewport->session().sceneData()->settings.d == 8.0; }));
    const auto before = viewport->session().sceneData();
    QTemporaryDir dir;
    const QString path = name.isEmpty() ? dir.filePath("missing.csv") : write(dir, name, content);
    const QString message = openRefused(window, path);
    QVERIFY2(message.contains(expected), qPrintable(message));
    QTest::qWait(300);
    QCOMPARE(viewport->session().sceneSettings(), before->settings);
    QCOMPARE(viewport->session().sceneData(), before); // not even recomputed
}

void TestFailurePaths::lostContextHandsTheParticlesToTheCpu() {
    // Moving a QOpenGLWidget to another window destroys its context and makes a new one, as a
    // lost context does.
    SceneSession session; // outlives the widgets below
    QWidget first, second;
    for (auto* w : {&first, &second}) {
        w->resize(900, 640);
        new QVBoxLayout(w);
    }
    auto* viewport = new ViewportWidget(session);
    first.layout()->addWidget(viewport);
    first.show();
    QVERIFY(QTest::qWaitForWindowExposed(&first));
    ViewSettings view = viewport->session().viewSettings();
    view.compute = ComputeChoice::Gpu; // llvmpipe has compute shaders; auto would keep the CPU
    view.playing = false;
    viewport->session().setViewSettings(view);
    QVERIFY(waitForScene(viewport, [&] { return viewport->particlesOnGpu(); }));
    QVERIFY(QTest::qWaitFor([&] { return viewport->gpuFlow() && viewport->gpuFlow()->finished(); },
                            120000));
    second.layout()->addWidget(viewport); // reparents: the old context goes
    second.show();
    QVERIFY(QTest::qWaitForWindowExposed(&second));
    QVERIFY(waitForScene(viewport, [&] {
        return !viewport->session().sceneData()->particlesOnGpu &&
               !viewport->session().sceneData()->paths.empty();
    }));
    QVERIFY(!viewport->particlesOnGpu());
    QVERIFY2(viewport->computeNote().contains("context was lost"),
             qPrintable(viewport->computeNote()));
    QVERIFY(viewport->renderError().isEmpty());
    viewport->update();
    QTest::qWait(300);
    const int lit = litPixels(viewport->grabFramebuffer());
    QVERIFY2(lit > 500, qPrintable(QString::number(lit)));
    // Asking for the GPU again is refused for the session, with the reason.
    view.compute = ComputeChoice::Gpu;
    viewport->session().setViewSettings(view);
    QTest::qWait(200);
    QVERIFY(!viewport->particlesOnGpu());
}

QTEST_MAIN(TestFailurePaths)
#include "tst_failure_paths.moc"
