// Which format a path asks for, and its name: shared by VideoEncoder and the video module.
#include "app/export/video_encoder.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace psc::exporter {

namespace fs = std::filesystem;

std::optional<VideoFormat> videoFormatForPath(const std::string& path) {
    if (path.empty()) return std::nullopt;
    std::error_code ec;
    if (path.back() == '/' || fs::is_directory(path, ec)) return VideoFormat::PngSequence;
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    if (ext == ".mp4") return VideoFormat::Mp4;
    if (ext == ".webm") return VideoFormat::WebM;
    if (ext == ".gif") return VideoFormat::Gif;
    return std::nullopt;
}

const char* videoFormatName(VideoFormat f) {
    switch (f) {
    case VideoFormat::Mp4:
        return "mp4 (H.264)";
    case VideoFormat::WebM:
        return "webm (VP9)";
    case VideoFormat::Gif:
        return "gif";
    case VideoFormat::PngSequence:
        return "png frames";
    }
    return "?";
}

} // namespace psc::exporter
