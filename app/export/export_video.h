// Renders a VideoJob and encodes it to a file or a directory of PNG frames, with progress and
// cancel.
#pragma once

#include "app/export/video_job.h"

#include "physics/progress.h"

#include <functional>
#include <string>

namespace psc::exporter {

struct ExportProgress {
    int frame = 0, frames = 0; // frames done, of
    double elapsedSeconds = 0;
    double etaSeconds = 0; // from the time per frame so far (setup excluded)
};
using ExportProgressFn = std::function<void(const ExportProgress&)>;

struct ExportResult {
    bool cancelled = false;
    int frames = 0;
    double seconds = 0;
};

// The format follows path (videoFormatForPath); quality 1..100. Needs a QGuiApplication. Throws
// ExportError or ExportSetupError with a one-line message; a failed or cancelled export leaves
// nothing at path (the encoder writes a temporary sibling and renames it on success).
// pump is called every ~20 ms while scenes are computed (see VideoFrames), e.g. to process GUI
// events.
ExportResult exportVideo(const VideoJob& job, const std::string& path, int quality,
                         const ExportProgressFn& progress = {},
                         const physics::CancelFlag* cancel = nullptr,
                         const std::function<void()>& pump = {});

// Empty when path and job fit together (an extension the encoder knows, even sizes for MP4 and
// WebM, transparency only in PNG frames), else a one-line reason.
std::optional<std::string> validateExportTarget(const VideoJob& job, const std::string& path);

} // namespace psc::exporter
