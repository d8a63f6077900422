// The overlays in ImGui's draw-list primitives, in the stage's colours (render/stage.h).
#include "app/scene_overlay.h"

#include "app/scene/d_scale.h"
#include "app/scene/learned_model.h"

#include "physics/extra_dims.h"
#include "physics/named_choices.h"
#include "physics/torch/learned_field.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace psc::app {
namespace {

ImU32 colourOf(glm::vec4 c) {
    return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, c.a));
}

} // namespace

void drawWorldLabels(ImDrawList& draw, const std::vector<render::Label>& labels,
                     const render::OrbitCamera& camera, glm::vec2 viewport) {
    const float aspect = viewport.x / std::max(1.0f, viewport.y);
    // In list order, each label only where it overlaps none drawn before it: the builder lists
    // the names of things before the ticks, and ticks from the data outwards.
    std::vector<ImRect> taken;
    for (const auto& label : labels) {
        const glm::vec2 p = camera.project(label.position, viewport, aspect);
        const ImVec2 size = ImGui::CalcTextSize(label.text.c_str());
        const ImRect box(ImVec2(p.x + 2, p.y - 9), ImVec2(p.x + 6 + size.x, p.y - 7 + size.y));
        // Whole labels inside the scene only: the overlay is not clipped, and a tick projected
        // past the edge would land in a panel's column.
        if (!ImRect(ImVec2(0, 0), ImVec2(viewport.x, viewport.y)).Contains(box)) continue;
        if (std::any_of(taken.begin(), taken.end(),
                        [&](const ImRect& r) { return r.Overlaps(box); }))
            continue;
        taken.push_back(box);
        draw.AddText(ImVec2(p.x + 4, p.y - 8),
                     ImGui::ColorConvertFloat4ToU32(
                         ImVec4(label.color.r, label.color.g, label.color.b, label.color.a)),
                     label.text.c_str());
    }
}

void drawChargeHighlight(ImDrawList& draw, const render::StagePalette& stage, glm::vec2 pixel,
                         float size, std::size_t index, double weight) {
    if (!std::isfinite(pixel.x) || !std::isfinite(pixel.y)) return;
    const ImVec2 at(pixel.x, pixel.y);
    draw.AddCircle(at, 0.5f * size + 5.0f, colourOf(stage.accent), 32, 2.0f);
    char text[64];
    std::snprintf(text, sizeof text, "charge %zu · weight %.3g", index + 1, weight);
    const ImVec2 corner(at.x + 0.5f * size + 10.0f, at.y - 0.5f * ImGui::GetFontSize());
    const ImVec2 extent = ImGui::CalcTextSize(text);
    draw.AddRectFilled(ImVec2(corner.x - 4, corner.y - 2),
                       ImVec2(corner.x + extent.x + 4, corner.y + extent.y + 2),
                       colourOf(stage.backdrop), 3.0f);
    draw.AddText(corner, colourOf(stage.accent), text);
}

void drawSceneCaption(ImDrawList& draw, const render::StagePalette& stage, const SceneData& scene,
                      double clockLogSigma, glm::vec2 viewport, float scale) {
    char caption[128];
    const std::string d = displayD(scene.settings.d);
    // N belongs in the caption once it is not the picture's own: D means little without it.
    const std::string n = scene.projected ? "N = " + std::to_string(dataDim(scene)) + "    " : "";
    std::snprintf(caption, sizeof caption, "%sD = %s    σ = %.3g", n.c_str(), d.c_str(),
                  clockLogSigma <= clockBottom(scene) + 1e-9 ? 0.0 : std::exp(clockLogSigma));
    const float size = ImGui::GetFontSize() * 1.4f * scale;
    const float width = ImGui::GetFont()->CalcTextSizeA(size, FLT_MAX, 0.0f, caption).x;
    draw.AddText(ImGui::GetFont(), size, ImVec2(viewport.x - 80 - width, 14), colourOf(stage.text),
                 caption);
    const float small = ImGui::GetFontSize() * scale;
    float below = 18 + size;
    if (scene.projected) {
        const auto& projection = scene.projected->projection;
        const std::string drawn =
            std::string(physics::choiceOf(kProjections, projection.kind)->label) + ": " +
            projection.shares();
        const float drawnWidth =
            ImGui::GetFont()->CalcTextSizeA(small, FLT_MAX, 0.0f, drawn.c_str()).x;
        draw.AddText(ImGui::GetFont(), small,
                     ImVec2(std::max(8.0f, viewport.x - 80 - drawnWidth), below),
                     colourOf(stage.text), drawn.c_str());
        below += small * 1.3f;
    }
    if (!scene.flowModel) return;
    // Which field moves the particles, under the caption: a field still training is labelled
    // with how far it has come, so the class reads the picture as work in progress.
    const auto& info = scene.flowModel->field->info();
    const std::string source = scene.flowModel->inTraining
                                   ? "learned field, training: step " +
                                         std::to_string(info.stepsDone) + " of " +
                                         std::to_string(info.settings.steps)
                                   : "learned field";
    const float sourceWidth =
        ImGui::GetFont()->CalcTextSizeA(small, FLT_MAX, 0.0f, source.c_str()).x;
    draw.AddText(ImGui::GetFont(), small, ImVec2(viewport.x - 80 - sourceWidth, below),
                 colourOf(stage.accent), source.c_str());
}

