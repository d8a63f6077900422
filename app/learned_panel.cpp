// The learned-field window. Every number on it comes from the trainer's state or the scene on
// screen; the caller acts on the result.
#include "app/learned_panel.h"

#include "app/plot_ticks.h"
#include "app/scene/count_text.h"

#include "physics/extra_dims.h"
#include "physics/torch/learned_field.h"
#include "physics/training_health.h"
#include "render/color_map.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace psc::app {

std::string formatLoss(double loss) {
    if (std::isnan(loss)) return "-"; // no training here (a TorchScript module)
    char text[32];
    std::snprintf(text, sizeof text, "%.3g", loss);
    return text;
}

std::optional<std::vector<double>> parseDList(std::string_view text, std::string* problem) {
    std::vector<double> ds;
    std::stringstream in{std::string(text)};
    for (std::string item; std::getline(in, item, ',');) {
        const auto first = item.find_first_not_of(" \t"), last = item.find_last_not_of(" \t");
        if (first == std::string::npos) continue;
        const std::string token = item.substr(first, last - first + 1);
        const auto d = physics::parseExtraDims(token);
        if (!d || physics::validateExtraDims(*d)) {
            if (problem) *problem = "'" + token + "' is not a value of D (>= 1 or inf)";
            return std::nullopt;
        }
        ds.push_back(*d);
    }
    if (ds.empty()) {
        if (problem) *problem = "list values of D, e.g. 1, 8, 128, inf";
        return std::nullopt;
    }
    return ds;
}

namespace {

const ImVec4 kRed(1.0f, 0.45f, 0.4f, 1.0f), kAmber(1.0f, 0.8f, 0.35f, 1.0f);

void remember(float rect[4]) {
    const ImVec2 lo = ImGui::GetItemRectMin(), hi = ImGui::GetItemRectMax();
    rect[0] = lo.x, rect[1] = lo.y, rect[2] = hi.x, rect[3] = hi.y;
}

void tooltip(const char* text) {
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text);
}

physics::TrainSettings settingsOf(const LearnedPanelMemory& m) {
    physics::TrainSettings s;
    s.steps = m.steps;
    s.batch = m.batch;
    s.learningRate = m.learningRate;
    s.shape.width = m.width;
    s.shape.depth = m.depth;
    s.seed = static_cast<std::uint64_t>(m.seed);
    s.tailQuantile = m.tailQuantile;
    return s;
}

// Learned SW2 over the exact field's above which a field is called a poor fit.
constexpr double kPoorFit = 5.0;

// The loss series' verdict (physics/training_health.h), in amber under what it judges.
void troubleLine(const std::optional<std::string>& trouble) {
    if (!trouble) return;
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(kAmber, "%s", trouble->c_str());
    ImGui::PopTextWrapPos();
}

