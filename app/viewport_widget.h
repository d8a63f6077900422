// The central OpenGL viewport: the scene, the animated flow, the camera, and the ImGui overlay.
#pragma once

#include "app/scene/charge_editor.h"
#include "app/control_panel.h"
#include "app/learned_panel.h"
#include "app/lesson_panel.h"
#include "app/scene/scene_data.h"
#include "app/scene/scene_geometry_builder.h"
#include "app/scene/scene_settings.h"
#include "app/theme.h"

#include "physics/denoiser_map.h"
#include "physics/field_slice.h"
#include "physics/point_inspection.h"
#include "physics/torch/learned_field.h"
#include "physics/trajectory_io.h"
#include "render/axis_warp.h"
#include "render/camera.h"
#include "render/scene_geometry.h"

#include <QElapsedTimer>
#include <QOpenGLWidget>
#include <QTimer>

#include <array>
#include <functional>
#include <future>
#include <limits>
#include <memory>
#include <optional>

struct ImGuiContext;
struct ImDrawList;

namespace psc::render {
class SceneRenderer;
}
namespace psc::compute {
class GpuParticleFlow;
}

namespace psc::app {

class ImGuiQtBridge;
class SceneComputer;

class ViewportWidget : public QOpenGLWidget {
    Q_OBJECT
public:
    explicit ViewportWidget(QWidget* parent = nullptr);
    ~ViewportWidget() override;

    const SceneSettings& sceneSettings() const { return m_scene; }
    void setSceneSettings(const SceneSettings& settings);
    const ViewSettings& viewSettings() const { return m_view; }
    void setViewSettings(const ViewSettings& view);
    // The scene on screen (null until the first computation finishes).
    std::shared_ptr<const SceneData> sceneData() const { return m_data; }
    // The four scenes of the comparison (D = 1, 8, 128, ∞), null until computed or when off.
    const std::array<std::shared_ptr<const SceneData>, 4>& comparisonData() const {
        return m_compareData;
    }
    static constexpr std::array<double, 4> kCompareD{1.0, 8.0, 128.0,
                                                     std::numeric_limits<double>::infinity()};
    bool computing() const;
    double clockLogSigma() const { return m_clock; }
    void setClockLogSigma(double logSigma);
    double lastFrameMilliseconds() const { return m_frameMs; }
    const render::OrbitCamera& camera() const { return m_camera; }
    // Applies a camera pose once the next scene is on screen (after its automatic fit).
    void setPendingCamera(std::function<void(render::OrbitCamera&)> apply) {
        m_pendingCamera = std::move(apply);
    }
    void animateCamera(render::CameraPreset preset) { m_camera.animateTo(preset, 0.6f); }
    void resetCamera() {
        m_fitPending = true;
        update();
    }
    void setPanelVisible(bool visible) {
        m_panelVisible = visible;
        update();
    }
    bool panelVisible() const { return m_panelVisible; }
    const PanelMemory& panelMemory() const { return m_panelMemory; }
    const render::AxisWarp& warp() const { return m_warp; }
    bool undo();
    bool redo();
    // Empty while rendering works; otherwise why it does not (shader or context failure).
    const QString& renderError() const { return m_renderError; }
    // Whether the particles on screen are moved by compute shaders, and why not when they are not
    // ("OpenGL 3.3 has no compute shaders", "software OpenGL (llvmpipe): the CPU is faster").
    bool particlesOnGpu() const;
    const QString& computeNote() const { return m_computeNote; }
    // The GPU flow of the scene on screen (null on the CPU path), for tests and the inspector.
    compute::GpuParticleFlow* gpuFlow() const { return m_gpuFlow.get(); }
    // The particles' recorded paths on screen, from the CPU or read back from the GPU (empty while
    // the scene is being computed).
    physics::TrajectorySet particleTrajectories();

