// A SceneSession driven without a window or a GL context (the cpu tier): a D change, charge edits
// with undo and redo, lesson steps, the exact/learned switch, the clock, and picking.
#include "app/scene/d_scale.h"
#include "app/scene/learned_model.h"
#include "app/scene/lesson.h"
#include "app/scene/scene_geometry_builder.h"
#include "app/scene/scene_picking.h"
#include "app/scene/scene_session.h"

#include "physics/extra_dims.h"
#include "physics/torch/learned_field.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <functional>

using namespace psc;
using namespace psc::app;

namespace {

// A small scene, quick to compute.
SceneSettings smallScene(double d) {
    SceneSettings s;
    s.datasetParams.count = 64;
    s.particles = 120;
    s.fieldLines = 8;
    s.d = d;
    return s;
}

// Waits for the session to show a scene computed from its current settings (and `also`), letting
// it poll its background work as the window's timer would.
bool settle(
    SceneSession& session, const std::function<bool()>& also = [] { return true; },
    int ms = 60000) {
    return QTest::qWaitFor(
        [&] {
            session.advance(0.0);
            return session.showsCurrentScene() && !session.computing() && also();
        },
        ms);
}

const glm::vec2 kViewport(1200, 800);

glm::vec2 pixelOf(const SceneSession& session, double x1, double x2) {
    return session.camera().project(session.warp().toWorld3D(x1, x2, 0.0), kViewport,
                                    kViewport.x / kViewport.y);
}

} // namespace

class TestSceneSession : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void changingDRecomputesInTheSameFrame();
    void editsUndoAndRedo();
    void editsNeedTheCurrentTwoDimensionalScene();
    void lessonStepsSetSceneViewAndFraming();
    void learnedSwitchPicksTheFieldAtTheScenesD();
    void trainingShowsItsFieldSoFar();
    void arrivalsAskForAFrame();
    void clockPlaysHoldsAndLoops();
    void clockStepsAlongTheFlow();
    void sceneFileCameraAppliesToItsOwnScene();
    void cameraFollowsTheClock();
    void dragPreviewsFromTheLadder();
    void picksOnlyOnTheDrawnPlane();
    void hoveredChargeCarriesItsLiveWeight();
    void failuresReachTheStatusLine();
};

void TestSceneSession::changingDRecomputesInTheSameFrame() {
    SceneSession session;
    session.setSceneSettings(smallScene(1.0));
    QVERIFY(settle(session));
    const auto first = session.sceneData();
    const auto camera = cameraState(session.camera());
    QSignalSpy ready(&session, &SceneSession::sceneReady);
    QSignalSpy status(&session, &SceneSession::statusChanged);
    SceneSettings s = session.sceneSettings();
    s.d = 128;
    session.setSceneSettings(s);
    QVERIFY(settle(session));
    const auto second = session.sceneData();
    QCOMPARE(ready.count(), 1);
    QCOMPARE(second->settings.d, 128.0);
    QCOMPARE(second->charges.positions().size(), first->charges.positions().size());
    // The same data: the warp and the camera's angles stay, so the picture does not jump; the
    // framing follows the clock for the new D.
    QCOMPARE(session.camera().yaw(), camera.yaw);
    QCOMPARE(session.camera().pitch(), camera.pitch);
    QCOMPARE(session.warp().rho0(), sceneWarp(*first).rho0());
    render::OrbitCamera followed = session.camera();
    frameClock(followed, *second, session.warp(), session.clockLogSigma(), 128.0);
    QCOMPARE(followed.distance(), session.camera().distance());
    // The hemisphere particles start on the sphere of radius σ_max√D, folded to σ ≤ σ_max, and
    // their heights depend on D.
    QVERIFY(second->paths.size() == 120);
    double changed = 0;
    for (std::size_t p = 0; p < second->paths.size(); ++p)
        changed += std::abs(second->paths[p].sigma.front() - first->paths[p].sigma.front());
    QVERIFY(changed > 1.0);
    QVERIFY(!status.isEmpty());
    QVERIFY2(status.last().first().toString().contains("D = 128"),
             qPrintable(status.last().first().toString()));
    QVERIFY(session.statusText().contains("120 particles"));
}