void trainingControls(const LearnedPanelInput& in, LearnedPanelMemory& m, LearnedPanelResult& r) {
    ImGui::InputInt("steps", &m.steps, 500, 5000);
    m.steps = std::clamp(m.steps, 50, 200000);
    tooltip("Adam steps per learned field; about 3000 fit two moons (a few seconds per 1000).");
    ImGui::SliderInt("width", &m.width, 16, 512, "%d", ImGuiSliderFlags_Logarithmic);
    tooltip("Units per hidden layer of the MLP F_theta.");
    ImGui::SliderInt("depth", &m.depth, 1, 6);
    tooltip("Hidden layers of the MLP.");
    ImGui::SliderInt("batch", &m.batch, 32, 4096, "%d", ImGuiSliderFlags_Logarithmic);
    tooltip("Perturbed samples per step: y from the data, sigma log-normal, x = y + noise at "
            "r = sigma sqrt(D).");
    ImGui::SliderFloat("learning rate", &m.learningRate, 1e-4f, 1e-2f, "%.1e",
                       ImGuiSliderFlags_Logarithmic);
    ImGui::InputInt("seed", &m.seed);
    m.seed = std::max(m.seed, 0);
    ImGui::SliderFloat("noise tail", &m.tailQuantile, 0.9f, 1.0f, "%.3f");
    m.tailQuantile = std::clamp(m.tailQuantile, 0.5f, 1.0f);
    tooltip("Small D's noise is heavy-tailed: at D = 1, N = 2 one training draw in a hundred lands "
            "over 100 sigma away. Training noise and the learned field's prior are truncated at "
            "this quantile of the radius (the original PFGM clipped its prior the same way); 1 "
            "keeps the law whole, and small D then trains badly.");

    const bool canTrain = in.sceneReady && in.charges > 0;
    ImGui::BeginDisabled(!canTrain);
    const std::string label = "Train at D = " + physics::formatExtraDims(in.d);
    if (ImGui::Button(label.c_str())) {
        r.train = std::vector<double>{in.d};
        r.settings = settingsOf(m);
    }
    remember(m.trainRect);
    ImGui::EndDisabled();
    tooltip("Trains a PFGM++ network on the charges on screen at the current D (queued after any "
            "training in progress).");

    std::string problem;
    const auto ds = parseDList(m.sweep, &problem);
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
    ImGui::InputText("##sweep", m.sweep, sizeof m.sweep);
    tooltip("Values of D for a sweep, comma separated (inf for diffusion).");
    ImGui::SameLine();
    ImGui::BeginDisabled(!canTrain || !ds);
    if (ImGui::Button("Queue sweep")) {
        r.train = *ds;
        r.settings = settingsOf(m);
    }
    remember(m.sweepRect);
    ImGui::EndDisabled();
    tooltip("One learned field per listed D, trained one after another in the background.");
    if (!ds) ImGui::TextColored(kRed, "%s", problem.c_str());
    if (!in.sceneReady) ImGui::TextColored(kAmber, "waiting for the scene to be computed");
}

// The loss curve on a log₁₀ axis, named and ticked, and the current loss in numbers (three
// significant figures) above its right end.
void lossPlot(const std::vector<float>& loss) {
    std::vector<float> logLoss(loss.size());
    std::transform(loss.begin(), loss.end(), logLoss.begin(),
                   [](float v) { return std::log10(std::max(v, 1e-12f)); });
    const auto [low, high] = std::minmax_element(logLoss.begin(), logLoss.end());
    // At least a tenth of a decade tall, so that a flat curve is not blown up into noise.
    const float mid = 0.5f * (*low + *high), half = std::max(0.5f * (*high - *low), 0.05f);
    const float lo = mid - half, hi = mid + half;

    ImGui::TextDisabled("log₁₀ loss, one point per 50 steps");
    const std::string now = "now " + formatLoss(loss.back());
    ImGui::SameLine(ImGui::GetContentRegionMax().x - ImGui::CalcTextSize(now.c_str()).x);
    ImGui::Text("%s", now.c_str());

    const float font = ImGui::GetFontSize();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 size(ImGui::GetContentRegionAvail().x, font * 5);
    // Ticks at least a line and a half apart, so that their labels never touch.
    std::vector<double> ticks = niceTicks(lo, hi, 3);
    const float pxPerUnit = (size.y - font) / (hi - lo);
    while (ticks.size() > 2 && (ticks[1] - ticks[0]) * pxPerUnit < 1.5f * font) {
        std::vector<double> every2;
        for (std::size_t i = 0; i < ticks.size(); i += 2) every2.push_back(ticks[i]);
        ticks = std::move(every2);
    }
    float left = 0;
    for (double t : ticks) left = std::max(left, ImGui::CalcTextSize(tickLabel(t).c_str()).x);
    left += 6;
    // Half a line above and below the frame, so that the end ticks' labels stay inside the item.
    const ImVec2 min(origin.x + left, origin.y + 0.5f * font),
        max(origin.x + size.x, origin.y + size.y - 0.5f * font);
    auto y = [&](float v) { return max.y - (v - lo) / (hi - lo) * (max.y - min.y); };
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(min, max, ImGui::GetColorU32(ImGuiCol_FrameBg),
                        ImGui::GetStyle().FrameRounding);
    const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text),
                grid = ImGui::GetColorU32(ImGuiCol_Border);
    for (double t : ticks) {
        const float ty = y(static_cast<float>(t));
        draw->AddLine(ImVec2(min.x, ty), ImVec2(max.x, ty), grid);
        const std::string label = tickLabel(t);
        draw->AddText(ImVec2(min.x - 4 - ImGui::CalcTextSize(label.c_str()).x, ty - 0.5f * font),
                      text, label.c_str());
    }
    std::vector<ImVec2> points;
    const float step = logLoss.size() > 1 ? (max.x - min.x) / (logLoss.size() - 1) : 0;
    for (std::size_t i = 0; i < logLoss.size(); ++i)
        points.emplace_back(logLoss.size() > 1 ? min.x + i * step : max.x, y(logLoss[i]));
    const ImU32 curve = ImGui::GetColorU32(ImGuiCol_PlotLines);
    draw->AddPolyline(points.data(), static_cast<int>(points.size()), curve, ImDrawFlags_None,
                      1.5f);
    draw->AddCircleFilled(points.back(), 3.0f, curve);
    ImGui::Dummy(size);
    tooltip("Weighted denoising loss lambda(sigma)|D_theta - y|^2 of the training batches, on a "
            "log scale.");
}

