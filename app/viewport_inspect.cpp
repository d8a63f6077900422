// The viewport's inspector and field slice: hover a particle (or the data plane) to see its
// state and the charges that pull on it; the x₁–σ slice through the data in its own window.
#include "app/scene/scene_geometry_builder.h"
#include "app/slice_panel.h"
#include "app/viewport_widget.h"

#include "physics/extra_dims.h"

#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <cmath>

namespace psc::app {

void ViewportWidget::updateInspector(QPointF pos) {
    m_inspection.reset();
    if (!m_data || m_data->charges.dim() != 2 || m_view.compare || !showsCurrentScene()) return;
    const glm::vec2 size(static_cast<float>(width()), static_cast<float>(height()));
    const float aspect = size.x / size.y;
    const glm::vec2 cursor(static_cast<float>(pos.x()), static_cast<float>(pos.y()));
    // The nearest particle head within 8 pixels (particles drawn from CPU paths, still moving).
    float best = 8.0f;
    if (!m_data->particlesOnGpu &&
        (m_view.layers & static_cast<unsigned>(render::Layer::Particles)))
        for (std::size_t p = 0; p < m_data->paths.size(); ++p) {
            const auto& path = m_data->paths[p];
            const double sigma = std::min(std::exp(m_clock), path.sigma.front());
            if (!(sigma >= m_data->settings.sigmaMin)) continue;
            const auto x = pathPositionAt(*m_data, p, m_clock);
            const glm::vec2 at =
                m_camera.project(m_warp.toWorld3D(x[0], x[1], sigma), size, aspect);
            const float distance = glm::length(at - cursor);
            if (distance < best) {
                best = distance;
                m_inspection = Inspection{physics::inspectPoint(m_data->charges, m_data->settings.d,
                                                                x, sigma, kInspectedCharges),
                                          static_cast<long>(p)};
            }
        }
    if (m_inspection) return;
    if (const auto plane = planePointAt(pos)) {
        const double sigma = std::max(std::exp(m_clock), m_data->settings.sigmaMin);
        const std::vector<double> x{plane->x, plane->y};
        m_inspection = Inspection{
            physics::inspectPoint(m_data->charges, m_data->settings.d, x, sigma, kInspectedCharges),
            -1};
    }
}

void ViewportWidget::drawInspector() {
    if (!m_inspection || !m_data) return; // reset on moves that ImGui takes
    const auto& p = m_inspection->point;
    ImGui::BeginTooltip();
    if (m_inspection->particle >= 0)
        ImGui::TextColored(ImVec4(1.0f, 0.85f, 0.45f, 1.0f), "particle %ld",
                           m_inspection->particle);
    else
        ImGui::TextColored(ImVec4(1.0f, 0.85f, 0.45f, 1.0f),
                           "point of the plane, at the clock's σ");
    ImGui::Text("x = (%.4g, %.4g)   σ = %.4g   r = σ√D = %s", p.x[0], p.x[1], p.sigma,
                std::isfinite(p.r) ? QString::number(p.r, 'g', 4).toStdString().c_str() : "∞");
    ImGui::Text("x^ = E[y | x, σ] = (%.4g, %.4g)", p.xhat[0], p.xhat[1]);
    ImGui::Text("dx/dσ = (x − x^)/σ = (%.3g, %.3g)", p.velocity[0], p.velocity[1]);
    if (p.fieldDirection.size() == 3)
        ImGui::Text("field: log10 |E| = %.3g, direction (x1, x2, r) = (%.2f, %.2f, %.2f)",
                    p.log10Field, p.fieldDirection[0], p.fieldDirection[1], p.fieldDirection[2]);
    else
        ImGui::Text("field (D = ∞): log10 |score| = %.3g, direction (%.2f, %.2f)", p.log10Field,
                    p.fieldDirection[0], p.fieldDirection[1]);
    ImGui::Separator();
    ImGui::TextDisabled("charges that pull hardest: posterior weight π");
    for (const auto& [charge, weight] : p.strongest) {
        const auto y = m_data->charges.position(charge);
        char label[80];
        std::snprintf(label, sizeof label, "#%zu (%.3g, %.3g): %.1f%%", charge, y[0], y[1],
                      100 * weight);
        ImGui::ProgressBar(static_cast<float>(weight), ImVec2(ImGui::GetFontSize() * 16, 0), label);
    }
    ImGui::EndTooltip();
}

void ViewportWidget::drawSliceFrame() {
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const float width = ImGui::GetFontSize() * 30;
    // Pinned to the bottom left: a window that grew downwards would leave the screen.
    ImGui::SetNextWindowPos(ImVec2(10, display.y - 10), ImGuiCond_Always, ImVec2(0, 1));
    ImGui::SetNextWindowSizeConstraints(ImVec2(width, 0), ImVec2(width, FLT_MAX));
    ImGui::SetNextWindowCollapsed(true, ImGuiCond_FirstUseEver);
    if (m_slice.requestOpen) {
        ImGui::SetNextWindowCollapsed(false, ImGuiCond_Always);
        m_slice.requestOpen = false;
    }
    m_slice.open = ImGui::Begin("Field slice x₁-σ", nullptr, ImGuiWindowFlags_AlwaysAutoResize);
    if (!m_slice.open) {
        ImGui::End();
        return;
    }
    ++m_slice.framesDrawn;
    ImGui::Combo("shows", &m_slice.quantity,
                 "field strength log10 |E|\0perturbed density log10 p_σ\0");
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("|E| of the charges in N + D dimensions (the score's size at D = inf), "
                          "or the density of the data blurred by the kernel at σ.");
    ImGui::SliderFloat("height", &m_slice.height, 0.2f, 20.0f, "%.1f x spread",
                       ImGuiSliderFlags_Logarithmic);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("σ at the top of the slice, in data spreads.");
    ImGui::SliderInt("lines", &m_slice.lines, 0, 64);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Field lines of the slice, from its top edge down to the plane.");
    const auto* slice = sliceOnScreen();
    if (slice) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextDisabled("Through the data's mean; lines and arrows: the field projected on "
                            "the slice.");
        ImGui::PopTextWrapPos();
        std::vector<double> x1;
        for (std::size_t i = 0; i < m_data->charges.size(); ++i)
            x1.push_back(m_data->charges.position(i)[0]);
        const ImVec2 at = ImGui::GetCursorScreenPos();
        drawFieldSlice(*slice, x1, ImGui::GetContentRegionAvail().x, width * 0.62f);
        m_slice.mapRect[0] = at.x, m_slice.mapRect[1] = at.y,
        m_slice.mapRect[2] = at.x + ImGui::GetItemRectSize().x,
        m_slice.mapRect[3] = at.y + ImGui::GetItemRectSize().y;
    } else {
        ImGui::TextDisabled(m_data ? "computing..." : "waiting for the scene");
    }
    ImGui::End();
}

