// The export dialog driven as a user would: a thumbnail of the settings, an export that writes a
// file ffprobe reads, and Cancel in the progress dialog leaving nothing behind.
#include "app/export/export_dialog.h"
#include "app/export/path_edit.h"
#include "app/scene/scene_settings.h"

#include <QAbstractItemView>
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

// The size presets' combo: the one that offers "custom".
QComboBox* sizePresets(QDialog& dialog) {
    for (auto* combo : dialog.findChildren<QComboBox*>())
        if (combo->findText("custom") >= 0) return combo;
    return nullptr;
}

// Replaces a spin box's value by typing, as a person would.
void typeInto(QSpinBox* spin, int value) {
    spin->setFocus();
    spin->selectAll();
    QTest::keyClicks(spin, QString::number(value));
    QTest::keyClick(spin, Qt::Key_Tab);
}

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
    void sizePresetFollowsTheTypedSize();
    void longPathShowsItsFileName();
    void formulaIsTypesetInThePreview();
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

// Typing a formula changes the thumbnail's foot (the scenes are kept); one that does not parse is
// named in the summary and refused by Export, leaving no file.
void TestExportDialog::formulaIsTypesetInThePreview() {
    QTemporaryDir dir;
    exporter::ExportDialog dialog(smallScene(), {}, {});
    dialog.show();
    QTRY_VERIFY_WITH_TIMEOUT(!dialog.preview().isNull(), 20000);
    const QImage before = dialog.preview();
    auto* formula = dialog.findChild<QLineEdit*>("formula");
    QVERIFY(formula);
    formula->setFocus();
    QTest::keyClicks(formula, "\\frac{N}{2} + \\sigma\\sqrt{D}");
    QTRY_VERIFY_WITH_TIMEOUT(dialog.preview() != before, 20000);
    const QImage after = dialog.preview();
    int footChanged = 0, topChanged = 0;
    for (int y = 0; y < after.height(); ++y)
        for (int x = 0; x < after.width(); ++x)
            (y > after.height() * 2 / 3 ? footChanged : topChanged) +=
                after.pixel(x, y) != before.pixel(x, y);
    QVERIFY2(footChanged > 100 && topChanged < footChanged / 4,
             qPrintable(QString("%1 %2").arg(footChanged).arg(topChanged)));
    dialog.setFormula("\\frac{N}{2");
    auto* summary = dialog.findChild<QLabel*>("summary");
    QTRY_VERIFY_WITH_TIMEOUT(summary->text().contains("formula: missing }"), 5000);
    smallJob(dialog, dir.filePath("out.gif"), 0.4);
    QString error;
    QVERIFY(!dialog.runExport(&error));
    QVERIFY2(error.contains("formula"), qPrintable(error));
    QVERIFY(!QFile::exists(dir.filePath("out.gif")));
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

// Typing a preset's size selects that preset; any other size reads "custom"; choosing a preset
// types its size.
void TestExportDialog::sizePresetFollowsTheTypedSize() {
    exporter::ExportDialog dialog(smallScene(), {}, {});
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QComboBox* presets = sizePresets(dialog);
    QVERIFY(presets);
    auto* width = dialog.findChild<QSpinBox*>("width");
    auto* height = dialog.findChild<QSpinBox*>("height");
    QVERIFY2(presets->currentText().contains("1280") && presets->currentText().contains("720"),
             qPrintable(presets->currentText()));
    typeInto(width, 1920);
    typeInto(height, 1080);
    QCOMPARE(width->value(), 1920);
    QCOMPARE(height->value(), 1080);
    QVERIFY2(presets->currentText().contains("1920") && presets->currentText().contains("1080"),
             qPrintable(presets->currentText()));
    typeInto(height, 1000);
    QCOMPARE(presets->currentText(), QString("custom"));
    // Choosing a preset as a person does (the popup, a row, Enter) types its size.
    const int square = presets->findText("800", Qt::MatchContains);
    QVERIFY(square >= 0);
    presets->setFocus();
    presets->showPopup();
    QTRY_VERIFY(presets->view()->isVisible());
    presets->view()->setCurrentIndex(presets->model()->index(square, 0));
    QTest::keyClick(presets->view(), Qt::Key_Return);
    QTRY_COMPARE(width->value(), 800);
    QCOMPARE(height->value(), 800);
    QCOMPARE(presets->currentIndex(), square);
}

// A path longer than its field shows its end (the file's name) after "…" while another field has
// the focus, all of it while it is edited, and all of it in its tooltip.
void TestExportDialog::longPathShowsItsFileName() {
    exporter::ExportDialog dialog(smallScene(), {}, {});
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    const QString path =
        "/tmp/" + QString("a-rather-long-folder-name/").repeated(8) + "flow-D128.mp4";
    dialog.setOutputPath(path);
    dialog.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&dialog));
    auto* edit = qobject_cast<exporter::PathEdit*>(dialog.findChild<QLineEdit*>("path"));
    QVERIFY(edit);
    dialog.findChild<QSpinBox*>("fps")->setFocus();
    QTRY_VERIFY(!edit->hasFocus());
    const QString shown = edit->shownText();
    QVERIFY2(shown.startsWith(QChar(0x2026)) && shown.endsWith("/flow-D128.mp4"),
             qPrintable(shown));
    QVERIFY(edit->fontMetrics().horizontalAdvance(shown) <= edit->width());
    QVERIFY2(edit->toolTip().contains(path), qPrintable(edit->toolTip()));
    edit->setFocus();
    QTRY_VERIFY(edit->hasFocus());
    QCOMPARE(edit->shownText(), path);
}

QTEST_MAIN(TestExportDialog)
#include "tst_export_dialog.moc"
