#include "app/laws_panel.h"

#include "app/scene/d_scale.h"
#include "render/color_map.h"

#include "physics/radial_law.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace psc::app {
namespace {

constexpr ImU32 kBars = IM_COL32(110, 150, 220, 200);
constexpr ImU32 kLaw = IM_COL32(255, 190, 70, 255);
constexpr ImU32 kChi = IM_COL32(235, 235, 240, 200);
constexpr ImU32 kFrame = IM_COL32(120, 125, 140, 255);

void remember(float* rect, ImVec2 lo, ImVec2 hi) {
    rect[0] = lo.x, rect[1] = lo.y, rect[2] = hi.x, rect[3] = hi.y;
}

void drawHistogram(const DistanceHistogram& h, float width, float height, LawsPanelRects& rects) {
    ImDrawList& draw = *ImGui::GetWindowDrawList();
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const float left = at.x + 30, bottom = at.y + height - 18, right = at.x + width - 4,
                top = at.y + 4;
    double peak = 0;
    for (double v : h.density) peak = std::max(peak, v);
    for (double v : h.lawDensity) peak = std::max(peak, v);
    for (double v : h.chiDensity) peak = std::max(peak, v);
    peak *= 1.08;
    const double tMax = h.edges.back();
    const auto X = [&](double t) { return left + static_cast<float>(t / tMax) * (right - left); };
    const auto Y = [&](double f) {
        return bottom - static_cast<float>(std::min(f / peak, 1.0)) * (bottom - top);
    };
    for (std::size_t b = 0; b < h.density.size(); ++b)
        draw.AddRectFilled(ImVec2(X(h.edges[b]) + 0.5f, Y(h.density[b])),
                           ImVec2(X(h.edges[b + 1]) - 0.5f, bottom), kBars);
    const auto curve = [&](const std::vector<double>& f, ImU32 colour, bool dashed) {
        for (std::size_t k = 1; k < f.size(); ++k) {
            if (dashed && k % 4 >= 2) continue;
            draw.AddLine(ImVec2(X(h.curveT[k - 1]), Y(f[k - 1])), ImVec2(X(h.curveT[k]), Y(f[k])),
                         colour, 2.0f);
        }
    };
    curve(h.chiDensity, kChi, true);
    curve(h.lawDensity, kLaw, false);
    draw.AddLine(ImVec2(left, bottom), ImVec2(right, bottom), kFrame);
    draw.AddLine(ImVec2(left, bottom), ImVec2(left, top), kFrame);
    for (int k = 0; k <= 4; ++k) {
        char tick[16];
        std::snprintf(tick, sizeof tick, "%.3g", tMax * k / 4);
        draw.AddText(ImVec2(X(tMax * k / 4) - 6, bottom + 2), kFrame, tick);
    }
    draw.AddText(ImVec2(at.x, top), kFrame, "p");
    draw.AddText(ImVec2(right - 80, bottom - 16), kFrame, "R / σ");
    ImGui::Dummy(ImVec2(width, height));
    remember(rects.histogram, at, ImVec2(at.x + width, at.y + height));
}

void drawMap(const LawsPanelInput& in, float width, float height, LawsPanelRects& rects) {
    const DiffusionDistanceMap& map = diffusionDistanceMap();
    ImDrawList& draw = *ImGui::GetWindowDrawList();
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const float left = at.x + 34, bottom = at.y + height - 18, right = at.x + width - 4,
                top = at.y + 4;
    const std::size_t columns = map.ns.size(), rows = map.ds.size();
    const double lnN0 = std::log(map.ns.front()), lnN1 = std::log(map.ns.back());
    const double lgD0 = std::log10(map.ds.front()), lgD1 = std::log10(map.ds.back());
    const auto X = [&](double n) {
        return left + static_cast<float>((std::log(n) - lnN0) / (lnN1 - lnN0)) * (right - left);
    };
    const auto Y = [&](double d) {
        return bottom - static_cast<float>((std::log10(d) - lgD0) / (lgD1 - lgD0)) * (bottom - top);
    };
    // Each cell spans halfway to its neighbours (the grid is log-spaced, nearly even).
    const auto edge = [](const std::vector<double>& v, std::size_t i, bool upper) {
        if (upper) return i + 1 < v.size() ? std::sqrt(v[i] * v[i + 1]) : v[i];
        return i > 0 ? std::sqrt(v[i - 1] * v[i]) : v[i];
    };
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < columns; ++c) {
            const auto colour = render::colorAt(render::ColorMapKind::Magma,
                                                static_cast<float>(1.0 - map.at(r, c)));
            draw.AddRectFilled(
                ImVec2(X(edge(map.ns, c, false)), Y(edge(map.ds, r, true))),
                ImVec2(X(edge(map.ns, c, true)), Y(edge(map.ds, r, false))),
                ImGui::ColorConvertFloat4ToU32(ImVec4(colour.r, colour.g, colour.b, 1.0f)));
        }
    // Where the distance falls to kDiffusionLikeTv: above the line, D is as good as infinite.
    for (std::size_t c = 1; c < columns; ++c) {
        const double d0 = map.diffusionLike[c - 1], d1 = map.diffusionLike[c];
        if (d0 <= map.ds.back() && d1 <= map.ds.back())
            draw.AddLine(ImVec2(X(map.ns[c - 1]), Y(d0)), ImVec2(X(map.ns[c]), Y(d1)),
                         IM_COL32(255, 255, 255, 220), 2.0f);
    }
    draw.AddRect(ImVec2(left, top), ImVec2(right, bottom), kFrame);
    for (double n : {1.0, 16.0, 256.0, 4096.0}) {
        char tick[16];
        std::snprintf(tick, sizeof tick, "%g", n);
        draw.AddText(ImVec2(X(n) - 4, bottom + 2), kFrame, tick);
    }
    for (double d : {1.0, 1e2, 1e4, 1e6, 1e8}) {
        char tick[16];
        std::snprintf(tick, sizeof tick, "1e%d", static_cast<int>(std::log10(d)));
        draw.AddText(ImVec2(at.x, Y(d) - 7), kFrame, tick);
    }
    draw.AddText(ImVec2(right - 20, bottom - 16), IM_COL32(255, 255, 255, 230), "N");
    // The scene: D = ∞ sits on the top edge.
    const double d = std::isinf(in.d) ? map.ds.back() : std::clamp(in.d, 1.0, map.ds.back());
    const ImVec2 mark(X(std::clamp<double>(in.n, map.ns.front(), map.ns.back())), Y(d));
    draw.AddCircle(mark, 6.0f, IM_COL32(70, 220, 255, 255), 16, 2.5f);
    draw.AddCircleFilled(mark, 2.5f, IM_COL32(70, 220, 255, 255));
    ImGui::Dummy(ImVec2(width, height));
    remember(rects.map, at, ImVec2(at.x + width, at.y + height));
}

} // namespace

