// ImGui controls. The D slider reserves its last 5% for ∞, so one drag sweeps PFGM to diffusion.
#include "app/control_panel.h"

#include "app/scene/count_text.h"
#include "app/scene/d_scale.h"
#include "app/scene/scene_data.h"
#include "app/scene/scene_keys.h"

#include "physics/extra_dims.h"

#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace psc::app {

namespace {
constexpr float kFiniteEnd = 0.95f;
} // namespace

double sliderToD(float u, int dim) {
    if (u > kFiniteEnd + 0.02f) return physics::kInfiniteD;
    return dAlongMorph(std::clamp(u / kFiniteEnd, 0.0f, 1.0f), dim);
}

float dToSlider(double d, int dim) {
    if (physics::isInfiniteD(d)) return 1.0f;
    return static_cast<float>(morphPosition(d, dim)) * kFiniteEnd;
}

namespace {

void tip(const char* text) {
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text);
}

// A key's help (written for --help lines) as a sentence.
void tip(std::string_view help) {
    if (!ImGui::IsItemHovered() || help.empty()) return;
    std::string text(help);
    text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
    ImGui::SetTooltip("%s.", text.c_str());
}

void remember(PanelMemory& memory, std::string_view fileKey, ImVec2 lo, ImVec2 hi) {
    memory.keyRects.insert_or_assign(std::string(fileKey),
                                     std::array<float, 4>{lo.x, lo.y, hi.x, hi.y});
}

