// VideoEncoder's files as an independent reader sees them (Debian's ffprobe and ffmpeg), and
// every refusal or abandoned export leaving nothing behind in the directory.
#include "app/export/gif_palette.h"
#include "app/export/video_encoder.h"

extern "C" {
#include <libavutil/log.h>
}

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPainter>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "tests/support/video_probe.h"
#include <QtEndian>

#include <cmath>
#include <memory>
#include <optional>

using namespace psc::exporter;

Q_DECLARE_METATYPE(VideoFormat)
Q_DECLARE_METATYPE(std::optional<VideoFormat>)

namespace {

// Needs Debian's ffmpeg package: the files must be read by something other than the writer.
#define REQUIRE_FFMPEG()                                                                           \
    if (QStandardPaths::findExecutable("ffprobe").isEmpty() ||                                     \
        QStandardPaths::findExecutable("ffmpeg").isEmpty())                                        \
    QSKIP("ffprobe/ffmpeg (Debian's ffmpeg package) not installed")

const QRgb kStripColours[3] = {qRgb(255, 0, 0), qRgb(0, 255, 0), qRgb(0, 0, 255)};

// Top 2/3: red, green and blue strips (the colours to find again); below: a grey ramp with a
// square moving one step a frame, so that frames differ.
QImage testFrame(int index, int width, int height, QImage::Format format = QImage::Format_RGB32) {
    QImage image(width, height, format);
    QPainter p(&image);
    const int stripsHeight = height * 2 / 3;
    for (int s = 0; s < 3; ++s)
        p.fillRect(s * width / 3, 0, width / 3 + 1, stripsHeight, QColor(kStripColours[s]));
    QLinearGradient ramp(0, 0, width, 0);
    ramp.setColorAt(0, Qt::black);
    ramp.setColorAt(1, Qt::white);
    p.fillRect(0, stripsHeight, width, height - stripsHeight, ramp);
    p.fillRect((index * 8) % (width - 16), stripsHeight + 4, 16, 16, QColor(255, 200, 0));
    return image;
}

// The strip colour at the middle of each strip; within tolerance per channel.
bool stripsSurvive(const QImage& decoded, int tolerance, QString* why) {
    for (int s = 0; s < 3; ++s) {
        const QRgb got = decoded.pixel(decoded.width() * (2 * s + 1) / 6, decoded.height() / 3);
        const QRgb want = kStripColours[s];
        if (std::abs(qRed(got) - qRed(want)) > tolerance ||
            std::abs(qGreen(got) - qGreen(want)) > tolerance ||
            std::abs(qBlue(got) - qBlue(want)) > tolerance) {
            *why = QString("strip %1: got %2, expected %3").arg(s).arg(got, 8, 16).arg(want, 8, 16);
            return false;
        }
    }
    return true;
}

QImage decodeFirstFrame(const QString& video, const QString& png) {
    QProcess p;
    p.start("ffmpeg", {"-v", "error", "-y", "-i", video, "-frames:v", "1", "-f", "image2", png});
    p.waitForFinished(60000);
    return QImage(png);
}

// The top-level ISO-BMFF boxes in file order ("ftyp", "moov", "mdat", ...).
QStringList topLevelBoxes(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    const QByteArray d = f.readAll();
    QStringList boxes;
    for (qint64 at = 0; at + 8 <= d.size();) {
        quint64 size = qFromBigEndian<quint32>(d.constData() + at);
        if (size == 1 && at + 16 <= d.size())
            size = qFromBigEndian<quint64>(d.constData() + at + 8);
        else if (size == 0)
            size = quint64(d.size() - at);
        if (size < 8) break;
        boxes << QString::fromLatin1(d.mid(at + 4, 4));
        at += qint64(size);
    }
    return boxes;
}

QStringList entries(const QString& dir) {
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::System |
                               QDir::NoDotAndDotDot);
}

