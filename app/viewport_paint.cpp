// What the viewport draws each frame on top of the scene: world-anchored labels, the caption and
// the σ gauge, through ImGui's background draw list.
#include "app/scene_frame.h"
#include "app/scene/scene_geometry_builder.h"
#include "app/viewport_widget.h"

#include "physics/extra_dims.h"
#include "render/color_map.h"
#include "render/compute/gpu_particle_flow.h"
#include "render/scene_renderer.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace psc::app {

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
    if (m_view.layers & static_cast<unsigned>(render::Layer::FieldLines))
        drawFieldLineLegend(*draw, viewport);
}

// The field lines' colour bar: the perturbed density along the lines, in the scene's colour
// map, over the range the geometry was coloured with (kept when the geometry is built).
void ViewportWidget::drawFieldLineLegend(ImDrawList& draw, glm::vec2 viewport) const {
    const auto [lo, hi] = m_fieldLineDensity;
    if (!(hi > lo)) return;
    const float width = 160.0f, x0 = viewport.x - 70.0f - width, y0 = viewport.y - 38.0f;
    constexpr int kSteps = 32;
    for (int i = 0; i < kSteps; ++i) {
        const auto c = render::colorAt(m_view.colorMap, (i + 0.5f) / kSteps);
        draw.AddRectFilled(ImVec2(x0 + width * i / kSteps, y0),
                           ImVec2(x0 + width * (i + 1) / kSteps + 0.5f, y0 + 8),
                           ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, 0.9f)));
    }
    draw.AddRect(ImVec2(x0, y0), ImVec2(x0 + width, y0 + 8), IM_COL32(200, 205, 215, 160));
    const ImU32 text = IM_COL32(200, 205, 215, 220);
    draw.AddText(ImVec2(x0, y0 - 18), text, "field lines: density log p_σ");
    char label[32];
    std::snprintf(label, sizeof label, "%.3g", lo / std::log(10.0));
    draw.AddText(ImVec2(x0, y0 + 10), text, label);
    std::snprintf(label, sizeof label, "%.3g (log10)", hi / std::log(10.0));
    draw.AddText(ImVec2(x0 + width - ImGui::CalcTextSize(label).x, y0 + 10), text, label);
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

} // namespace psc::app
