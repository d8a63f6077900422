// `poissonscope render` as a user runs it (offscreen under Xvfb), each output checked by an
// independent reader: ffprobe for codec, size, frame count and duration, ffmpeg to decode a frame,
// Qt for PNG frames. Refusals are one line, exit 2, and leave nothing in the folder.
#include "tests/support/app_process.h"

#include <QDir>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include "tests/support/video_probe.h"

#include <csignal>

namespace {

const QStringList kSmallScene{"--particles", "300",     "--field-lines", "16",
                              "--size",      "320x240", "--fps",         "10"};

// Frame `index` decoded by ffmpeg into a PNG.
QImage decodeFrame(const QString& video, int index, const QString& png) {
    QProcess p;
    p.start("ffmpeg", {"-v", "error", "-y", "-i", video, "-vf",
                       QString("select=eq(n\\,%1)").arg(index), "-frames:v", "1", png});
    p.waitForFinished(60000);
    return QImage(png);
}

int litPixels(const QImage& image, QRect area = {}) {
    if (area.isNull()) area = image.rect();
    int lit = 0;
    for (int y = area.top(); y <= area.bottom(); ++y)
        for (int x = area.left(); x <= area.right(); ++x) {
            const QRgb p = image.pixel(x, y);
            lit += qRed(p) + qGreen(p) + qBlue(p) > 3 * 60;
        }
    return lit;
}

QStringList entries(const QTemporaryDir& dir) {
    return QDir(dir.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::Hidden);
}

} // namespace

class TestRenderCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void flowToMp4();
    void dSweepToWebm();
    void gridToGif();
    void orbitToTransparentPngFrames();
    void labelsAreBurnedIn();
    void formulaAndLightStage();
    void dataOfAnyDimensionRenders();
    void imageDataRendersItsImages();
    void interruptLeavesNothing();
    void refusalsLeaveNothing_data();
    void refusalsLeaveNothing();
};

void TestRenderCli::flowToMp4() {
    QTemporaryDir dir;
    const QString out = dir.filePath("flow.mp4");
    const auto r = runApp(
        QStringList{"render", "--what", "flow", "--duration", "1.5", "--out", out} + kSmallScene);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const VideoProbe p = probeVideo(out);
    QCOMPARE(p.codec, QString("h264"));
    QCOMPARE(p.pixFmt, QString("yuv420p"));
    QCOMPARE(p.width, 320);
    QCOMPARE(p.height, 240);
    QCOMPARE(p.frames, 15);
    QVERIFY2(std::abs(p.duration - 1.5) < 0.15, qPrintable(QString::number(p.duration)));
    // The last frame shows the landed particles and the charges: plenty of bright pixels.
    const QImage last = decodeFrame(out, 14, dir.filePath("last.png"));
    QCOMPARE(last.size(), QSize(320, 240));
    QVERIFY2(litPixels(last) > 300, qPrintable(QString::number(litPixels(last))));
    QCOMPARE(entries(dir), (QStringList{"flow.mp4", "last.png"})); // no temporary left behind
}

void TestRenderCli::dSweepToWebm() {
    QTemporaryDir dir;
    const QString out = dir.filePath("sweep.webm");
    const auto r = runApp(QStringList{"render", "--what", "d-sweep", "--duration", "1", "--sigma",
                                      "1", "--out", out} +
                          kSmallScene);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const VideoProbe p = probeVideo(out);
    QCOMPARE(p.codec, QString("vp9"));
    QCOMPARE(p.width, 320);
    QCOMPARE(p.frames, 10);
    // The particles move as D grows: the first and last frames differ.
    const QImage first = decodeFrame(out, 0, dir.filePath("a.png")),
                 last = decodeFrame(out, 9, dir.filePath("b.png"));
    QVERIFY(!first.isNull() && !last.isNull());
    QVERIFY(first != last);
}

