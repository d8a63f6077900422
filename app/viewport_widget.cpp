// ViewportWidget's life cycle and drawing. Frame order (Polyscope/ImGui style): ImGui new frame →
// panel → scene into the widget's FBO → ImGui on top. Input handling is in viewport_input.cpp.
#include "app/viewport_widget.h"

#include "app/imgui_qt_bridge.h"
#include "app/scene_computer.h"
#include "app/scene_frame.h"
#include "app/scene_geometry_builder.h"

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

void applyStyle() {
    ImGui::StyleColorsDark();
    ImGuiStyle& style = ImGui::GetStyle();
    style.WindowRounding = 6.0f;
    style.FrameRounding = 4.0f;
    style.GrabRounding = 4.0f;
    style.Colors[ImGuiCol_WindowBg].w = 0.88f;
}

} // namespace

ViewportWidget::ViewportWidget(QWidget* parent)
    : QOpenGLWidget(parent), m_computer(std::make_unique<SceneComputer>()) {
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
    m_error.clear();
    m_computer->request(m_scene);
    if (m_view.compare) requestComparison();
    emitStatus();
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

void ViewportWidget::requestComparison() {
    std::vector<SceneSettings> batch;
    for (double d : kCompareD) {
        SceneSettings s = m_scene;
        s.d = d; // same seed, so every panel starts from the same noise
        batch.push_back(s);
    }
    m_compareData = {};
    m_compareComputer->requestBatch(batch);
}

void ViewportWidget::paintComparison(const glm::ivec2& fb, float ratio) {
    for (std::size_t q = 0; q < 4; ++q) {
        if (!m_compareRenderers[q]) {
            try {
                m_compareRenderers[q] = std::make_unique<render::SceneRenderer>();
            } catch (const std::exception& e) {
                m_renderError = QString::fromStdString(e.what());
                emitStatus();
                return;
            }
        }
        if (m_compareDirty && m_compareData[q])
            m_compareRenderers[q]->setGeometry(
                buildSceneGeometry(*m_compareData[q], m_view, m_warp));
    }
    m_compareDirty = false;
    const glm::ivec2 half(fb.x / 2, fb.y / 2);
    const float aspect = static_cast<float>(half.x) / std::max(1, half.y);
    auto* draw = ImGui::GetBackgroundDrawList();
    render::FrameParams frame;
    frame.viewProjection = m_camera.projection(aspect) * m_camera.view(); // one camera for all four
    frame.framebufferSize = half;
    frame.pixelRatio = ratio;
    for (std::size_t q = 0; q < 4; ++q) {
        frame.viewportOrigin =
            glm::ivec2(static_cast<int>(q % 2) * half.x, static_cast<int>(1 - q / 2) * half.y);
        const auto& data = m_compareData[q];
        if (data) {
            const auto* flow = m_compareFlowOf[q] == data ? m_compareFlows[q].get() : nullptr;
            drawSceneFrame(*m_compareRenderers[q], *data, m_view, m_warp,
                           std::clamp(m_clock, clockBottom(*data), clockTop(*data)), frame, flow);
        } else {
            m_compareRenderers[q]->setGpuTrack(
                nullptr); // its flow, and the track's buffer, are gone
            m_compareRenderers[q]->setParticles({});
            m_compareRenderers[q]->render(frame);
        }
        // Captions at each panel's top right: the ImGui panel covers the top left.
        const std::string title =
            "D = " + physics::formatExtraDims(kCompareD[q]) + (data ? "" : "  (computing...)");
        const float fontSize = ImGui::GetFontSize() * 1.3f;
        const float textWidth =
            ImGui::GetFont()->CalcTextSizeA(fontSize, FLT_MAX, 0.0f, title.c_str()).x;
        const ImVec2 corner(static_cast<float>(q % 2 + 1) * width() * 0.5f - textWidth - 14.0f,
                            static_cast<float>(q / 2) * height() * 0.5f + 8.0f);
        draw->AddText(ImGui::GetFont(), fontSize, corner, IM_COL32(230, 232, 240, 235),
                      title.c_str());
    }
    // Separators between the panels.
    draw->AddLine(ImVec2(width() * 0.5f, 0), ImVec2(width() * 0.5f, static_cast<float>(height())),
                  IM_COL32(90, 95, 110, 255), 1.5f);
    draw->AddLine(ImVec2(0, height() * 0.5f), ImVec2(static_cast<float>(width()), height() * 0.5f),
                  IM_COL32(90, 95, 110, 255), 1.5f);
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
    if (!sameFrame) {
        m_fitPending = true;
        m_clock = clockTop(*m_data);
    }
    m_clock = std::clamp(m_clock, clockBottom(*m_data), clockTop(*m_data));
    emitStatus();
    Q_EMIT sceneReady();
    update();
}

void ViewportWidget::tick() {
    const double dt = std::min(m_sinceTick.restart() / 1000.0, 0.1);
    bool changed = m_camera.advance(static_cast<float>(dt));
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
    if (changed || computing() || m_sinceInput.elapsed() < 500) update();
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
    m_imgui = ImGui::CreateContext();
    ImGui::SetCurrentContext(m_imgui);
    m_bridge = std::make_unique<ImGuiQtBridge>(this);
    m_bridge->install();
    loadFonts(ImGui::GetIO(), static_cast<float>(devicePixelRatioF()));
    applyStyle();
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
    emitStatus();
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

void ViewportWidget::paintScene(const glm::ivec2& fb, float ratio) {
    render::FrameParams frame;
    const float aspect = static_cast<float>(width()) / std::max(1, height());
    frame.viewProjection = m_camera.projection(aspect) * m_camera.view();
    frame.framebufferSize = fb;
    frame.pixelRatio = ratio;
    drawSceneFrame(*m_renderer, *m_data, m_view, m_warp, m_clock, frame,
                   m_gpuFlowOf == m_data ? m_gpuFlow.get() : nullptr);
    // Labels through ImGui's background list: world anchors projected with the same camera.
    auto* draw = ImGui::GetBackgroundDrawList();
    const glm::vec2 viewport(static_cast<float>(width()), static_cast<float>(height()));
    if (m_view.layers & static_cast<unsigned>(render::Layer::Axes))
        for (const auto& label : m_labels) {
            const glm::vec2 p = m_camera.project(label.position, viewport, aspect);
            if (p.x < -50 || p.y < -50 || p.x > viewport.x + 50 || p.y > viewport.y + 50) continue;
            draw->AddText(ImVec2(p.x + 4, p.y - 8),
                          ImGui::ColorConvertFloat4ToU32(
                              ImVec4(label.color.r, label.color.g, label.color.b, label.color.a)),
                          label.text.c_str());
        }
    char caption[96];
    const std::string d = physics::formatExtraDims(m_data->settings.d);
    std::snprintf(caption, sizeof caption, "D = %s    σ = %.3g", d.c_str(),
                  m_clock <= clockBottom(*m_data) + 1e-9 ? 0.0 : std::exp(m_clock));
    draw->AddText(ImGui::GetFont(), ImGui::GetFontSize() * 1.4f, ImVec2(viewport.x - 260, 14),
                  IM_COL32(230, 232, 240, 230), caption);
    drawSigmaGauge(*draw, viewport);
}

// The σ gauge: the colour map of the particles and trails against log σ, with the clock marked.
// It is the σ axis of N = 3 scenes, where no height shows σ, and the legend of both.
void ViewportWidget::drawSigmaGauge(ImDrawList& draw, glm::vec2 viewport) const {
    const float x0 = viewport.x - 46.0f, x1 = viewport.x - 30.0f;
    const float y0 = 70.0f, y1 = std::max(y0 + 80.0f, viewport.y - 60.0f);
    const double top = clockTop(*m_data), bottom = clockBottom(*m_data);
    constexpr int kSteps = 48;
    for (int i = 0; i < kSteps; ++i) {
        const float ya = y0 + (y1 - y0) * i / kSteps, yb = y0 + (y1 - y0) * (i + 1) / kSteps;
        const auto c = render::colorAt(m_view.colorMap, 1.0f - (i + 0.5f) / kSteps);
        draw.AddRectFilled(ImVec2(x0, ya), ImVec2(x1, yb),
                           ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, 0.9f)));
    }
    draw.AddRect(ImVec2(x0, y0), ImVec2(x1, y1), IM_COL32(200, 205, 215, 160));
    auto yOf = [&](double logSigma) {
        return static_cast<float>(y0 + (y1 - y0) * (top - logSigma) / (top - bottom));
    };
    for (double sigma = std::pow(10.0, std::ceil(std::log10(m_data->settings.sigmaMin)));
         sigma <= m_data->settings.sigmaMax * 1.0001; sigma *= 10) {
        const float y = yOf(std::log(sigma));
        char label[16];
        std::snprintf(label, sizeof label, "%g", sigma);
        draw.AddLine(ImVec2(x0 - 4, y), ImVec2(x0, y), IM_COL32(200, 205, 215, 200));
        const float w = ImGui::CalcTextSize(label).x;
        draw.AddText(ImVec2(x0 - 8 - w, y - 7), IM_COL32(200, 205, 215, 220), label);
    }
    draw.AddText(ImVec2(x0 - 2, y0 - 22), IM_COL32(220, 225, 235, 240), "σ");
    draw.AddText(ImVec2(x0 - 6, y1 + 4), IM_COL32(200, 205, 215, 200), "0");
    const float yc = yOf(m_clock);
    draw.AddTriangleFilled(ImVec2(x1 + 2, yc), ImVec2(x1 + 10, yc - 5), ImVec2(x1 + 10, yc + 5),
                           IM_COL32(255, 255, 255, 240));
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
                .arg(m_data->particlesOnGpu
                         ? "backend gl: " + m_glRenderer
                         : "backend cpu" + (m_computeNote.contains("GPU") || m_computeNote.isEmpty()
                                                ? QString()
                                                : " (" + m_computeNote.section(": ", 1) + ")"))
                .arg(m_gpuFlow && !m_gpuFlow->finished()
                         ? QString("  ·  moving particles on the GPU: %1%")
                               .arg(static_cast<int>(100 * m_gpuFlow->progress()))
                         : QString());
    else
        text = "computing the default scene...";
    Q_EMIT statusChanged(text);
}

} // namespace psc::app
