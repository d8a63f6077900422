// ImGui controls. The D slider reserves its last 5% for ∞, so one drag sweeps PFGM to diffusion.
#include "app/control_panel.h"

#include "physics/extra_dims.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace psc::app {

namespace {
constexpr float kFiniteEnd = 0.95f;
constexpr double kMaxFiniteD = 1e6;
} // namespace

double sliderToD(float u) {
    if (u > kFiniteEnd + 0.02f) return physics::kInfiniteD;
    const float f = std::clamp(u / kFiniteEnd, 0.0f, 1.0f);
    return std::pow(10.0, 6.0 * f);
}

float dToSlider(double d) {
    if (physics::isInfiniteD(d)) return 1.0f;
    return static_cast<float>(
               std::clamp(std::log10(std::max(d, 1.0)) / std::log10(kMaxFiniteD), 0.0, 1.0)) *
           kFiniteEnd;
}

namespace {

void tip(const char* text) {
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text);
}

bool datasetCombo(SceneSettings& scene, int dim) {
    bool changed = false;
    const char* current = scene.dataPath.empty() ? scene.dataset.c_str() : "(data file)";
    if (ImGui::BeginCombo("data set", current)) {
        int lastDim = 0;
        for (const auto& info : physics::builtinDatasets()) {
            if (info.dim != lastDim) {
                ImGui::TextDisabled(info.dim == 2 ? "2D" : "3D");
                lastDim = info.dim;
            }
            const bool selected = scene.dataPath.empty() && info.name == scene.dataset;
            if (ImGui::Selectable(info.name.c_str(), selected)) {
                scene.dataset = info.name;
                scene.dataPath.clear();
                scene.editedPositions.clear();
                scene.editedWeights.clear();
                changed = true;
            }
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", info.description.c_str());
        }
        ImGui::EndCombo();
    }
    if (!scene.editedPositions.empty()) {
        ImGui::TextColored(ImVec4(1.0f, 0.8f, 0.4f, 1.0f), "edited by hand: %zu charges",
                           scene.editedWeights.size());
        ImGui::SameLine();
        if (ImGui::SmallButton("discard edits")) {
            scene.editedPositions.clear();
            scene.editedWeights.clear();
            changed = true;
        }
        tip("Forget the edits and go back to the data set.");
        return changed;
    }
    if (dim == 2)
        ImGui::TextDisabled("click: add a charge, drag: move, right click: delete, wheel: weight");
    const auto* info = physics::findDataset(scene.dataset);
    if (scene.dataPath.empty() && info && !info->teaching) {
        int count = scene.datasetParams.count ? static_cast<int>(scene.datasetParams.count)
                                              : static_cast<int>(info->defaultCount);
        if (ImGui::SliderInt("charges", &count, 16, 4096, "%d", ImGuiSliderFlags_Logarithmic)) {
            scene.datasetParams.count = static_cast<std::size_t>(count);
            changed = true;
        }
        tip("Points drawn from the data set; each is a charge of equal weight.");
        float noise = static_cast<float>(scene.datasetParams.noise >= 0 ? scene.datasetParams.noise
                                                                        : info->defaultNoise);
        if (ImGui::SliderFloat("noise", &noise, 0.0f, 0.5f, "%.3f")) {
            scene.datasetParams.noise = noise;
            changed = true;
        }
        tip("Jitter added to the data set (in its own units).");
        int seed = static_cast<int>(scene.datasetParams.seed);
        if (ImGui::InputInt("data seed", &seed) && seed >= 0) {
            scene.datasetParams.seed = static_cast<std::uint64_t>(seed);
            changed = true;
        }
        tip("Seed of the data set's random draw.");
    }
    return changed;
}

