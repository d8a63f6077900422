// Render + encode of a trajectory video, as `poissonscope render` does it, in one process:
// frames per second against real time, and peak resident memory. Per format, plus the render
// alone (frames drawn and read back, not encoded) as the baseline.
//
//   xvfb-run -a ./build/tests/bench/bench_export [seconds=10] [WxH=1280x720] [formats=mp4,webm,gif]
#include "app/export/export_video.h"
#include "app/export/video_frames.h"

#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QTemporaryDir>

#include <sys/resource.h>

extern "C" {
#include <libavutil/log.h>
}

#include <chrono>
#include <cstdio>
#include <sstream>
#include <string>

using namespace psc;

namespace {

double peakMegabytes() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024.0;
}

} // namespace

int main(int argc, char** argv) {
    QGuiApplication app(argc, argv);
    av_log_set_level(
        AV_LOG_ERROR);      // as poissonscope does: no encoder statistics between the figures
    exporter::VideoJob job; // the default scene: two moons, D = 1, 1500 particles, 64 field lines
    job.seconds = argc > 1 ? std::stod(argv[1]) : 10.0;
    const std::string size = argc > 2 ? argv[2] : "1280x720";
    job.size = QSize(std::stoi(size.substr(0, size.find('x'))),
                     std::stoi(size.substr(size.find('x') + 1)));
    job.fps = 30;
    const int frames = exporter::videoFrameCount(job);
    std::printf("flow video: %d frames, %dx%d at %d fps (%.0f s), default scene\n", frames,
                job.size.width(), job.size.height(), job.fps, job.seconds);

    const auto t0 = std::chrono::steady_clock::now();
    {
        exporter::VideoFrames render(job);
        for (int i = 0; i < render.count(); ++i) render.frame(i);
    }
    const double renderSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("  %-8s %7.1f frames/s (%5.2fx real time)  %6.1f s   peak %6.0f MB\n", "render",
                frames / renderSeconds, frames / renderSeconds / job.fps, renderSeconds,
                peakMegabytes());

    QTemporaryDir dir;
    std::stringstream formats(argc > 3 ? argv[3] : "mp4,webm,gif");
    for (std::string format; std::getline(formats, format, ',');) {
        const std::string path =
            QDir(dir.path()).filePath(QString::fromStdString("bench." + format)).toStdString();
        const auto result = exporter::exportVideo(job, path, 70);
        std::printf(
            "  %-8s %7.1f frames/s (%5.2fx real time)  %6.1f s   peak %6.0f MB   %6.1f MB file\n",
            format.c_str(), result.frames / result.seconds,
            result.frames / result.seconds / job.fps, result.seconds, peakMegabytes(),
            QFileInfo(QString::fromStdString(path)).size() / 1048576.0);
    }
    return 0;
}