// The ExportError's message, or an empty string when f() did not throw one.
template <class F>
QString exportErrorOf(F&& f) {
    try {
        f();
    } catch (const ExportError& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

VideoSettings smallSettings(int width = 384, int height = 216, int fps = 30) {
    VideoSettings s;
    s.width = width;
    s.height = height;
    s.fps = fps;
    return s;
}

} // namespace

class TestVideoEncoder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { av_log_set_level(AV_LOG_ERROR); } // no x264 statistics on stderr
    void init() {
        m_dir = std::make_unique<QTemporaryDir>(); // a fresh directory per test and row
        QVERIFY(m_dir->isValid());
    }
    void formatFollowsThePath_data();
    void formatFollowsThePath();
    void encodesWhatFfprobeReads_data();
    void encodesWhatFfprobeReads();
    void finishReplacesAnExistingFile();
    void pngFramesReadBackIdentical();
    void refusedSettingsLeaveNothing_data();
    void refusedSettingsLeaveNothing();
    void readOnlyDirectoryIsRefused();
    void pngRefusesANonEmptyDirectory();
    void wrongFrameSizeIsRefused();
    void abandonedExportLeavesNothing_data();
    void abandonedExportLeavesNothing();
    void finishNeedsAFrame();
    void medianCutKeepsFewColoursExact();
    void gifPaletteIsRebuiltOnlyOnDrift();

private:
    QString path(const QString& name) const { return m_dir->filePath(name); }
    QString dir() const { return m_dir->path(); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestVideoEncoder::formatFollowsThePath_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<std::optional<VideoFormat>>("format");
    QTest::newRow("mp4") << "a/clip.mp4" << std::optional(VideoFormat::Mp4);
    QTest::newRow("MP4 upper case") << "CLIP.MP4" << std::optional(VideoFormat::Mp4);
    QTest::newRow("webm") << "clip.WebM" << std::optional(VideoFormat::WebM);
    QTest::newRow("gif") << "x/y/clip.gif" << std::optional(VideoFormat::Gif);
    QTest::newRow("trailing slash") << "frames/" << std::optional(VideoFormat::PngSequence);
    QTest::newRow("existing directory") << "." << std::optional(VideoFormat::PngSequence);
    QTest::newRow("avi") << "clip.avi" << std::optional<VideoFormat>();
    QTest::newRow("no extension") << "clip" << std::optional<VideoFormat>();
    QTest::newRow("empty") << "" << std::optional<VideoFormat>();
}

void TestVideoEncoder::formatFollowsThePath() {
    QFETCH(QString, path);
    QFETCH(std::optional<VideoFormat>, format);
    QVERIFY(videoFormatForPath(path.toStdString()) == format);
}

void TestVideoEncoder::encodesWhatFfprobeReads_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("codec");
    QTest::addColumn<int>("tolerance"); // per channel, 0..255, on the decoded strips
    QTest::newRow("mp4") << "clip.mp4"
                         << "h264" << 10;
    QTest::newRow("webm") << "clip.webm"
                          << "vp9" << 10;
    QTest::newRow("gif") << "clip.gif"
                         << "gif" << 4;
}

void TestVideoEncoder::encodesWhatFfprobeReads() {
    REQUIRE_FFMPEG();
    QFETCH(QString, name);
    QFETCH(QString, codec);
    QFETCH(int, tolerance);
    const QString out = path(name);
    const int frames = 45, fps = 30;
    {
        VideoEncoder encoder(out.toStdString(), *videoFormatForPath(out.toStdString()),
                             smallSettings());
        for (int i = 0; i < frames; ++i) encoder.addFrame(testFrame(i, 384, 216));
        QCOMPARE(encoder.framesWritten(), frames);
        encoder.finish();
    }
    QCOMPARE(entries(dir()), QStringList{name}); // no temporary left

    const VideoProbe p = probeVideo(out);
    QCOMPARE(p.codec, codec);
    QCOMPARE(p.width, 384);
    QCOMPARE(p.height, 216);
    QCOMPARE(p.frames, frames);
    // GIF delays are whole 1/100 s: 3 or 4 at 30 fps, 1.5 s on average over the clip.
    QVERIFY2(std::abs(p.duration - double(frames) / fps) < 0.05,
             qPrintable(QString::number(p.duration)));
    if (codec != "gif") QCOMPARE(p.pixFmt, QString("yuv420p"));

    // Colours: a wrong YUV matrix (BT.601 against the BT.709 tag) moves red by ~20.
    const QImage decoded = decodeFirstFrame(out, path("first.png"));
    QCOMPARE(decoded.size(), QSize(384, 216));
    QString why;
    QVERIFY2(stripsSurvive(decoded, tolerance, &why), qPrintable(why));

    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    if (codec == "h264") {
        const QStringList boxes = topLevelBoxes(out);
        QVERIFY2(boxes.contains("moov") && boxes.contains("mdat"), qPrintable(boxes.join(' ')));
        QVERIFY2(boxes.indexOf("moov") < boxes.indexOf("mdat"),
                 qPrintable(boxes.join(' '))); // faststart
    }
    if (codec == "gif") // NETSCAPE2.0 application block, loop count 0: forever
        QVERIFY(bytes.contains(QByteArray("NETSCAPE2.0\x03\x01\x00\x00", 15)));
}