    // Learned fields (viewport_learned.cpp). Training runs in the background; with flowsLearned,
    // scenes move their particles with the learned field at their D, where one fits the data.
    LearnedTrainer& learnedTrainer() { return *m_trainer; }
    bool flowsLearned() const { return m_flowsLearned; }
    void setFlowsLearned(bool learned);
    // Queues training on the charges on screen, one model per D (nothing while computing).
    void trainOnScene(const std::vector<double>& ds, const physics::TrainSettings& settings);
    // |x̂_learned − x̂_exact| over the data plane at the clock's σ, while the learned panel is open
    // and a learned field moves the particles on screen.
    const physics::DenoiserDifferenceMap* errorMap() const {
        return m_errorMap && m_errorMapOf == m_data ? &*m_errorMap : nullptr;
    }
    void openLearnedPanel() {
        m_learnedMemory.requestOpen = true;
        m_sinceInput.restart(); // a few frames, for the window to settle
        update();
    }
    // Adds a model saved by `poissonscope train` or saveLearnedField and moves the particles with
    // it at its D (when its dimension matches the data). An error message when the file is not
    // a usable model; nothing changes then.
    std::optional<QString> loadLearnedField(const QString& path);
    // Saves the learned field moving the particles on screen, else the newest one; an error
    // message when there is none or the file cannot be written (nothing is left half-written).
    std::optional<QString> saveLearnedField(const QString& path) const;
    // Lessons (viewport_lesson.cpp): a step sets its scene, view, camera and learned fields.
    void startLesson(Lesson lesson);
    void goToLessonStep(int step);
    void endLesson();
    const Lesson* lesson() const { return m_lesson ? &*m_lesson : nullptr; }
    int lessonStep() const { return m_lessonStep; }
    LessonPanelMemory& lessonPanelMemory() { return m_lessonMemory; }
    // The inspector (viewport_inspect.cpp): what the mouse hovers, a particle (index >= 0) or the
    // point of the data plane at the clock's σ; 2D data, single view.
    struct Inspection {
        physics::PointInspection point;
        long particle = -1;
    };
    static constexpr std::size_t kInspectedCharges = 5;
    const std::optional<Inspection>& inspection() const { return m_inspection; }
    // The x₁–σ field slice through the data's mean, in its own window.
    void openSlicePanel() {
        m_slice.requestOpen = true;
        m_sinceInput.restart();
        update();
    }
    const physics::FieldSlice* sliceOnScreen() const;
    physics::SliceSettings sliceSettings() const; // of the scene on screen
    int sliceFramesDrawn() const { return m_slice.framesDrawn; }
    const float* sliceMapRect() const { return m_slice.mapRect; }
    // The panels' theme, and their positions and folds as ImGui's ini text (kept across runs).
    void setTheme(Theme theme);
    Theme theme() const { return m_theme; }
    QByteArray panelLayout() const;
    void setPanelLayout(const QByteArray& ini);
    // The panel's settings (steps, sweep, ...) and where its buttons were drawn, for tests.
    LearnedPanelMemory& learnedPanelMemory() { return m_learnedMemory; }

Q_SIGNALS:
    void statusChanged(const QString& text);
    // The panel changed the view settings (menus mirror them).
    void viewSettingsChanged();
    void sceneReady();

protected:
    bool event(QEvent* event) override;
    void initializeGL() override;
    void paintGL() override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    void onSceneComputed(std::shared_ptr<const SceneData> scene);
    void tick();
    void emitStatus();
    void drawSigmaGauge(ImDrawList& draw, glm::vec2 viewport) const;
    void drawFieldLineLegend(ImDrawList& draw, glm::vec2 viewport) const;
    // Index of the charge drawn within a few pixels of pos (N = 2 scenes only).
    std::optional<std::size_t> chargeAt(QPointF pos) const;
    // The point of the data plane under pos, in physics coordinates.
    std::optional<glm::dvec2> planePointAt(QPointF pos) const;
    void applyEdit(const SceneSettings& edited);
    // True when the scene on screen was computed from the current settings.
    bool showsCurrentScene() const;
    void requestComparison();
    void prepareGeometry();
    void paintScene(const glm::ivec2& framebuffer, float ratio);
    void paintComparison(const glm::ivec2& framebuffer, float ratio);
    // GPU particles (viewport_gpu.cpp): which engine moves them, and their flows, advanced a few
    // steps per frame within a budget that keeps frames near 30 ms.
    void detectGpuCompute();
    bool wantGpu() const;
    void applyComputeChoice();
    void syncGpuFlows();
    compute::GpuParticleFlow* ensureGpuFlow(std::unique_ptr<compute::GpuParticleFlow>& flow,
                                            std::shared_ptr<const SceneData>& of,
                                            const std::shared_ptr<const SceneData>& scene);
    void gpuFailed(const QString& why);
    void releaseGl();
    void applyLearnedModels(SceneSettings& settings) const;
    void syncLearnedModels();
    void drawLearnedFrame(const TrainerState& trainer);
    void updateErrorMap();
    void serviceLessonTraining();
    void updateInspector(QPointF pos);
    void drawInspector();
    void drawSliceFrame();
    void updateSlice();
    std::string lessonNote(const TrainerState& trainer) const;
    void drawLessonFrame(const TrainerState& trainer);

