#include "app/export/video_job.h"

#include "app/formula/formula.h"

#include <cmath>

namespace psc::exporter {

std::optional<VideoContent> parseVideoContent(std::string_view name) {
    for (auto c :
         {VideoContent::Flow, VideoContent::DSweep, VideoContent::Orbit, VideoContent::Grid})
        if (name == videoContentName(c)) return c;
    return std::nullopt;
}

const char* videoContentName(VideoContent content) {
    switch (content) {
    case VideoContent::Flow:
        return "flow";
    case VideoContent::DSweep:
        return "d-sweep";
    case VideoContent::Orbit:
        return "orbit";
    case VideoContent::Grid:
        return "grid";
    }
    return "?";
}

std::optional<std::string> validateVideoJob(const VideoJob& job) {
    if (job.size.width() < 16 || job.size.height() < 16 || job.size.width() > 7680 ||
        job.size.height() > 4320)
        return std::string("the size must be between 16x16 and 7680x4320");
    if (job.fps < 1 || job.fps > 120) return std::string("the frame rate must be 1 to 120 fps");
    if (!(std::isfinite(job.seconds) && job.seconds > 0 && job.seconds <= 600))
        return std::string("the duration must be more than 0 and at most 600 s");
    if (!(std::isfinite(job.sweepSigma) && job.sweepSigma >= 0))
        return std::string("the sweep's sigma must be >= 0");
    if (!job.formula.empty()) {
        try {
            formula::parseFormula(job.formula);
        } catch (const formula::FormulaError& e) {
            return "formula: " + std::string(e.what());
        }
    }
    return std::nullopt;
}

int videoFrameCount(const VideoJob& job) {
    return std::max(1, static_cast<int>(std::lround(job.seconds * job.fps)));
}

} // namespace psc::exporter