void progress(const TrainerState& t, LearnedPanelMemory& m, LearnedPanelResult& r) {
    if (t.busy) {
        ImGui::TextColored(kAmber, "%s", t.stage.c_str());
        char overlay[128];
        std::snprintf(overlay, sizeof overlay, "%d / %d  ·  %.0fk samples/s  ·  ETA %.0f s", t.step,
                      t.steps, t.samplesPerSecond / 1000, t.etaSeconds);
        ImGui::ProgressBar(t.steps > 0 ? static_cast<float>(t.step) / t.steps : 0.0f,
                           ImVec2(ImGui::GetContentRegionAvail().x, 0), overlay);
        if (ImGui::Button("Cancel")) r.cancel = true;
        remember(m.cancelRect);
        tooltip("Stops the training in progress (its model is dropped) and empties the queue.");
        if (t.queued > 0) {
            ImGui::SameLine();
            ImGui::TextDisabled("%zu more queued", t.queued);
        }
    }
    if (!t.lossCurve.empty()) {
        lossPlot(t.lossCurve);
        const std::vector<double> losses(t.lossCurve.begin(), t.lossCurve.end());
        troubleLine(physics::trainingTrouble(losses, 50));
    }
    if (!t.error.empty()) ImGui::TextColored(kRed, "%s", t.error.c_str());
}

void flowSwitch(const LearnedPanelInput& in, LearnedPanelMemory& m, LearnedPanelResult& r) {
    if (ImGui::RadioButton("exact field", !in.flowsLearned)) r.flowsLearned = false;
    remember(m.exactRect);
    tooltip("Particles follow the exact field of the charges: every one lands on a charge.");
    ImGui::SameLine();
    if (ImGui::RadioButton("learned field", in.flowsLearned)) r.flowsLearned = true;
    remember(m.learnedRect);
    tooltip("Particles follow the learned field trained at this D on these charges.");
    ImGui::PushTextWrapPos(0.0f);
    if (in.flowsLearned && in.flowModel)
        ImGui::TextDisabled("particles move in the learned field (%s)",
                            in.flowModel->label().c_str());
    else if (in.flowsLearned)
        ImGui::TextColored(kAmber,
                           "no learned field at D = %s for these charges: particles follow the "
                           "exact field; train one or pick one below",
                           physics::formatExtraDims(in.d).c_str());
    ImGui::PopTextWrapPos();
}

// Loaded models are not scored: a dash, not "nan".
std::string metric(double value, bool percent = false) {
    if (!std::isfinite(value)) return "-";
    char text[32];
    std::snprintf(text, sizeof text, percent ? "%.0f%%" : "%.3f", percent ? 100 * value : value);
    return text;
}