void drawMeaningLegend(ImDrawList& draw, const render::StagePalette& stage, const SceneData& scene,
                       unsigned layers, render::ColorMapKind colorMap, glm::vec2 viewport,
                       float scale) {
    const auto shown = [&](render::Layer layer) {
        return (layers & static_cast<unsigned>(layer)) != 0;
    };
    const float size = ImGui::GetFontSize() * scale, line = size * 1.45f;
    const ImU32 text = colourOf(stage.text);
    const auto colour = [&](float t, float alpha) {
        const auto c = render::colorAt(colorMap, t);
        return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, alpha));
    };
    struct Row {
        int mark; // 0 dot, 1 small dots in σ colours, 2 line in density colours, 3 arc
        const char* words;
    };
    std::vector<Row> rows;
    if (shown(render::Layer::Charges)) rows.push_back({0, "charges: the data, sized by weight"});
    if (shown(render::Layer::Particles))
        rows.push_back({1, "particles, coloured by σ (yellow at σ_max, purple at the data)"});
    if (shown(render::Layer::FieldLines))
        rows.push_back({2, "field lines, coloured by the perturbed density"});
    if (shown(render::Layer::Hemisphere) && scene.charges.dim() == 2 && !scene.projected)
        rows.push_back({3, physics::isInfiniteD(scene.settings.d)
                               ? "noise plane σ = σ_max: where generation starts"
                               : "hemisphere r = σ_max√D: where generation starts"});
    float y = viewport.y - 16 - line * static_cast<float>(rows.size());
    if (!rows.empty()) {
        // A backdrop, so the words read over a dense flow.
        float width = 0;
        for (const Row& row : rows)
            width = std::max(width, ImGui::GetFont()->CalcTextSizeA(size, FLT_MAX, 0, row.words).x);
        draw.AddRectFilled(ImVec2(8 * scale, y - 6), ImVec2(52 * scale + width, viewport.y - 10),
                           colourOf(stage.backdrop), 6.0f);
    }
    for (const Row& row : rows) {
        const ImVec2 mark(24 * scale, y + 0.5f * line);
        switch (row.mark) {
        case 0:
            draw.AddCircleFilled(mark, 5 * scale, colourOf(stage.charge));
            break;
        case 1:
            for (int k = 0; k < 3; ++k)
                draw.AddCircleFilled(ImVec2(mark.x - 8 * scale + 8 * scale * k, mark.y),
                                     2.5f * scale, colour(1.0f - 0.45f * k, 1.0f));
            break;
        case 2:
            for (int k = 0; k < 8; ++k)
                draw.AddLine(ImVec2(mark.x - 12 * scale + 3 * scale * k, mark.y),
                             ImVec2(mark.x - 9 * scale + 3 * scale * k, mark.y),
                             colour(k / 7.0f, 0.95f), 2.0f * scale);
            break;
        default:
            draw.PathArcTo(ImVec2(mark.x, mark.y + 6 * scale), 10 * scale, 3.14159f, 6.28318f, 16);
            draw.PathStroke(colourOf(stage.hemisphereLabel), false, 1.5f * scale);
            break;
        }
        draw.AddText(ImGui::GetFont(), size, ImVec2(44 * scale, y + 0.5f * (line - size)), text,
                     row.words);
        y += line;
    }
}

