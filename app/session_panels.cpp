// Each window: input from the session, the panel, the person's actions back to the session.
#include "app/session_panels.h"

#include "app/scene/scene_picking.h"
#include "app/scene/scene_session.h"
#include "app/slice_panel.h"

#include <imgui.h>

#include <QString>

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <vector>

namespace psc::app {
namespace {

void controlWindow(SceneSession& session, PanelMemory& memory, const DisplayStatus& display) {
    const auto data = session.sceneData();
    PanelStatus status;
    status.computing = display.computing;
    status.gpuAvailable = display.gpuAvailable;
    status.computeNote = display.computeNote;
    status.gpuProgress = display.gpuProgress;
    status.gpuParticles = display.gpuParticles;
    status.error = session.error().toStdString();
    status.computeSeconds = data ? data->computeSeconds : 0;
    status.clockLogSigma = session.clockLogSigma();
    status.clockTop = data ? session.clock().top() : 0;
    status.clockBottom = data ? session.clock().bottom() : -1;
    status.dim = data ? data->charges.dim() : 2;
    SceneSettings scene = session.sceneSettings();
    ViewSettings view = session.viewSettings();
    const PanelResult result = drawControlPanel(scene, view, status, memory);
    if (result.sceneChanged) session.setSceneSettings(scene);
    session.setViewSettings(view);
    if (result.restart) session.restartClock();
    if (result.scrubbed) session.setClockLogSigma(result.clockLogSigma);
    if (result.resetCamera) session.resetCamera();
}

void learnedWindow(SceneSession& session, LearnedPanelMemory& memory) {
    const auto data = session.sceneData();
    const TrainerState trainer = session.trainer().state();
    LearnedPanelInput in;
    in.trainer = &trainer;
    in.sceneReady = session.showsCurrentScene();
    in.dim = data ? data->charges.dim() : 2;
    in.charges = data ? data->charges.size() : 0;
    in.dataName = dataSourceName(session.sceneSettings());
    in.d = session.sceneSettings().d;
    in.flowsLearned = session.flowsLearned();
    in.flowModel = data ? data->flowModel.get() : nullptr;
    if (data) in.chargePositions = data->charges.positions();
    in.errorMap = session.errorMap();
    in.fits = session.learned().fits(data);
    const auto r = drawLearnedPanel(in, memory);
    session.setErrorMapWanted(memory.open);
    if (r.train) session.trainOnScene(*r.train, r.settings);
    if (r.cancel) session.trainer().cancel();
    if (r.remove) session.trainer().removeModel(r.remove);
    if (r.use)
        session.useLearnedModel(r.use);
    else if (r.flowsLearned)
        session.setFlowsLearned(*r.flowsLearned);
}

void sliceWindow(SceneSession& session, SliceWindowMemory& memory) {
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const float width = ImGui::GetFontSize() * 30;
    // Pinned to the bottom left: a window that grew downwards would leave the screen.
    ImGui::SetNextWindowPos(ImVec2(10, display.y - 10), ImGuiCond_Always, ImVec2(0, 1));
    ImGui::SetNextWindowSizeConstraints(ImVec2(width, 0), ImVec2(width, FLT_MAX));
    ImGui::SetNextWindowCollapsed(true, ImGuiCond_FirstUseEver);
    if (memory.requestOpen) {
        ImGui::SetNextWindowCollapsed(false, ImGuiCond_Always);
        memory.requestOpen = false;
    }
    memory.open = ImGui::Begin("Field slice x₁-σ", nullptr, ImGuiWindowFlags_AlwaysAutoResize);
    if (!memory.open) {
        ImGui::End();
        session.setSliceRequest(std::nullopt);
        return;
    }
    ++memory.framesDrawn;
    ImGui::Combo("shows", &memory.quantity,
                 "field strength log10 |E|\0perturbed density log10 p_σ\0");
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("|E| of the charges in N + D dimensions (the score's size at D = inf), "
                          "or the density of the data blurred by the kernel at σ.");
    ImGui::SliderFloat("height", &memory.height, 0.2f, 20.0f, "%.1f x spread",
                       ImGuiSliderFlags_Logarithmic);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("σ at the top of the slice, in data spreads.");
    ImGui::SliderInt("lines", &memory.lines, 0, 64);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Field lines of the slice, from its top edge down to the plane.");
    session.setSliceRequest(SliceRequest{memory.quantity == 0
                                             ? physics::SliceQuantity::FieldStrength
                                             : physics::SliceQuantity::LogDensity,
                                         memory.height, memory.lines});
    const auto data = session.sceneData();
    if (const auto* slice = session.sliceOnScreen()) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextDisabled("Through the data's mean; lines and arrows: the field projected on "
                            "the slice.");
        ImGui::PopTextWrapPos();
        std::vector<double> x1;
        for (std::size_t i = 0; i < data->charges.size(); ++i)
            x1.push_back(data->charges.position(i)[0]);
        const ImVec2 at = ImGui::GetCursorScreenPos();
        drawFieldSlice(*slice, x1, ImGui::GetContentRegionAvail().x, width * 0.62f);
        const ImVec2 size = ImGui::GetItemRectSize();
        memory.mapRect[0] = at.x, memory.mapRect[1] = at.y, memory.mapRect[2] = at.x + size.x,
        memory.mapRect[3] = at.y + size.y;
    } else {
        ImGui::TextDisabled(data ? "computing..." : "waiting for the scene");
    }
    ImGui::End();
}

void lessonWindow(SceneSession& session, LessonPanelMemory& memory) {
    const Lesson* lesson = session.lesson();
    if (!lesson) return;
    const int step = session.lessonStep();
    const auto r = drawLessonPanel(*lesson, step, session.lessonNote(), memory);
    if (r.close)
        session.endLesson();
    else if (r.go)
        session.goToLessonStep(step + r.go);
}

} // namespace

void drawSessionPanels(SceneSession& session, PanelsMemory& memory, const DisplayStatus& display) {
    if (memory.visible) {
        controlWindow(session, memory.control, display);
        learnedWindow(session, memory.learned);
        sliceWindow(session, memory.slice);
    }
    lessonWindow(session, memory.lesson);
}

void drawInspectorTooltip(const SceneSession& session, const Inspection& inspection) {
    const auto data = session.sceneData();
    if (!data) return;
    const auto& p = inspection.point;
    ImGui::BeginTooltip();
    if (inspection.particle >= 0)
        ImGui::TextColored(ImVec4(1.0f, 0.85f, 0.45f, 1.0f), "particle %ld", inspection.particle);
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
        const auto y = data->charges.position(charge);
        char label[80];
        std::snprintf(label, sizeof label, "#%zu (%.3g, %.3g): %.1f%%", charge, y[0], y[1],
                      100 * weight);
        ImGui::ProgressBar(static_cast<float>(weight), ImVec2(ImGui::GetFontSize() * 16, 0), label);
    }
    ImGui::EndTooltip();
}

} // namespace psc::app
