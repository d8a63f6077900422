// The session's state changes. Results of background computations arrive as queued signals from
// the scene computers; advance() collects what has to be polled.
#include "app/scene/scene_session.h"

#include "app/scene/count_text.h"
#include "app/scene/d_scale.h"
#include "app/scene/exact_field.h"
#include "app/scene/scene_computer.h"
#include "app/scene/scene_geometry_builder.h"

#include "physics/extra_dims.h"

#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace psc::app {

SceneSession::SceneSession(QObject* parent)
    : QObject(parent), m_computer(std::make_unique<SceneComputer>()),
      m_compareComputer(std::make_unique<SceneComputer>()),
      m_ladderComputer(std::make_unique<SceneComputer>()) {
    connect(m_ladderComputer.get(), &SceneComputer::finished, this,
            [this](std::uint64_t, std::shared_ptr<const SceneData> scene) {
                onLadderComputed(std::move(scene));
            });
    connect(m_computer.get(), &SceneComputer::finished, this,
            [this](std::uint64_t, std::shared_ptr<const SceneData> scene) {
                onSceneComputed(std::move(scene));
            });
    connect(m_computer.get(), &SceneComputer::failed, this,
            [this](std::uint64_t, QString message) { onFailed(message); });
    connect(m_compareComputer.get(), &SceneComputer::batchFinished, this,
            [this](std::uint64_t, std::vector<std::shared_ptr<const SceneData>> scenes) {
                for (std::size_t i = 0; i < m_compareData.size() && i < scenes.size(); ++i)
                    m_compareData[i] = scenes[i];
                Q_EMIT comparisonReady();
            });
    connect(m_compareComputer.get(), &SceneComputer::failed, this,
            [this](std::uint64_t, QString message) { onFailed(message); });
    m_computer->request(m_scene);
}

SceneSession::~SceneSession() {
    m_slice.wait();
}

void SceneSession::setSceneSettings(const SceneSettings& settings) {
    m_scene = settings;
    m_learned.apply(m_scene);
    m_error.clear();
    m_computer->request(m_scene);
    if (m_view.compare) requestComparison();
    emitStatus();
}

void SceneSession::setViewSettings(const ViewSettings& view) {
    if (view == m_view) return;
    const bool startCompare = view.compare && !m_view.compare;
    m_view = view;
    if (startCompare) requestComparison();
    Q_EMIT viewSettingsChanged();
}

void SceneSession::applySceneFile(const SceneFile& file) {
    setViewSettings(file.view);
    setSceneSettings(file.scene);
    m_fitPending = true;
    if (file.camera)
        setPendingCamera([this, camera = *file.camera](render::OrbitCamera& c) {
            applyCameraState(c, camera);
            m_follow = camera.follow;
            m_followZoom = 1.0f;
        });
}

bool SceneSession::showsCurrentScene() const {
    return m_data && m_data->settings == m_scene;
}

bool SceneSession::computing() const {
    return m_computer->busy() || (m_view.compare && m_compareComputer->busy());
}

bool SceneSession::busy() const {
    return computing() || m_learned.busy() || m_slice.busy();
}

void SceneSession::setParticlesOnGpu(bool onGpu) {
    if (onGpu == m_particlesOnGpu) return;
    m_particlesOnGpu = onGpu;
    m_computer->setParticlesOnGpu(onGpu);
    m_compareComputer->setParticlesOnGpu(onGpu);
    m_computer->request(m_scene);
    if (m_view.compare) requestComparison();
    emitStatus();
}

void SceneSession::requestComparison() {
    std::vector<SceneSettings> batch;
    for (double d : kCompareD) {
        SceneSettings s = m_scene;
        s.d = d; // same seed, so every panel starts from the same noise
        batch.push_back(s);
    }
    m_compareData = {};
    m_compareComputer->requestBatch(batch);
}

