// The window's recompute of a picture scene: a 512 × 512 picture, every pixel a charge
// (262,144), at the window's defaults (1,500 hemisphere particles, 64 field lines). Times the
// first computation at D = 1 (the tree is built) and a recompute after a D change (the tree is
// kept), with the tree code, against the same recompute by brute force in the same process.
//
//   bench_picture_scene [picture, default: a generated 512x512 one] [direct=1: time brute force]
#include "app/scene/scene_data.h"

#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QTemporaryDir>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>

using namespace psc;
using Clock = std::chrono::steady_clock;

namespace {

double timeScene(const app::SceneSettings& s, std::size_t* charges) {
    const auto start = Clock::now();
    const auto scene = app::computeScene(s);
    if (charges) *charges = scene->charges.size();
    return std::chrono::duration<double>(Clock::now() - start).count();
}

} // namespace

int main(int argc, char** argv) {
    QGuiApplication app(argc, argv);
    QTemporaryDir dir;
    std::string picture = argc > 1 ? argv[1] : "";
    if (picture.empty()) {
        // Every pixel grey, none white: a vignette with rings, so all 262,144 are charges.
        QImage image(512, 512, QImage::Format_RGB32);
        for (int y = 0; y < 512; ++y)
            for (int x = 0; x < 512; ++x) {
                const double r = std::hypot(x - 256.0, y - 256.0) / 256.0;
                const int v =
                    static_cast<int>(40 + 170 * (0.5 + 0.5 * std::cos(12 * r)) * (1 - 0.5 * r));
                image.setPixel(x, y, qRgb(v, v, v));
            }
        picture = dir.filePath("rings.png").toStdString();
        image.save(QString::fromStdString(picture));
    }
    const bool direct = argc > 2 && std::string(argv[2]) == "1";
    app::SceneSettings s;
    s.dataPath = picture;
    s.image.threshold = 0;
    std::size_t charges = 0;
    const double first = timeScene(s, &charges);
    s.d = 4;
    const double again = timeScene(s, nullptr);
    std::printf("%zu charges, 1500 hemisphere particles, 64 field lines\n", charges);
    std::printf("  tree, first (builds the tree):   %7.2f s\n", first);
    std::printf("  tree, after a D change:          %7.2f s\n", again);
    {
        app::SceneSettings part = s;
        part.d = 8;
        part.fieldLines = 0;
        const double particlesOnly = timeScene(part, nullptr);
        part.d = 16;
        part.fieldLines = s.fieldLines;
        part.particles = 0;
        const double linesOnly = timeScene(part, nullptr);
        std::printf("    of which particles %.2f s, field lines %.2f s\n", particlesOnly,
                    linesOnly);
    }
    if (direct) {
        s.fieldMethod = physics::FieldMethod::Direct;
        s.d = 2;
        const double brute = timeScene(s, nullptr);
        std::printf("  direct, after a D change:        %7.2f s (%.1fx the tree's)\n", brute,
                    brute / again);
    }
    return 0;
}
