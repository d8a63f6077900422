// VideoEncoder forwards to the encoder in the video module, loaded by the first encoder.
#include "app/export/video_encoder.h"

#include "app/export/video_module.h"
#include "physics/plugin_library.h"

namespace psc::exporter {
namespace {

const video_module::Api& videoModule() {
    static const video_module::Api* api = [] {
        using Entry = const video_module::Api* (*)();
        Entry entry = nullptr;
        try {
            entry = reinterpret_cast<Entry>(physics::pluginSymbol(
                video_module::kModuleName, video_module::kEntryPoint, "videos and GIFs"));
        } catch (const physics::PluginError& e) {
            throw ExportError(e.what());
        }
        const auto* table = entry();
        if (table->abiVersion != video_module::kAbiVersion ||
            table->settingsSize != sizeof(VideoSettings))
            throw ExportError(std::string("lib") + video_module::kModuleName +
                              ".so is from another Poissonscope build");
        return table;
    }();
    return *api;
}

} // namespace

VideoEncoder::VideoEncoder(const std::string& path, VideoFormat format,
                           const VideoSettings& settings)
    : m_sink(videoModule().open(path, format, settings)) {}

VideoEncoder::~VideoEncoder() = default;

} // namespace psc::exporter