void SceneSession::onSceneComputed(std::shared_ptr<const SceneData> scene) {
    const bool sameFrame = m_data && m_data->charges.dim() == scene->charges.dim() &&
                           m_data->settings.dataset == scene->settings.dataset &&
                           m_data->settings.dataPath == scene->settings.dataPath;
    m_data = std::move(scene);
    m_sinceScene.start();
    m_error.clear();
    m_clock.setRange(clockTop(*m_data), clockBottom(*m_data));
    // Within one data source the warp and the camera stay put, so an edited charge stays under
    // the cursor and the view does not jump while charges are added or dragged.
    if (!sameFrame) {
        m_warp = sceneWarp(*m_data);
        m_fitPending = m_rewindPending = true;
    }
    if (!sameFrame || showsCurrentScene()) {
        if (m_rewindPending) m_clock.rewind(m_view);
        m_rewindPending = false;
        if (m_fitPending) frame();
    }
    emitStatus();
    Q_EMIT sceneReady();
    continueLadder();
}

namespace {

// The settings a ladder is computed for: the scene's, exact, with a bounded particle count.
SceneSettings ladderBaseOf(SceneSettings s) {
    s.d = 0.0;
    s.particles = std::min(s.particles, 2000);
    s.learned.clear();
    return s;
}

} // namespace

// One rung at a time, after the scene on screen is the current one, so the ladder never slows
// down what the person asked for.
void SceneSession::continueLadder() {
    if (!m_data) return;
    const SceneSettings base = ladderBaseOf(m_scene);
    if (!(base == m_ladderBase) || m_ladderD.empty()) {
        m_ladderBase = base;
        m_ladderD = morphLadder(dataDim(*m_data));
        m_ladder.assign(m_ladderD.size(), nullptr);
    }
    // Nor does it slow a training: the rungs wait for its optimiser steps to end.
    if (!showsCurrentScene() || m_computer->busy() || m_ladderComputer->busy() ||
        trainer().optimising())
        return;
    for (std::size_t k = 0; k < m_ladder.size(); ++k)
        if (!m_ladder[k]) {
            SceneSettings s = m_ladderBase;
            s.d = m_ladderD[k];
            m_ladderComputer->request(s);
            return;
        }
}

void SceneSession::onLadderComputed(std::shared_ptr<const SceneData> scene) {
    SceneSettings base = scene->settings;
    base.d = 0.0;
    if (base == m_ladderBase)
        for (std::size_t k = 0; k < m_ladderD.size(); ++k)
            if (m_ladderD[k] == scene->settings.d) m_ladder[k] = scene;
    continueLadder();
}

int SceneSession::ladderReady() const {
    return static_cast<int>(std::count_if(m_ladder.begin(), m_ladder.end(),
                                          [](const auto& scene) { return scene != nullptr; }));
}

void SceneSession::previewD(double d) {
    m_scene.d = d;
    m_learned.apply(m_scene);
    const bool infinite = physics::isInfiniteD(d);
    std::shared_ptr<const SceneData> nearest;
    double best = INFINITY;
    if (m_data && ladderBaseOf(m_scene) == m_ladderBase) {
        const int dim = dataDim(*m_data);
        for (std::size_t k = 0; k < m_ladder.size(); ++k) {
            if (!m_ladder[k] || physics::isInfiniteD(m_ladderD[k]) != infinite) continue;
            // Beyond the top of the morph every D looks alike: the top rung, then the nearest.
            const double gap = std::abs(morphPosition(m_ladderD[k], dim) - morphPosition(d, dim)) +
                               (infinite ? 0.0 : 1e-3 * std::abs(std::log(m_ladderD[k] / d)));
            if (gap < best) best = gap, nearest = m_ladder[k];
        }
    }
    if (!nearest) {
        m_computer->request(m_scene); // no ladder yet: the exact scene, once the drag rests
    } else if (nearest != m_data) {
        m_data = nearest;
        m_clock.setRange(clockTop(*m_data), clockBottom(*m_data));
        Q_EMIT sceneReady();
    }
    emitStatus();
}

void SceneSession::onFailed(const QString& message) {
    m_error = message;
    emitStatus();
    Q_EMIT changed();
}

