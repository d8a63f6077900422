// The export dialog driven as a user would: a thumbnail of the settings, an export that writes a
// file ffprobe reads, and Cancel in the progress dialog leaving nothing behind.
#include "app/export/export_dialog.h"
#include "app/scene/scene_settings.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QProgressDialog>
#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

#include "tests/support/video_probe.h"
#include <QTimer>

using namespace psc;

namespace {

void smallJob(exporter::ExportDialog& dialog, const QString& path, double seconds) {
    dialog.findChild<QComboBox*>("format")->setCurrentIndex(2); // GIF
    dialog.findChild<QSpinBox*>("width")->setValue(160);
    dialog.findChild<QSpinBox*>("height")->setValue(120);
    dialog.findChild<QSpinBox*>("fps")->setValue(5);
    dialog.findChild<QDoubleSpinBox*>("seconds")->setValue(seconds);
    dialog.setOutputPath(path);
}

app::SceneSettings smallScene() {
    app::SceneSettings s;
    s.particles = 200;
    s.fieldLines = 8;
    return s;
}

} // namespace

class TestExportDialog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void previewAndSummaryFollowTheSettings();
    void exportWritesTheVideo();
    void cancelLeavesNothing();
};

void TestExportDialog::previewAndSummaryFollowTheSettings() {
    exporter::ExportDialog dialog(smallScene(), {}, {});
    dialog.show();
    QTRY_VERIFY_WITH_TIMEOUT(!dialog.preview().isNull(), 20000);
    QCOMPARE(dialog.preview().size(), QSize(320, 180));
    auto* summary = dialog.findChild<QLabel*>("summary");
    dialog.findChild<QSpinBox*>("fps")->setValue(24);
    dialog.findChild<QDoubleSpinBox*>("seconds")->setValue(5.0);
    QVERIFY2(summary->text().contains("120 frames"), qPrintable(summary->text()));
    dialog.findChild<QSpinBox*>("width")->setValue(1281); // MP4 is the default format
    QVERIFY2(summary->text().contains("even"), qPrintable(summary->text()));
    dialog.findChild<QComboBox*>("format")->setCurrentIndex(1);
    QVERIFY(dialog.outputPath().endsWith(".webm")); // the path follows the format
}

void TestExportDialog::exportWritesTheVideo() {
    QTemporaryDir dir;
    exporter::ExportDialog dialog(smallScene(), {}, {});
    smallJob(dialog, dir.filePath("out.gif"), 1.0);
    QVERIFY(dialog.outputPath().endsWith("out.gif"));
    QString error;
    QVERIFY2(dialog.runExport(&error), qPrintable(error));
    QCOMPARE(probeVideo(dir.filePath("out.gif")).frames, 5);
}

void TestExportDialog::cancelLeavesNothing() {
    QTemporaryDir dir;
    exporter::ExportDialog dialog(smallScene(), {}, {});
    dialog.show();
    smallJob(dialog, dir.filePath("long.gif"), 60.0);
    // Press Cancel once the progress dialog shows a few frames done.
    QTimer poll;
    connect(&poll, &QTimer::timeout, &dialog, [&] {
        auto* progress = dialog.findChild<QProgressDialog*>();
        if (progress && progress->isVisible() && progress->value() >= 3)
            QTest::mouseClick(progress->findChild<QPushButton*>(), Qt::LeftButton);
    });
    poll.start(20);
    QString error;
    QVERIFY(!dialog.runExport(&error));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(QDir(dir.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::Hidden),
             QStringList{});
}

QTEST_MAIN(TestExportDialog)
#include "tst_export_dialog.moc"
