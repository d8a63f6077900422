// The export dialog. The export runs on the GUI thread, one frame at a time with events
// processed in between, so the progress bar moves, Cancel works and the window repaints; the
// offscreen context is made current before every frame, whatever the window did in between.
#include "app/export/export_dialog.h"

#include "app/export/export_video.h"
#include "app/export/path_edit.h"
#include "app/export/video_encoder.h"
#include "app/export/video_frames.h"
#include "app/scene/count_text.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>

namespace psc::exporter {
namespace {

struct FormatChoice {
    const char* label;
    const char* suffix; // "" for a directory of frames
};
const FormatChoice kFormats[] = {
    {"MP4 (H.264)", ".mp4"}, {"WebM (VP9)", ".webm"}, {"GIF", ".gif"}, {"PNG frames", ""}};

// Common video sizes; the combo shows the one the typed width and height make, else "custom".
struct SizePreset {
    int width, height;
    const char* name; // "" for none
};
const SizePreset kSizes[] = {{1280, 720, "HD"},     {1920, 1080, "Full HD"}, {3840, 2160, "4K"},
                             {854, 480, ""},        {640, 360, ""},          {800, 800, "square"},
                             {1080, 1080, "square"}};
constexpr const char* kCustomSize = "custom";

QString presetLabel(const SizePreset& s) {
    QString label = QString("%1 × %2").arg(s.width).arg(s.height);
    return *s.name ? label + QString(" (%1)").arg(s.name) : label;
}

QString formatTime(double seconds) {
    const int s = static_cast<int>(std::lround(seconds));
    return s >= 60 ? QString("%1 min %2 s").arg(s / 60).arg(s % 60) : QString("%1 s").arg(s);
}

} // namespace

ExportDialog::ExportDialog(const app::SceneSettings& scene, const app::ViewSettings& view,
                           const app::CameraState& camera, QWidget* parent)
    : QDialog(parent), m_scene(scene), m_view(view), m_camera(camera) {
    setWindowTitle("Export video");
    auto* form = new QFormLayout;
    m_what = new QComboBox;
    m_what->addItem("Flow: sigma max to 0", static_cast<int>(VideoContent::Flow));
    m_what->addItem("D sweep: 1 to 10^6, then inf", static_cast<int>(VideoContent::DSweep));
    m_what->addItem("Camera orbit during the flow", static_cast<int>(VideoContent::Orbit));
    m_what->addItem("2x2: D = 1, 8, 128, inf", static_cast<int>(VideoContent::Grid));
    m_what->setToolTip(
        "What the video shows. The D sweep holds the particles at one sigma while D grows.");
    form->addRow("Show", m_what);
    m_sweepSigma = new QDoubleSpinBox;
    m_sweepSigma->setRange(0.0, 1000.0);
    m_sweepSigma->setDecimals(3);
    m_sweepSigma->setValue(0.5);
    m_sweepSigma->setToolTip(
        "D sweep: the sigma at which the particles are held (0: landed on the data).");
    form->addRow("Sweep at sigma", m_sweepSigma);
    m_format = new QComboBox;
    for (const auto& f : kFormats) m_format->addItem(f.label);
    m_format->setToolTip("MP4 and WebM play everywhere; GIF embeds in slides and web pages; PNG "
                         "frames for editing.");
    form->addRow("Format", m_format);
    m_sizes = new QComboBox;
    m_sizes->setToolTip("Common video sizes; or type any even width and height (\"custom\").");
    for (const auto& s : kSizes) m_sizes->addItem(presetLabel(s), QSize(s.width, s.height));
    m_sizes->addItem(kCustomSize);
    m_width = new QSpinBox;
    m_height = new QSpinBox;
    for (auto* spin : {m_width, m_height}) spin->setRange(16, 7680);
    m_width->setValue(1280);
    m_height->setValue(720);
    m_width->setToolTip("Width in pixels (MP4 needs an even number).");
    m_height->setToolTip("Height in pixels (MP4 needs an even number).");
    auto* sizeRow = new QHBoxLayout;
    sizeRow->addWidget(m_sizes);
    sizeRow->addWidget(m_width);
    sizeRow->addWidget(new QLabel("x"));
    sizeRow->addWidget(m_height);
    form->addRow("Size", sizeRow);
    m_fps = new QSpinBox;
    m_fps->setToolTip("Frames per second (GIF plays at most 50).");
    m_fps->setRange(1, 120);
    m_fps->setValue(30);
    m_fps->setSuffix(" fps");
    form->addRow("Frame rate", m_fps);
    m_seconds = new QDoubleSpinBox;
    m_seconds->setToolTip("Length of the video in seconds.");
    m_seconds->setRange(0.1, 600.0);
    m_seconds->setValue(8.0);
    m_seconds->setSuffix(" s");
    form->addRow("Duration", m_seconds);
    m_quality = new QSlider(Qt::Horizontal);
    m_quality->setRange(1, 100);
    m_quality->setValue(70);
    m_quality->setToolTip("Higher: sharper and larger files (maps to the encoder's CRF).");
    form->addRow("Quality", m_quality);
    m_title = new QLineEdit;
    m_title->setToolTip("A title burned into the top of every frame (empty: none).");
    m_title->setPlaceholderText("optional, burned into every frame");
    form->addRow("Title", m_title);
    m_formula = new QLineEdit;
    m_formula->setToolTip(
        "A formula typeset at the foot of every frame, in the TeX of lesson files "
        "(\\frac, \\sqrt, \\sigma, sub- and superscripts); empty: none. "
        "While a lesson runs it starts as the step's formula.");
    m_formula->setPlaceholderText("optional, TeX: x = y + \\sigma\\sqrt{D}\\,u");
    form->addRow("Formula", m_formula);
    m_labels = new QCheckBox("burn in D and sigma");
    m_labels->setToolTip("Writes D and the clock's sigma on every frame.");
    m_labels->setChecked(true);
    form->addRow("Labels", m_labels);
    m_transparent = new QCheckBox("transparent background (PNG frames)");
    m_transparent->setToolTip("PNG frames with alpha, for compositing; other formats are opaque.");
    form->addRow("", m_transparent);
    m_path = new PathEdit(QDir::home().filePath("poissonscope.mp4"));
    m_path->setHelp("The file (.mp4, .webm, .gif) or a folder ending in / for PNG frames:");
    // Wide enough for a usual path; a longer one shows its end, the file's name.
    m_path->setMinimumWidth(m_path->fontMetrics().averageCharWidth() * 36);
    auto* browse = new QPushButton("Browse...");
    browse->setToolTip("Choose where to save the video.");
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path);
    pathRow->addWidget(browse);
    form->addRow("Save to", pathRow);