void SceneSession::frame() {
    const SceneBounds bounds = sceneBounds(*m_data, m_warp);
    m_camera.setPreset(render::CameraPreset::Iso);
    m_camera.fitBounds(bounds.min, bounds.max);
    m_fitPending = false;
    m_follow = true;
    m_followZoom = 1.0f;
    m_dataBox = chargeBounds(*m_data, m_warp);
    if (m_pendingCamera) {
        m_pendingCamera(m_camera);
        m_pendingCamera = nullptr;
    }
    followClock(0.0);
}

bool SceneSession::followClock(double dt) {
    if (!m_follow || !m_data || m_camera.isAnimating()) return false;
    render::OrbitCamera goal = m_camera;
    const double largestD = m_view.compare ? physics::kInfiniteD : m_data->settings.d;
    frameClock(goal, *m_data, m_warp, m_clock.logSigma(), largestD, m_followZoom, m_viewAspect,
               &m_dataBox);
    // Eased, so a loop back to σ_max or a jump of the scrubber is a quick zoom, not a cut.
    // Within a millionth it arrives: an eased float pose would otherwise wander in the last bits.
    const bool close = std::abs(goal.distance() - m_camera.distance()) <= 1e-6f * goal.distance() &&
                       glm::length(goal.target() - m_camera.target()) <= 1e-6f * goal.distance();
    const float a = dt > 0 && !close ? static_cast<float>(1.0 - std::exp(-dt / 0.15)) : 1.0f;
    const glm::vec3 target =
        a < 1.0f ? glm::mix(m_camera.target(), goal.target(), a) : goal.target();
    const float distance =
        a < 1.0f ? std::exp(glm::mix(std::log(m_camera.distance()), std::log(goal.distance()), a))
                 : goal.distance();
    if (target == m_camera.target() && distance == m_camera.distance()) return false;
    m_camera.setTarget(target);
    m_camera.setDistance(distance);
    return true;
}

CameraState SceneSession::cameraState() const {
    CameraState state = app::cameraState(m_camera);
    state.follow = m_follow;
    return state;
}

void SceneSession::setViewAspect(float aspect) {
    if (!(aspect > 0.0f) || !std::isfinite(aspect) || aspect == m_viewAspect) return;
    m_viewAspect = aspect;
    followClock(0.0);
}

void SceneSession::zoomCamera(double wheelSteps) {
    if (!m_follow) return m_camera.zoom(static_cast<float>(wheelSteps));
    m_followZoom = std::clamp(
        m_followZoom * std::pow(render::OrbitCamera::kZoomFactor, static_cast<float>(wheelSteps)),
        1e-3f, 1e3f);
    followClock(0.0);
    Q_EMIT changed();
}

void SceneSession::panCamera(glm::vec2 deltaPixels, glm::vec2 viewportSize) {
    m_follow = false; // the person chose where to look
    m_camera.pan(deltaPixels, viewportSize);
    Q_EMIT changed();
}

void SceneSession::resetCamera() {
    m_fitPending = true;
    if (showsCurrentScene()) frame();
    Q_EMIT changed();
}

void SceneSession::setPendingCamera(std::function<void(render::OrbitCamera&)> apply) {
    m_pendingCamera = std::move(apply);
}

void SceneSession::setClockLogSigma(double logSigma) {
    if (!m_data) return;
    m_clock.set(logSigma);
    Q_EMIT changed();
}

void SceneSession::restartClock() {
    if (!m_data) return;
    m_clock.rewind(m_view);
    m_view.playing = true;
    Q_EMIT changed();
}

void SceneSession::stepClock(double decades) {
    if (!m_data) return;
    m_view.playing = false;
    m_clock.set(m_clock.logSigma() + decades * std::log(10.0) * (m_view.forward ? 1 : -1));
    Q_EMIT changed();
}