void TestSceneSession::editsUndoAndRedo() {
    SceneSession session;
    session.setSceneSettings(smallScene(8.0));
    QVERIFY(settle(session));
    const std::size_t before = session.sceneData()->charges.size();
    QVERIFY(session.canEdit());
    QVERIFY(session.addCharge(4.0, -3.0));
    QVERIFY(settle(session));
    const auto& added = session.sceneData()->charges;
    QCOMPARE(added.size(), before + 1);
    QCOMPARE(added.position(before)[0], 4.0);
    QCOMPARE(added.position(before)[1], -3.0);
    // The new charge is where the camera projects it, for the widget's picking.
    const glm::vec2 at = pixelOf(session, 4.0, -3.0);
    QCOMPARE(chargeAt(session, at, kViewport), std::optional<std::size_t>(before));
    const auto plane = planePointAt(session, at, kViewport);
    QVERIFY(plane && std::abs(plane->x - 4.0) < 1e-3 && std::abs(plane->y + 3.0) < 1e-3);
    // A drag is one undo step however many moves it makes.
    QVERIFY(session.moveCharge(before, 3.0, -2.0, true));
    QVERIFY(session.moveCharge(before, 2.0, -1.0, false));
    QVERIFY(settle(session));
    QCOMPARE(session.sceneData()->charges.position(before)[0], 2.0);
    QVERIFY(session.undo());
    QVERIFY(settle(session));
    QCOMPARE(session.sceneData()->charges.position(before)[0], 4.0);
    QVERIFY(session.undo());
    QVERIFY(settle(session));
    QCOMPARE(session.sceneData()->charges.size(), before);
    QVERIFY(session.sceneSettings().editedPositions.empty()); // back to the data set itself
    QVERIFY(!session.undo());
    QVERIFY(session.redo());
    QVERIFY(settle(session));
    QCOMPARE(session.sceneData()->charges.size(), before + 1);
    QVERIFY(session.reweightCharge(before, 2));
    QVERIFY(!session.removeCharge(0)); // the reweighted scene is not on screen yet
    QVERIFY(settle(session));
    QCOMPARE(session.sceneData()->charges.weights()[before] /
                 session.sceneData()->charges.weights()[0],
             1.25 * 1.25);
    QVERIFY(session.removeCharge(0));
    QVERIFY(settle(session));
    QCOMPARE(session.sceneData()->charges.size(), before);
}

void TestSceneSession::editsNeedTheCurrentTwoDimensionalScene() {
    SceneSession session;
    SceneSettings s = smallScene(8.0);
    session.setSceneSettings(s);
    QVERIFY(!session.canEdit()); // still computing: indices would refer to another scene
    QVERIFY(!session.addCharge(0, 0));
    QVERIFY(settle(session));
    ViewSettings view = session.viewSettings();
    view.compare = true; // four panes: no single data plane to pick on
    session.setViewSettings(view);
    QVERIFY(!session.canEdit());
    QVERIFY(!chargeAt(session, pixelOf(session, 0, 0), kViewport));
    view.compare = false;
    session.setViewSettings(view);
    s.dataset = "swiss-roll-3d";
    session.setSceneSettings(s);
    QVERIFY(settle(session));
    QCOMPARE(session.sceneData()->charges.dim(), 3);
    QVERIFY(!session.canEdit());
    QVERIFY(!planePointAt(session, kViewport / 2.0f, kViewport));
}