void TestVideoEncoder::finishReplacesAnExistingFile() {
    REQUIRE_FFMPEG();
    const QString out = path("clip.mp4");
    {
        QFile old(out);
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("an older export");
    }
    VideoEncoder encoder(out.toStdString(), VideoFormat::Mp4, smallSettings());
    for (int i = 0; i < 5; ++i) encoder.addFrame(testFrame(i, 384, 216, QImage::Format_RGB888));
    encoder.finish();
    QCOMPARE(entries(dir()), QStringList{"clip.mp4"});
    const VideoProbe p = probeVideo(out);
    QCOMPARE(p.codec, QString("h264"));
    QCOMPARE(p.frames, 5);
}

void TestVideoEncoder::pngFramesReadBackIdentical() {
    const QString target = path("frames");
    QVERIFY(QDir().mkdir(target)); // an empty directory is replaced
    std::vector<QImage> sent;
    {
        VideoEncoder encoder((target + "/").toStdString(), VideoFormat::PngSequence,
                             smallSettings(101, 37));
        for (int i = 0; i < 3; ++i) {
            QImage frame = testFrame(i, 101, 37, QImage::Format_ARGB32);
            frame.setPixel(i, 0, qRgba(10, 20, 30, 40)); // alpha is kept
            encoder.addFrame(frame);
            sent.push_back(frame);
        }
        encoder.finish();
    }
    QCOMPARE(entries(dir()), QStringList{"frames"});
    QCOMPARE(entries(target),
             (QStringList{"frame_00001.png", "frame_00002.png", "frame_00003.png"}));
    for (int i = 0; i < 3; ++i) {
        const QImage back(QString("%1/frame_%2.png").arg(target).arg(i + 1, 5, 10, QChar('0')));
        QVERIFY(back.convertToFormat(QImage::Format_ARGB32) == sent[std::size_t(i)]);
    }
}

void TestVideoEncoder::refusedSettingsLeaveNothing_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<VideoFormat>("format");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("fps");
    QTest::addColumn<int>("quality");
    QTest::addColumn<QString>("reason"); // a part of the message
    QTest::newRow("missing directory")
        << "nowhere/clip.mp4" << VideoFormat::Mp4 << 384 << 30 << 70 << "does not exist";
    QTest::newRow("odd width mp4") << "clip.mp4" << VideoFormat::Mp4 << 383 << 30 << 70 << "even";
    QTest::newRow("odd width webm")
        << "clip.webm" << VideoFormat::WebM << 383 << 30 << 70 << "even";
    QTest::newRow("fps 0") << "clip.gif" << VideoFormat::Gif << 384 << 0 << 70 << "fps";
    QTest::newRow("fps 121") << "clip.mp4" << VideoFormat::Mp4 << 384 << 121 << 70 << "fps";
    QTest::newRow("quality 101") << "clip.webm" << VideoFormat::WebM << 384 << 30 << 101
                                 << "quality";
    QTest::newRow("avi") << "clip.avi" << VideoFormat::Mp4 << 384 << 30 << 70 << "name";
    QTest::newRow("gif named mp4") << "clip.mp4" << VideoFormat::Gif << 384 << 30 << 70 << "name";
}

void TestVideoEncoder::refusedSettingsLeaveNothing() {
    QFETCH(QString, name);
    QFETCH(VideoFormat, format);
    QFETCH(int, width);
    QFETCH(int, fps);
    QFETCH(int, quality);
    QFETCH(QString, reason);
    VideoSettings s = smallSettings(width, 216, fps);
    s.quality = quality;
    const QString out = path(name);
    const QString message = exportErrorOf([&] { VideoEncoder(out.toStdString(), format, s); });
    QVERIFY2(message.contains(reason) && message.contains(out) && !message.contains('\n'),
             qPrintable(message));
    QCOMPARE(entries(dir()), QStringList());
}

void TestVideoEncoder::readOnlyDirectoryIsRefused() {
    const QString readOnly = path("read-only");
    QVERIFY(QDir().mkdir(readOnly));
    QVERIFY(QFile::setPermissions(readOnly, QFile::ReadOwner | QFile::ExeOwner | QFile::ReadGroup |
                                                QFile::ExeGroup | QFile::ReadOther |
                                                QFile::ExeOther));
    QFile probeFile(readOnly + "/probe");
    if (probeFile.open(QIODevice::WriteOnly)) {
        probeFile.remove();
        QSKIP("running as root (or with CAP_DAC_OVERRIDE): mode 0555 does not stop writes");
    }
    const QString message = exportErrorOf([&] {
        VideoEncoder((readOnly + "/clip.mp4").toStdString(), VideoFormat::Mp4, smallSettings());
    });
    QVERIFY2(message.contains("Permission denied"), qPrintable(message));
    QCOMPARE(entries(readOnly), QStringList());
}