bool SceneSession::advance(double dt) {
    bool moved = m_camera.advance(static_cast<float>(dt));
    std::vector<std::shared_ptr<const SceneData>> panes;
    if (m_view.compare) panes.assign(m_compareData.begin(), m_compareData.end());
    // Previews of a training at most half the time: each stays on screen as long as it took.
    const bool previewMayWait =
        computing() || (m_data && m_sinceScene.isValid() &&
                        m_sinceScene.elapsed() < 1000.0 * m_data->computeSeconds);
    if (m_learned.needsRecompute(m_data, showsCurrentScene(), m_scene, panes, previewMayWait))
        setSceneSettings(m_scene);
    serviceLessonTraining();
    if (m_data && ladderReady() < static_cast<int>(m_ladder.size())) continueLadder();
    // Collected whether or not it is still wanted; started only while it is.
    if (auto e = m_learned.updateErrorMap(m_errorMapWanted ? m_data : nullptr,
                                          std::exp(m_clock.logSigma()))) {
        m_error = *e;
        emitStatus();
    }
    updateSlice();
    if (m_data && m_clock.advance(dt, m_view)) moved = true;
    if (followClock(dt)) moved = true;
    // What arrived in the background is drawn on the next frame, input or not.
    const std::uint64_t arrivals = m_slice.arrivals() + m_learned.arrivals();
    if (arrivals != m_seenArrivals) m_seenArrivals = arrivals, moved = true;
    return moved;
}

// --- charge edits

bool SceneSession::canEdit() const {
    return m_data && m_data->charges.dim() == 2 && !m_data->projected && !m_view.compare &&
           showsCurrentScene();
}

void SceneSession::applyEdit(const SceneSettings& edited) {
    setSceneSettings(edited);
    Q_EMIT changed();
}

bool SceneSession::addCharge(double x1, double x2) {
    if (!canEdit()) return false;
    applyEdit(m_editor.add(m_scene, m_data->charges, x1, x2));
    return true;
}

bool SceneSession::moveCharge(std::size_t index, double x1, double x2, bool startsDrag) {
    // A drag that started on the current scene goes on while its moves are being computed.
    if (startsDrag ? !canEdit() : !m_data || m_data->charges.dim() != 2 || m_data->projected)
        return false;
    applyEdit(m_editor.move(m_scene, m_data->charges, index, x1, x2, startsDrag));
    return true;
}

bool SceneSession::removeCharge(std::size_t index) {
    if (!canEdit()) return false;
    auto edited = m_editor.remove(m_scene, m_data->charges, index);
    if (!edited) return false;
    applyEdit(*edited);
    return true;
}

bool SceneSession::canReweight() const {
    return canEdit() ||
           (m_data && m_data->charges.dim() == 2 && !m_data->projected && !m_view.compare &&
            m_scene.editedPositions.size() == 2 * m_data->charges.size());
}

bool SceneSession::reweightCharge(std::size_t index, double steps) {
    if (!canReweight()) return false;
    applyEdit(m_editor.reweight(m_scene, m_data->charges, index, steps));
    return true;
}

bool SceneSession::undo() {
    auto previous = m_editor.undo(m_scene);
    if (!previous) return false;
    applyEdit(*previous);
    return true;
}

bool SceneSession::redo() {
    auto next = m_editor.redo(m_scene);
    if (!next) return false;
    applyEdit(*next);
    return true;
}

// --- learned fields

void SceneSession::setFlowsLearned(bool learned) {
    if (learned == m_learned.flowsLearned()) return;
    m_learned.setFlowsLearned(learned);
    setSceneSettings(m_scene); // applies the fields, or drops them
}

void SceneSession::trainOnScene(const std::vector<double>& ds,
                                const physics::TrainSettings& settings) {
    if (!m_data) return;
    try {
        m_learned.train(*m_data, ds, settings);
    } catch (const std::exception& e) {
        m_error = QString::fromStdString(e.what());
        emitStatus();
    }
}

void SceneSession::useLearnedModel(const LearnedModel* model) {
    m_learned.use(model);
    SceneSettings s = m_scene;
    s.d = model->d();
    setSceneSettings(s);
}