void TestSceneSession::lessonStepsSetSceneViewAndFraming() {
    SceneSession session;
    QVERIFY(settle(session));
    const Lesson tour = loadLesson(builtinLessons().front().second);
    QVERIFY(tour.steps.size() >= 3);
    QSignalSpy panel(&session, &SceneSession::learnedPanelRequested);
    session.startLesson(tour);
    for (int step : {0, 2, 1}) {
        session.goToLessonStep(step);
        QCOMPARE(session.lessonStep(), step);
        const LessonStep& s = tour.steps[static_cast<std::size_t>(step)];
        QVERIFY(settle(session));
        const SceneData& data = *session.sceneData();
        QCOMPARE(data.settings.dataset, s.scene.scene.dataset);
        QCOMPARE(data.settings.d, s.scene.scene.d);
        QCOMPARE(session.viewSettings().layers, s.scene.view.layers);
        QCOMPARE(session.viewSettings().compare, s.scene.view.compare);
        // Every step starts at the top of its flow (or the bottom when it plays forwards), with
        // the camera fitted to its data or at the step's own pose.
        QCOMPARE(session.clockLogSigma(),
                 s.scene.view.forward ? clockBottom(data) : clockTop(data));
        if (s.scene.camera) {
            QCOMPARE(session.camera().distance(), s.scene.camera->distance);
        } else {
            render::OrbitCamera fitted;
            const auto bounds = sceneBounds(data, session.warp());
            fitted.setPreset(render::CameraPreset::Iso);
            fitted.fitBounds(bounds.min, bounds.max);
            // ... and following the clock from there (2-D data: the hemisphere at the top).
            if (data.charges.dim() == 2)
                frameClock(fitted, data, session.warp(), session.clockLogSigma(),
                           session.viewSettings().compare ? physics::kInfiniteD : data.settings.d);
            QCOMPARE(cameraState(session.camera()), cameraState(fitted));
            QVERIFY(session.followsClock());
        }
    }
    session.goToLessonStep(99); // clamped to the last step
    QCOMPARE(session.lessonStep(), static_cast<int>(tour.steps.size()) - 1);
    session.endLesson();
    QVERIFY(!session.lesson());
}

void TestSceneSession::learnedSwitchPicksTheFieldAtTheScenesD() {
    SceneSession session;
    session.setSceneSettings(smallScene(8.0));
    QVERIFY(settle(session));
    if (!physics::learnedFieldsBuiltIn()) {
        // Without LibTorch the switch has nothing to pick, and asking for a field says why.
        session.trainOnScene({8.0}, physics::TrainSettings{});
        QVERIFY2(session.statusText().contains("not built in"), qPrintable(session.statusText()));
        QVERIFY(session.trainer().state().models.empty());
        return;
    }
    physics::TrainSettings train;
    train.steps = 200;
    train.shape.width = 32;
    train.threads = 1;
    session.trainOnScene({8.0}, train);
    QVERIFY(QTest::qWaitFor(
        [&] {
            session.advance(0.0);
            return !session.trainer().busy();
        },
        120000));
    const auto models = session.trainer().state().models;
    QCOMPARE(models.size(), std::size_t(1));
    QVERIFY(!session.sceneData()->flowModel); // the flows stay exact until switched
    session.setFlowsLearned(true);
    QVERIFY(settle(session));
    QCOMPARE(session.sceneData()->flowModel, models.front());
    QVERIFY(session.statusText().contains("learned field (D = 8)"));
    // The flows' denoiser starts its prior where the field's training noise reached.
    const LockedLearnedDenoiser locked(*models.front());
    QVERIFY(std::isfinite(locked.noiseCap()));
    QCOMPARE(locked.noiseCap(), models.front()->field->noiseCap());
    // No field at D = 3: the exact field moves the particles; back at 8 the field is picked again.
    SceneSettings s = session.sceneSettings();
    s.d = 3;
    session.setSceneSettings(s);
    QVERIFY(settle(session));
    QVERIFY(!session.sceneData()->flowModel);
    s.d = 8;
    session.setSceneSettings(s);
    QVERIFY(settle(session));
    QCOMPARE(session.sceneData()->flowModel, models.front());
    // Other data: the field was not trained on them.
    s.datasetParams.count = 65;
    session.setSceneSettings(s);
    QVERIFY(settle(session));
    QVERIFY(!session.sceneData()->flowModel);
    s.datasetParams.count = 64;
    session.setSceneSettings(s);
    QVERIFY(settle(session));
    session.setFlowsLearned(false);
    QVERIFY(settle(session));
    QVERIFY(!session.sceneData()->flowModel);
    // Saved and loaded back, a field moves the particles at its own D.
    QTemporaryDir dir;
    const QString file = dir.filePath("field.pt");
    QVERIFY(!session.saveLearnedField(file));
    s.d = 2;
    session.setSceneSettings(s);
    QVERIFY(!session.loadLearnedField(file));
    QVERIFY(settle(session, [&] { return session.sceneData()->flowModel != nullptr; }));
    QCOMPARE(session.sceneData()->settings.d, 8.0);
    const auto junk = session.loadLearnedField(dir.filePath("missing.pt"));
    QVERIFY(junk && junk->contains("missing.pt"));
}