void drawFieldLineLegend(ImDrawList& draw, const render::StagePalette& stage, DensityRange range,
                         render::ColorMapKind colorMap, glm::vec2 viewport) {
    const auto [lo, hi] = range;
    if (!(hi > lo)) return;
    // Left of the σ gauge and its "0", which end 52 px from the right edge.
    const float width = 160.0f, x0 = viewport.x - 96.0f - width, y0 = viewport.y - 38.0f;
    constexpr int kSteps = 32;
    for (int i = 0; i < kSteps; ++i) {
        const auto c = render::colorAt(colorMap, (i + 0.5f) / kSteps);
        draw.AddRectFilled(ImVec2(x0 + width * i / kSteps, y0),
                           ImVec2(x0 + width * (i + 1) / kSteps + 0.5f, y0 + 8),
                           ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, 0.9f)));
    }
    draw.AddRect(ImVec2(x0, y0), ImVec2(x0 + width, y0 + 8), colourOf(stage.outline));
    const ImU32 text = colourOf(stage.textMuted);
    draw.AddText(ImVec2(x0, y0 - 18), text, "field lines: density log p_σ");
    char label[32];
    std::snprintf(label, sizeof label, "%.3g", lo / std::log(10.0));
    draw.AddText(ImVec2(x0, y0 + 10), text, label);
    std::snprintf(label, sizeof label, "%.3g (log10)", hi / std::log(10.0));
    draw.AddText(ImVec2(x0 + width - ImGui::CalcTextSize(label).x, y0 + 10), text, label);
}

void drawSigmaGauge(ImDrawList& draw, const render::StagePalette& stage, const SceneData& scene,
                    render::ColorMapKind colorMap, double clockLogSigma, glm::vec2 viewport) {
    const float x0 = viewport.x - 46.0f, x1 = viewport.x - 30.0f;
    const float y0 = 70.0f, y1 = std::max(y0 + 80.0f, viewport.y - 60.0f);
    const double top = clockTop(scene), bottom = clockBottom(scene);
    constexpr int kSteps = 48;
    for (int i = 0; i < kSteps; ++i) {
        const float ya = y0 + (y1 - y0) * i / kSteps, yb = y0 + (y1 - y0) * (i + 1) / kSteps;
        const auto c = render::colorAt(colorMap, 1.0f - (i + 0.5f) / kSteps);
        draw.AddRectFilled(ImVec2(x0, ya), ImVec2(x1, yb),
                           ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, 0.9f)));
    }
    draw.AddRect(ImVec2(x0, y0), ImVec2(x1, y1), colourOf(stage.outline));
    auto yOf = [&](double logSigma) {
        return static_cast<float>(y0 + (y1 - y0) * (top - logSigma) / (top - bottom));
    };
    for (double sigma = std::pow(10.0, std::ceil(std::log10(scene.settings.sigmaMin)));
         sigma <= scene.settings.sigmaMax * 1.0001; sigma *= 10) {
        const float y = yOf(std::log(sigma));
        char label[16];
        std::snprintf(label, sizeof label, "%g", sigma);
        draw.AddLine(ImVec2(x0 - 4, y), ImVec2(x0, y), colourOf(stage.outline));
        const float w = ImGui::CalcTextSize(label).x;
        draw.AddText(ImVec2(x0 - 8 - w, y - 7), colourOf(stage.textMuted), label);
    }
    draw.AddText(ImVec2(x0 - 2, y0 - 22), colourOf(stage.text), "σ");
    draw.AddText(ImVec2(x0 - 6, y1 + 4), colourOf(stage.textMuted), "0");
    const float yc = yOf(clockLogSigma);
    draw.AddTriangleFilled(ImVec2(x1 + 2, yc), ImVec2(x1 + 10, yc - 5), ImVec2(x1 + 10, yc + 5),
                           colourOf(stage.text));
}