    SceneSettings m_scene;
    ViewSettings m_view;
    PanelMemory m_panelMemory;
    bool m_panelVisible = true;
    std::shared_ptr<const SceneData> m_data;
    render::AxisWarp m_warp;
    render::OrbitCamera m_camera;
    std::vector<render::Label> m_labels;
    DensityRange m_fieldLineDensity; // of the scene whose geometry is on screen
    glm::vec3 m_boundsMin{-1.0f}, m_boundsMax{1.0f};
    bool m_geometryDirty = false;
    double m_hemisphereD = 0, m_hemisphereSigmaMax = 0; // what the hemisphere on screen shows
    bool m_fitPending = true;
    double m_clock = 0;
    double m_holdSeconds = 0;
    double m_frameMs = 0;
    QString m_error, m_renderError;
    std::unique_ptr<SceneComputer> m_computer;
    std::unique_ptr<SceneComputer> m_compareComputer;
    std::array<std::shared_ptr<const SceneData>, 4> m_compareData;
    std::array<std::unique_ptr<render::SceneRenderer>, 4> m_compareRenderers;
    bool m_compareDirty = false;
    std::unique_ptr<render::SceneRenderer> m_renderer;
    std::unique_ptr<ImGuiQtBridge> m_bridge;
    ImGuiContext* m_imgui = nullptr;
    bool m_imguiRenderer = false;
    QTimer m_timer;
    QElapsedTimer m_sinceTick;
    QElapsedTimer m_sinceInput;
    QPointF m_lastMouse, m_pressPos;
    Qt::MouseButtons m_dragButtons;
    bool m_dragMoved = false;
    std::optional<std::size_t> m_dragCharge;
    bool m_dragRecorded = false;
    ChargeEditor m_editor;
    std::function<void(render::OrbitCamera&)> m_pendingCamera;

    QString m_gpuProblem;       // empty when compute shaders are available
    bool m_gpuSoftware = false; // a software rasteriser: auto prefers the CPU
    QString m_glRenderer;
    QString m_computeNote;
    QString m_cpuReason; // why the particles run on the CPU (empty while the GPU moves them)
    bool m_gpuRequested = false; // what the scene computers were last told
    std::unique_ptr<compute::GpuParticleFlow> m_gpuFlow;
    // The scene each flow belongs to, held so that no later scene can reuse its address.
    std::shared_ptr<const SceneData> m_gpuFlowOf;
    std::array<std::unique_ptr<compute::GpuParticleFlow>, 4> m_compareFlows;
    std::array<std::shared_ptr<const SceneData>, 4> m_compareFlowOf;
    double m_pairBudget = 1e7;
    bool m_lostGpuWork = false; // the destroyed context held GPU particle flows

    std::unique_ptr<LearnedTrainer> m_trainer;
    LearnedPanelMemory m_learnedMemory;
    bool m_flowsLearned = false;
    std::uint64_t m_modelsRevision = 0;
    std::vector<bool> m_fits; // per field: trained on the scene on screen
    std::shared_ptr<const SceneData> m_fitsOf;
    std::uint64_t m_fitsRevision = 0;
    std::optional<physics::DenoiserDifferenceMap> m_errorMap;
    std::shared_ptr<const SceneData> m_errorMapOf, m_errorMapPending, m_errorMapFailedFor;
    std::future<physics::DenoiserDifferenceMap> m_errorMapFuture;

    Theme m_theme = Theme::Dark;
    QByteArray m_pendingLayout; // until the ImGui context exists
    std::optional<Inspection> m_inspection;
    struct SliceKey {
        int quantity;
        float height;
        int lines;
        bool operator==(const SliceKey&) const = default;
    };
    struct SliceView {
        bool requestOpen = false, open = false;
        int quantity = 0, lines = 24, framesDrawn = 0;
        float height = 3.0f;
        float mapRect[4] = {};
        std::optional<physics::FieldSlice> slice;
        std::shared_ptr<const SceneData> of, pending;
        SliceKey computedKey{}, pendingKey{};
        std::future<physics::FieldSlice> future;
    } m_slice;

    std::optional<Lesson> m_lesson;
    int m_lessonStep = 0;
    LessonPanelMemory m_lessonMemory;
    struct LessonTraining {
        std::vector<double> ds;
        int steps;
    };
    std::optional<LessonTraining> m_lessonTrain; // until the step's scene is on screen
    bool m_lessonFramePending = false;           // fit and rewind on the step's scene
    QElapsedTimer m_sinceFrame;
};

} // namespace psc::app
