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

namespace {

// Overlays are drawn in the scene's own coordinates, then moved to where the scene sits.
class SceneOverlay {
public:
    SceneOverlay(ImDrawList& draw, QPointF origin)
        : m_draw(draw), m_start(draw.VtxBuffer.Size),
          m_offset(static_cast<float>(origin.x()), static_cast<float>(origin.y())) {}
    ~SceneOverlay() {
        for (int i = m_start; i < m_draw.VtxBuffer.Size; ++i) {
            m_draw.VtxBuffer[i].pos.x += m_offset.x;
            m_draw.VtxBuffer[i].pos.y += m_offset.y;
        }
    }
    ImDrawList& list() { return m_draw; }

private:
    ImDrawList& m_draw;
    int m_start;
    ImVec2 m_offset;
};

} // namespace

void ViewportWidget::paintScene(const glm::ivec2& fb, float ratio) {
    const auto data = m_session.sceneData();
    const ViewSettings& view = m_session.viewSettings();
    const render::OrbitCamera& camera = m_session.camera();
    const double clock = m_session.clockLogSigma();
    const QRectF area = sceneRect();
    const glm::vec2 viewport = viewportSize();
    render::FrameParams frame;
    frame.viewProjection =
        camera.projection(viewport.x / std::max(1.0f, viewport.y)) * camera.view();
    frame.viewportOrigin = glm::ivec2(static_cast<int>(area.left() * ratio), 0);
    frame.framebufferSize = glm::ivec2(static_cast<int>(area.width() * ratio), fb.y);
    frame.pixelRatio = ratio;
    drawSceneFrame(*m_renderer, *data, view, m_session.warp(), clock, frame,
                   m_gpuFlowOf == data ? m_gpuFlow.get() : nullptr);
    SceneOverlay overlay(*ImGui::GetBackgroundDrawList(), area.topLeft());
    auto& draw = overlay.list();
    const float scale = m_presenting ? 1.6f : 1.0f;
    const render::StagePalette& stage = render::stagePalette(view.stage);
    if (view.layers & static_cast<unsigned>(render::Layer::Axes))
        drawWorldLabels(draw, m_labels, camera, viewport);
    drawSceneCaption(draw, stage, *data, clock, viewport, scale);
    if (view.layers & static_cast<unsigned>(render::Layer::Images))
        drawImageTiles(draw, stage, imageTiles(*data, clock),
                       clock <= clockBottom(*data) + 1e-9 ? 0.0 : std::exp(clock), scale);
    if (m_presenting)
        drawMeaningLegend(draw, stage, *data, view.layers, view.colorMap, viewport, scale);
    if (m_hoverCharge)
        drawChargeHighlight(draw, stage, m_hoverCharge->pixel, m_hoverCharge->size,
                            m_hoverCharge->index, m_hoverCharge->weight);
    drawSigmaGauge(draw, stage, *data, view.colorMap, clock, viewport);
    if (view.layers & static_cast<unsigned>(render::Layer::FieldLines))
        drawFieldLineLegend(draw, stage, m_fieldLineDensity, view.colorMap, viewport);
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
    const QRectF area = sceneRect();
    const int left = static_cast<int>(area.left() * ratio);
    const glm::ivec2 half(static_cast<int>(area.width() * ratio) / 2, fb.y / 2);
    const float aspect = static_cast<float>(half.x) / std::max(1, half.y);
    render::FrameParams frame;
    frame.background = render::stagePalette(view.stage).background; // for the panes computing
    const render::OrbitCamera& camera = m_session.camera();
    frame.viewProjection = camera.projection(aspect) * camera.view(); // one camera for all four
    frame.framebufferSize = half;
    frame.pixelRatio = ratio;
    for (std::size_t q = 0; q < 4; ++q) {
        frame.viewportOrigin = glm::ivec2(left + static_cast<int>(q % 2) * half.x,
                                          static_cast<int>(1 - q / 2) * half.y);
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
    SceneOverlay overlay(*ImGui::GetBackgroundDrawList(), area.topLeft());
    drawComparisonCaptions(overlay.list(), render::stagePalette(view.stage),
                           SceneSession::kCompareD, panes, viewportSize());
}

} // namespace psc::app