void drawComparisonCaptions(ImDrawList& draw, const render::StagePalette& stage,
                            const std::array<double, 4>& ds,
                            const std::array<std::shared_ptr<const SceneData>, 4>& panes,
                            glm::vec2 viewport) {
    for (std::size_t q = 0; q < 4; ++q) {
        // At each pane's top right: the control panel covers the top left.
        const std::string title = "D = " + displayD(ds[q]) +
                                  (!panes[q]             ? "  (computing...)"
                                   : panes[q]->flowModel ? " · learned"
                                                         : "");
        const float fontSize = ImGui::GetFontSize() * 1.3f;
        const float textWidth =
            ImGui::GetFont()->CalcTextSizeA(fontSize, FLT_MAX, 0.0f, title.c_str()).x;
        const ImVec2 corner(static_cast<float>(q % 2 + 1) * viewport.x * 0.5f - textWidth - 14.0f,
                            static_cast<float>(q / 2) * viewport.y * 0.5f + 8.0f);
        draw.AddText(ImGui::GetFont(), fontSize, corner, colourOf(stage.text), title.c_str());
    }
    draw.AddLine(ImVec2(viewport.x * 0.5f, 0), ImVec2(viewport.x * 0.5f, viewport.y),
                 colourOf(stage.outline), 1.5f);
    draw.AddLine(ImVec2(0, viewport.y * 0.5f), ImVec2(viewport.x, viewport.y * 0.5f),
                 colourOf(stage.outline), 1.5f);
}

void drawImageTiles(ImDrawList& draw, const render::StagePalette& stage, const ImageTiles& tiles,
                    double sigma, float scale) {
    if (tiles.tiles.empty()) return;
    const float side = 44.0f * scale, gap = 3.0f * scale, pairGap = 12.0f * scale;
    const float pixel = side / static_cast<float>(std::max(tiles.width, tiles.height));
    const int perRow = 4;
    const float pairWidth = 2 * side + gap;
    const float small = ImGui::GetFontSize() * scale;
    // Below the caption's three lines at the top right, which a wide block would reach.
    const ImVec2 origin(12.0f, 24.0f + ImGui::GetFontSize() * scale * 4.2f);
    const int rows = (static_cast<int>(tiles.tiles.size()) + perRow - 1) / perRow;
    const float width = perRow * pairWidth + (perRow - 1) * pairGap;
    const float top = origin.y + small * 1.4f;
    draw.AddRectFilled(ImVec2(origin.x - 6, origin.y - 4),
                       ImVec2(origin.x + width + 6, top + rows * (side + pairGap) - pairGap + 6),
                       colourOf(stage.backdrop), 4.0f);
    char title[96];
    std::snprintf(title, sizeof title, "particles at σ = %.3g  |  nearest training image", sigma);
    draw.AddText(ImGui::GetFont(), small, origin, colourOf(stage.text), title);
    const auto image = [&](const std::vector<float>& grey, ImVec2 at) {
        for (int y = 0; y < tiles.height; ++y)
            for (int x = 0; x < tiles.width; ++x) {
                const float g = grey[static_cast<std::size_t>(y) * tiles.width + x];
                const ImVec2 lo(at.x + x * pixel, at.y + y * pixel);
                draw.AddRectFilled(lo, ImVec2(lo.x + pixel, lo.y + pixel),
                                   ImGui::ColorConvertFloat4ToU32(ImVec4(g, g, g, 1.0f)));
            }
    };
    for (std::size_t k = 0; k < tiles.tiles.size(); ++k) {
        const int row = static_cast<int>(k) / perRow, column = static_cast<int>(k) % perRow;
        const ImVec2 at(origin.x + column * (pairWidth + pairGap), top + row * (side + pairGap));
        image(tiles.tiles[k].particle, at);
        image(tiles.tiles[k].nearest, ImVec2(at.x + side + gap, at.y));
        draw.AddRect(ImVec2(at.x + side + gap, at.y), ImVec2(at.x + 2 * side + gap, at.y + side),
                     colourOf(stage.accent), 0.0f, 0, 1.0f);
    }
}

} // namespace psc::app