void remember(PanelMemory& memory, std::string_view fileKey) {
    remember(memory, fileKey, ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
}

// The nearest value of the key's range: a value typed into a slider (Ctrl+click) may lie outside
// the slider's bounds, and is kept if the key accepts it.
double clampToKey(const SceneKey& key, double value) {
    const KeyRange& r = key.range;
    // An open end's nearest value in the precision the setting holds (a float's, for floats).
    auto inside = [&](double bound, double towards) {
        return key.singlePrecision ? static_cast<double>(std::nextafter(
                                         static_cast<float>(bound), static_cast<float>(towards)))
                                   : std::nextafter(bound, towards);
    };
    const double lo = r.loOpen ? inside(r.lo, INFINITY) : r.lo;
    const double hi = r.hiOpen ? inside(r.hi, -INFINITY) : r.hi;
    value = std::clamp(value, lo, hi);
    return key.kind == KeyKind::Integer
               ? std::clamp(std::round(value), std::ceil(lo), std::floor(hi))
               : value;
}

// The control of a numeric key of the table (scene_keys.h): a slider over its panel bounds (an
// input field for seeds), labelled and explained as the table says, with an ID of its own. Returns
// the new value, within the key's range, when it changed.
std::optional<double> keyControl(std::string_view fileKey, double value, bool gpu,
                                 PanelMemory& memory) {
    const SceneKey& key = sceneKey(fileKey);
    const PanelSlider& p = key.panel;
    const std::string label = std::string(p.label) + "##" + std::string(fileKey);
    const ImGuiSliderFlags flags = p.logarithmic ? ImGuiSliderFlags_Logarithmic : 0;
    const std::string format(p.format);
    std::optional<double> changed;
    if (key.kind == KeyKind::Seed) {
        int v = static_cast<int>(std::min(value, p.hi));
        if (ImGui::InputInt(label.c_str(), &v)) changed = std::clamp<double>(v, p.lo, p.hi);
    } else if (key.kind == KeyKind::Integer) {
        const double hi = gpu && p.hiWithGpu > 0 ? p.hiWithGpu : p.hi;
        int v = static_cast<int>(std::clamp(value, double(INT32_MIN), double(INT32_MAX)));
        if (ImGui::SliderInt(label.c_str(), &v, static_cast<int>(p.lo), static_cast<int>(hi),
                             format.c_str(), flags))
            changed = clampToKey(key, v);
    } else {
        float v = static_cast<float>(value);
        if (ImGui::SliderFloat(label.c_str(), &v, static_cast<float>(p.lo),
                               static_cast<float>(p.hi), format.c_str(), flags))
            changed = clampToKey(key, v);
    }
    remember(memory, fileKey);
    tip(key.help);
    return changed;
}

// A combo over a table of choices (physics::solverTable(), kParticleSources, ...), showing labels.
// Its frame (without the label) is remembered under `key`: the labels must fit it, and a
// popup that opens replaces the last item before this returns.
template <typename Table, typename Value, typename LabelOf>
bool tableCombo(const char* label, Value& value, const Table& table, LabelOf labelOf,
                PanelMemory& memory, std::string_view key) {
    bool changed = false;
    std::string current;
    for (const auto& row : table)
        if (row.value == value) current = std::string(labelOf(row));
    const ImVec2 at = ImGui::GetCursorScreenPos();
    remember(memory, key, at,
             ImVec2(at.x + ImGui::CalcItemWidth(), at.y + ImGui::GetFrameHeight()));
    if (ImGui::BeginCombo(label, current.c_str())) {
        for (const auto& row : table) {
            const std::string name(labelOf(row));
            if (ImGui::Selectable(name.c_str(), row.value == value) && row.value != value) {
                value = row.value;
                changed = true;
            }
        }
        ImGui::EndCombo();
    }
    return changed;
}

// Moves the cursor down to `top + height` (local coordinates), never up: a block of fixed height.
void padTo(float top, float height) {
    if (ImGui::GetCursorPosY() < top + height) ImGui::SetCursorPosY(top + height);
}

// The hint under the data set, wrapped to the panel: editing on the plane (N = 2) or the camera.
constexpr const char* kEditHint =
    "click: add a charge  ·  drag: move\nright click: delete  ·  wheel: weight";
constexpr const char* kCameraHint = "drag: orbit  ·  shift or right drag: pan  ·  wheel: zoom";

// The generated data set's parameters, or what else the charges are, in four rows.
bool datasetParameters(SceneSettings& scene, const PanelStatus& status, PanelMemory& memory) {
    bool changed = false;
    const auto* info = physics::findDataset(scene.dataset);
    const ImVec4 amber(1.0f, 0.8f, 0.4f, 1.0f);
    if (!scene.editedPositions.empty()) {
        const std::string text =
            "edited by hand: " +
            countText(static_cast<long long>(scene.editedWeights.size()), "charge");
        ImGui::TextColored(amber, "%s", text.c_str());
        ImGui::SameLine();
        if (ImGui::SmallButton("discard edits")) {
            scene.editedPositions.clear();
            scene.editedWeights.clear();
            changed = true;
        }
        tip("Forget the edits and go back to the data set.");
        return changed;
    }
    if (isImagePath(scene.dataPath)) {
        const std::string text =
            "from a picture: " + countText(static_cast<long long>(status.charges), "charge");
        ImGui::TextDisabled("%s", text.c_str());
        changed |= tableCombo(
            "charges are", scene.image.weight, kImageWeights,
            [](const auto& row) { return row.label; }, memory, "data.imageWeight");
        tip(sceneKey("data.imageWeight").help);
        if (const auto v =
                keyControl("data.imageThreshold", scene.image.threshold, false, memory)) {
            scene.image.threshold = *v;
            changed = true;
        }
        if (const auto v = keyControl("data.imageStride", scene.image.stride, false, memory)) {
            scene.image.stride = static_cast<int>(*v);
            changed = true;
        }
        return changed;
    }
    if (!scene.dataPath.empty() || !info) {
        const std::string text =
            "from a data file: " + countText(static_cast<long long>(status.charges), "charge");
        ImGui::TextDisabled("%s", text.c_str());
        return changed;
    }
    if (info->teaching) {
        ImGui::TextDisabled(
            "%s", countText(static_cast<long long>(info->defaultCount), "fixed charge").c_str());
        // The description when it fits the rows left; the data set's tooltip has it too.
        const float width = ImGui::GetContentRegionAvail().x;
        if (ImGui::CalcTextSize(info->description.c_str(), nullptr, false, width).y <=
            2 * ImGui::GetFrameHeightWithSpacing()) {
            ImGui::PushTextWrapPos(0.0f);
            ImGui::TextDisabled("%s", info->description.c_str());
            ImGui::PopTextWrapPos();
        }
        return changed;
    }
    auto& params = scene.datasetParams;
    if (const auto v = keyControl(
            "data.count", static_cast<double>(params.count ? params.count : info->defaultCount),
            false, memory)) {
        params.count = static_cast<std::size_t>(*v);
        changed = true;
    }
    if (const auto v = keyControl(
            "data.noise", params.noise >= 0 ? params.noise : info->defaultNoise, false, memory)) {
        params.noise = *v;
        changed = true;
    }
    if (const auto v = keyControl("data.seed", static_cast<double>(params.seed), false, memory)) {
        params.seed = static_cast<std::uint64_t>(*v);
        changed = true;
    }
    if (info->anyDim) {
        const int lowest = info->lowestDim ? info->lowestDim : info->dim;
        if (const auto v =
                keyControl("data.dim", params.dim ? params.dim : info->dim, false, memory)) {
            params.dim = std::max(lowest, static_cast<int>(*v));
            changed = true;
        }
    }
    return changed;
}

// How data of more than three coordinates is drawn: the projection, and what it shows (the
// variance its axes explain) or, for two chosen coordinates, which. Two rows for every data set
// (N <= 3 says it is drawn as it is), so the controls below keep their place.
bool projectionControls(SceneSettings& scene, const PanelStatus& status, PanelMemory& memory) {
    bool changed = false;
    if (status.dataDim <= kMaxDrawnDim) {
        ImGui::TextDisabled("N = %d: drawn in its own coordinates", status.dataDim);
        ImGui::TextDisabled(" ");
        return false;
    }
    changed |= tableCombo(
        "projection", scene.projection, kProjections, [](const auto& row) { return row.label; },
        memory, "view.projection");
    tip(sceneKey("view.projection").help);
    if (scene.projection == ProjectionKind::Axes) {
        const float half = (ImGui::CalcItemWidth() - ImGui::GetStyle().ItemInnerSpacing.x) / 2;
        for (auto [label, axis] :
             {std::pair{"##axisX", &scene.axisX}, std::pair{"across, up##axisY", &scene.axisY}}) {
            ImGui::SetNextItemWidth(half);
            int v = *axis;
            if (ImGui::InputInt(label, &v, 1, 8)) {
                *axis = std::clamp(v, 1, status.dataDim);
                changed = true;
            }
            remember(memory, axis == &scene.axisX ? "view.axisX" : "view.axisY");
            tip("The coordinate (from 1) drawn across (left) and upwards (right).");
            if (axis == &scene.axisX) ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
        }
    } else {
        ImGui::TextDisabled("%s", status.projectionShares.c_str());
    }
    if (ImGui::IsItemHovered() && !status.projection.empty())
        ImGui::SetTooltip("Drawn: %s.", status.projection.c_str());
    return changed;
}

// The data set, its parameters and a hint, in the same height for every data set: the controls
// below must not move under the pointer when the data set changes. Data without parameters
// (teaching scenes, files, charges edited by hand) says what it is in the parameters' rows, and
// the hint's block is as tall as the taller hint.
bool datasetCombo(SceneSettings& scene, const PanelStatus& status, PanelMemory& memory) {
    bool changed = false;
    const char* current = scene.dataPath.empty() ? scene.dataset.c_str() : "(data file)";
    const ImVec2 at = ImGui::GetCursorScreenPos();
    remember(memory, "data.dataset", at,
             ImVec2(at.x + ImGui::CalcItemWidth(), at.y + ImGui::GetFrameHeight()));
    if (ImGui::BeginCombo("data set", current)) {
        int lastDim = 0;
        for (const auto& info : physics::builtinDatasets()) {
            if (info.dim != lastDim) {
                const std::string group = std::to_string(info.dim) + "D" +
                                          (info.dim > kMaxDrawnDim ? " (projected)" : "");
                ImGui::TextDisabled("%s", group.c_str());
                lastDim = info.dim;
            }
            const bool selected = scene.dataPath.empty() && info.name == scene.dataset;
            if (ImGui::Selectable(info.name.c_str(), selected)) {
                ViewSettings unused;
                sceneKey("data.dataset").set(scene, unused, info.name);
                changed = true;
            }
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", info.description.c_str());
        }
        ImGui::EndCombo();
    }
    const float rowsTop = ImGui::GetCursorPosY();
    changed |= datasetParameters(scene, status, memory);
    padTo(rowsTop, 4 * ImGui::GetFrameHeightWithSpacing());
    const float projectionTop = ImGui::GetCursorPosY();
    changed |= projectionControls(scene, status, memory);
    padTo(projectionTop, 2 * ImGui::GetFrameHeightWithSpacing());

    const float hintTop = ImGui::GetCursorPosY();
    const float width = ImGui::GetContentRegionAvail().x;
    const float hintHeight = std::max(ImGui::CalcTextSize(kEditHint, nullptr, false, width).y,
                                      ImGui::CalcTextSize(kCameraHint, nullptr, false, width).y);
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("%s",
                        status.dim == 2 && status.projection.empty() ? kEditHint : kCameraHint);
    ImGui::PopTextWrapPos();
    padTo(hintTop, hintHeight + ImGui::GetStyle().ItemSpacing.y);
    return changed;
}

bool dControls(SceneSettings& scene, int dim, PanelMemory& memory, PanelResult& result) {
    bool changed = false;
    float u = dToSlider(scene.d, dim);
    const std::string label = "D = " + displayD(scene.d);
    if (ImGui::SliderFloat("##D", &u, 0.0f, 1.0f, label.c_str(), ImGuiSliderFlags_NoInput)) {
        scene.d = sliderToD(u, dim);
        changed = true;
    }
    result.dHeld = ImGui::IsItemActive();
    result.dReleased = ImGui::IsItemDeactivated();
    const ImVec2 lo = ImGui::GetItemRectMin(), hi = ImGui::GetItemRectMax();
    memory.dSliderRect[0] = lo.x, memory.dSliderRect[1] = lo.y, memory.dSliderRect[2] = hi.x,
    memory.dSliderRect[3] = hi.y;
    // Not while dragging: the picture it would cover is the point of the drag.
    if (ImGui::IsItemHovered() && !ImGui::IsItemActive())
        ImGui::SetTooltip("Extra dimensions D, log scale from 1 (PFGM) to %s, where the picture "
                          "changes for %d-D data; the right end is D = ∞ (diffusion, EDM). Any "
                          "other D can be typed below.",
                          displayD(morphTopD(dim)).c_str(), dim);
    char* text = memory.dText;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
    const bool entered =
        ImGui::InputTextWithHint("##Dtext", "type D or inf", text, sizeof memory.dText,
                                 ImGuiInputTextFlags_EnterReturnsTrue);
    remember(memory, "field.D");
    if (entered) {
        const SceneKey& key = sceneKey("field.D");
        const auto d = parseKeyText(key, text, nullptr);
        if (d && !checkKeyValue(key, *d)) {
            scene.d = std::get<double>(*d);
            changed = true;
        }
        text[0] = '\0';
    }
    tip("Type any D >= 1 (e.g. 3.5 or 2048) or inf, then Enter.");
    ImGui::SameLine();
    for (double preset : {1.0, 8.0, 128.0, physics::kInfiniteD}) {
        const std::string name = displayD(preset);
        if (ImGui::SmallButton(name.c_str())) {
            scene.d = preset;
            changed = true;
        }
        tip("Jump to this D.");
        ImGui::SameLine();
    }
    ImGui::NewLine();
    return changed;
}

bool flowControls(SceneSettings& scene, bool gpu, PanelMemory& memory) {
    bool changed = false;
    if (const auto v = keyControl("field.sigmaMax", scene.sigmaMax, gpu, memory)) {
        // A flow needs room: at least a decade above σ_min.
        scene.sigmaMax = std::max(*v, scene.sigmaMin * 10);
        changed = true;
    }
    changed |= tableCombo(
        "particles from", scene.particleSource, kParticleSources,
        [](const auto& row) { return row.label; }, memory, "field.particleSource");
    tip(sceneKey("field.particleSource").help);
    if (scene.particleSource == ParticleSource::Prior) {
        changed |= tableCombo(
            "solver", scene.solver, physics::solverTable(),
            [](const auto& row) { return row.label; }, memory, "field.solver");
        tip(sceneKey("field.solver").help);
        if (const auto v = keyControl("field.steps", scene.steps, gpu, memory)) {
            scene.steps = static_cast<int>(*v);
            changed = true;
        }
    }
    for (auto [fileKey, target] : {std::pair{"field.particles", &scene.particles},
                                   std::pair{"field.fieldLines", &scene.fieldLines}})
        if (const auto v = keyControl(fileKey, *target, gpu, memory)) {
            *target = static_cast<int>(*v);
            changed = true;
        }
    changed |= tableCombo(
        "lines from", scene.seeding, kSeedings, [](const auto& row) { return row.label; }, memory,
        "field.seeding");
    tip(sceneKey("field.seeding").help);
    return changed;
}

// The layer checkboxes in an ID scope of their own: "particles" and "charges" are also sliders.
// projected: no hemisphere is drawn (scene_geometry_builder.cpp), so it has no toggle.
bool layerToggles(ViewSettings& view, int dim, bool projected, PanelMemory& memory) {
    bool changed = false;
    int column = 0;
    ImGui::PushID("layers");
    for (const auto& l : render::kLayers) {
        if (dim == 3 && l.planeOnly) continue;
        if (projected && l.value == render::Layer::Hemisphere) continue;
        bool on = (view.layers & static_cast<unsigned>(l.value)) != 0;
        if (column++ % 3) ImGui::SameLine();
        if (ImGui::Checkbox(std::string(l.label).c_str(), &on)) {
            view.layers ^= static_cast<unsigned>(l.value);
            changed = true;
        }
        tip("Show or hide this layer.");
    }
    ImGui::PopID();
    changed |= tableCombo(
        "colour map", view.colorMap, render::kColorMaps, [](const auto& row) { return row.name; },
        memory, "view.colorMap");
    tip(sceneKey("view.colorMap").help);
    changed |= tableCombo(
        "stage", view.stage, render::kStages, [](const auto& row) { return row.name; }, memory,
        "view.stage");
    tip(sceneKey("view.stage").help);
    return changed;
}

// How the exact field is evaluated: the method, the tree's tolerance, and which is in use.
bool fieldMethodControls(SceneSettings& scene, const PanelStatus& status, PanelMemory& memory) {
    bool changed = tableCombo(
        "exact field", scene.fieldMethod, physics::kFieldMethods,
        [](const auto& row) { return row.label; }, memory, "field.method");
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%s", std::string(sceneKey("field.method").help).c_str());
    if (scene.fieldMethod != physics::FieldMethod::Direct) {
        if (const auto v = keyControl("field.tolerance", scene.fieldTolerance, false, memory)) {
            scene.fieldTolerance = *v;
            changed = true;
        }
    }
    const bool tree = physics::usesTree(status.charges, status.dataDim, scene.fieldMethod);
    const std::string note = tree ? "tree code: every x-hat within " +
                                        physics::formatFieldTolerance(scene.fieldTolerance) +
                                        " of the data's spread"
                                  : "every charge for every point";
    ImGui::TextDisabled("%s", note.c_str());
    return changed;
}

bool computeControls(ViewSettings& view, const PanelStatus& status, PanelMemory& memory) {
    ComputeChoice choice = view.compute;
    bool changed = tableCombo(
        "particles on", choice, kComputeChoices, [](const auto& row) { return row.label; }, memory,
        "view.compute");
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip(
            "auto: the GPU when OpenGL 4.3 compute shaders run on real hardware, else the CPU.\n"
            "Field lines are always traced on the CPU (adaptive steps).");
    if (choice == ComputeChoice::Gpu && !status.gpuAvailable) changed = false;
    if (changed) view.compute = choice;
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("%s", status.computeNote.c_str());
    ImGui::PopTextWrapPos();
    if (status.gpuProgress >= 0)
        ImGui::ProgressBar(static_cast<float>(status.gpuProgress), ImVec2(-1, 0), "GPU flow");
    return changed;
}

} // namespace

