// A scene as a person works with it, without any OpenGL: the settings and the scene computed from
// them, the 2×2 comparison, the clock, the camera, charge edits with undo, learned fields, lessons,
// the field slice and the status line. The window's widget draws it and forwards input to it;
// tests (and later Python) drive it directly. Lives on the GUI thread; computations run on
// background threads and arrive through the event loop.
#pragma once

#include "app/scene/background_result.h"
#include "app/scene/charge_editor.h"
#include "app/scene/learned_fields.h"
#include "app/scene/lesson.h"
#include "app/scene/playback_clock.h"
#include "app/scene/scene_data.h"
#include "app/scene/scene_file.h"
#include "app/scene/scene_geometry_builder.h"
#include "app/scene/scene_settings.h"

#include "physics/field_slice.h"
#include "render/axis_warp.h"
#include "render/camera.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <array>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

namespace psc::app {

class SceneComputer;

// What the display reports about itself, for the status line: why it cannot draw, and where the
// particles move (the GPU's renderer, or why the CPU moves them).
struct DisplayReport {
    QString renderError;     // empty while drawing works
    QString gpuRenderer;     // "llvmpipe (LLVM 15 ...)"
    QString cpuReason;       // why the particles run on the CPU; empty while the GPU moves them
    double gpuProgress = -1; // of the GPU flow of the scene on screen; < 0: none running
};

// The x₁–σ slice a person asked for (the slice window's controls).
struct SliceRequest {
    physics::SliceQuantity quantity = physics::SliceQuantity::FieldStrength;
    float height = 3.0f; // σ at the top, in data spreads
    int lines = 24;
    bool operator==(const SliceRequest&) const = default;
};

class SceneSession : public QObject {
    Q_OBJECT
public:
    // The D values of the 2×2 comparison.
    static constexpr std::array<double, 4> kCompareD{1.0, 8.0, 128.0,
                                                     std::numeric_limits<double>::infinity()};

    explicit SceneSession(QObject* parent = nullptr); // starts computing the default scene
    ~SceneSession() override;

    // --- the scene and its view
    const SceneSettings& sceneSettings() const { return m_scene; }
    // Recomputes (the comparison too when it is on); the learned switch fills settings.learned.
    void setSceneSettings(const SceneSettings& settings);
    const ViewSettings& viewSettings() const { return m_view; }
    void setViewSettings(const ViewSettings& view);
    // The scene on screen (null until the first computation finishes).
    std::shared_ptr<const SceneData> sceneData() const { return m_data; }
    // True when the scene on screen was computed from the current settings.
    bool showsCurrentScene() const;
    // The four scenes of the comparison (kCompareD), null until computed or while it is off.
    const std::array<std::shared_ptr<const SceneData>, 4>& comparisonData() const {
        return m_compareData;
    }
    // Scenes still being computed (the GPU's flows are the display's business).
    bool computing() const;
    // Anything running in the background: scenes, training, the error map, the slice.
    bool busy() const;
    // From now on leave the particles' flows to the GPU (see computeScene); recomputes on change.
    void setParticlesOnGpu(bool onGpu);
    bool particlesOnGpuRequested() const { return m_particlesOnGpu; }
    // The last computation's failure, empty after a success.
    const QString& error() const { return m_error; }

    // --- the live D morph: while the D slider is dragged, previewD shows at once the scene of the
    // nearest D of a ladder (morphLadder: the current settings, same noise, at most 2,000
    // particles) computed in the background once a scene is on screen; setSceneSettings on
    // release computes the exact scene. Before the ladder is ready the exact scene is requested.
    void previewD(double d);
    // The ladder's D values and how many of its scenes are ready.
    const std::vector<double>& ladderDs() const { return m_ladderD; }
    int ladderReady() const;

    // --- the clock (log σ of the flow on screen)
    double clockLogSigma() const { return m_clock.logSigma(); }
    const PlaybackClock& clock() const { return m_clock; }
    void setClockLogSigma(double logSigma);
    // Back to the start of the flow, playing.
    void restartClock();
    // Pauses and moves the clock by `decades` of σ along the flow's direction.
    void stepClock(double decades);
    // Plays dt seconds: the clock, the camera's animation, and the background work that needs
    // the GUI thread (finished trainings, lesson training, the error map and the slice). True
    // when something on screen changed, a background result's arrival included.
    bool advance(double dt);

    // --- the camera, GL-free; fitted to each new data set
    render::OrbitCamera& camera() { return m_camera; }
    const render::OrbitCamera& camera() const { return m_camera; }
    const render::AxisWarp& warp() const { return m_warp; }
    // Frames the data again: now when the scene on screen is the current one, else when it
    // arrives. Each new data source is framed by itself.
    void resetCamera();
    // The camera follows the flow's clock (frameClock: the hemisphere at σ_max, the data as σ
    // falls) until the user pans; resetCamera follows again. Zoom scales the followed framing.
    bool followsClock() const { return m_follow; }
    // The camera's pose, with whether it follows the clock (what scene files keep).
    CameraState cameraState() const;
    void zoomCamera(double wheelSteps);
    // The shape of the view the camera draws (width / height), for the followed framing.
    void setViewAspect(float aspect);
    void panCamera(glm::vec2 deltaPixels, glm::vec2 viewportSize);
    // Applies a pose once the scene is next framed (after its automatic fit).
    void setPendingCamera(std::function<void(render::OrbitCamera&)> apply);
    // A scene file's scene and view; its camera pose (if it has one) once its scene is framed.
    void applySceneFile(const SceneFile& file);