    m_preview = new QLabel;
    m_preview->setFixedSize(320, 180);
    m_preview->setAlignment(Qt::AlignCenter);
    m_preview->setStyleSheet("background: #12141c; color: #889;");
    m_summary = new QLabel;
    m_summary->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    auto* exportButton = buttons->addButton("Export", QDialogButtonBox::AcceptRole);
    auto* side = new QVBoxLayout;
    side->addWidget(m_preview);
    side->addWidget(m_summary);
    side->addStretch();
    auto* top = new QHBoxLayout;
    top->addLayout(form);
    top->addLayout(side);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(buttons);

    // Names for tests and accessibility tools.
    m_what->setObjectName("what");
    m_sizes->setObjectName("sizes");
    m_format->setObjectName("format");
    m_width->setObjectName("width");
    m_height->setObjectName("height");
    m_fps->setObjectName("fps");
    m_seconds->setObjectName("seconds");
    m_path->setObjectName("path");
    m_title->setObjectName("title");
    m_formula->setObjectName("formula");
    m_summary->setObjectName("summary");
    m_previewTimer.setSingleShot(true);
    m_previewTimer.setInterval(300); // settle before computing a scene for the thumbnail
    connect(&m_previewTimer, &QTimer::timeout, this, &ExportDialog::renderPreview);
    auto changed = [this] {
        updateSummary();
        m_previewTimer.start();
    };
    connect(m_what, &QComboBox::currentIndexChanged, this, changed);
    connect(m_format, &QComboBox::currentIndexChanged, this, [this, changed] {
        formatChanged();
        changed();
    });
    connect(m_sizes, &QComboBox::activated, this, [this] {
        const QSize size = m_sizes->currentData().toSize();
        if (size.isEmpty()) return; // "custom": the typed size stays
        m_width->setValue(size.width());
        m_height->setValue(size.height());
    });
    for (auto* spin : {m_width, m_height, m_fps})
        connect(spin, &QSpinBox::valueChanged, this, changed);
    for (auto* spin : {m_width, m_height})
        connect(spin, &QSpinBox::valueChanged, this, &ExportDialog::sizeChanged);
    for (auto* spin : {m_seconds, m_sweepSigma})
        connect(spin, &QDoubleSpinBox::valueChanged, this, changed);
    for (auto* edit : {m_title, m_formula}) connect(edit, &QLineEdit::textChanged, this, changed);
    for (auto* box : {m_labels, m_transparent}) connect(box, &QCheckBox::toggled, this, changed);
    connect(m_path, &QLineEdit::textChanged, this, [this] { updateSummary(); });
    connect(m_quality, &QSlider::valueChanged, this, [this] { updateSummary(); });
    connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(exportButton, &QPushButton::clicked, this, [this] {
        if (runExport()) accept();
    });
    formatChanged();
    sizeChanged();
    updateSummary();
    m_previewTimer.start();
}

