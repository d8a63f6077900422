// A context without compute shaders (Mesa told to offer OpenGL 3.3 only, see CMakeLists): the
// window draws on the CPU path and says why, a forced GPU choice stays on the CPU, and
// `sample --backend gl` refuses in one line.
#include "app/main_window.h"
#include "app/viewport_widget.h"

#include "tests/support/app_process.h"

#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>

using namespace psc;
using namespace psc::app;

class TestNoCompute : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void windowStaysOnTheCpuAndSaysWhy();
    void glBackendRefuses();
};

void TestNoCompute::windowStaysOnTheCpuAndSaysWhy() {
    QCOMPARE(qgetenv("MESA_GL_VERSION_OVERRIDE"), QByteArray("3.3"));
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* viewport = window.viewport();
    QVERIFY(QTest::qWaitFor(
        [&] { return viewport->session().sceneData() && !viewport->computing(); }, 60000));
    QVERIFY(viewport->renderError().isEmpty()); // 3.3 core is enough to draw
    QVERIFY(!viewport->particlesOnGpu());
    QVERIFY2(viewport->computeNote().contains("no compute shaders"),
             qPrintable(viewport->computeNote()));
    ViewSettings view = viewport->session().viewSettings();
    view.compute = ComputeChoice::Gpu;
    viewport->session().setViewSettings(view);
    QTest::qWait(300);
    QVERIFY(!viewport->particlesOnGpu());
    QVERIFY(!viewport->session().sceneData()->paths.empty());
    const QImage image = viewport->grabFramebuffer();
    int lit = 0;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2) {
            const QRgb p = image.pixel(x, y);
            lit += qRed(p) + qGreen(p) + qBlue(p) > 3 * 90;
        }
    QVERIFY2(lit > 500, qPrintable(QString::number(lit)));
}

void TestNoCompute::glBackendRefuses() {
    QTemporaryDir dir;
    const auto out = dir.filePath("out.csv");
    const auto r = runApp(
        {"sample", "--dataset", "two-moons", "--backend", "gl", "--particles", "50", "--out", out});
    QVERIFY(r.code != 0);
    QVERIFY2(r.err.contains("no compute shaders"), qPrintable(r.err));
    QVERIFY(!QFile::exists(out));
}

QTEST_MAIN(TestNoCompute)
#include "tst_no_compute.moc"
