// Time from a D slider event to the updated frame while D is dragged, offscreen at 1280x800 (as the
// window draws: geometry built and uploaded, every layer drawn, glFinish), for the default scene
// with P particles. Now: SceneSession::previewD shows the nearest scene of the ladder computed in
// the background (morphLadder). Before: every event asked for the exact scene at the new D, so the
// frame waited for a whole computation; that path is timed in the same process as the baseline.
// Run under a display or `xvfb-run -a` (there: Mesa's llvmpipe, software GL).
//
//   bench_d_drag [particle counts, default 1500,20000] [drag events, default 40]
#include "app/scene/d_scale.h"
#include "app/scene/scene_geometry_builder.h"
#include "app/scene/scene_session.h"
#include "app/scene_frame.h"

#include "physics/extra_dims.h"

#include "render/offscreen_target.h"
#include "render/scene_renderer.h"

#include <QGuiApplication>
#include <QOpenGLContext>
#include <QOpenGLFunctions>
#include <QTest>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

using namespace psc;

namespace {

double millisecondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
}

// The frame the viewport would draw for the scene on screen.
void drawFrame(const app::SceneSession& session, render::SceneRenderer& renderer,
               const app::ViewSettings& view) {
    const app::SceneData& scene = *session.sceneData();
    renderer.setGeometry(app::buildSceneGeometry(scene, view, session.warp()));
    render::OrbitCamera camera = session.camera();
    app::frameClock(camera, scene, session.warp(), session.clockLogSigma(), scene.settings.d);
    render::FrameParams frame;
    frame.viewProjection = camera.projection(1280.0f / 800.0f) * camera.view();
    frame.framebufferSize = {1280, 800};
    app::drawSceneFrame(renderer, scene, view, session.warp(), session.clockLogSigma(), frame);
    QOpenGLContext::currentContext()->functions()->glFinish();
}

struct Stats {
    double median, worst;
};

Stats summarise(std::vector<double> ms) {
    std::sort(ms.begin(), ms.end());
    return {ms[ms.size() / 2], ms.back()};
}

} // namespace

int main(int argc, char** argv) {
    QGuiApplication app(argc, argv);
    std::vector<int> counts{1500, 20000};
    if (argc > 1) {
        counts.clear();
        std::stringstream list(argv[1]);
        for (std::string item; std::getline(list, item, ',');) counts.push_back(std::stoi(item));
    }
    const int events = argc > 2 ? std::max(2, std::atoi(argv[2])) : 40;
    render::OffscreenTarget target(QSize(1280, 800));
    if (!target.valid()) {
        std::fprintf(stderr, "no offscreen GL target: %s\n", qPrintable(target.error()));
        return 1;
    }
    target.bind();
    std::printf("D drag, two moons (512 charges), 1280x800 offscreen, %d slider events from D = 1 "
                "to %s and on to inf\n",
                events, app::displayD(app::morphTopD(2)).c_str());
    std::printf("%10s %12s %14s %14s %14s %14s %8s\n", "particles", "ladder s", "preview med",
                "preview max", "exact med", "exact max", "ratio");
    for (int particles : counts) {
        app::SceneSession session;
        app::SceneSettings settings = session.sceneSettings();
        settings.particles = particles;
        const auto ladderStart = std::chrono::steady_clock::now();
        session.setSceneSettings(settings);
        const bool ready = QTest::qWaitFor(
            [&] {
                return session.showsCurrentScene() &&
                       session.ladderReady() == static_cast<int>(session.ladderDs().size());
            },
            600000);
        const double ladderSeconds = millisecondsSince(ladderStart) / 1000;
        if (!ready) {
            std::fprintf(stderr, "the ladder was not ready after 10 minutes\n");
            return 1;
        }
        render::SceneRenderer renderer;
        const app::ViewSettings view = session.viewSettings();
        session.setClockLogSigma(std::log(0.3));
        // Now: each event shows the nearest rung at once.
        std::vector<double> preview;
        for (int i = 0; i < events; ++i) {
            const float u = static_cast<float>(i) / (events - 1);
            const double d = u > 0.97f ? physics::kInfiniteD : app::dAlongMorph(u / 0.95, 2);
            const auto t0 = std::chrono::steady_clock::now();
            session.previewD(d);
            drawFrame(session, renderer, view);
            preview.push_back(millisecondsSince(t0));
        }
        // Before: each event waited for the exact scene at its D (a few events suffice).
        std::vector<double> exact;
        for (int i = 0; i < 4; ++i) {
            app::SceneSettings s = settings;
            s.d = app::dAlongMorph((i + 0.5) / 4.0, 2);
            const auto t0 = std::chrono::steady_clock::now();
            session.setSceneSettings(s);
            if (!QTest::qWaitFor([&] { return session.showsCurrentScene(); }, 600000)) return 1;
            drawFrame(session, renderer, view);
            exact.push_back(millisecondsSince(t0));
        }
        const Stats p = summarise(preview), e = summarise(exact);
        std::printf("%10d %12.1f %11.1f ms %11.1f ms %11.1f ms %11.1f ms %7.0fx\n", particles,
                    ladderSeconds, p.median, p.worst, e.median, e.worst, e.median / p.median);
    }
    return 0;
}