void drawLawsPanel(const LawsPanelInput& in, LawsPanelRects& rects) {
    const float width = ImGui::GetContentRegionAvail().x;
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("Distance R of each particle to its nearest charge, over σ: bars. The "
                        "kernel's law at this D (R²/r² ~ BetaPrime(N/2, D/2)): orange; χ_N, "
                        "D = ∞: dashed.");
    if (in.histogram) {
        const DistanceHistogram& h = *in.histogram;
        ImGui::Text("N = %d   D = %s   σ = %.3g   %zu particles", h.n, displayD(h.d).c_str(),
                    h.sigma, h.particles);
        drawHistogram(h, width, width * 0.5f, rects);
        if (!in.priorParticles)
            ImGui::TextDisabled("Particles from the hemisphere are not drawn from p_σ: choose "
                                "Flow › particles from › prior for the law to hold.");
        ImGui::TextDisabled("Once σ is large against the charges' spacing, other charges lie "
                            "nearer than a particle's own, and the bars fall left of the law.");
    } else {
        ImGui::TextDisabled("%s", in.note.c_str());
    }
    ImGui::Separator();
    const double tv = physics::radialTotalVariation(in.n, in.d);
    // Bisection costs 40 distances: once per N, not every frame.
    static int likeN = -1;
    static double like = 0;
    if (likeN != in.n) like = physics::diffusionLikeD(likeN = in.n, kDiffusionLikeTv);
    ImGui::Text("Kernel vs Gaussian at the same σ: TV distance %.3f", tv);
    ImGui::TextDisabled("Map over N (across) and D (up, log): dark where the kernel differs from "
                        "diffusion's, light where it matches. Above the white line the distance "
                        "is under 0.05. Circle: this scene.");
    drawMap(in, width, width * 0.62f, rects);
    if (std::isfinite(like))
        ImGui::Text("For N = %d, D ≥ %s is within %.2f of D = ∞.", in.n,
                    displayD(std::round(like)).c_str(), kDiffusionLikeTv);
    ImGui::PopTextWrapPos();
}

} // namespace psc::app
