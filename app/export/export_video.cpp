// The export loop: frame, encode, report; the encoder owns the temporary file and the rename.
#include "app/export/export_video.h"

#include "app/export/video_encoder.h"
#include "app/export/video_frames.h"

#include <chrono>
#include <optional>

namespace psc::exporter {

std::optional<std::string> validateExportTarget(const VideoJob& job, const std::string& path) {
    if (auto err = validateVideoJob(job)) return err;
    const auto format = videoFormatForPath(path);
    if (!format)
        return "'" + path +
               "': the output must end in .mp4, .webm, .gif or / (a directory of PNG frames)";
    const bool yuv = *format == VideoFormat::Mp4 || *format == VideoFormat::WebM;
    if (yuv && (job.size.width() % 2 || job.size.height() % 2))
        return std::string("MP4 and WebM need an even width and height (their colour is stored at "
                           "half resolution)");
    if (*format == VideoFormat::Gif && job.fps > 50)
        return std::string("GIF stores frame delays in 1/100 s: use at most 50 fps");
    if (job.transparent && *format != VideoFormat::PngSequence)
        return std::string("a transparent background needs PNG frames (an output ending in /)");
    return std::nullopt;
}

ExportResult exportVideo(const VideoJob& job, const std::string& path, int quality,
                         const ExportProgressFn& progress, const physics::CancelFlag* cancel,
                         const std::function<void()>& pump) {
    if (auto err = validateExportTarget(job, path)) throw ExportSetupError(*err);
    const auto start = std::chrono::steady_clock::now();
    VideoSettings settings;
    settings.width = job.size.width();
    settings.height = job.size.height();
    settings.fps = job.fps;
    settings.quality = quality;
    // The encoder first, so an unwritable path fails before any scene is computed.
    std::optional<VideoEncoder> encoder;
    try {
        encoder.emplace(path, *videoFormatForPath(path), settings);
    } catch (const ExportError& e) {
        throw ExportSetupError(e.what());
    }
    ExportResult result;
    std::optional<VideoFrames> built;
    try {
        built.emplace(job, cancel, pump);
    } catch (const ExportSetupError&) {
        if (!(cancel && cancel->load())) throw;
        result.cancelled = true;
        return result;
    }
    VideoFrames& frames = *built;
    const auto framesStart = std::chrono::steady_clock::now();
    for (int i = 0; i < frames.count(); ++i) {
        if (cancel && cancel->load()) {
            result.cancelled = true;
            return result; // the encoder's destructor removes the partial output
        }
        const QImage image = frames.frame(i);
        if (image.isNull()) {
            result.cancelled = true;
            return result;
        }
        encoder->addFrame(image);
        result.frames = i + 1;
        if (progress) {
            ExportProgress p;
            p.frame = i + 1;
            p.frames = frames.count();
            const auto now = std::chrono::steady_clock::now();
            p.elapsedSeconds = std::chrono::duration<double>(now - start).count();
            p.etaSeconds = std::chrono::duration<double>(now - framesStart).count() / p.frame *
                           (p.frames - p.frame);
            progress(p);
        }
    }
    encoder->finish();
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

} // namespace psc::exporter
