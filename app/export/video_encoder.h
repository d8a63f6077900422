// Frames (QImage) → MP4 (H.264), WebM (VP9), animated GIF or a directory of PNG frames, through
// FFmpeg's libraries; a cancelled or failed export leaves nothing behind.
#pragma once

#include <QImage>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace psc::exporter {

// MP4: H.264, yuv420p, BT.709 tv range, moov before mdat (+faststart). WebM: VP9, yuv420p.
// Gif: 8-bit palette (see gif_palette.h), loops forever. PngSequence: frame_00001.png, ... in a
// directory, alpha kept.
enum class VideoFormat { Mp4, WebM, Gif, PngSequence };

// From the output path: .mp4, .webm, .gif (case-insensitive), or a path ending in '/' (or an
// existing directory) for PNG frames; nullopt otherwise.
std::optional<VideoFormat> videoFormatForPath(const std::string& path);
const char* videoFormatName(VideoFormat f); // "mp4 (H.264)", "webm (VP9)", "gif", "png frames"

// Operational failures (file system, codec, bad settings); what() is one line naming the path.
class ExportError : public std::runtime_error {
    using runtime_error::runtime_error;
};

struct VideoSettings {
    int width = 1280, height = 720; // 1..16384; MP4/WebM refuse odd sizes
    int fps = 30;                   // 1..120 (GIF: 1..50); ignored for PNG frames
    // 1..100, higher is better: CRF 40..15 for x264 (70 → 23, x264's default), CRF 50..15 for
    // VP9; ignored for GIF (the palette decides its quality) and PNG (lossless).
    int quality = 70;
};

// What the video module implements (video_module.h): FFmpeg's libraries live in
// libpoissonscope-video.so, loaded by the first encoder, so that nothing else pays for them.
class VideoSink {
public:
    virtual ~VideoSink() = default;
    virtual void addFrame(const QImage& frame) = 0;
    virtual void finish() = 0;
    virtual int framesWritten() const = 0;
};

// The writer of one video. Not thread-safe: one thread at a time. Frames are taken in order, one
// per 1/fps second. GIF delays are whole 1/100 s: above 50 fps two frames would share a timestamp
// (the muxer refuses) and browsers stretch 1/100 s delays, so GIF takes at most 50 fps.
class VideoEncoder {
public:
    // Starts writing to a temporary sibling of path (".name.mp4.part-XXXXXX"; for PNG frames a
    // sibling directory). Throws ExportError: directory missing or not writable, extension not
    // matching format, target an existing non-empty directory (PNG) or a directory (others),
    // codec not available, bad settings, the video module missing.
    VideoEncoder(const std::string& path, VideoFormat format, const VideoSettings& settings);
    // Without a successful finish(): removes the temporary file or directory.
    ~VideoEncoder();
    VideoEncoder(const VideoEncoder&) = delete;
    VideoEncoder& operator=(const VideoEncoder&) = delete;

    // Any QImage format (alpha is dropped except for PNG frames); must have the settings' size.
    // Throws ExportError on a wrong size, a write failure (FFmpeg's message), or after finish()
    // or an earlier failure.
    void addFrame(const QImage& frame) { m_sink->addFrame(frame); }
    // Flushes the encoder, writes the trailer and renames the temporary output onto path
    // (replacing an existing file, or an empty directory for PNG frames). Needs at least one
    // frame. Throws ExportError; the temporary output is then removed by the destructor.
    void finish() { m_sink->finish(); }
    int framesWritten() const { return m_sink->framesWritten(); }

private:
    std::unique_ptr<VideoSink> m_sink;
};

} // namespace psc::exporter