std::optional<QString> SceneSession::loadLearnedField(const QString& path) {
    std::shared_ptr<const LearnedModel> model;
    // A TorchScript module without metadata applies to the scene's data at the scene's D.
    physics::LoadOptions options;
    if (m_data) options.dim = dataDim(*m_data);
    options.d = m_scene.d;
    try {
        model = m_learned.load(path, {}, options);
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    if (m_data && dataDim(*m_data) != model->dim())
        return QString("%1 is a field for %2-dimensional data; the scene's data have %3 "
                       "coordinates (it is kept in the panel's list)")
            .arg(QFileInfo(path).fileName())
            .arg(model->dim())
            .arg(dataDim(*m_data));
    m_learned.setFlowsLearned(true);
    SceneSettings s = m_scene;
    s.d = model->d();
    setSceneSettings(s);
    Q_EMIT learnedPanelRequested();
    return std::nullopt;
}

std::optional<QString> SceneSession::saveLearnedField(const QString& path) const {
    return m_learned.save(path, m_data ? m_data->flowModel : nullptr);
}

// --- lessons: the step's training waits until its own data are on screen, and only D values
// without a field are trained.

void SceneSession::startLesson(Lesson lesson) {
    m_lesson = std::move(lesson);
    goToLessonStep(0);
}

void SceneSession::endLesson() {
    m_lesson.reset();
    m_lessonTrain.reset();
    Q_EMIT changed();
}

void SceneSession::goToLessonStep(int step) {
    if (!m_lesson) return;
    m_lessonStep = std::clamp(step, 0, static_cast<int>(m_lesson->steps.size()) - 1);
    const LessonStep& s = m_lesson->steps[static_cast<std::size_t>(m_lessonStep)];
    ViewSettings view = s.scene.view;
    view.compute = m_view.compute; // the machine's choice, not the lesson's
    setViewSettings(view);
    m_learned.setFlowsLearned(s.flowsLearned.value_or(false));
    setSceneSettings(s.scene.scene);
    // Every step starts framed and at the top of its flow, even on the same data.
    m_fitPending = m_rewindPending = true;
    if (s.scene.camera)
        setPendingCamera(
            [camera = *s.scene.camera](render::OrbitCamera& c) { applyCameraState(c, camera); });
    if (s.openLearnedPanel) Q_EMIT learnedPanelRequested();
    m_lessonTrain.reset();
    if (!s.trainDs.empty()) m_lessonTrain = LessonTraining{s.trainDs, s.trainSteps};
    Q_EMIT changed();
}

void SceneSession::serviceLessonTraining() {
    if (!m_lessonTrain || !m_data || !showsCurrentScene()) return;
    const TrainerState state = trainer().state();
    std::vector<double> needed;
    for (double d : m_lessonTrain->ds) {
        const bool pending =
            std::any_of(state.pendingDs.begin(), state.pendingDs.end(), [&](double p) {
                return p == d || (physics::isInfiniteD(p) && physics::isInfiniteD(d));
            });
        if (!pending && !pickLearnedModel(state.models, d, m_data->charges)) needed.push_back(d);
    }
    physics::TrainSettings settings;
    settings.steps = m_lessonTrain->steps;
    m_lessonTrain.reset();
    if (!needed.empty()) trainOnScene(needed, settings);
}

std::string SceneSession::lessonNote() const {
    const TrainerState trainer = m_learned.trainer().state();
    if (!trainer.busy || trainer.stage.empty()) return {};
    if (trainer.step == 0) return trainer.stage + ": starting";
    char text[160];
    std::snprintf(text, sizeof text, "%s: %d%%, about %.0f s left%s", trainer.stage.c_str(),
                  trainer.steps > 0 ? 100 * trainer.step / trainer.steps : 0, trainer.etaSeconds,
                  trainer.queued ? " for this field" : "");
    return text;
}

// --- the field slice

physics::SliceSettings SceneSession::sliceSettings(const SliceRequest& request) const {
    const auto& charges = m_data->charges;
    double lo = INFINITY, hi = -INFINITY;
    for (std::size_t i = 0; i < charges.size(); ++i)
        lo = std::min(lo, charges.position(i)[0]), hi = std::max(hi, charges.position(i)[0]);
    const double spread = std::max(charges.rmsSpread(), 1e-3);
    const double pad = std::max(0.25 * (hi - lo), spread);
    physics::SliceSettings s;
    s.lo = lo - pad;
    s.hi = hi + pad;
    s.sigmaTop = request.height * spread;
    s.through = charges.mean();
    s.quantity = request.quantity;
    s.lineCount = request.lines;
    return s;
}

const physics::FieldSlice* SceneSession::sliceOnScreen() const {
    const auto* computed = m_slice.resultFor(m_data);
    return computed ? &computed->slice : nullptr;
}

void SceneSession::updateSlice() {
    if (auto e = m_slice.collect()) {
        m_sliceFailed = m_slicePending;
        m_error = QString("field slice: ") + QString::fromStdString(*e);
        emitStatus();
    }
    if (!m_sliceRequest || !m_data || m_data->projected || m_slice.busy() || !showsCurrentScene())
        return;
    if (m_slice.failedFor(m_data) && m_sliceFailed == m_sliceRequest) return;
    if (const auto* computed = m_slice.resultFor(m_data);
        computed && computed->request == *m_sliceRequest)
        return;
    m_slicePending = *m_sliceRequest;
    m_slice.start(m_data,
                  [scene = m_data, s = sliceSettings(*m_sliceRequest), request = *m_sliceRequest] {
                      // Many charges: x̂ and the density from the tree code (its kept tree).
                      const auto& settings = scene->settings;
                      std::unique_ptr<physics::Denoiser> field;
                      if (physics::usesTree(scene->charges, settings.fieldMethod))
                          field = sceneExactField(scene->charges, settings.d, settings.fieldMethod,
                                                  settings.fieldTolerance);
                      return ComputedSlice{physics::computeFieldSlice(scene->charges, settings.d, s,
                                                                      nullptr, field.get()),
                                           request};
                  });
}

// --- the status line

void SceneSession::setDisplayReport(const DisplayReport& report) {
    m_display = report;
    emitStatus();
}

QString SceneSession::statusText() const {
    if (!m_display.renderError.isEmpty()) return m_display.renderError;
    if (!m_error.isEmpty()) return "error: " + m_error;
    if (!m_data) return "computing the default scene...";
    const QString engine =
        m_data->flowModel ? QString("learned field (D = %1) on the CPU")
                                .arg(QString::fromStdString(displayD(m_data->flowModel->d())))
        : m_data->particlesOnGpu ? "backend gl: " + m_display.gpuRenderer
        // The GPU's kernels hold a point in registers of 2 or 3 coordinates.
        : m_data->projected
            ? QString("backend cpu (the GPU path takes data of 2 or 3 coordinates, this has %1)")
                  .arg(dataDim(*m_data))
            : "backend cpu" +
                  (m_display.cpuReason.isEmpty() ? QString() : " (" + m_display.cpuReason + ")");
    auto count = [](long long n, const char* noun) {
        return QString::fromStdString(countText(n, noun));
    };
    return QString("%1%2  ·  D = %3  ·  %4  ·  %5  ·  computed in %6 s  ·  %7%8")
        .arg(count(static_cast<long long>(m_data->charges.size()), "charge"))
        .arg(m_data->projected ? QString(" in %1 coordinates").arg(dataDim(*m_data)) : QString())
        .arg(QString::fromStdString(displayD(m_data->settings.d)))
        .arg(count(m_data->settings.particles, "particle"))
        .arg(count(static_cast<long long>(m_data->fieldLines.size()), "field line"))
        .arg(m_data->computeSeconds, 0, 'f', 2)
        .arg(engine)
        .arg(m_display.gpuProgress >= 0 ? QString("  ·  moving particles on the GPU: %1%")
                                              .arg(static_cast<int>(100 * m_display.gpuProgress))
                                        : QString());
}

void SceneSession::emitStatus() {
    Q_EMIT statusChanged(statusText());
}

} // namespace psc::app
