// ViewportWidget's life cycle and drawing. Frame order (Polyscope/ImGui style): ImGui new frame →
// panel → scene into the widget's FBO → ImGui on top. Input handling is in viewport_input.cpp.
#include "app/viewport_widget.h"

#include "app/imgui_qt_bridge.h"
#include "app/scene/scene_computer.h"
#include "app/scene_frame.h"
#include "app/scene/scene_geometry_builder.h"
#include "app/theme.h"

#include "physics/extra_dims.h"
#include "render/compute/gpu_particle_flow.h"
#include "render/scene_renderer.h"

#include <QEvent>
#include <QFile>
#include <QOpenGLContext>
#include <QOpenGLFunctions>
#include <QSurfaceFormat>

#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>

namespace psc::app {
namespace {

// Greek letters, subscripts and √ ∞ for the axis labels; ImGui's built-in font is ASCII only.
void loadFonts(ImGuiIO& io, float pixelRatio) {
    static const ImWchar ranges[] = {0x0020, 0x00FF, 0x0370, 0x03FF, 0x2070,
                                     0x209F, 0x2190, 0x22FF, 0};
    const char* path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    ImFontConfig config;
    config.OversampleH = 2;
    if (QFile::exists(path) &&
        io.Fonts->AddFontFromFileTTF(path, 15.0f * pixelRatio, &config, ranges)) {
        io.FontGlobalScale = 1.0f / pixelRatio;
        return;
    }
    io.Fonts->AddFontDefault();
}

} // namespace

ViewportWidget::ViewportWidget(QWidget* parent)
    : QOpenGLWidget(parent), m_computer(std::make_unique<SceneComputer>()),
      m_trainer(std::make_unique<LearnedTrainer>()) {
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
    connect(m_computer.get(), &SceneComputer::finished, this,
            [this](std::uint64_t, std::shared_ptr<const SceneData> scene) {
                onSceneComputed(std::move(scene));
            });
    connect(m_computer.get(), &SceneComputer::failed, this, [this](std::uint64_t, QString message) {
        m_error = message;
        emitStatus();
        update();
    });
    m_compareComputer = std::make_unique<SceneComputer>();
    connect(m_compareComputer.get(), &SceneComputer::batchFinished, this,
            [this](std::uint64_t, std::vector<std::shared_ptr<const SceneData>> scenes) {
                for (std::size_t i = 0; i < m_compareData.size() && i < scenes.size(); ++i)
                    m_compareData[i] = scenes[i];
                m_compareDirty = true;
                update();
            });
    connect(m_compareComputer.get(), &SceneComputer::failed, this,
            [this](std::uint64_t, QString message) {
                m_error = message;
                emitStatus();
            });
    connect(&m_timer, &QTimer::timeout, this, &ViewportWidget::tick);
    m_timer.start(16);
    m_sinceTick.start();
    m_sinceInput.start();
    m_computer->request(m_scene);
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

void ViewportWidget::setSceneSettings(const SceneSettings& settings) {
    m_scene = settings;
    applyLearnedModels(m_scene);
    m_error.clear();
    m_computer->request(m_scene);
    if (m_view.compare) requestComparison();
    emitStatus();
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

void ViewportWidget::setViewSettings(const ViewSettings& view) {
    if (view == m_view) return;
    const bool startCompare = view.compare && !m_view.compare;
    // Of the view settings only the colour map is baked into the vertex data.
    if (view.colorMap != m_view.colorMap) m_geometryDirty = m_compareDirty = true;
    const bool computeChanged = view.compute != m_view.compute;
    m_view = view;
    if (startCompare) requestComparison();
    if (computeChanged && m_imgui) applyComputeChoice();
    Q_EMIT viewSettingsChanged();
    update();
}

bool ViewportWidget::computing() const {
    if (m_computer->busy()) return true;
    // Only the flows on screen advance: the main one alone, or the four of the comparison.
    if (!m_view.compare) return m_gpuFlow && !m_gpuFlow->finished();
    return m_compareComputer->busy() ||
           std::any_of(m_compareFlows.begin(), m_compareFlows.end(),
                       [](const auto& f) { return f && !f->finished(); });
}

void ViewportWidget::setClockLogSigma(double logSigma) {
    if (!m_data) return;
    m_clock = std::clamp(logSigma, clockBottom(*m_data), clockTop(*m_data));
    update();
}

void ViewportWidget::onSceneComputed(std::shared_ptr<const SceneData> scene) {
    const bool sameFrame = m_data && m_data->charges.dim() == scene->charges.dim() &&
                           m_data->settings.dataset == scene->settings.dataset &&
                           m_data->settings.dataPath == scene->settings.dataPath;
    m_data = std::move(scene);
    // Within one data source the warp stays put, so an edited charge stays under the cursor and
    // the view does not jump while charges are added or dragged.
    if (!sameFrame) m_warp = sceneWarp(*m_data);
    m_geometryDirty = true;
    m_error.clear();
    if (!sameFrame || (m_lessonFramePending && showsCurrentScene())) {
        m_fitPending = true;
        m_clock = m_view.forward ? clockBottom(*m_data) : clockTop(*m_data);
        m_holdSeconds = 0;
        m_lessonFramePending = false;
    }
    m_clock = std::clamp(m_clock, clockBottom(*m_data), clockTop(*m_data));
    emitStatus();
    Q_EMIT sceneReady();
    update();
}

void ViewportWidget::tick() {
    const double dt = std::min(m_sinceTick.restart() / 1000.0, 0.1);
    bool changed = m_camera.advance(static_cast<float>(dt));
    syncLearnedModels();
    serviceLessonTraining();
    updateErrorMap();
    updateSlice();
    if (m_data && m_view.playing) {
        const double start = m_view.forward ? clockBottom(*m_data) : clockTop(*m_data);
        const double end = m_view.forward ? clockTop(*m_data) : clockBottom(*m_data);
        if (m_holdSeconds > 0) {
            m_holdSeconds -= dt;
            if (m_holdSeconds <= 0 && m_view.loop) m_clock = start;
        } else {
            m_clock +=
                (m_view.forward ? 1.0 : -1.0) * dt * m_view.decadesPerSecond * std::log(10.0);
            if ((m_view.forward && m_clock >= end) || (!m_view.forward && m_clock <= end)) {
                m_clock = end;
                m_holdSeconds = m_view.loop ? 1.2 : 0.0;
                if (!m_view.loop) m_view.playing = false;
            }
        }
        changed = true;
    }
    // Idle means no redraws: only motion, background work, or the half second after an input
    // event (ImGui needs a few frames to settle hover states and to release a short click).
    if (changed || computing() || m_trainer->busy() || m_errorMapFuture.valid() ||
        m_slice.future.valid() || m_sinceInput.elapsed() < 500)
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

void ViewportWidget::initializeGL() {
    // Called again with a new context after the old one was destroyed (reparenting, a lost
    // context): the ImGui context and the scene survive, everything GL is made anew.
    const bool again = m_imgui != nullptr;
    if (!again) {
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
        emitStatus();
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
    emitStatus();
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
    m_geometryDirty = m_compareDirty = true;
    m_hemisphereD = m_hemisphereSigmaMax = 0;
    doneCurrent();
}

void ViewportWidget::paintGL() {
    QElapsedTimer frameTimer;
    frameTimer.start();
    if (!m_imgui) return;
    if (!m_renderError.isEmpty()) {
        // No usable GL: say why (the status bar carries the same text) and draw nothing else.
        auto* f = QOpenGLContext::currentContext()->functions();
        f->glClearColor(0.07f, 0.08f, 0.11f, 1.0f);
        f->glClear(GL_COLOR_BUFFER_BIT);
        return;
    }
    ImGui::SetCurrentContext(m_imgui);
    ImGui_ImplOpenGL3_NewFrame();
    m_bridge->newFrame();
    ImGui::NewFrame();

    PanelStatus status;
    status.computing = computing();
    status.gpuAvailable = m_gpuProblem.isEmpty();
    status.computeNote = m_computeNote.toStdString();
    status.gpuProgress =
        m_gpuFlow && !m_gpuFlow->finished() && !m_view.compare ? m_gpuFlow->progress() : -1.0;
    status.gpuParticles = m_gpuRequested;
    status.error = m_error.toStdString();
    status.computeSeconds = m_data ? m_data->computeSeconds : 0;
    status.clockLogSigma = m_clock;
    status.clockTop = m_data ? clockTop(*m_data) : 0;
    status.clockBottom = m_data ? clockBottom(*m_data) : -1;
    status.dim = m_data ? m_data->charges.dim() : 2;
    SceneSettings scene = m_scene;
    ViewSettings view = m_view;
    const PanelResult result =
        m_panelVisible ? drawControlPanel(scene, view, status, m_panelMemory) : PanelResult{};
    if (result.sceneChanged) setSceneSettings(scene);
    setViewSettings(view);
    if (result.restart && m_data) {
        m_clock = m_view.forward ? clockBottom(*m_data) : clockTop(*m_data);
        m_holdSeconds = 0;
        m_view.playing = true;
    }
    if (result.scrubbed) {
        setClockLogSigma(result.clockLogSigma);
        m_holdSeconds = 0;
    }
    if (result.resetCamera) m_fitPending = true;
    const TrainerState trainer = m_trainer->state();
    if (m_panelVisible) {
        drawLearnedFrame(trainer);
        drawSliceFrame();
    }
    drawLessonFrame(trainer);
    drawInspector();

    if (m_renderer && m_data) {
        prepareGeometry();
        syncGpuFlows();
        const float ratio = static_cast<float>(devicePixelRatioF());
        const glm::ivec2 fb(static_cast<int>(width() * ratio), static_cast<int>(height() * ratio));
        if (m_view.compare)
            paintComparison(fb, ratio);
        else
            paintScene(fb, ratio);
    } else {
        auto* f = QOpenGLContext::currentContext()->functions();
        f->glClearColor(0.07f, 0.08f, 0.11f, 1.0f);
        f->glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
    }
    ImGui::Render();
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    m_frameMs = frameTimer.nsecsElapsed() / 1e6;
}

// Uploads what changed since the last frame: the scene's geometry, the hemisphere of a D slider
// that is still moving, and the camera fit of a new scene.
void ViewportWidget::prepareGeometry() {
    if (m_geometryDirty) {
        const auto geometry = buildSceneGeometry(*m_data, m_view, m_warp);
        m_renderer->setGeometry(geometry);
        m_labels = geometry.labels;
        m_fieldLineDensity = fieldLineDensityRange(*m_data);
        m_boundsMin = geometry.boundsMin;
        m_boundsMax = geometry.boundsMax;
        m_geometryDirty = false;
        m_hemisphereD = m_data->settings.d;
        m_hemisphereSigmaMax = m_data->settings.sigmaMax;
    }
    if (m_data->charges.dim() == 2 &&
        (m_hemisphereD != m_scene.d || m_hemisphereSigmaMax != m_scene.sigmaMax)) {
        const auto c = m_data->charges.mean();
        m_renderer->setHemisphere(hemisphereLines(c[0], c[1], m_scene.sigmaMax, m_scene.d, m_warp));
        m_hemisphereD = m_scene.d;
        m_hemisphereSigmaMax = m_scene.sigmaMax;
    }
    if (m_fitPending) {
        m_camera.setPreset(render::CameraPreset::Iso);
        m_camera.fitBounds(m_boundsMin, m_boundsMax);
        m_fitPending = false;
        if (m_pendingCamera) {
            m_pendingCamera(m_camera);
            m_pendingCamera = nullptr;
        }
    }
}

void ViewportWidget::emitStatus() {
    QString text;
    if (!m_renderError.isEmpty())
        text = m_renderError;
    else if (!m_error.isEmpty())
        text = "error: " + m_error;
    else if (m_data)
        text =
            QString("%1 charges  ·  D = %2  ·  %3 particles  ·  %4 field lines  ·  computed in %5 "
                    "s  ·  %6%7")
                .arg(m_data->charges.size())
                .arg(QString::fromStdString(physics::formatExtraDims(m_data->settings.d)))
                .arg(m_data->settings.particles)
                .arg(m_data->fieldLines.size())
                .arg(m_data->computeSeconds, 0, 'f', 2)
                .arg(m_data->flowModel ? QString("learned field (D = %1) on the CPU")
                                             .arg(QString::fromStdString(
                                                 physics::formatExtraDims(m_data->flowModel->d())))
                     : m_data->particlesOnGpu
                         ? "backend gl: " + m_glRenderer
                         : "backend cpu" +
                               (m_cpuReason.isEmpty() ? QString() : " (" + m_cpuReason + ")"))
                .arg(m_gpuFlow && !m_gpuFlow->finished()
                         ? QString("  ·  moving particles on the GPU: %1%")
                               .arg(static_cast<int>(100 * m_gpuFlow->progress()))
                         : QString());
    else
        text = "computing the default scene...";
    Q_EMIT statusChanged(text);
}

} // namespace psc::app