void TestRenderCli::gridToGif() {
    QTemporaryDir dir;
    const QString out = dir.filePath("grid.gif");
    const auto r = runApp(
        QStringList{"render", "--what", "grid", "--duration", "0.8", "--out", out} + kSmallScene);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const VideoProbe p = probeVideo(out);
    QCOMPARE(p.codec, QString("gif"));
    QCOMPARE(p.width, 320);
    QCOMPARE(p.frames, 8);
    // Four panels, each with its own picture.
    const QImage frame = decodeFrame(out, 7, dir.filePath("f.png"));
    for (QRect panel : {QRect(0, 0, 160, 120), QRect(160, 0, 160, 120), QRect(0, 120, 160, 120),
                        QRect(160, 120, 160, 120)})
        QVERIFY2(litPixels(frame, panel) > 50,
                 qPrintable(QString::number(litPixels(frame, panel))));
}

void TestRenderCli::orbitToTransparentPngFrames() {
    QTemporaryDir dir;
    const QString out = dir.filePath("orbit") + "/";
    const auto r = runApp(QStringList{"render", "--what", "orbit", "--duration", "0.5",
                                      "--transparent", "--out", out} +
                          kSmallScene);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QStringList files = QDir(out).entryList({"*.png"}, QDir::Files, QDir::Name);
    QCOMPARE(files.size(), 5);
    const QImage first(out + files.front());
    QCOMPARE(first.size(), QSize(320, 240));
    QVERIFY(first.hasAlphaChannel());
    QCOMPARE(qAlpha(first.pixel(0, first.height() - 1)), 0); // background
    int opaque = 0;
    for (int y = 0; y < first.height(); ++y)
        for (int x = 0; x < first.width(); ++x) opaque += qAlpha(first.pixel(x, y)) > 200;
    QVERIFY2(opaque > 100, qPrintable(QString::number(opaque)));
    QVERIFY(QImage(out + files.front()) != QImage(out + files.back())); // the camera moved
}

void TestRenderCli::labelsAreBurnedIn() {
    QTemporaryDir dir;
    const QStringList common = QStringList{
        "render", "--duration", "0.1",     "--D",   "128", "--field-lines", "0", "--particles",
        "0",      "--size",     "320x240", "--fps", "10"};
    QCOMPARE(
        runApp(common + QStringList{"--out", dir.filePath("with") + "/", "--title", "Two moons"})
            .code,
        0);
    QCOMPARE(
        runApp(common + QStringList{"--out", dir.filePath("without") + "/", "--no-labels"}).code,
        0);
    const QImage with(dir.filePath("with/frame_00001.png")),
        without(dir.filePath("without/frame_00001.png"));
    QVERIFY(!with.isNull() && !without.isNull());
    // "D = 128  σ = 80" at the top right and the title at the top left add bright pixels there.
    const QRect topRight(160, 0, 160, 30), topLeft(0, 0, 160, 30);
    QVERIFY(litPixels(with, topRight) > litPixels(without, topRight) + 20);
    QVERIFY(litPixels(with, topLeft) > litPixels(without, topLeft) + 20);
    // A title stays when D and σ are switched off.
    QCOMPARE(runApp(common + QStringList{"--out", dir.filePath("title") + "/", "--no-labels",
                                         "--title", "Two moons"})
                 .code,
             0);
    const QImage title(dir.filePath("title/frame_00001.png"));
    QVERIFY(litPixels(title, topLeft) > litPixels(without, topLeft) + 20);
    QVERIFY(litPixels(title, topRight) <= litPixels(without, topRight) + 5);
}

