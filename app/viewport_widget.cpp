// ViewportWidget's life cycle and frame. Frame order (Polyscope/ImGui style): ImGui new frame →
// windows → scene into the widget's FBO → ImGui on top. Input is in viewport_input.cpp, GPU
// particles in viewport_gpu.cpp, the scene's drawing in viewport_paint.cpp.
#include "app/viewport_widget.h"

#include "app/formula/formula_imgui.h"
#include "app/imgui_qt_bridge.h"
#include "app/scene/scene_session.h"

#include "render/compute/gpu_particle_flow.h"
#include "render/scene_renderer.h"

#include <QEvent>
#include <QOpenGLContext>
#include <QOpenGLFunctions>
#include <QSurfaceFormat>

#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>

namespace psc::app {
namespace {

// The interface font (Greek, subscripts, √ ∞ for the axis labels; ImGui's built-in font is ASCII
// only) and the formula fonts of lessons. A font not found is replaced, and said so in the log.
void loadFonts(ImGuiIO& io, float pixelRatio) {
    const formula::FormulaFonts fonts = formula::loadFonts(io, pixelRatio);
    if (!fonts.problem.empty()) qWarning("poissonscope: %s", fonts.problem.c_str());
}

void clearStage(render::StageKind kind) {
    const glm::vec4 c = render::stagePalette(kind).background;
    auto* f = QOpenGLContext::currentContext()->functions();
    f->glClearColor(c.r, c.g, c.b, c.a);
    f->glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
}

} // namespace

ViewportWidget::ViewportWidget(SceneSession& session, QWidget* parent)
    : QOpenGLWidget(parent), m_session(session) {
    // Ask for a core context whatever the application's default: compute shaders need 4.3, the
    // renderer 3.3; older drivers answer with less and initializeGL says so.
    QSurfaceFormat format = QSurfaceFormat::defaultFormat();
    format.setRenderableType(QSurfaceFormat::OpenGL);
    format.setProfile(QSurfaceFormat::CoreProfile);
    format.setVersion(4, 3);
    format.setDepthBufferSize(24);
    format.setSamples(4);
    setFormat(format);
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setMinimumSize(320, 240);
    m_colors = session.viewSettings().colorMap;
    m_stage = session.viewSettings().stage;
    m_computeChoice = session.viewSettings().compute;
    auto redraw = [this] { update(); };
    connect(&session, &SceneSession::sceneReady, this, redraw);
    connect(&session, &SceneSession::changed, this, redraw);
    connect(&session, &SceneSession::comparisonReady, this, [this] {
        m_compareDirty = true;
        update();
    });
    connect(&session, &SceneSession::viewSettingsChanged, this,
            &ViewportWidget::onViewSettingsChanged);
    connect(&session, &SceneSession::learnedPanelRequested, this,
            &ViewportWidget::openLearnedPanel);
    connect(&m_timer, &QTimer::timeout, this, &ViewportWidget::tick);
    m_timer.start(16);
    m_sinceTick.start();
    m_sinceInput.start();
}

ViewportWidget::~ViewportWidget() {
    // QOpenGLWidget destroys the context after this body: no releaseGl on a half-gone widget.
    if (context()) disconnect(context(), nullptr, this, nullptr);
    makeCurrent();
    if (m_imgui) {
        ImGui::SetCurrentContext(m_imgui);
        if (m_imguiRenderer) ImGui_ImplOpenGL3_Shutdown();
        ImGui::DestroyContext(m_imgui);
    }
    m_renderer.reset();
    for (auto& r : m_compareRenderers) r.reset();
    m_gpuFlow.reset();
    for (auto& flow : m_compareFlows) flow.reset();
    doneCurrent();
}

bool ViewportWidget::computing() const {
    if (m_session.computing()) return true;
    // Only the flows on screen advance: the main one alone, or the four of the comparison.
    if (!m_session.viewSettings().compare) return m_gpuFlow && !m_gpuFlow->finished();
    return std::any_of(m_compareFlows.begin(), m_compareFlows.end(),
                       [](const auto& f) { return f && !f->finished(); });
}

void ViewportWidget::setPanelVisible(bool visible) {
    m_panels.visible = visible;
    update();
}

void ViewportWidget::setPresenting(bool presenting) {
    if (presenting == m_presenting) return;
    m_presenting = presenting;
    if (presenting) m_panelsBeforePresenting = m_panels.visible;
    m_panels.visible = presenting ? false : m_panelsBeforePresenting;
    Q_EMIT presentingChanged(presenting);
    update();
}

void ViewportWidget::openLearnedPanel() {
    m_panels.learned.requestOpen = true;
    m_sinceInput.restart(); // a few frames, for the window to settle
    update();
}

void ViewportWidget::openLawsPanel() {
    m_panels.laws.requestOpen = true;
    m_sinceInput.restart();
    update();
}

void ViewportWidget::openSlicePanel() {
    m_panels.slice.requestOpen = true;
    m_sinceInput.restart();
    update();
}

void ViewportWidget::setTheme(Theme theme) {
    m_theme = theme;
    if (!m_imgui) return;
    ImGui::SetCurrentContext(m_imgui);
    applyImGuiTheme(theme);
    update();
}

QByteArray ViewportWidget::panelLayout() const {
    if (!m_imgui) return m_pendingLayout;
    ImGui::SetCurrentContext(m_imgui);
    std::size_t size = 0;
    const char* ini = ImGui::SaveIniSettingsToMemory(&size);
    return QByteArray(ini, static_cast<qsizetype>(size));
}

void ViewportWidget::setPanelLayout(const QByteArray& ini) {
    if (!m_imgui) {
        m_pendingLayout = ini;
        return;
    }
    ImGui::SetCurrentContext(m_imgui);
    ImGui::LoadIniSettingsFromMemory(ini.constData(), static_cast<std::size_t>(ini.size()));
    update();
}

// Of the view settings only the colour map and the stage are baked into the vertex data, and the
// compute choice decides the particles' engine.
void ViewportWidget::onViewSettingsChanged() {
    const ViewSettings& view = m_session.viewSettings();
    if (view.colorMap != m_colors || view.stage != m_stage) {
        m_colors = view.colorMap;
        m_stage = view.stage;
        m_geometryOf.reset();
        m_compareDirty = true;
    }
    if (view.compute != m_computeChoice) {
        m_computeChoice = view.compute;
        if (m_imgui) applyComputeChoice();
    }
    update();
}

QRectF ViewportWidget::sceneRect() const {
    const PanelColumns c = panelColumns(m_session, m_panels, static_cast<float>(width()));
    return QRectF(c.left, 0, std::max(1.0, width() - double(c.left) - double(c.right)), height());
}

glm::vec2 ViewportWidget::viewportSize() const {
    const QRectF r = sceneRect();
    return {static_cast<float>(r.width()), static_cast<float>(r.height())};
}

glm::vec2 ViewportWidget::sceneAt(QPointF widgetPosition) const {
    const QPointF p = widgetPosition - sceneRect().topLeft();
    return {static_cast<float>(p.x()), static_cast<float>(p.y())};
}

void ViewportWidget::tick() {
    const double dt = std::min(m_sinceTick.restart() / 1000.0, 0.1);
    const bool moved = m_session.advance(dt);
    // Idle means no redraws: only motion, background work, or the half second after an input
    // event (ImGui needs a few frames to settle hover states and to release a short click).
    const bool settling = m_sinceInput.elapsed() < 500;
    if (!moved && !computing() && !m_session.busy() && !settling) return;
    // The clock keeps real time; only the frames thin out while a field trains or an experiment
    // runs.
    if (!settling && m_sincePaint.isValid() && m_sincePaint.elapsed() < m_trainingFrameMs &&
        (m_session.trainer().optimising() || m_backgroundJobs > 0))
        return;
    update();
}

bool ViewportWidget::event(QEvent* event) {
    switch (event->type()) {
    case QEvent::MouseButtonPress:
    case QEvent::MouseButtonRelease:
    case QEvent::MouseMove:
    case QEvent::Wheel:
    case QEvent::KeyPress:
    case QEvent::KeyRelease:
    case QEvent::Leave:
        m_sinceInput.restart();
        break;
    default:
        break;
    }
    return QOpenGLWidget::event(event);
}

void ViewportWidget::reportDisplay() {
    DisplayReport report;
    report.renderError = m_renderError;
    report.gpuRenderer = m_glRenderer;
    report.cpuReason = m_cpuReason;
    report.gpuProgress = m_gpuFlow && !m_gpuFlow->finished() ? m_gpuFlow->progress() : -1.0;
    m_session.setDisplayReport(report);
}

void ViewportWidget::initializeGL() {
    // Called again with a new context after the old one was destroyed (reparenting, a lost
    // context): the ImGui context and the scene survive, everything GL is made anew.
    if (!m_imgui) {
        m_imgui = ImGui::CreateContext();
        ImGui::SetCurrentContext(m_imgui);
        m_bridge = std::make_unique<ImGuiQtBridge>(this);
        m_bridge->install();
        loadFonts(ImGui::GetIO(), static_cast<float>(devicePixelRatioF()));
        applyImGuiTheme(m_theme);
        if (!m_pendingLayout.isEmpty()) {
            ImGui::LoadIniSettingsFromMemory(m_pendingLayout.constData(),
                                             static_cast<std::size_t>(m_pendingLayout.size()));
            m_pendingLayout.clear();
        }
    }
    ImGui::SetCurrentContext(m_imgui);
    connect(context(), &QOpenGLContext::aboutToBeDestroyed, this, &ViewportWidget::releaseGl,
            Qt::DirectConnection);
    const auto format = context()->format();
    const bool core33 =
        format.profile() == QSurfaceFormat::CoreProfile &&
        (format.majorVersion() > 3 || (format.majorVersion() == 3 && format.minorVersion() >= 3));
    if (!core33) {
        m_renderError = QString("This window needs OpenGL 3.3 core; the driver offers %1.%2. "
                                "The command line (poissonscope sample) works without it.")
                            .arg(format.majorVersion())
                            .arg(format.minorVersion());
        return;
    }
    m_imguiRenderer = ImGui_ImplOpenGL3_Init("#version 330 core");
    if (!m_imguiRenderer) {
        m_renderError = "the ImGui OpenGL 3 renderer failed to start in this context";
        reportDisplay();
        return;
    }
    try {
        render::GlslPreamble preamble;
        m_renderer = std::make_unique<render::SceneRenderer>(preamble);
    } catch (const std::exception& e) {
        m_renderError = QString::fromStdString(e.what());
    }
    detectGpuCompute();
    if (m_lostGpuWork)
        // The GPU's particles went with the old context; the CPU takes over for the session.
        gpuFailed("the OpenGL context was lost while the GPU moved the particles; the CPU "
                  "moves them now");
    m_lostGpuWork = false;
    reportDisplay();
}

// Everything made in the context about to go, freed while it is still current.
void ViewportWidget::releaseGl() {
    makeCurrent();
    m_lostGpuWork = m_gpuFlow || std::any_of(m_compareFlows.begin(), m_compareFlows.end(),
                                             [](const auto& f) { return f != nullptr; });
    m_gpuFlow.reset();
    m_gpuFlowOf.reset();
    for (auto& flow : m_compareFlows) flow.reset();
    for (auto& of : m_compareFlowOf) of.reset();
    m_renderer.reset();
    for (auto& r : m_compareRenderers) r.reset();
    if (m_imguiRenderer) {
        ImGui::SetCurrentContext(m_imgui);
        ImGui_ImplOpenGL3_Shutdown();
        m_imguiRenderer = false;
    }
    // The next context uploads the scene again.
    m_geometryOf.reset();
    m_compareDirty = true;
    m_hemisphereD = m_hemisphereSigmaMax = 0;
    doneCurrent();
}

void ViewportWidget::paintGL() {
    QElapsedTimer frameTimer;
    frameTimer.start();
    if (!m_imgui) return;
    if (!m_renderError.isEmpty()) {
        // No usable GL: say why (the status bar carries the same text) and draw nothing else.
        clearStage(m_session.viewSettings().stage);
        return;
    }
    ImGui::SetCurrentContext(m_imgui);
    ImGui_ImplOpenGL3_NewFrame();
    m_bridge->newFrame();
    ImGui::NewFrame();

    DisplayStatus display;
    display.computing = computing();
    display.gpuAvailable = m_gpuProblem.isEmpty();
    display.computeNote = m_computeNote.toStdString();
    display.gpuProgress = m_gpuFlow && !m_gpuFlow->finished() && !m_session.viewSettings().compare
                              ? m_gpuFlow->progress()
                              : -1.0;
    display.gpuParticles = m_session.particlesOnGpuRequested();
    drawSessionPanels(m_session, m_panels, display);
    updateHover();
    if (m_inspection) drawInspectorTooltip(m_session, *m_inspection);

    clearStage(m_session.viewSettings().stage); // the columns too, where no window covers them
    if (m_renderer && m_session.sceneData()) {
        const glm::vec2 area = viewportSize();
        m_session.setViewAspect(area.x / std::max(1.0f, area.y));
        prepareGeometry();
        syncGpuFlows();
        const float ratio = static_cast<float>(devicePixelRatioF());
        const glm::ivec2 fb(static_cast<int>(width() * ratio), static_cast<int>(height() * ratio));
        if (m_session.viewSettings().compare)
            paintComparison(fb, ratio);
        else
            paintScene(fb, ratio);
    }
    ImGui::Render();
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    m_frameMs = frameTimer.nsecsElapsed() / 1e6;
    ++m_framesDrawn;
    m_sincePaint.start();
}

// Uploads what changed since the last frame: the scene's geometry, and the hemisphere of a D
// slider that is still moving.
void ViewportWidget::prepareGeometry() {
    const auto data = m_session.sceneData();
    const SceneSettings& scene = m_session.sceneSettings();
    if (m_geometryOf != data) {
        const auto geometry = buildSceneGeometry(*data, m_session.viewSettings(), m_session.warp());
        m_renderer->setGeometry(geometry);
        m_labels = geometry.labels;
        m_fieldLineDensity = fieldLineDensityRange(*data);
        m_geometryOf = data;
        m_hemisphereD = data->settings.d;
        m_hemisphereSigmaMax = data->settings.sigmaMax;
    }
    if (data->charges.dim() == 2 && !data->projected &&
        (m_hemisphereD != scene.d || m_hemisphereSigmaMax != scene.sigmaMax)) {
        const auto c = data->charges.mean();
        m_renderer->setHemisphere(hemisphereLines(c[0], c[1], scene.sigmaMax, scene.d,
                                                  m_session.warp(),
                                                  render::stagePalette(m_stage).hemisphere));
        m_hemisphereD = scene.d;
        m_hemisphereSigmaMax = scene.sigmaMax;
    }
}

} // namespace psc::app