void modelTable(const LearnedPanelInput& in, LearnedPanelResult& r) {
    const auto& models = in.trainer->models;
    if (models.empty()) {
        ImGui::TextDisabled("no learned fields yet");
        return;
    }
    const ImGuiTableFlags flags =
        ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit;
    if (!ImGui::BeginTable("models", 6, flags)) return;
    ImGui::TableSetupColumn("D");
    ImGui::TableSetupColumn("loss");
    ImGui::TableSetupColumn("SW2 l / e");
    ImGui::TableSetupColumn("MMD l / e");
    ImGui::TableSetupColumn("copies l / e");
    ImGui::TableSetupColumn("");
    ImGui::TableHeadersRow();
    for (std::size_t id = 0; id < models.size(); ++id) {
        const auto& model = models[id];
        ImGui::PushID(static_cast<int>(id));
        const auto& info = model->field->info();
        const bool fits = id < in.fits.size() && in.fits[id];
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        if (fits)
            ImGui::Text("%s%s", physics::formatExtraDims(info.d).c_str(),
                        model.get() == in.flowModel ? " *" : "");
        else
            ImGui::TextDisabled("%s (other data)", physics::formatExtraDims(info.d).c_str());
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("%s\n%s, %.1f s; scored against %s.%s", model->origin.c_str(),
                              countText(info.stepsDone, "step").c_str(), model->trainSeconds,
                              model->scoredAgainst.c_str(),
                              model.get() == in.flowModel ? "\nMoves the particles on screen."
                                                          : "");
        ImGui::TableNextColumn();
        if (const auto trouble = physics::trainingTrouble(info.lossHistory, 50)) {
            ImGui::TextColored(kAmber, "%s !", formatLoss(info.finalLoss).c_str());
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", trouble->c_str());
        } else {
            ImGui::Text("%s", formatLoss(info.finalLoss).c_str());
        }
        ImGui::TableNextColumn();
        ImGui::Text("%s / %s", metric(model->learned.sw2).c_str(),
                    metric(model->exact.sw2).c_str());
        ImGui::TableNextColumn();
        ImGui::Text("%s / %s", metric(model->learned.mmd).c_str(),
                    metric(model->exact.mmd).c_str());
        ImGui::TableNextColumn();
        ImGui::Text("%s / %s", metric(model->learned.memorised, true).c_str(),
                    metric(model->exact.memorised, true).c_str());
        ImGui::TableNextColumn();
        ImGui::BeginDisabled(!fits);
        if (ImGui::SmallButton("use")) r.use = model.get();
        ImGui::EndDisabled();
        if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
            ImGui::SetTooltip(fits ? "Go to this D and move the particles with this learned field."
                                   : "Trained on other charges than those on screen.");
        ImGui::SameLine();
        if (ImGui::SmallButton("x")) r.remove = model.get();
        tooltip("Forget this learned field.");
        ImGui::PopID();
    }
    ImGui::EndTable();
    ImGui::PushTextWrapPos(0.0f);
    for (const auto& model : models) {
        const std::string d = "D = " + physics::formatExtraDims(model->field->info().d) + ": ";
        if (const auto trouble = physics::trainingTrouble(model->field->info().lossHistory, 50))
            troubleLine(d + *trouble);
        // Scored fields whose samples are far worse than the exact field's on the same start.
        if (model->learned.sw2 > kPoorFit * model->exact.sw2) {
            char text[160];
            std::snprintf(text, sizeof text,
                          "poor fit: its samples' SW2 is %.1f times the exact field's; train "
                          "longer, or check the loss",
                          model->learned.sw2 / model->exact.sw2);
            troubleLine(d + text);
        }
    }
    ImGui::TextDisabled("l: learned field, e: exact field; same start points, Heun 18 steps;");
    ImGui::TextDisabled("* moves the particles on screen.");
    ImGui::TextDisabled("copies: samples closer to a charge than charges are to each other.");
    ImGui::PopTextWrapPos();
}

