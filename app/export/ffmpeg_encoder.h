// Internal to the video module (libpoissonscope-video.so): the encoder on FFmpeg's libraries.
#pragma once

#include "app/export/video_encoder.h"

namespace psc::exporter {

class FfmpegEncoder final : public VideoSink {
public:
    // The VideoEncoder contract (video_encoder.h), which forwards here.
    FfmpegEncoder(const std::string& path, VideoFormat format, const VideoSettings& settings);
    ~FfmpegEncoder() override;
    void addFrame(const QImage& frame) override;
    void finish() override;
    int framesWritten() const override { return m_frames; }

private:
    struct State;
    [[noreturn]] void fail(const std::string& reason) const;
    void check(int avResult, const char* what); // fails on a negative FFmpeg result
    void openCodec();
    void drain(); // encoded packets → muxer
    void savePng(const QImage& frame);

    std::string m_path;
    VideoFormat m_format;
    VideoSettings m_settings;
    int m_frames = 0;
    bool m_done = false; // finished, or failed: no more frames
    std::unique_ptr<State> m_state;
};

} // namespace psc::exporter