bool dControls(SceneSettings& scene, PanelMemory& memory) {
    bool changed = false;
    float u = dToSlider(scene.d);
    const std::string label = "D = " + physics::formatExtraDims(scene.d);
    if (ImGui::SliderFloat("##D", &u, 0.0f, 1.0f, label.c_str())) {
        scene.d = sliderToD(u);
        changed = true;
    }
    const ImVec2 lo = ImGui::GetItemRectMin(), hi = ImGui::GetItemRectMax();
    memory.dSliderRect[0] = lo.x, memory.dSliderRect[1] = lo.y, memory.dSliderRect[2] = hi.x,
    memory.dSliderRect[3] = hi.y;
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Extra dimensions D, log scale from 1 (PFGM) to 1e6; the right end is D "
                          "= inf (diffusion, EDM).");
    char* text = memory.dText;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
    if (ImGui::InputTextWithHint("##Dtext", "type D or inf", text, sizeof memory.dText,
                                 ImGuiInputTextFlags_EnterReturnsTrue)) {
        const auto d = physics::parseExtraDims(text);
        if (d && !physics::validateExtraDims(*d)) {
            scene.d = *d;
            changed = true;
        }
        text[0] = '\0';
    }
    tip("Type any D >= 1 (e.g. 3.5 or 2048) or inf, then Enter.");
    ImGui::SameLine();
    for (double preset : {1.0, 8.0, 128.0, physics::kInfiniteD}) {
        const std::string name = physics::formatExtraDims(preset);
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

bool flowControls(SceneSettings& scene, bool gpu) {
    bool changed = false;
    float sigmaMax = static_cast<float>(scene.sigmaMax);
    if (ImGui::SliderFloat("sigma max", &sigmaMax, 1.0f, 200.0f, "%.1f",
                           ImGuiSliderFlags_Logarithmic)) {
        scene.sigmaMax = std::max(sigmaMax, static_cast<float>(scene.sigmaMin) * 10);
        changed = true;
    }
    tip("sigma at the top of the flow: the hemisphere has radius sigma_max sqrt(D).");
    int source = scene.particleSource == ParticleSource::Hemisphere ? 0 : 1;
    if (ImGui::Combo("particles from", &source,
                     "hemisphere (exact lines)\0prior at sigma max (solver)\0")) {
        scene.particleSource = source == 0 ? ParticleSource::Hemisphere : ParticleSource::Prior;
        changed = true;
    }
    tip("Hemisphere: each particle follows its exact field line. Prior: drawn at sigma_max and "
        "moved by the solver on the EDM schedule.");
    if (scene.particleSource == ParticleSource::Prior) {
        int solver = static_cast<int>(scene.solver);
        if (ImGui::Combo("solver", &solver, "Euler\0Heun\0RK4\0RK45 (adaptive)\0")) {
            scene.solver = static_cast<physics::SolverKind>(solver);
            changed = true;
        }
        tip("ODE solver for prior particles (RK45 adapts its steps).");
        changed |=
            ImGui::SliderInt("steps", &scene.steps, 2, 256, "%d", ImGuiSliderFlags_Logarithmic);
        tip("Steps of the EDM sigma schedule for the fixed-step solvers.");
    }
    // Compute shaders move 100,000 particles at frame rate; the CPU path stays interactive to
    // 20,000.
    changed |= ImGui::SliderInt("particles", &scene.particles, 10, gpu ? 200000 : 20000, "%d",
                                ImGuiSliderFlags_Logarithmic);
    tip("Particles flowed from noise to data.");
    changed |= ImGui::SliderInt("field lines", &scene.fieldLines, 0, 1000, "%d",
                                ImGuiSliderFlags_Logarithmic);
    tip("Field lines drawn, coloured by the perturbed density.");
    int seeding = scene.seeding == physics::FieldLineSeeding::Charges ? 0 : 1;
    if (ImGui::Combo("lines from", &seeding, "charges (equal flux)\0hemisphere\0")) {
        scene.seeding = seeding == 0 ? physics::FieldLineSeeding::Charges
                                     : physics::FieldLineSeeding::Hemisphere;
        changed = true;
    }
    tip("Charges: lines leave each charge in proportion to its weight (equal flux). Hemisphere: "
        "lines come down from it.");
    return changed;
}

bool layerToggles(ViewSettings& view, int dim) {
    bool changed = false;
    const struct {
        render::Layer layer;
        const char* name;
    } layers[] = {{render::Layer::Grid, "grid"},
                  {render::Layer::Axes, "axes"},
                  {render::Layer::Hemisphere, "hemisphere"},
                  {render::Layer::FieldLines, "field lines"},
                  {render::Layer::Trails, "trails"},
                  {render::Layer::Particles, "particles"},
                  {render::Layer::Charges, "charges"},
                  {render::Layer::EndCloud, "end cloud"}};
    int column = 0;
    for (const auto& l : layers) {
        if (dim == 3 && (l.layer == render::Layer::Hemisphere || l.layer == render::Layer::Grid))
            continue;
        bool on = (view.layers & static_cast<unsigned>(l.layer)) != 0;
        if (column++ % 3) ImGui::SameLine();
        if (ImGui::Checkbox(l.name, &on)) {
            view.layers ^= static_cast<unsigned>(l.layer);
            changed = true;
        }
        tip("Show or hide this layer.");
    }
    int map = static_cast<int>(view.colorMap);
    if (ImGui::Combo("colour map", &map, "viridis\0magma\0coolwarm\0")) {
        view.colorMap = static_cast<render::ColorMapKind>(map);
        changed = true;
    }
    tip("Colours of sigma (particles, trails) and density (field lines).");
    return changed;
}

bool computeControls(ViewSettings& view, const PanelStatus& status) {
    int choice = static_cast<int>(view.compute);
    const bool changed =
        ImGui::Combo("particles on", &choice, "auto\0CPU (SIMD threads)\0GPU (compute shaders)\0");
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip(
            "auto: the GPU when OpenGL 4.3 compute shaders run on real hardware, else the CPU.\n"
            "Field lines are always traced on the CPU (adaptive steps).");
    if (changed) {
        if (choice == static_cast<int>(ComputeChoice::Gpu) && !status.gpuAvailable)
            choice = static_cast<int>(view.compute);
        view.compute = static_cast<ComputeChoice>(choice);
    }
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
    ImGui::SetNextWindowPos(ImVec2(10, 10), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowSize(ImVec2(340, 0), ImGuiCond_FirstUseEver);
    ImGui::Begin("Poissonscope");
    if (ImGui::CollapsingHeader("Data", ImGuiTreeNodeFlags_DefaultOpen))
        result.sceneChanged |= datasetCombo(scene, status.dim);
    if (ImGui::CollapsingHeader("Augmented dimensions", ImGuiTreeNodeFlags_DefaultOpen)) {
        result.sceneChanged |= dControls(scene, memory);
        result.viewChanged |= ImGui::Checkbox("compare D = 1, 8, 128, inf (2x2)", &view.compare);
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip(
                "Small multiples: the same data, starting noise and camera at four values of D.");
    }
    if (ImGui::CollapsingHeader("Flow", ImGuiTreeNodeFlags_DefaultOpen))
        result.sceneChanged |= flowControls(scene, status.gpuParticles);
    if (ImGui::CollapsingHeader("Compute")) result.viewChanged |= computeControls(view, status);
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
        int direction = view.forward ? 1 : 0;
        if (ImGui::Combo(
                "direction", &direction,
                "backward: generate (sigma max to 0)\0forward: encode (0 to sigma max)\0")) {
            view.forward = direction == 1;
            result.viewChanged = true;
            result.restart = true;
        }
        tip("Backward generates (noise to data); forward encodes (data to noise).");
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
        result.viewChanged |= ImGui::SliderFloat("speed", &view.decadesPerSecond, 0.05f, 5.0f,
                                                 "%.2f decades/s", ImGuiSliderFlags_Logarithmic);
        tip("Playback speed in decades of sigma per second.");
        result.viewChanged |=
            ImGui::SliderFloat("trail", &view.trailLength, 0.05f, 6.0f, "%.2f e-folds");
        tip("Length of the particles' trails in e-folds of sigma.");
    }
    if (ImGui::CollapsingHeader("Layers")) result.viewChanged |= layerToggles(view, status.dim);
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
