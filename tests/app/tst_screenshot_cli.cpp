// `poissonscope --screenshot` as a user runs it: a PNG of the right size with the scene in it,
// scene files honoured, and refusals that leave no file behind.
#include "tests/support/app_process.h"

#include <QFile>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

int exitCode(const QStringList& args, QString* err = nullptr) {
    const AppRun r = runApp(args);
    if (err) *err = r.err;
    return r.code;
}

int inkedPixels(const QImage& image) {
    int inked = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QRgb p = image.pixel(x, y);
            inked += qRed(p) + qGreen(p) + qBlue(p) > 3 * 40;
        }
    return inked;
}

} // namespace

class TestScreenshotCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void writesAPngOfTheScene();
    void sceneFileIsUsed();
    void refusalsLeaveNoFile();
    void transparentBackground();
};

void TestScreenshotCli::writesAPngOfTheScene() {
    QTemporaryDir dir;
    const QString out = dir.filePath("shot.png");
    QString err;
    QCOMPARE(
        exitCode({"--screenshot", out, "--size", "320x200", "--particles", "200", "--D", "inf"},
                 &err),
        0);
    const QImage image(out);
    QCOMPARE(image.size(), QSize(320, 200));
    QVERIFY2(inkedPixels(image) > 500, qPrintable(QString::number(inkedPixels(image))));
}

void TestScreenshotCli::sceneFileIsUsed() {
    QTemporaryDir dir;
    const QString a = dir.filePath("a.png"), b = dir.filePath("b.png");
    const QString scene =
        QString::fromLocal8Bit(qgetenv("PSC_SOURCE_DIR")) + "/assets/scenes/three-charges.json";
    QVERIFY(QFile::exists(scene));
    QCOMPARE(exitCode({"--scene", scene, "--screenshot", a, "--size", "240x160"}), 0);
    QCOMPARE(exitCode({"--scene", scene, "--screenshot", b, "--size", "240x160", "--D", "inf"}), 0);
    QVERIFY(QImage(a) != QImage(b)); // the command line overrides the file's D
}

void TestScreenshotCli::refusalsLeaveNoFile() {
    QTemporaryDir dir;
    const QString out = dir.filePath("never.png");
    QFile bad(dir.filePath("bad.json"));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("{\"format\": \"poissonscope-scene\", \"version\": 1, \"field\": {\"D\": 0.5}}");
    bad.close();
    QString err;
    QCOMPARE(exitCode({"--scene", bad.fileName(), "--screenshot", out}, &err), 2);
    QVERIFY2(err.contains("field.D"), qPrintable(err));
    QCOMPARE(exitCode({"--screenshot", out, "--D", "0"}, &err), 2);
    QCOMPARE(exitCode({"--screenshot", dir.filePath("no/such/dir/x.png"), "--size", "64x64",
                       "--particles", "10"},
                      &err),
             2);
    QCOMPARE(exitCode({"--screenshot", dir.filePath("x.jpg")}, &err), 2);
    QVERIFY(!QFile::exists(out));
}

// The background is fully transparent, the scene opaque where it is drawn, and its colours are
// the opaque render's (straight alpha, not darkened by premultiplication).
void TestScreenshotCli::transparentBackground() {
    QTemporaryDir dir;
    const QString opaque = dir.filePath("o.png"), clear = dir.filePath("t.png");
    const QStringList common{"--size",        "240x160", "--particles", "300",
                             "--field-lines", "0",       "--sigma",     "0"};
    QCOMPARE(exitCode(QStringList{"--screenshot", opaque} + common), 0);
    QCOMPARE(exitCode(QStringList{"--screenshot", clear, "--transparent"} + common), 0);
    const QImage a(opaque), b(clear);
    QVERIFY(b.hasAlphaChannel());
    QCOMPARE(qAlpha(b.pixel(0, 0)), 0);
    int solid = 0, matching = 0;
    for (int y = 0; y < b.height(); ++y)
        for (int x = 0; x < b.width(); ++x) {
            const QRgb p = b.pixel(x, y), q = a.pixel(x, y);
            if (qAlpha(p) < 250) continue;
            ++solid;
            matching += std::abs(qRed(p) - qRed(q)) + std::abs(qGreen(p) - qGreen(q)) +
                            std::abs(qBlue(p) - qBlue(q)) <
                        24;
        }
    QVERIFY2(solid > 100, qPrintable(QString::number(solid)));
    // Faint glows keep their colour: a background left in the colour channels would turn them
    // white once un-premultiplied.
    int faint = 0, white = 0;
    for (int y = 0; y < b.height(); ++y)
        for (int x = 0; x < b.width(); ++x) {
            const QRgb p = b.pixel(x, y);
            if (qAlpha(p) < 5 || qAlpha(p) > 100) continue;
            ++faint;
            white += qRed(p) > 245 && qGreen(p) > 245 && qBlue(p) > 245;
        }
    QVERIFY2(faint > 50 && white < faint / 10,
             qPrintable(QString("%1 of %2 faint pixels white").arg(white).arg(faint)));
    QVERIFY2(matching > 0.9 * solid, qPrintable(QString("%1 of %2").arg(matching).arg(solid)));
}

QTEST_MAIN(TestScreenshotCli)
#include "tst_screenshot_cli.moc"