ExportDialog::~ExportDialog() = default;

VideoJob ExportDialog::job() const {
    VideoJob job;
    job.scene = m_scene;
    job.view = m_view;
    job.camera = m_camera;
    job.content = static_cast<VideoContent>(m_what->currentData().toInt());
    job.size = QSize(m_width->value(), m_height->value());
    job.fps = m_fps->value();
    job.seconds = m_seconds->value();
    job.title = m_title->text().toStdString();
    job.formula = m_formula->text().toStdString();
    job.labels = m_labels->isChecked();
    job.transparent = m_transparent->isChecked() && m_transparent->isEnabled();
    job.sweepSigma = m_sweepSigma->value();
    return job;
}

void ExportDialog::setFormula(const QString& tex) {
    m_formula->setText(tex);
}

QString ExportDialog::outputPath() const {
    return m_path->text();
}
void ExportDialog::setOutputPath(const QString& path) {
    m_path->setText(path);
}
int ExportDialog::quality() const {
    return m_quality->value();
}

// Keeps the path's extension in step with the format.
void ExportDialog::formatChanged() {
    const auto& f = kFormats[m_format->currentIndex()];
    QString path = m_path->text();
    while (path.endsWith('/')) path.chop(1);
    const QFileInfo info(path);
    const QString base = info.dir().filePath(
        info.completeBaseName().isEmpty() ? "poissonscope" : info.completeBaseName());
    m_path->setText(*f.suffix ? base + f.suffix : base + "-frames/");
    m_transparent->setEnabled(!*f.suffix);
}

// The preset that the typed size is, or "custom"; choosing a preset types its size.
void ExportDialog::sizeChanged() {
    int index = m_sizes->findData(QSize(m_width->value(), m_height->value()));
    if (index < 0) index = m_sizes->findText(kCustomSize);
    m_sizes->setCurrentIndex(index);
}