void TestVideoEncoder::pngRefusesANonEmptyDirectory() {
    const QString target = path("frames");
    QVERIFY(QDir().mkdir(target));
    QFile keep(target + "/keep.txt");
    QVERIFY(keep.open(QIODevice::WriteOnly));
    keep.close();
    const QString message = exportErrorOf([&] {
        VideoEncoder((target + "/").toStdString(), VideoFormat::PngSequence, smallSettings());
    });
    QVERIFY2(message.contains("not empty"), qPrintable(message));
    QCOMPARE(entries(dir()), QStringList{"frames"});
    QCOMPARE(entries(target), QStringList{"keep.txt"});
}

void TestVideoEncoder::wrongFrameSizeIsRefused() {
    {
        VideoEncoder encoder(path("clip.mp4").toStdString(), VideoFormat::Mp4, smallSettings());
        const QString message = exportErrorOf([&] { encoder.addFrame(testFrame(0, 386, 216)); });
        QVERIFY2(message.contains("386x216") && message.contains("384x216"), qPrintable(message));
        QCOMPARE(encoder.framesWritten(), 0);
    }
    QCOMPARE(entries(dir()), QStringList());
}

void TestVideoEncoder::abandonedExportLeavesNothing_data() {
    QTest::addColumn<QString>("name");
    QTest::newRow("mp4") << "clip.mp4";
    QTest::newRow("webm") << "clip.webm";
    QTest::newRow("gif") << "clip.gif";
    QTest::newRow("png frames") << "frames/";
}

void TestVideoEncoder::abandonedExportLeavesNothing() {
    QFETCH(QString, name);
    const std::string out = path(name).toStdString();
    {
        VideoEncoder encoder(out, *videoFormatForPath(out), smallSettings());
        for (int i = 0; i < 3; ++i) encoder.addFrame(testFrame(i, 384, 216));
        QCOMPARE(entries(dir()).size(), 1); // the temporary, hidden
        QVERIFY(entries(dir()).front().startsWith('.'));
    }
    QCOMPARE(entries(dir()), QStringList());
}

void TestVideoEncoder::finishNeedsAFrame() {
    {
        VideoEncoder encoder(path("clip.gif").toStdString(), VideoFormat::Gif, smallSettings());
        const QString message = exportErrorOf([&] { encoder.finish(); });
        QVERIFY2(message.contains("no frames"), qPrintable(message));
    }
    QCOMPARE(entries(dir()), QStringList());
}

void TestVideoEncoder::medianCutKeepsFewColoursExact() {
    QImage image(64, 64, QImage::Format_RGB32);
    const QRgb colours[4] = {qRgb(250, 10, 10), qRgb(12, 200, 40), qRgb(30, 30, 220),
                             qRgb(128, 128, 128)};
    for (int y = 0; y < 64; ++y)
        for (int x = 0; x < 64; ++x) image.setPixel(x, y, colours[(x / 16 + y / 32) % 4]);
    std::vector<QRgb> palette = medianCutPalette(image, 255);
    std::sort(palette.begin(), palette.end());
    std::vector<QRgb> expected(std::begin(colours), std::end(colours));
    std::sort(expected.begin(), expected.end());
    QVERIFY(palette == expected);
    QCOMPARE(medianCutPalette(image, 2).size(), std::size_t(2));
}

void TestVideoEncoder::gifPaletteIsRebuiltOnlyOnDrift() {
    GifPalette palette;
    std::vector<std::uint8_t> indices(384 * 216);
    QImage blank(384, 216, QImage::Format_RGB32);
    blank.fill(Qt::black);
    palette.map(blank, indices.data(), 384);
    QCOMPARE(palette.rebuilds(), 1);
    palette.map(testFrame(0, 384, 216), indices.data(), 384); // every colour new
    QCOMPARE(palette.rebuilds(), 2);
    for (int i = 1; i < 10; ++i) palette.map(testFrame(i, 384, 216), indices.data(), 384);
    QCOMPARE(palette.rebuilds(), 2); // a moving square is no reason
    const QRgb red = palette.colours()[indices[std::size_t(216 / 3 * 384 + 64)]];
    QCOMPARE(red, qRgb(255, 0, 0));
}

QTEST_MAIN(TestVideoEncoder)
#include "tst_video_encoder.moc"