// A formula typeset at the foot of the frame, on the light stage too: dark ink on white there.
void TestRenderCli::formulaAndLightStage() {
    QTemporaryDir dir;
    const QStringList common = QStringList{
        "render", "--duration", "0.1",     "--D",   "128", "--field-lines", "0", "--particles",
        "0",      "--size",     "320x240", "--fps", "10",  "--no-labels"};
    const QString tex = "x = y + \\sigma\\sqrt{D}\\,u, \\quad \\frac{N}{2}";
    for (const QString stage : {"dark", "light"}) {
        const QString with = dir.filePath(stage + "-formula") + "/",
                      without = dir.filePath(stage) + "/";
        QCOMPARE(
            runApp(common + QStringList{"--stage", stage, "--out", with, "--formula", tex}).code,
            0);
        QCOMPARE(runApp(common + QStringList{"--stage", stage, "--out", without}).code, 0);
        const QImage a(with + "frame_00001.png"), b(without + "frame_00001.png");
        QVERIFY(!a.isNull() && !b.isNull());
        const QRect foot(40, 190, 240, 50);
        int changed = 0, inkOnWhite = 0;
        for (int y = foot.top(); y <= foot.bottom(); ++y)
            for (int x = foot.left(); x <= foot.right(); ++x) {
                const QRgb p = a.pixel(x, y);
                changed += p != b.pixel(x, y);
                inkOnWhite += qRed(p) + qGreen(p) + qBlue(p) < 3 * 90;
            }
        QVERIFY2(changed > 150, qPrintable(stage + ": " + QString::number(changed)));
        if (stage == "light") {
            QVERIFY2(inkOnWhite > 40, qPrintable(QString::number(inkOnWhite)));
            const QRgb corner = b.pixel(2, 2);
            QVERIFY(qRed(corner) > 240 && qGreen(corner) > 240 && qBlue(corner) > 240);
        }
    }
}

// Ctrl-C during an export: exit 1, and neither the output nor its temporary is left behind.
// Two moons embedded in 16 coordinates: the video is drawn through the embedding's plane and
// looks like the 2-D scene (plenty of lit pixels at the end), and the caption reads N = 16.
void TestRenderCli::dataOfAnyDimensionRenders() {
    QTemporaryDir dir;
    const QString out = dir.filePath("moons16.mp4");
    const auto r =
        runApp(QStringList{"render", "--dim", "16", "--D", "128", "--duration", "1", "--out", out} +
               kSmallScene);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const VideoProbe p = probeVideo(out);
    QCOMPARE(p.codec, QString("h264"));
    QCOMPARE(p.frames, 10);
    const QImage last = decodeFrame(out, 9, dir.filePath("last.png"));
    QVERIFY2(litPixels(last) > 300, qPrintable(QString::number(litPixels(last))));
}

// The 64-D digits: each frame carries the first particles as 8×8 images beside their nearest
// training images (grey pixels, dark and bright, in the block at the top left); without the
// images layer the block is absent; in the last frame each particle has landed on a training
// image, so the two halves of a pair agree.
void TestRenderCli::imageDataRendersItsImages() {
    QTemporaryDir dir;
    const QStringList common{"render",  "--dataset",        "digits", "--D",
                             "128",     "--duration",       "0.2",    "--fps",
                             "10",      "--particles",      "40",     "--field-lines",
                             "0",       "--particles-from", "prior",  "--size",
                             "320x240", "--no-labels"};
    const QString with = dir.filePath("with") + "/", without = dir.filePath("without") + "/";
    QCOMPARE(runApp(common + QStringList{"--out", with}).code, 0);
    QCOMPARE(runApp(common + QStringList{"--out", without, "--layers", "charges,particles"}).code,
             0);
    // The block: tiles of 24 px from (8, 30), four pairs of 2·24 + 2 px across, 6 px apart.
    const QRect block(8, 30, 4 * 50 + 3 * 6, 2 * 24 + 6);
    const auto greys = [&](const QImage& image, int& dark, int& bright) {
        dark = bright = 0;
        for (int y = block.top(); y <= block.bottom(); ++y)
            for (int x = block.left(); x <= block.right(); ++x) {
                const QRgb c = image.pixel(x, y);
                if (qRed(c) != qGreen(c) || qGreen(c) != qBlue(c)) continue;
                dark += qRed(c) < 40;
                bright += qRed(c) > 200;
            }
    };
    const QImage last(with + "frame_00002.png"), plain(without + "frame_00002.png");
    QVERIFY(!last.isNull() && !plain.isNull());
    int dark = 0, bright = 0;
    greys(last, dark, bright);
    QVERIFY2(dark > 1500 && bright > 300, qPrintable(QString("%1 %2").arg(dark).arg(bright)));
    int plainDark = 0, plainBright = 0;
    greys(plain, plainDark, plainBright);
    QVERIFY2(plainBright < 20, qPrintable(QString::number(plainBright)));
    // Pair 0: particle at (8, 30), its nearest training image at (34, 30), inside the outline
    // the training image carries.
    double difference = 0;
    for (int y = 2; y < 22; ++y)
        for (int x = 2; x < 22; ++x)
            difference +=
                std::abs(qGray(last.pixel(8 + x, 30 + y)) - qGray(last.pixel(34 + x, 30 + y)));
    QVERIFY2(difference / (20 * 20) < 4, qPrintable(QString::number(difference / (20 * 20))));
}

