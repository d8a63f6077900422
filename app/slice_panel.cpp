// The x₁–σ slice as an ImGui draw-list picture, in the style of the learned panel's error map.
#include "app/slice_panel.h"

#include "app/plot_ticks.h"

#include "render/color_map.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace psc::app {
namespace {

constexpr ImU32 kText = IM_COL32(220, 220, 220, 255);
constexpr ImU32 kAxis = IM_COL32(170, 170, 170, 255);
constexpr ImU32 kLine = IM_COL32(255, 255, 255, 110);
constexpr ImU32 kArrow = IM_COL32(255, 255, 255, 230);
constexpr ImU32 kCharge = IM_COL32(120, 220, 255, 230);
constexpr float kTick = 4;

ImU32 viridis(double t) {
    const auto c = render::colorAt(render::ColorMapKind::Viridis, static_cast<float>(t));
    return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, 1.0f));
}

// The colour bar's end labels: "≥" or "≤" where the colour window clips the values.
std::string topLabel(const physics::FieldSlice& s) {
    return (s.clippedHigh() ? "≥ " : "") + tickLabel(s.colourHi);
}
std::string bottomLabel(const physics::FieldSlice& s) {
    return (s.clippedLow() ? "≤ " : "") + tickLabel(s.colourLo);
}

float widest(const std::vector<std::string>& texts) {
    float w = 0;
    for (const auto& t : texts) w = std::max(w, ImGui::CalcTextSize(t.c_str()).x);
    return w;
}

// Screen placement of the plot rectangle and the slice's coordinates on it; σ on the slice's own
// axis (logarithmic by default), points below its bottom edge (σ = 0) on that edge.
struct Frame {
    ImVec2 min, max;
    const physics::FieldSlice* s;
    float x(double x1) const {
        return min.x + static_cast<float>((x1 - s->lo) / (s->hi - s->lo)) * (max.x - min.x);
    }
    float y(double sigma) const {
        return max.y -
               static_cast<float>(std::clamp(s->heightOf(sigma), 0.0, 1.0)) * (max.y - min.y);
    }
    // Pixels per unit of σ at σ, along the axis.
    float pxPerSigma(double sigma) const {
        const double h = max.y - min.y;
        return static_cast<float>(s->sigmaAxis == physics::SliceAxis::Log
                                      ? h / (sigma * std::log(s->sigmaTop / s->sigmaBottom))
                                      : h / s->sigmaTop);
    }
};

void heatMap(ImDrawList* draw, const physics::FieldSlice& s, const Frame& f) {
    const float cw = (f.max.x - f.min.x) / s.columns, ch = (f.max.y - f.min.y) / s.rows;
    const double span = s.colourHi - s.colourLo;
    for (int j = 0; j < s.rows; ++j)
        for (int i = 0; i < s.columns; ++i) {
            const double v = s.value[static_cast<std::size_t>(j) * s.columns + i];
            const double t = span > 0 ? std::clamp((v - s.colourLo) / span, 0.0, 1.0) : 0.5;
            // Row 0 is the smallest σ, at the bottom; the half-pixel overlap hides seams.
            const ImVec2 a(f.min.x + i * cw, f.max.y - (j + 1) * ch);
            draw->AddRectFilled(a, ImVec2(a.x + cw + 0.5f, a.y + ch + 0.5f), viridis(t));
        }
}

void fieldLines(ImDrawList* draw, const physics::FieldSlice& s, const Frame& f) {
    std::vector<ImVec2> points;
    for (const auto& line : s.lines) {
        points.clear();
        for (const auto& p : line) points.emplace_back(f.x(p[0]), f.y(p[1]));
        if (points.size() >= 2)
            draw->AddPolyline(points.data(), static_cast<int>(points.size()), kLine,
                              ImDrawFlags_None, 1.0f);
    }
}