void ExportDialog::updateSummary() {
    const VideoJob j = job();
    const int frames = videoFrameCount(j);
    QString text = QString("%1, %2 × %3 at %4 fps, %5.")
                       .arg(QString::fromStdString(app::countText(frames, "frame")))
                       .arg(j.size.width())
                       .arg(j.size.height())
                       .arg(j.fps)
                       .arg(formatTime(j.seconds));
    if (j.content == VideoContent::DSweep) text += QString(" One scene is computed per frame.");
    if (auto problem = validateExportTarget(j, outputPath().toStdString()))
        text += "<br><span style='color:#d66'>" + QString::fromStdString(*problem).toHtmlEscaped() +
                "</span>";
    m_summary->setText(text);
}

void ExportDialog::renderPreview() {
    VideoJob small = job();
    // The export's aspect ratio within 320x180, so framing and label sizes match the file's.
    const double scale = std::min(320.0 / small.size.width(), 180.0 / small.size.height());
    small.size = QSize(std::max(16, static_cast<int>(small.size.width() * scale)),
                       std::max(16, static_cast<int>(small.size.height() * scale)));
    small.fps = 2;
    small.seconds = 1.5; // three frames: the middle one is the thumbnail
    small.transparent = false;
    try {
        VideoJob undecorated = small, previous = m_previewJob;
        undecorated.labels = previous.labels = true;
        undecorated.title = previous.title = {};
        undecorated.formula = previous.formula = {};
        const bool sameScenes =
            m_previewFrames && undecorated.scene == previous.scene &&
            undecorated.size == previous.size && undecorated.content == previous.content &&
            undecorated.sweepSigma == previous.sweepSigma && undecorated.view == previous.view;
        if (!sameScenes) m_previewFrames = std::make_unique<VideoFrames>(small);
        m_previewFrames->setDecorations(small.labels, small.title, small.formula);
        m_previewJob = small;
        m_previewImage = m_previewFrames->frame(1);
        m_preview->setPixmap(QPixmap::fromImage(m_previewImage));
    } catch (const std::exception& e) {
        m_previewFrames.reset();
        m_preview->setText(QString("no preview:\n%1").arg(e.what()));
    }
}

void ExportDialog::browse() {
    const auto& f = kFormats[m_format->currentIndex()];
    const QString path =
        *f.suffix ? QFileDialog::getSaveFileName(this, "Export video", outputPath(),
                                                 QString("%1 (*%2)").arg(f.label, f.suffix))
                  : QFileDialog::getExistingDirectory(this, "Directory for the PNG frames");
    if (!path.isEmpty())
        m_path->setText(*f.suffix ? path : QDir(path).filePath("poissonscope-frames/"));
}

bool ExportDialog::runExport(QString* error) {
    const VideoJob j = job();
    const std::string path = outputPath().toStdString();
    m_cancel = false;
    QProgressDialog progress("Rendering...", "Cancel", 0, videoFrameCount(j), this);
    progress.setWindowTitle("Exporting video");
    progress.setWindowModality(Qt::WindowModal);
    progress.setMinimumDuration(0);
    connect(&progress, &QProgressDialog::canceled, this, [this] { m_cancel = true; });
    QString message;
    bool written = false;
    try {
        const auto result = exportVideo(
            j, path, quality(),
            [&](const ExportProgress& p) {
                progress.setValue(p.frame);
                progress.setLabelText(QString("Frame %1 of %2  ·  %3 elapsed  ·  about %4 left")
                                          .arg(p.frame)
                                          .arg(p.frames)
                                          .arg(formatTime(p.elapsedSeconds))
                                          .arg(formatTime(p.etaSeconds)));
                QApplication::processEvents();
            },
            &m_cancel, [] { QApplication::processEvents(); });
        written = !result.cancelled;
    } catch (const std::exception& e) {
        message = QString::fromStdString(e.what());
    }
    progress.reset();
    if (!message.isEmpty()) {
        if (error)
            *error = message;
        else
            QMessageBox::warning(this, "Export failed", message + "\n\nNothing was written.");
    }
    return written;
}

} // namespace psc::exporter