// With flows learned, the particles follow the field being trained: a copy every
// kPreviewEvery steps, labelled as in training, until the finished field replaces it; the D
// ladder waits while the optimiser runs.
void TestSceneSession::trainingShowsItsFieldSoFar() {
    if (!physics::learnedFieldsBuiltIn()) QSKIP("LibTorch is not built in");
    SceneSession session;
    session.setSceneSettings(smallScene(8.0));
    session.setFlowsLearned(true);
    QVERIFY(settle(session));
    QVERIFY(!session.sceneData()->flowModel);
    physics::TrainSettings train;
    train.steps = 4 * LearnedTrainer::kPreviewEvery;
    train.shape.width = 32;
    train.threads = 1;
    session.trainOnScene({8.0}, train);
    std::vector<int> shownSteps;
    int laddersDuringTraining = 0;
    QVERIFY(QTest::qWaitFor(
        [&] {
            session.advance(0.0);
            const int ladder = session.ladderReady();
            const bool optimising = session.trainer().optimising();
            const auto scene = session.sceneData();
            if (scene && scene->flowModel && scene->flowModel->inTraining &&
                (shownSteps.empty() ||
                 shownSteps.back() != scene->flowModel->field->info().stepsDone))
                shownSteps.push_back(scene->flowModel->field->info().stepsDone);
            session.advance(0.0);
            if (optimising && session.trainer().optimising() && session.ladderReady() > ladder)
                ++laddersDuringTraining;
            return !session.trainer().busy() && session.showsCurrentScene() && !session.computing();
        },
        180000));
    QVERIFY2(!shownSteps.empty(), "no partly trained field was shown");
    for (int step : shownSteps) {
        QCOMPARE(step % LearnedTrainer::kPreviewEvery, 0);
        QVERIFY(step < train.steps);
    }
    QCOMPARE(laddersDuringTraining, 0);
    const auto state = session.trainer().state();
    QVERIFY(!state.preview);
    QCOMPARE(state.models.size(), std::size_t(1));
    QVERIFY(settle(session, [&] { return session.sceneData()->flowModel == state.models[0]; }));
    QVERIFY(!session.sceneData()->flowModel->inTraining);
}

// A background result that arrives while nothing else moves (the clock paused, the camera at
// rest) still asks for a frame: advance() says so in the call that collects it.
void TestSceneSession::arrivalsAskForAFrame() {
    SceneSession session;
    session.setSceneSettings(smallScene(4.0));
    ViewSettings view = session.viewSettings();
    view.playing = false;
    session.setViewSettings(view);
    QVERIFY(settle(session));
    QVERIFY(QTest::qWaitFor([&] { return !session.advance(0.0); }, 20000)); // at rest
    session.setSliceRequest(SliceRequest{});
    bool askedWhenItArrived = false;
    QVERIFY(QTest::qWaitFor(
        [&] {
            const bool asked = session.advance(0.0);
            if (session.sliceOnScreen()) askedWhenItArrived = asked;
            return session.sliceOnScreen() != nullptr;
        },
        60000));
    QVERIFY(askedWhenItArrived);
    QVERIFY(!session.advance(0.0)); // and only then
}