// The arrows' directions are unit vectors in (x₁, σ) units; the axes scale differently on screen,
// so each is rescaled to pixels before it is normalised.
void arrows(ImDrawList* draw, const physics::FieldSlice& s, const Frame& f) {
    if (s.arrowColumns < 1 || s.arrowRows < 1) return;
    const float pxPerX1 = static_cast<float>((f.max.x - f.min.x) / (s.hi - s.lo));
    const float cell =
        std::min((f.max.x - f.min.x) / s.arrowColumns, (f.max.y - f.min.y) / s.arrowRows);
    const float length = std::clamp(0.6f * cell, 4.0f, 2.0f * ImGui::GetFontSize());
    const float head = std::min(0.4f * length, 5.0f);
    for (const auto& a : s.arrows) {
        float ux = static_cast<float>(a.dx1) * pxPerX1,
              uy = -static_cast<float>(a.dsigma) * f.pxPerSigma(a.sigma);
        const float norm = std::hypot(ux, uy);
        if (!(norm > 0) || !std::isfinite(norm)) continue;
        ux /= norm;
        uy /= norm;
        const ImVec2 c(f.x(a.x1), f.y(a.sigma));
        const ImVec2 tail(c.x - 0.5f * length * ux, c.y - 0.5f * length * uy);
        const ImVec2 tip(c.x + 0.5f * length * ux, c.y + 0.5f * length * uy);
        const ImVec2 base(tip.x - head * ux, tip.y - head * uy);
        draw->AddLine(tail, base, kArrow, 1.2f);
        draw->AddTriangleFilled(tip, ImVec2(base.x - 0.5f * head * uy, base.y + 0.5f * head * ux),
                                ImVec2(base.x + 0.5f * head * uy, base.y - 0.5f * head * ux),
                                kArrow);
    }
}

void axes(ImDrawList* draw, const Frame& f, const std::vector<double>& xTicks,
          const std::vector<double>& sTicks) {
    const float font = ImGui::GetFontSize();
    draw->AddLine(ImVec2(f.min.x, f.max.y), f.max, kAxis);
    draw->AddLine(f.min, ImVec2(f.min.x, f.max.y), kAxis);
    for (double t : xTicks) {
        const float x = f.x(t);
        draw->AddLine(ImVec2(x, f.max.y), ImVec2(x, f.max.y + kTick), kAxis);
        const std::string text = tickLabel(t);
        draw->AddText(ImVec2(x - 0.5f * ImGui::CalcTextSize(text.c_str()).x, f.max.y + kTick),
                      kText, text.c_str());
    }
    for (double t : sTicks) {
        const float y = f.y(t);
        draw->AddLine(ImVec2(f.min.x - kTick, y), ImVec2(f.min.x, y), kAxis);
        const std::string text = tickLabel(t);
        draw->AddText(
            ImVec2(f.min.x - kTick - 2 - ImGui::CalcTextSize(text.c_str()).x, y - 0.5f * font),
            kText, text.c_str());
    }
    const char* xName = "x₁";
    draw->AddText(ImVec2(0.5f * (f.min.x + f.max.x) - 0.5f * ImGui::CalcTextSize(xName).x,
                         f.max.y + kTick + font + 2),
                  kText, xName);
}

// The colour bar right of the plot: the colour window from its bottom to its top, a clipped end
// labelled "≥" or "≤".
void colourBar(ImDrawList* draw, const physics::FieldSlice& s, const Frame& f, float x) {
    const int segments = 48;
    const float h = f.max.y - f.min.y, barWidth = 12;
    for (int k = 0; k < segments; ++k) {
        const float y1 = f.max.y - h * (k + 1) / segments;
        draw->AddRectFilled(ImVec2(x, y1), ImVec2(x + barWidth, y1 + h / segments + 0.5f),
                            viridis((k + 0.5) / segments));
    }
    draw->AddRect(ImVec2(x, f.min.y), ImVec2(x + barWidth, f.max.y), kAxis);
    const float font = ImGui::GetFontSize();
    draw->AddText(ImVec2(x + barWidth + 4, f.min.y), kText, topLabel(s).c_str());
    draw->AddText(ImVec2(x + barWidth + 4, f.max.y - font), kText, bottomLabel(s).c_str());
    if (ImGui::IsWindowHovered() &&
        ImGui::IsMouseHoveringRect(ImVec2(x, f.min.y), ImVec2(x + barWidth, f.max.y)))
        ImGui::SetTooltip("%s from %.4g to %.4g%s", s.label.c_str(), s.colourLo, s.colourHi,
                          s.clippedLow() || s.clippedHigh()
                              ? "; values beyond an end marked ≥ or ≤ take its colour"
                              : "");
}

