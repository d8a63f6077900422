// The entry point of the video module, libpoissonscope-video.so: FFmpeg's libraries take about
// 50 ms to load, so only the first video or GIF loads them (video_encoder.cpp).
#pragma once

#include "app/export/video_encoder.h"

#include <memory>
#include <string>

namespace psc::exporter::video_module {

inline constexpr int kAbiVersion = 1;
inline constexpr const char* kModuleName = "poissonscope-video";
inline constexpr const char* kEntryPoint = "psc_video_module_api";

struct Api {
    int abiVersion;
    std::size_t settingsSize;
    std::unique_ptr<VideoSink> (*open)(const std::string& path, VideoFormat format,
                                       const VideoSettings& settings);
};

} // namespace psc::exporter::video_module

extern "C" const psc::exporter::video_module::Api* psc_video_module_api();