void TestSceneSession::clockPlaysHoldsAndLoops() {
    PlaybackClock clock;
    clock.setRange(std::log(80.0), std::log(0.002) - 1);
    ViewSettings view;
    view.decadesPerSecond = 1;
    clock.rewind(view);
    QCOMPARE(clock.logSigma(), std::log(80.0));
    QVERIFY(clock.advance(1.0, view));
    QVERIFY(std::abs(clock.logSigma() - std::log(8.0)) < 1e-12); // one decade per second
    clock.advance(5.0, view);                                    // past the end: clamped there
    QVERIFY(clock.atBottom());
    // Held at the bottom, then back to the top.
    clock.advance(PlaybackClock::kHoldSeconds / 2, view);
    QVERIFY(clock.atBottom());
    clock.advance(PlaybackClock::kHoldSeconds, view);
    QCOMPARE(clock.logSigma(), std::log(80.0));
    // Without a loop it stops at the end and says so.
    view.loop = false;
    clock.advance(20.0, view);
    QVERIFY(clock.atBottom());
    QVERIFY(!view.playing);
    QVERIFY(!clock.advance(1.0, view));
    // Forwards, from the bottom up.
    view.playing = view.loop = view.forward = true;
    clock.rewind(view);
    QVERIFY(clock.atBottom());
    clock.advance(0.5, view);
    QVERIFY(clock.logSigma() > clock.bottom());
}

void TestSceneSession::clockStepsAlongTheFlow() {
    SceneSession session;
    session.setSceneSettings(smallScene(1.0));
    QVERIFY(settle(session));
    session.setClockLogSigma(0.0);
    session.stepClock(0.1); // along the backward flow: σ shrinks
    QVERIFY(!session.viewSettings().playing);
    QVERIFY(std::abs(session.clockLogSigma() + 0.1 * std::log(10.0)) < 1e-12);
    session.setClockLogSigma(1e9);
    QCOMPARE(session.clockLogSigma(), clockTop(*session.sceneData()));
    session.restartClock();
    QVERIFY(session.viewSettings().playing);
    session.advance(0.5);
    QVERIFY(session.clockLogSigma() < clockTop(*session.sceneData()));
}

// The hemisphere at σ_max, the data as σ falls: the framing shrinks with the clock, eased over a
// few frames; a wheel turn scales it, a pan takes the camera over, resetCamera gives it back.
void TestSceneSession::cameraFollowsTheClock() {
    SceneSession session;
    session.setSceneSettings(smallScene(1.0));
    QVERIFY(settle(session));
    ViewSettings view = session.viewSettings();
    view.playing = false;
    session.setViewSettings(view);
    const SceneData& data = *session.sceneData();
    QVERIFY(session.followsClock());
    session.setClockLogSigma(clockTop(data));
    session.advance(0.0);
    const float top = session.camera().distance();
    // Eased: one short frame moves part of the way, many frames arrive.
    session.setClockLogSigma(clockBottom(data));
    session.advance(0.02);
    const float partWay = session.camera().distance();
    for (int i = 0; i < 100; ++i) session.advance(0.02);
    const float bottom = session.camera().distance();
    QVERIFY2(partWay < top && partWay > bottom,
             qPrintable(QString("%1 %2 %3").arg(top).arg(partWay).arg(bottom)));
    // σ_max = 80 against a data spread of about 1.
    QVERIFY2(top > 20 * bottom, qPrintable(QString("%1 vs %2").arg(top).arg(bottom)));
    render::OrbitCamera expected = session.camera();
    frameClock(expected, data, session.warp(), session.clockLogSigma(), data.settings.d);
    QVERIFY(std::abs(expected.distance() - bottom) < 1e-4f * bottom);
    QVERIFY(glm::length(expected.target() - session.camera().target()) < 1e-4f);
    // A view half as wide as tall needs twice the distance; a wide one no more than a square.
    session.setViewAspect(0.5f);
    QVERIFY(std::abs(session.camera().distance() - 2 * bottom) < 1e-3f * bottom);
    session.setViewAspect(1.8f);
    QVERIFY(std::abs(session.camera().distance() - bottom) < 1e-3f * bottom);
    session.setViewAspect(1.0f);
    session.zoomCamera(2.0);
    QVERIFY(std::abs(session.camera().distance() - bottom * 0.81f) < 1e-3f * bottom);
    session.panCamera(glm::vec2(30, 0), glm::vec2(800, 600));
    QVERIFY(!session.followsClock());
    const CameraState held = session.cameraState();
    session.setClockLogSigma(clockTop(data));
    for (int i = 0; i < 10; ++i) session.advance(0.02);
    QCOMPARE(session.cameraState(), held);
    session.resetCamera();
    session.advance(0.0);
    QVERIFY(session.followsClock());
    QVERIFY(std::abs(session.camera().distance() - top) < 1e-3f * top);
}

