// The scene on screen, or the 2×2 comparison of D = 1, 8, 128, ∞ (one batch of scenes from the
// same noise, four renderers, one camera), with their overlays.
#include "app/viewport_widget.h"

#include "app/scene/scene_session.h"
#include "app/scene_frame.h"
#include "app/scene_overlay.h"

#include "render/compute/gpu_particle_flow.h"
#include "render/scene_renderer.h"

#include <imgui.h>

#include <algorithm>

namespace psc::app {

void ViewportWidget::paintScene(const glm::ivec2& fb, float ratio) {
    const auto data = m_session.sceneData();
    const ViewSettings& view = m_session.viewSettings();
    const render::OrbitCamera& camera = m_session.camera();
    const double clock = m_session.clockLogSigma();
    render::FrameParams frame;
    const float aspect = static_cast<float>(width()) / std::max(1, height());
    frame.viewProjection = camera.projection(aspect) * camera.view();
    frame.framebufferSize = fb;
    frame.pixelRatio = ratio;
    drawSceneFrame(*m_renderer, *data, view, m_session.warp(), clock, frame,
                   m_gpuFlowOf == data ? m_gpuFlow.get() : nullptr);
    auto& draw = *ImGui::GetBackgroundDrawList();
    const glm::vec2 viewport = viewportSize();
    if (view.layers & static_cast<unsigned>(render::Layer::Axes))
        drawWorldLabels(draw, m_labels, camera, viewport);
    drawSceneCaption(draw, *data, clock, viewport);
    drawSigmaGauge(draw, *data, view.colorMap, clock, viewport);
    if (view.layers & static_cast<unsigned>(render::Layer::FieldLines))
        drawFieldLineLegend(draw, m_fieldLineDensity, view.colorMap, viewport);
}

void ViewportWidget::paintComparison(const glm::ivec2& fb, float ratio) {
    const auto& panes = m_session.comparisonData();
    const ViewSettings& view = m_session.viewSettings();
    for (std::size_t q = 0; q < 4; ++q) {
        if (!m_compareRenderers[q]) {
            try {
                m_compareRenderers[q] = std::make_unique<render::SceneRenderer>();
            } catch (const std::exception& e) {
                m_renderError = QString::fromStdString(e.what());
                reportDisplay();
                return;
            }
        }
        if (m_compareDirty && panes[q])
            m_compareRenderers[q]->setGeometry(
                buildSceneGeometry(*panes[q], view, m_session.warp()));
    }
    m_compareDirty = false;
    const glm::ivec2 half(fb.x / 2, fb.y / 2);
    const float aspect = static_cast<float>(half.x) / std::max(1, half.y);
    render::FrameParams frame;
    const render::OrbitCamera& camera = m_session.camera();
    frame.viewProjection = camera.projection(aspect) * camera.view(); // one camera for all four
    frame.framebufferSize = half;
    frame.pixelRatio = ratio;
    for (std::size_t q = 0; q < 4; ++q) {
        frame.viewportOrigin =
            glm::ivec2(static_cast<int>(q % 2) * half.x, static_cast<int>(1 - q / 2) * half.y);
        if (const auto& data = panes[q]) {
            const auto* flow = m_compareFlowOf[q] == data ? m_compareFlows[q].get() : nullptr;
            drawSceneFrame(
                *m_compareRenderers[q], *data, view, m_session.warp(),
                std::clamp(m_session.clockLogSigma(), clockBottom(*data), clockTop(*data)), frame,
                flow);
        } else {
            m_compareRenderers[q]->setGpuTrack(
                nullptr); // its flow, and the track's buffer, are gone
            m_compareRenderers[q]->setParticles({});
            m_compareRenderers[q]->render(frame);
        }
    }
    drawComparisonCaptions(*ImGui::GetBackgroundDrawList(), SceneSession::kCompareD, panes,
                           viewportSize());
}

} // namespace psc::app
