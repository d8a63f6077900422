// File › Export video: what to show, format, size, timing and labels, a live thumbnail and a
// summary, then the export with a progress bar, ETA and cancel.
#pragma once

#include "app/export/video_job.h"

#include <QDialog>
#include <QTimer>

#include <atomic>
#include <memory>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSlider;
class QSpinBox;

namespace psc::exporter {

class PathEdit;
class VideoFrames;

class ExportDialog : public QDialog {
    Q_OBJECT
public:
    // The job starts from the window's scene, view and camera.
    ExportDialog(const app::SceneSettings& scene, const app::ViewSettings& view,
                 const app::CameraState& camera, QWidget* parent = nullptr);
    ~ExportDialog() override;

    VideoJob job() const;
    // The formula burned in at the foot of every frame (TeX); the window passes a running
    // lesson step's.
    void setFormula(const QString& tex);
    QString outputPath() const;
    void setOutputPath(const QString& path);
    int quality() const;
    // The thumbnail of the current settings (null until rendered).
    QImage preview() const { return m_previewImage; }
    // Renders and encodes with a progress dialog; true when the file was written. An error goes
    // to *error when given, else into a message box; cancelling leaves no file.
    bool runExport(QString* error = nullptr);

private:
    void formatChanged();
    void sizeChanged();
    void updateSummary();
    void renderPreview();
    void browse();

    app::SceneSettings m_scene;
    app::ViewSettings m_view;
    app::CameraState m_camera;
    QComboBox *m_what, *m_format, *m_sizes;
    QSpinBox *m_width, *m_height, *m_fps;
    QDoubleSpinBox *m_seconds, *m_sweepSigma;
    QSlider* m_quality;
    QLineEdit *m_title, *m_formula;
    PathEdit* m_path;
    QCheckBox *m_labels, *m_transparent;
    QLabel *m_summary, *m_preview;
    QImage m_previewImage;
    std::unique_ptr<VideoFrames> m_previewFrames; // reused while only the labels change
    VideoJob m_previewJob;
    QTimer m_previewTimer;
    std::atomic<bool> m_cancel{false};
};

} // namespace psc::exporter