    // --- charge edits (N = 2, on the scene on screen when it is the current one), with undo
    bool canEdit() const;
    bool addCharge(double x1, double x2);
    // startsDrag records the settings before the drag for undo; later moves of it do not.
    bool moveCharge(std::size_t index, double x1, double x2, bool startsDrag);
    bool removeCharge(std::size_t index);
    // Also while the previous edit of these charges is being computed, so that turning the wheel
    // over a charge keeps reweighting it (canReweight).
    bool reweightCharge(std::size_t index, double steps);
    bool canReweight() const;
    bool undo();
    bool redo();

    // --- learned fields
    LearnedFields& learned() { return m_learned; }
    LearnedTrainer& trainer() { return m_learned.trainer(); }
    bool flowsLearned() const { return m_learned.flowsLearned(); }
    void setFlowsLearned(bool learned);
    // Queues training on the charges on screen, one field per D (nothing while computing);
    // failures go to the status line.
    void trainOnScene(const std::vector<double>& ds, const physics::TrainSettings& settings);
    // Moves the particles with this field, at its D.
    void useLearnedModel(const LearnedModel* model);
    // Adds a field saved by `poissonscope train` or saveLearnedField and moves the particles with
    // it at its D (when its dimension matches the data). An error message when the file is not a
    // usable field (nothing changes), or when it is of another dimension (it is kept in the list).
    std::optional<QString> loadLearnedField(const QString& path);
    // Saves the field moving the particles on screen, else the newest one.
    std::optional<QString> saveLearnedField(const QString& path) const;
    // The error map is computed while a person looks at it (the learned panel is open).
    void setErrorMapWanted(bool wanted) { m_errorMapWanted = wanted; }
    const physics::DenoiserDifferenceMap* errorMap() const { return m_learned.errorMap(m_data); }

    // --- lessons: a step sets its scene, view, camera and learned fields
    void startLesson(Lesson lesson);
    void goToLessonStep(int step);
    void endLesson();
    const Lesson* lesson() const { return m_lesson ? &*m_lesson : nullptr; }
    int lessonStep() const { return m_lessonStep; }
    // A line about the step's background work ("training D = 8 (1 of 1): 40%, about 3 s left").
    std::string lessonNote() const;

    // --- the x₁–σ field slice through the data's mean, computed while it is requested (the slice
    // window is open); nullopt stops it.
    void setSliceRequest(std::optional<SliceRequest> request) { m_sliceRequest = request; }
    const physics::FieldSlice* sliceOnScreen() const;
    physics::SliceSettings
    sliceSettings(const SliceRequest& request) const; // of the scene on screen

    // --- the status line
    void setDisplayReport(const DisplayReport& report);
    QString statusText() const;

Q_SIGNALS:
    void statusChanged(const QString& text);
    void viewSettingsChanged();
    // A new scene is on screen.
    void sceneReady();
    void comparisonReady();
    // Anything on screen changed that is not announced above (the clock moved, an edit).
    void changed();
    // A lesson step or a loaded field asks for the learned-field window.
    void learnedPanelRequested();

private:
    void onSceneComputed(std::shared_ptr<const SceneData> scene);
    void onFailed(const QString& message);
    void applyEdit(const SceneSettings& edited);
    void requestComparison();
    void frame();
    bool followClock(double dt);
    void continueLadder();
    void onLadderComputed(std::shared_ptr<const SceneData> scene);
    void emitStatus();
    void serviceLessonTraining();
    void updateSlice();

    SceneSettings m_scene;
    ViewSettings m_view;
    std::shared_ptr<const SceneData> m_data;
    QElapsedTimer m_sinceScene; // since m_data arrived
    std::array<std::shared_ptr<const SceneData>, 4> m_compareData;
    std::unique_ptr<SceneComputer> m_computer, m_compareComputer, m_ladderComputer;
    SceneSettings m_ladderBase; // what the ladder is computed for (D aside)
    std::vector<double> m_ladderD;
    std::vector<std::shared_ptr<const SceneData>> m_ladder;
    bool m_particlesOnGpu = false;
    QString m_error;
    DisplayReport m_display;

    PlaybackClock m_clock;
    render::AxisWarp m_warp;
    render::OrbitCamera m_camera;
    bool m_fitPending = true;     // frame the current scene when it is on screen
    bool m_rewindPending = false; // and rewind the clock (a lesson step)
    std::function<void(render::OrbitCamera&)> m_pendingCamera;
    bool m_follow = true;
    float m_followZoom = 1.0f;
    float m_viewAspect = 1.0f;
    SceneBounds m_dataBox; // the charges' box when the data source was framed

    ChargeEditor m_editor;
    LearnedFields m_learned;
    bool m_errorMapWanted = false;

    std::optional<Lesson> m_lesson;
    int m_lessonStep = 0;
    struct LessonTraining {
        std::vector<double> ds;
        int steps;
    };
    std::optional<LessonTraining> m_lessonTrain; // until the step's scene is on screen

    struct ComputedSlice {
        physics::FieldSlice slice;
        SliceRequest request;
    };
    std::optional<SliceRequest> m_sliceRequest, m_sliceFailed;
    SliceRequest m_slicePending;
    BackgroundResult<ComputedSlice> m_slice;
    std::uint64_t m_seenArrivals = 0;
};

} // namespace psc::app
