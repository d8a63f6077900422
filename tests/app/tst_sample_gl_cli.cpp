// `poissonscope sample --backend gl` as a user runs it: same points as the cpu backend, a clear
// refusal without a display, and nothing written then.
#include "physics/point_io.h"
#include "tests/support/app_process.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

class TestSampleGlCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void glMatchesCpu_data();
    void glMatchesCpu();
    void withoutDisplayRefusesClearly();
};

void TestSampleGlCli::glMatchesCpu_data() {
    QTest::addColumn<QString>("d");
    QTest::addColumn<QString>("solver");
    QTest::newRow("D=1 heun") << "1"
                              << "heun";
    QTest::newRow("D=128 rk4") << "128"
                               << "rk4";
    QTest::newRow("D=inf euler") << "inf"
                                 << "euler";
    QTest::newRow("D=3.5 rk45") << "3.5"
                                << "rk45";
}

void TestSampleGlCli::glMatchesCpu() {
    QFETCH(QString, d);
    QFETCH(QString, solver);
    QTemporaryDir dir;
    const QString gl = dir.filePath("gl.csv"), cpu = dir.filePath("cpu.csv");
    const QStringList common{"sample", "--dataset", "8-gaussians", "--particles", "2000", "--D",
                             d,        "--solver",  solver,        "--seed",      "3"};
    const auto a = runApp(common + QStringList{"--backend", "gl", "--out", gl});
    QVERIFY2(a.code == 0, qPrintable(a.err));
    QVERIFY2(a.err.contains("(gl: "), qPrintable(a.err)); // the summary names the GL renderer
    QCOMPARE(runApp(common + QStringList{"--backend", "cpu", "--out", cpu}).code, 0);
    const auto pa = psc::physics::loadPoints(gl.toStdString()),
               pb = psc::physics::loadPoints(cpu.toStdString());
    QCOMPARE(pa.values.size(), pb.values.size());
    double worst = 0;
    for (std::size_t i = 0; i < pa.values.size(); ++i)
        worst = std::max(worst, std::abs(pa.values[i] - pb.values[i]));
    QVERIFY2(worst < 2e-3, qPrintable(QString("worst difference %1").arg(worst)));
}

void TestSampleGlCli::withoutDisplayRefusesClearly() {
    QTemporaryDir dir;
    const QString out = dir.filePath("never.csv");
    auto env = QProcessEnvironment::systemEnvironment();
    for (const char* name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}) env.remove(name);
    const auto r =
        runApp({"sample", "--dataset", "two-moons", "--backend", "gl", "--out", out}, env);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("xvfb-run") && r.err.contains("OpenGL"), qPrintable(r.err));
    QVERIFY(!QFile::exists(out));
}

QTEST_APPLESS_MAIN(TestSampleGlCli)
#include "tst_sample_gl_cli.moc"