void hoverValue(const physics::FieldSlice& s, const Frame& f) {
    if (!ImGui::IsWindowHovered() || !ImGui::IsMouseHoveringRect(f.min, f.max)) return;
    const ImVec2 m = ImGui::GetMousePos();
    const double u = (m.x - f.min.x) / (f.max.x - f.min.x),
                 v = (f.max.y - m.y) / (f.max.y - f.min.y);
    const int i = std::clamp(static_cast<int>(u * s.columns), 0, s.columns - 1);
    const int j = std::clamp(static_cast<int>(v * s.rows), 0, s.rows - 1);
    ImGui::SetTooltip("x₁ = %.3g, σ = %.3g\n%s = %.4g", s.lo + u * (s.hi - s.lo), s.sigmaAt(v),
                      s.label.c_str(), s.value[static_cast<std::size_t>(j) * s.columns + i]);
}

} // namespace

void drawFieldSlice(const physics::FieldSlice& slice, std::span<const double> chargeX1, float width,
                    float height) {
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 size(std::max(width, 1.0f), std::max(height, 1.0f));
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float font = ImGui::GetFontSize();
    if (slice.empty()) {
        draw->AddText(ImVec2(origin.x + 4, origin.y + 4), IM_COL32(150, 150, 150, 255),
                      "no slice computed");
        ImGui::Dummy(size);
        return;
    }

    // Margins follow the text they hold: σ tick labels and the "σ" name on the left, x₁ tick
    // labels and the "x₁" name below, the colour bar and its labels on the right, the label above.
    const int xCount = std::clamp(static_cast<int>(size.x / (5 * font)), 2, 8);
    const int sCount = std::clamp(static_cast<int>(size.y / (3 * font)), 2, 6);
    const auto xTicks = niceTicks(slice.lo, slice.hi, xCount);
    const auto sTicks = slice.sigmaAxis == physics::SliceAxis::Log
                            ? logTicks(slice.sigmaBottom, slice.sigmaTop, sCount)
                            : niceTicks(0, slice.sigmaTop, sCount);
    std::vector<std::string> sTexts;
    for (double t : sTicks) sTexts.push_back(tickLabel(t));
    const float left = ImGui::CalcTextSize("σ").x + 6 + widest(sTexts) + kTick + 2;
    const float right = 8 + 12 + 4 + widest({topLabel(slice), bottomLabel(slice)}) + 2;
    const float top = font + 4, bottom = kTick + 2 * font + 4;
    const Frame f{ImVec2(origin.x + left, origin.y + top),
                  ImVec2(origin.x + size.x - right, origin.y + size.y - bottom), &slice};
    if (f.max.x - f.min.x < 16 || f.max.y - f.min.y < 16) {
        ImGui::Dummy(size);
        return;
    }

    draw->PushClipRect(f.min, f.max, true);
    heatMap(draw, slice, f);
    fieldLines(draw, slice, f);
    arrows(draw, slice, f);
    draw->PopClipRect();
    axes(draw, f, xTicks, sTicks);
    draw->AddText(ImVec2(origin.x, 0.5f * (f.min.y + f.max.y) - 0.5f * font), kText, "σ");
    // Charges sit at σ = 0: dots on the axis, drawn after the clip so that they show whole.
    for (double x : chargeX1)
        if (x >= slice.lo && x <= slice.hi)
            draw->AddCircleFilled(ImVec2(f.x(x), f.max.y), 2.5f, kCharge);
    colourBar(draw, slice, f, f.max.x + 8);
    draw->AddText(ImVec2(origin.x + size.x - ImGui::CalcTextSize(slice.label.c_str()).x, origin.y),
                  kText, slice.label.c_str());
    hoverValue(slice, f);
    ImGui::Dummy(size);
}

} // namespace psc::app
