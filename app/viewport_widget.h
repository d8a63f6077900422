// The central OpenGL viewport: draws a SceneSession (the scene, its animated flow, the 2×2
// comparison) with the ImGui windows on top, moves GPU particles, and forwards input to the
// session. It owns the GL life cycle and nothing of the scene itself.
#pragma once

#include "app/scene/scene_geometry_builder.h"
#include "app/scene/scene_picking.h"
#include "app/session_panels.h"
#include "app/theme.h"

#include "physics/trajectory_io.h"
#include "render/scene_geometry.h"

#include <QElapsedTimer>
#include <QOpenGLWidget>
#include <QTimer>

#include <algorithm>
#include <array>
#include <memory>
#include <optional>

struct ImGuiContext;

namespace psc::render {
class SceneRenderer;
}
namespace psc::compute {
class GpuParticleFlow;
}

namespace psc::app {

class ImGuiQtBridge;
class SceneSession;

class ViewportWidget : public QOpenGLWidget {
    Q_OBJECT
public:
    // Draws session, which must outlive the widget.
    explicit ViewportWidget(SceneSession& session, QWidget* parent = nullptr);
    ~ViewportWidget() override;

    SceneSession& session() const { return m_session; }
    // The scene's area (logical pixels), between the panel columns; the camera projects into it.
    QRectF sceneRect() const;
    // The session's scenes or the GPU flows on screen are still being computed.
    bool computing() const;
    double lastFrameMilliseconds() const { return m_frameMs; }
    long long framesDrawn() const { return m_framesDrawn; }
    // While a field trains, frames without input come at most this often (0: as often as the
    // animation wants). Software GL draws with every core, and a training that shares them with
    // a 60 Hz animation is several times slower: the lesson's wait is what the class sees.
    static constexpr int kTrainingFrameMs = 250;
    void setTrainingFrameInterval(int milliseconds) { m_trainingFrameMs = milliseconds; }
    // Work of another window shares the cores (a robustness experiment): frames thin out as while
    // a field trains. Counted, so that two dialogs running at once each end their own share.
    void setBackgroundJob(bool running) {
        m_backgroundJobs = std::max(0, m_backgroundJobs + (running ? 1 : -1));
    }
    void setPanelVisible(bool visible);
    bool panelVisible() const { return m_panels.visible; }
    // Presentation mode (key P; Esc ends it): every control hidden, the scene the whole window,
    // larger labels and a legend of what the marks mean. A running lesson stays beside it.
    void setPresenting(bool presenting);
    bool presenting() const { return m_presenting; }
    // The windows' state, and where their widgets were drawn last frame (tests drive them).
    PanelsMemory& panels() { return m_panels; }
    void openLearnedPanel();
    void openSlicePanel();
    // Opens the laws of D and N (the particles' distances against the kernel's law, the map).
    void openLawsPanel();
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
    // What the mouse hovers (N = 2 scenes, single view), shown as a tooltip.
    const std::optional<Inspection>& inspection() const { return m_inspection; }
    // The charge under the pointer, highlighted with its weight (N = 2 scenes that can be edited).
    const std::optional<HoveredCharge>& hoveredChargeNow() const { return m_hoverCharge; }
    // The panels' theme, and their positions and folds as ImGui's ini text (kept across runs).
    void setTheme(Theme theme);
    Theme theme() const { return m_theme; }
    QByteArray panelLayout() const;
    void setPanelLayout(const QByteArray& ini);

Q_SIGNALS:
    void presentingChanged(bool presenting);

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
    void tick();
    void onViewSettingsChanged();
    void updateHover();
    void reportDisplay();
    glm::vec2 viewportSize() const;
    glm::vec2 sceneAt(QPointF widgetPosition) const;
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

    SceneSession& m_session;
    PanelsMemory m_panels;
    // The scene whose geometry is uploaded (null: none, or to be rebuilt), and the colour map,
    // stage and compute choice last seen in the view (geometry and engine follow them).
    std::shared_ptr<const SceneData> m_geometryOf;
    render::ColorMapKind m_colors = render::ColorMapKind::Viridis;
    render::StageKind m_stage = render::StageKind::Dark;
    std::vector<render::Label> m_labels;
    DensityRange m_fieldLineDensity;
    double m_hemisphereD = 0, m_hemisphereSigmaMax = 0; // what the hemisphere on screen shows
    bool m_compareDirty = false;
    ComputeChoice m_computeChoice = ComputeChoice::Auto;
    double m_frameMs = 0;
    long long m_framesDrawn = 0;
    int m_trainingFrameMs = kTrainingFrameMs;
    int m_backgroundJobs = 0;
    QString m_renderError;
    std::unique_ptr<render::SceneRenderer> m_renderer;
    std::array<std::unique_ptr<render::SceneRenderer>, 4> m_compareRenderers;
    std::unique_ptr<ImGuiQtBridge> m_bridge;
    ImGuiContext* m_imgui = nullptr;
    bool m_imguiRenderer = false;
    QTimer m_timer;
    QElapsedTimer m_sinceTick, m_sinceInput, m_sinceFrame, m_sincePaint;

    QPointF m_lastMouse, m_pressPos;
    Qt::MouseButtons m_dragButtons;
    bool m_dragMoved = false, m_dragRecorded = false;
    std::optional<std::size_t> m_dragCharge;
    std::optional<QPointF> m_hover; // where the pointer rests on the scene (not on a panel)
    std::optional<Inspection> m_inspection;
    std::optional<HoveredCharge> m_hoverCharge;

    QString m_gpuProblem;       // empty when compute shaders are available
    bool m_gpuSoftware = false; // a software rasteriser: auto prefers the CPU
    QString m_glRenderer;
    QString m_computeNote;
    QString m_cpuReason; // why the particles run on the CPU (empty while the GPU moves them)
    std::unique_ptr<compute::GpuParticleFlow> m_gpuFlow;
    // The scene each flow belongs to, held so that no later scene can reuse its address.
    std::shared_ptr<const SceneData> m_gpuFlowOf;
    std::array<std::unique_ptr<compute::GpuParticleFlow>, 4> m_compareFlows;
    std::array<std::shared_ptr<const SceneData>, 4> m_compareFlowOf;
    double m_pairBudget = 1e7;
    bool m_lostGpuWork = false; // the destroyed context held GPU particle flows

    Theme m_theme = Theme::Dark;
    bool m_presenting = false;
    bool m_panelsBeforePresenting = true;
    QByteArray m_pendingLayout; // until the ImGui context exists
};

} // namespace psc::app
