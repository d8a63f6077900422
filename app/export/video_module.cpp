// The video module's one exported symbol.
#include "app/export/video_module.h"

#include "app/export/ffmpeg_encoder.h"

extern "C" {
#include <libavutil/log.h>
}

namespace {

std::unique_ptr<psc::exporter::VideoSink>
openEncoder(const std::string& path, psc::exporter::VideoFormat format,
            const psc::exporter::VideoSettings& settings) {
    return std::make_unique<psc::exporter::FfmpegEncoder>(path, format, settings);
}

} // namespace

extern "C" __attribute__((visibility("default"))) const psc::exporter::video_module::Api*
psc_video_module_api() {
    using namespace psc::exporter;
    // Encoders (x264's statistics) would otherwise talk on stderr; errors still reach it.
    static const bool quiet = (av_log_set_level(AV_LOG_ERROR), true);
    (void)quiet;
    static const video_module::Api api{video_module::kAbiVersion, sizeof(VideoSettings),
                                       &openEncoder};
    return &api;
}