void TestRenderCli::interruptLeavesNothing() {
    QTemporaryDir dir;
    QProcess process;
    process.start(QStringLiteral(PSC_BINARY),
                  QStringList{"render", "--duration", "60", "--out", dir.filePath("long.mp4")} +
                      kSmallScene);
    QVERIFY(process.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(entries(dir).size() == 1, 30000); // the temporary output exists
    QTest::qWait(500);
    ::kill(static_cast<pid_t>(process.processId()), SIGINT);
    QVERIFY(process.waitForFinished(30000));
    QCOMPARE(process.exitCode(), 1);
    QVERIFY2(QString::fromUtf8(process.readAllStandardError()).contains("nothing written"),
             "no message");
    QCOMPARE(entries(dir), QStringList{});
}

void TestRenderCli::refusalsLeaveNothing_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("odd size mp4") << QStringList{"--size", "321x240", "--out", "@/x.mp4"} << "even";
    QTest::newRow("unknown extension") << QStringList{"--out", "@/x.avi"} << ".mp4, .webm, .gif";
    QTest::newRow("missing folder") << QStringList{"--out", "@/no/such/x.mp4"} << "no/such";
    QTest::newRow("transparent mp4")
        << QStringList{"--transparent", "--out", "@/x.mp4"} << "PNG frames";
    QTest::newRow("bad D") << QStringList{"--D", "0.5", "--out", "@/x.mp4"} << "--D";
    QTest::newRow("bad what") << QStringList{"--what", "spin", "--out", "@/x.mp4"} << "--what";
    QTest::newRow("bad data") << QStringList{"--data", "@/missing.csv", "--out", "@/x.mp4"}
                              << "missing.csv";
    QTest::newRow("no output") << QStringList{} << "--out";
    QTest::newRow("bad formula") << QStringList{"--formula", "\\fracc{1}{2}", "--out", "@/x.mp4"}
                                 << "formula: unknown command \\fracc";
    QTest::newRow("bad stage") << QStringList{"--stage", "white", "--out", "@/x.mp4"} << "stage";
    QTest::newRow("gif above 50 fps") << QStringList{"--fps", "60", "--out", "@/x.gif"} << "50 fps";
    QTest::newRow("huge size") << QStringList{"--size", "4294968576x720", "--out", "@/x.mp4"}
                               << "--size";
}

void TestRenderCli::refusalsLeaveNothing() {
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    QTemporaryDir dir;
    for (auto& a : args) a.replace("@", dir.path());
    const auto r = runApp(QStringList{"render", "--duration", "0.2"} + args);
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(message) && r.err.count('\n') <= 2, qPrintable(r.err));
    QCOMPARE(entries(dir), QStringList{});
}

QTEST_APPLESS_MAIN(TestRenderCli)
#include "tst_render_cli.moc"