PanelResult drawControlPanel(SceneSettings& scene, ViewSettings& view, const PanelStatus& status,
                             PanelMemory& memory) {
    PanelResult result;
    // The left column (placed by drawSessionPanels): it scrolls rather than leaving the screen.
    ImGui::Begin("Poissonscope", nullptr,
                 ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse);
    ++memory.framesDrawn;
    if (ImGui::CollapsingHeader("Data", ImGuiTreeNodeFlags_DefaultOpen))
        result.sceneChanged |= datasetCombo(scene, status, memory);
    if (ImGui::CollapsingHeader("Augmented dimensions", ImGuiTreeNodeFlags_DefaultOpen)) {
        result.sceneChanged |= dControls(scene, status.dataDim, memory, result);
        result.viewChanged |= ImGui::Checkbox("compare D = 1, 8, 128, inf (2x2)", &view.compare);
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip(
                "Small multiples: the same data, starting noise and camera at four values of D.");
    }
    if (ImGui::CollapsingHeader("Flow", ImGuiTreeNodeFlags_DefaultOpen))
        result.sceneChanged |= flowControls(scene, status.gpuParticles, memory);
    // Open from the start where the exact field's method matters: many charges.
    if (ImGui::CollapsingHeader("Compute", status.charges >= physics::kTreeFromCharges
                                               ? ImGuiTreeNodeFlags_DefaultOpen
                                               : 0)) {
        result.viewChanged |= computeControls(view, status, memory);
        result.sceneChanged |= fieldMethodControls(scene, status, memory);
    }
    if (ImGui::CollapsingHeader("Playback", ImGuiTreeNodeFlags_DefaultOpen)) {
        if (ImGui::Button(view.playing ? "Pause" : "Play"))
            view.playing = !view.playing, result.viewChanged = true;
        tip("Play or pause the flow (Space).");
        ImGui::SameLine();
        if (ImGui::Button("Restart")) result.restart = true;
        tip("Back to the start of the flow.");
        ImGui::SameLine();
        result.viewChanged |= ImGui::Checkbox("loop", &view.loop);
        tip("Start again after the flow lands.");
        if (tableCombo(
                "direction", view.forward, kPlaybackDirections,
                [](const auto& row) { return row.label; }, memory, "view.forward")) {
            result.viewChanged = true;
            result.restart = true;
        }
        tip("Backward generates: noise to data, sigma max to 0. Forward encodes: data to noise, 0 "
            "to sigma max.");
        float clock = static_cast<float>(status.clockLogSigma);
        const double sigma = std::exp(status.clockLogSigma);
        char label[48];
        std::snprintf(label, sizeof label,
                      status.clockLogSigma <= status.clockBottom + 1e-9 ? "sigma = 0"
                                                                        : "sigma = %.3g",
                      sigma);
        if (ImGui::SliderFloat("##clock", &clock, static_cast<float>(status.clockBottom),
                               static_cast<float>(status.clockTop), label)) {
            result.scrubbed = true;
            result.clockLogSigma = clock;
        }
        tip("The flow's clock sigma; drag to scrub (arrow keys step).");
        for (auto [fileKey, target] : {std::pair{"view.decadesPerSecond", &view.decadesPerSecond},
                                       std::pair{"view.trailLength", &view.trailLength}})
            if (const auto v = keyControl(fileKey, *target, false, memory)) {
                *target = static_cast<float>(*v);
                result.viewChanged = true;
            }
    }
    if (ImGui::CollapsingHeader("Layers"))
        result.viewChanged |= layerToggles(view, status.dim, !status.projection.empty(), memory);
    if (ImGui::Button("Reset camera")) result.resetCamera = true;
    tip("Frame the data again (R).");
    ImGui::SameLine();
    if (status.computing)
        ImGui::TextColored(ImVec4(1, 0.8f, 0.3f, 1), "computing...");
    else
        ImGui::TextDisabled("computed in %.2f s", status.computeSeconds);
    if (!status.error.empty())
        ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "%s", status.error.c_str());
    ImGui::End();
    return result;
}

} // namespace psc::app
