// The viewport's GPU particles: choosing the engine, creating each scene's flow in the widget's
// own context, and advancing it between frames so the window never blocks on a long flow.
#include "app/scene/scene_session.h"
#include "app/scene_frame.h"
#include "app/viewport_widget.h"

#include "render/compute/compute_context.h"
#include "render/compute/gl_field.h"
#include "render/compute/gpu_particle_flow.h"
#include "render/scene_renderer.h"

#include <QOpenGLContext>

#include <algorithm>

namespace psc::app {
namespace {

// Frames this long keep the window responsive while a flow is being computed.
constexpr double kTargetFrameMs = 30.0;

bool isSoftwareRenderer(const QString& renderer) {
    for (const char* name :
         {"llvmpipe", "softpipe", "swrast", "SwiftShader", "Software Rasterizer"})
        if (renderer.contains(name, Qt::CaseInsensitive)) return true;
    return false;
}

} // namespace

void ViewportWidget::detectGpuCompute() {
    m_glRenderer = QString::fromStdString(compute::currentGlDescription());
    if (auto problem = compute::computeSupportProblem(context()))
        m_gpuProblem = QString::fromStdString(*problem);
    m_gpuSoftware = isSoftwareRenderer(m_glRenderer);
    applyComputeChoice();
}

bool ViewportWidget::wantGpu() const {
    if (!m_gpuProblem.isEmpty() || !m_renderError.isEmpty() || !m_imgui) return false;
    const ComputeChoice choice = m_session.viewSettings().compute;
    return choice == ComputeChoice::Gpu || (choice == ComputeChoice::Auto && !m_gpuSoftware);
}

bool ViewportWidget::particlesOnGpu() const {
    const auto data = m_session.sceneData();
    return data && data->particlesOnGpu && m_gpuFlow;
}

// Tells the session where particles go (it recomputes when that changed).
void ViewportWidget::applyComputeChoice() {
    const bool gpu = wantGpu();
    if (!m_gpuProblem.isEmpty())
        m_cpuReason = m_gpuProblem;
    else if (!gpu && m_session.viewSettings().compute == ComputeChoice::Auto && m_gpuSoftware)
        m_cpuReason = "software OpenGL, the SIMD CPU path is faster here";
    else if (!gpu)
        m_cpuReason = "chosen";
    else
        m_cpuReason.clear();
    m_computeNote =
        gpu ? "particles on the GPU: " + m_glRenderer : "particles on the CPU: " + m_cpuReason;
    m_session.setParticlesOnGpu(gpu);
    reportDisplay();
}

void ViewportWidget::gpuFailed(const QString& why) {
    m_gpuProblem = why;
    m_gpuFlow.reset();
    for (auto& flow : m_compareFlows) flow.reset();
    applyComputeChoice();
}

compute::GpuParticleFlow*
ViewportWidget::ensureGpuFlow(std::unique_ptr<compute::GpuParticleFlow>& flow,
                              std::shared_ptr<const SceneData>& of,
                              const std::shared_ptr<const SceneData>& scene) {
    if (!scene || !scene->particlesOnGpu) {
        flow.reset();
        of = nullptr;
        return nullptr;
    }
    if (flow && of == scene) return flow.get();
    flow = makeGpuParticleFlow(*scene);
    of = scene;
    return flow.get();
}

// Runs in paintGL (context current). The budget in pair evaluations per frame doubles while
// frames are short and halves when they run long: on a fast GPU a whole flow fits in a frame,
// on a slow one it fills in over a second or two while the window stays live.
void ViewportWidget::syncGpuFlows() {
    if (!m_gpuProblem.isEmpty())
        return; // scenes already on screen keep their (absent) particles until recomputed
    const double sinceLast = m_sinceFrame.isValid() ? m_sinceFrame.restart() : kTargetFrameMs;
    if (!m_sinceFrame.isValid()) m_sinceFrame.start();
    const bool compare = m_session.viewSettings().compare;
    try {
        std::vector<compute::GpuParticleFlow*> pending;
        if (auto* flow = ensureGpuFlow(m_gpuFlow, m_gpuFlowOf, m_session.sceneData());
            flow && !flow->finished() && !compare)
            pending.push_back(flow);
        for (std::size_t q = 0; q < 4; ++q) {
            auto* flow = ensureGpuFlow(m_compareFlows[q], m_compareFlowOf[q],
                                       compare ? m_session.comparisonData()[q] : nullptr);
            if (flow && !flow->finished()) pending.push_back(flow);
        }
        if (pending.empty()) return;
        // Built here, where a failure falls back to the CPU, not in the middle of drawing.
        if (m_renderer) m_renderer->prepareGpuTracks();
        for (std::size_t q = 0; q < 4; ++q)
            if (m_compareFlows[q] && m_compareRenderers[q])
                m_compareRenderers[q]->prepareGpuTracks();
        m_pairBudget = std::clamp(
            m_pairBudget * std::clamp(kTargetFrameMs / std::max(sinceLast, 1.0), 0.5, 2.0), 1e6,
            1e12);
        for (auto* flow : pending) flow->advance(m_pairBudget / pending.size());
        reportDisplay();
    } catch (const std::exception& e) {
        gpuFailed(QString("the GPU flow failed (%1)").arg(e.what()));
    }
}

physics::TrajectorySet ViewportWidget::particleTrajectories() {
    physics::TrajectorySet set;
    const auto data = m_session.sceneData();
    if (!data || computing()) return set;
    // A projected scene saves the paths it kept in the data's own coordinates (kKeptPaths).
    const int n = dataDim(*data);
    set.dim = n;
    if (!data->particlesOnGpu) {
        for (const auto& path : dataPaths(*data)) {
            physics::Trajectory t{path.sigma, path.x, {}};
            for (std::size_t k = 0; k < path.sigma.size(); ++k)
                t.step.push_back(static_cast<int>(k));
            set.particles.push_back(std::move(t));
        }
        return set;
    }
    if (!m_gpuFlow || m_gpuFlowOf != data || !m_gpuFlow->finished())
        return set; // compare mode pauses it
    makeCurrent();
    const auto track = m_gpuFlow->readTrack();
    doneCurrent();
    const int frames = m_gpuFlow->frames();
    for (int p = 0; p < m_gpuFlow->count(); ++p) {
        physics::Trajectory t;
        for (int k = 0; k < frames; ++k) {
            const float* v = &track[4 * (static_cast<std::size_t>(p) * frames + k)];
            for (int c = 0; c < n; ++c)
                t.x.push_back(static_cast<double>(v[c]) + m_gpuFlow->center()[c]);
            t.sigma.push_back(v[3]);
            t.step.push_back(k);
        }
        set.particles.push_back(std::move(t));
    }
    return set;
}

} // namespace psc::app