// Dragging D shows a scene at once: the nearest of a ladder of D values computed in the background
// from the same noise; letting go computes the exact scene.
void TestSceneSession::dragPreviewsFromTheLadder() {
    SceneSession session;
    session.setSceneSettings(smallScene(1.0));
    QVERIFY(settle(
        session, [&] { return session.ladderReady() == int(session.ladderDs().size()); }, 120000));
    const auto& ds = session.ladderDs();
    QCOMPARE(ds.size(), std::size_t(17));
    QCOMPARE(ds.front(), 1.0);
    QVERIFY(std::abs(ds[15] - morphTopD(2)) < 1e-9);
    QVERIFY(physics::isInfiniteD(ds.back()));
    QSignalSpy ready(&session, &SceneSession::sceneReady);
    const double step = std::log(morphTopD(2)) / 15;
    std::optional<double> startAngle;
    for (double d : {1.7, 9.0, 33.0, 50.0, 400.0}) {
        ready.clear();
        session.previewD(d);
        QVERIFY(!session.computing()); // nothing to wait for
        const double shown = session.sceneData()->settings.d;
        QCOMPARE(session.sceneSettings().d, d);
        QVERIFY2(std::abs(std::log(shown / std::min(d, morphTopD(2)))) <= 0.5 * step + 1e-12,
                 qPrintable(QString("D %1 showed %2").arg(d).arg(shown)));
        // A rung at exactly this D is the scene itself (the small scene's particles are all there).
        QCOMPARE(session.showsCurrentScene(), shown == d);
        // Same noise: every rung's particles start in the same directions from the data's mean
        // (the radius drawn for D differs).
        const SceneData& rung = *session.sceneData();
        const auto c = rung.charges.mean();
        const auto& first = rung.paths.front();
        const double angle = std::atan2(first.x[1] - c[1], first.x[0] - c[0]);
        if (!startAngle) startAngle = angle;
        QVERIFY2(std::abs(angle - *startAngle) < 1e-9,
                 qPrintable(QString("D %1: %2 against %3").arg(shown).arg(angle).arg(*startAngle)));
    }
    ready.clear();
    session.previewD(physics::kInfiniteD);
    QVERIFY(physics::isInfiniteD(session.sceneData()->settings.d));
    QCOMPARE(ready.count(), 1);
    // Letting go: the exact scene, with all its particles.
    session.setSceneSettings(session.sceneSettings());
    QVERIFY(settle(session));
    QVERIFY(physics::isInfiniteD(session.sceneData()->settings.d));
    QCOMPARE(session.sceneData()->settings.particles, 120);
    QVERIFY(session.showsCurrentScene());
}