physics::SliceSettings ViewportWidget::sliceSettings() const {
    const auto& charges = m_data->charges;
    double lo = INFINITY, hi = -INFINITY;
    for (std::size_t i = 0; i < charges.size(); ++i)
        lo = std::min(lo, charges.position(i)[0]), hi = std::max(hi, charges.position(i)[0]);
    const double spread = std::max(charges.rmsSpread(), 1e-3);
    const double pad = std::max(0.25 * (hi - lo), spread);
    physics::SliceSettings s;
    s.lo = lo - pad;
    s.hi = hi + pad;
    s.sigmaTop = m_slice.height * spread;
    s.through = charges.mean();
    s.quantity = m_slice.quantity == 0 ? physics::SliceQuantity::FieldStrength
                                       : physics::SliceQuantity::LogDensity;
    s.lineCount = m_slice.lines;
    return s;
}

const physics::FieldSlice* ViewportWidget::sliceOnScreen() const {
    return m_slice.slice && m_slice.of == m_data ? &*m_slice.slice : nullptr;
}

void ViewportWidget::updateSlice() {
    if (m_slice.future.valid() &&
        m_slice.future.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
        try {
            m_slice.slice = m_slice.future.get();
            m_slice.of = m_slice.pending;
            m_slice.computedKey = m_slice.pendingKey;
        } catch (const std::exception& e) {
            m_slice.slice.reset();
            m_error = QString("field slice: ") + e.what();
            emitStatus();
        }
        m_slice.pending.reset();
    }
    if (!m_slice.open || !m_data || m_slice.future.valid() || !showsCurrentScene()) return;
    const SliceKey key{m_slice.quantity, m_slice.height, m_slice.lines};
    if (m_slice.of == m_data && m_slice.computedKey == key) return;
    m_slice.pending = m_data;
    m_slice.pendingKey = key;
    m_slice.future = std::async(std::launch::async, [scene = m_data, s = sliceSettings()] {
        return physics::computeFieldSlice(scene->charges, scene->settings.d, s);
    });
}

} // namespace psc::app