void errorMap(const LearnedPanelInput& in) {
    const auto* map = in.errorMap;
    if (!map) {
        ImGui::TextDisabled(in.flowModel ? "computing..."
                                         : "shown when a learned field moves the particles");
        return;
    }
    ImGui::Text("|x^ learned − x^ exact| at σ = %.3g (max %.3g)", map->sigma, map->max);
    const float side = ImGui::GetFontSize() * 14;
    const float aspect = static_cast<float>((map->hi[1] - map->lo[1]) / (map->hi[0] - map->lo[0]));
    const ImVec2 size(side, std::clamp(side * aspect, side * 0.25f, side));
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float cw = size.x / map->columns, ch = size.y / map->rows;
    const double top = map->max > 0 ? map->max : 1.0;
    for (int j = 0; j < map->rows; ++j)
        for (int i = 0; i < map->columns; ++i) {
            const auto c =
                render::colorAt(render::ColorMapKind::Magma,
                                static_cast<float>(map->value[j * map->columns + i] / top));
            // Row 0 is the bottom of the plane: y grows upwards as in the scene's top view.
            const ImVec2 a(origin.x + i * cw, origin.y + size.y - (j + 1) * ch);
            draw->AddRectFilled(a, ImVec2(a.x + cw + 0.5f, a.y + ch + 0.5f),
                                ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, 1.0f)));
        }
    const int n = in.dim;
    for (std::size_t k = 0; k + n <= in.chargePositions.size(); k += n) {
        const double u = (in.chargePositions[k] - map->lo[0]) / (map->hi[0] - map->lo[0]);
        const double v = (in.chargePositions[k + 1] - map->lo[1]) / (map->hi[1] - map->lo[1]);
        if (u < 0 || u > 1 || v < 0 || v > 1) continue;
        draw->AddCircleFilled(ImVec2(origin.x + static_cast<float>(u) * size.x,
                                     origin.y + static_cast<float>(1 - v) * size.y),
                              1.5f, IM_COL32(120, 220, 255, 200));
    }
    // Colour bar: 0 at the bottom, the maximum at the top.
    const ImVec2 bar(origin.x + size.x + 8, origin.y);
    for (int s = 0; s < 32; ++s) {
        const auto c = render::colorAt(render::ColorMapKind::Magma, (s + 0.5f) / 32);
        const float y1 = bar.y + size.y * (1 - (s + 1) / 32.0f);
        draw->AddRectFilled(ImVec2(bar.x, y1), ImVec2(bar.x + 10, y1 + size.y / 32 + 0.5f),
                            ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, 1.0f)));
    }
    char text[32];
    std::snprintf(text, sizeof text, "%.2g", map->max);
    draw->AddText(ImVec2(bar.x + 13, bar.y - 2), IM_COL32(220, 220, 220, 255), text);
    draw->AddText(ImVec2(bar.x + 13, bar.y + size.y - ImGui::GetFontSize()),
                  IM_COL32(220, 220, 220, 255), "0");
    ImGui::Dummy(ImVec2(size.x + 50, size.y));
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("x1 %.2g to %.2g, x2 %.2g to %.2g%s; dots: charges", map->lo[0], map->hi[0],
                        map->lo[1], map->hi[1], n > 2 ? " (slice through the data mean)" : "");
    ImGui::PopTextWrapPos();
}

} // namespace

LearnedPanelResult drawLearnedPanel(const LearnedPanelInput& in, LearnedPanelMemory& memory) {
    LearnedPanelResult result;
    // Placed by the caller (a column of its own, session_panels.cpp); the height follows the
    // contents.
    ImGui::SetNextWindowCollapsed(true, ImGuiCond_FirstUseEver);
    if (memory.requestOpen) {
        ImGui::SetNextWindowCollapsed(false, ImGuiCond_Always);
        memory.requestOpen = false;
    }
    // Sized to its contents every frame: sections fold instead of scrolling, and a button stays
    // where the last frame drew it.
    memory.open = ImGui::Begin("Learned field", nullptr,
                               ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoMove);
    if (!memory.open) {
        ImGui::End();
        return result;
    }
    ++memory.framesDrawn;
    if (!physics::learnedFieldsBuiltIn()) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextColored(kAmber, "Learned fields are not built into this Poissonscope: it was "
                                   "configured with -DPSC_WITH_TORCH=OFF.");
        ImGui::TextDisabled("Build it with LibTorch to train fields and flow with them; here the "
                            "exact field moves the particles.");
        ImGui::PopTextWrapPos();
        ImGui::End();
        return result;
    }
    ImGui::TextDisabled("%s (%s), N = %d",
                        countText(static_cast<long long>(in.charges), "charge").c_str(),
                        in.dataName.c_str(), in.dim);
    if (ImGui::CollapsingHeader("Train", ImGuiTreeNodeFlags_DefaultOpen)) {
        trainingControls(in, memory, result);
        progress(*in.trainer, memory, result);
    }
    if (ImGui::CollapsingHeader("Flows", ImGuiTreeNodeFlags_DefaultOpen))
        flowSwitch(in, memory, result);
    if (ImGui::CollapsingHeader("Learned fields", ImGuiTreeNodeFlags_DefaultOpen))
        modelTable(in, result);
    if (ImGui::CollapsingHeader("Where they differ", ImGuiTreeNodeFlags_DefaultOpen)) errorMap(in);
    ImGui::End();
    return result;
}

} // namespace psc::app