// A click anywhere on the screen once added a charge at x ≈ 10³; now only the drawn plane counts.
void TestSceneSession::picksOnlyOnTheDrawnPlane() {
    SceneSession session;
    session.setSceneSettings(smallScene(1.0));
    QVERIFY(settle(session));
    const SceneData& data = *session.sceneData();
    session.setClockLogSigma(clockBottom(data));
    session.advance(0.0);
    const glm::vec2 size(800, 600);
    const auto pixelOf = [&](double x1, double x2) {
        return session.camera().project(session.warp().toWorld3D(x1, x2, 0.0), size,
                                        size.x / size.y);
    };
    const auto c = data.charges.mean();
    const double half = planeHalfWidth(data);
    const auto inside = planePointAt(session, pixelOf(c[0] + 0.8 * half, c[1]), size);
    QVERIFY(inside);
    QVERIFY(std::abs(inside->x - (c[0] + 0.8 * half)) < 0.01 * half);
    QVERIFY(!planePointAt(session, pixelOf(c[0] + 1.2 * half, c[1]), size));
    QVERIFY(!planePointAt(session, pixelOf(c[0], c[1] - 30 * half), size));
    QVERIFY(!inspectAt(session, pixelOf(c[0] + 1.2 * half, c[1] + 1.2 * half), size));
}

// The charge under the pointer reports its weight as the settings hold it: a wheel turn shows at
// once, and the wheel keeps reweighting while the edit is computed.
void TestSceneSession::hoveredChargeCarriesItsLiveWeight() {
    SceneSession session;
    session.setSceneSettings(smallScene(1.0));
    QVERIFY(settle(session));
    const SceneData& data = *session.sceneData();
    const glm::vec2 size(800, 600);
    const auto y = data.charges.position(0);
    const glm::vec2 at =
        session.camera().project(session.warp().toWorld3D(y[0], y[1], 0.0), size, size.x / size.y);
    const auto before = hoveredCharge(session, at, size);
    QVERIFY(before);
    QVERIFY(std::abs(before->weight - 1.0) < 1e-9); // equal weights
    const std::size_t index = before->index;
    QVERIFY(session.reweightCharge(index, 2.0));
    QVERIFY(session.computing());
    QVERIFY(session.canReweight());
    QVERIFY(session.reweightCharge(index, 2.0)); // while the first edit is being computed
    const double n = static_cast<double>(data.charges.size());
    const double q = std::pow(1.25, 4.0);
    const auto after = hoveredCharge(session, at, size);
    QVERIFY(after && after->index == index);
    QVERIFY(std::abs(after->weight - q / ((n - 1 + q) / n)) < 1e-9);
    QVERIFY(after->size > before->size);
    QVERIFY(settle(session));
    QVERIFY(session.undo() && session.undo());
}

void TestSceneSession::sceneFileCameraAppliesToItsOwnScene() {
    SceneSession session;
    QVERIFY(settle(session));
    SceneFile file;
    file.scene = smallScene(4.0);
    file.scene.dataset = "8-gaussians";
    CameraState pose = cameraState(session.camera());
    pose.distance = 7.5f;
    pose.yaw = 0.3f;
    file.camera = pose;
    session.applySceneFile(file);
    // The scene on screen is still the old one: the pose waits for the file's scene, whose new
    // data would otherwise refit the camera over it.
    QVERIFY(settle(session));
    QCOMPARE(session.sceneData()->settings.dataset, std::string("8-gaussians"));
    QCOMPARE(session.camera().distance(), 7.5f);
    QCOMPARE(session.camera().yaw(), 0.3f);
}

void TestSceneSession::failuresReachTheStatusLine() {
    SceneSession session;
    QVERIFY(settle(session));
    const auto before = session.sceneData();
    SceneSettings s = session.sceneSettings();
    s.dataPath = "/nonexistent/data.csv";
    QSignalSpy status(&session, &SceneSession::statusChanged);
    session.setSceneSettings(s);
    QVERIFY(QTest::qWaitFor([&] { return !session.error().isEmpty(); }, 30000));
    QVERIFY(session.statusText().startsWith("error: "));
    QVERIFY(session.statusText().contains("data.csv"));
    QCOMPARE(session.sceneData(), before); // the last good scene stays on screen
    DisplayReport report;
    report.renderError = "This window needs OpenGL 3.3 core";
    session.setDisplayReport(report);
    QCOMPARE(session.statusText(), report.renderError); // the display's problem comes first
}

QTEST_GUILESS_MAIN(TestSceneSession)
#include "tst_scene_session.moc"
