// How long the tour's "Exact field versus learned field" step keeps a class waiting: the real
// window (1280x800) opens the built-in tour at that step, which trains a learned field at D = 8
// (2,000 steps of 512) while the flow animates, and the wait is timed until the field is trained
// and scored. Three ways, in one process, the field dropped between them:
//   floor      the clock stopped and no frames drawn: the training alone, beside an idle window;
//   every-tick the animation drawn at every tick, as before frames yielded to training;
//   yielding   as the window does now (ViewportWidget::kTrainingFrameMs between frames).
// Also printed: training throughput, frames drawn, and how many partly trained fields the
// particles showed. Run under a display or `xvfb-run -a` (there: Mesa's llvmpipe, software GL).
//
//   bench_lesson_wait [modes, default floor,every-tick,yielding]
#include "app/main_window.h"
#include "app/scene/lesson.h"
#include "app/viewport_widget.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTest>

#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

using namespace psc;

namespace {

constexpr int kStep = 6; // "Exact field versus learned field"

struct Wait {
    double seconds = 0, samplesPerSecond = 0;
    long long frames = 0;
    int previews = 0;
};

std::optional<Wait> timeStep(app::MainWindow& window, const QString& tour, bool paused,
                             int frameInterval) {
    app::SceneSession& session = window.session();
    app::ViewportWidget& viewport = *window.viewport();
    viewport.setTrainingFrameInterval(frameInterval);
    for (const auto& model : session.trainer().state().models)
        session.trainer().removeModel(model.get());
    if (!window.openLesson(tour)) return std::nullopt;
    session.goToLessonStep(kStep);
    if (paused) {
        app::ViewSettings view = session.viewSettings();
        view.playing = false;
        session.setViewSettings(view);
    }
    QElapsedTimer clock;
    clock.start();
    const long long frames0 = viewport.framesDrawn();
    Wait wait;
    const app::LearnedModel* lastPreview = nullptr;
    const bool done = QTest::qWaitFor(
        [&] {
            const auto state = session.trainer().state();
            if (state.preview && state.preview.get() != lastPreview) {
                lastPreview = state.preview.get();
                ++wait.previews;
            }
            if (state.optimising) wait.samplesPerSecond = state.samplesPerSecond;
            return !state.models.empty();
        },
        600000);
    if (!done) return std::nullopt;
    wait.seconds = clock.elapsed() / 1000.0;
    wait.frames = viewport.framesDrawn() - frames0;
    session.endLesson();
    return wait;
}

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    std::vector<std::string> modes{"floor", "every-tick", "yielding"};
    if (argc > 1) {
        modes.clear();
        std::stringstream list(argv[1]);
        for (std::string item; std::getline(list, item, ',');) modes.push_back(item);
    }
    const auto lessons = app::builtinLessons();
    if (lessons.empty()) {
        std::fprintf(stderr, "no built-in lesson\n");
        return 1;
    }
    const QString tour = lessons.front().second; // the tour
    app::MainWindow window;
    window.resize(1280, 800);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window) ||
        !QTest::qWaitFor([&] { return window.session().showsCurrentScene(); }, 120000)) {
        std::fprintf(stderr, "the window did not show its first scene\n");
        return 1;
    }
    std::printf("tour step %d: a learned field at D = 8 (2,000 steps of 512) trained while the "
                "flow plays, window 1280x800\n",
                kStep + 1);
    std::printf("%12s %10s %14s %8s %10s %8s\n", "mode", "wait s", "samples/s", "frames",
                "previews", "ratio");
    double floor = 0;
    for (const auto& mode : modes) {
        const bool paused = mode == "floor";
        const int interval = paused               ? 1 << 30
                             : mode == "yielding" ? app::ViewportWidget::kTrainingFrameMs
                                                  : 0;
        if (!paused && mode != "every-tick" && mode != "yielding") {
            std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
            return 1;
        }
        const auto wait = timeStep(window, tour, paused, interval);
        if (!wait) {
            std::fprintf(stderr, "%s: the step's field was not trained within 10 minutes\n",
                         mode.c_str());
            return 1;
        }
        if (floor == 0) floor = wait->seconds;
        std::printf("%12s %10.1f %14.0f %8lld %10d %7.2fx\n", mode.c_str(), wait->seconds,
                    wait->samplesPerSecond, wait->frames, wait->previews, wait->seconds / floor);
        std::fflush(stdout);
    }
    return 0;
}
