// The viewport's 2×2 comparison of D = 1, 8, 128, ∞: one batch of scenes from the same noise,
// four renderers, one camera, captions and separators drawn by ImGui.
#include "app/scene/scene_computer.h"
#include "app/scene_frame.h"
#include "app/scene/scene_geometry_builder.h"
#include "app/viewport_widget.h"

#include "physics/extra_dims.h"
#include "render/compute/gpu_particle_flow.h"
#include "render/scene_renderer.h"

#include <imgui.h>

#include <algorithm>
#include <cfloat>

namespace psc::app {

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
        const std::string title = "D = " + physics::formatExtraDims(kCompareD[q]) +
                                  (!data             ? "  (computing...)"
                                   : data->flowModel ? " · learned"
                                                     : "");
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

} // namespace psc::app
