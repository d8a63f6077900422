// Each window: input from the session, the panel, the person's actions back to the session.
#include "app/session_panels.h"

#include "app/scene/scene_picking.h"
#include "app/scene/scene_session.h"
#include "app/slice_panel.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <QString>

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <vector>

namespace psc::app {
namespace {

constexpr const char* kLawsTitle = "Laws of D and N";

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
    status.dataDim = data ? dataDim(*data) : 2;
    if (data && data->projected) {
        status.projection = data->projected->projection.describe();
        status.projectionShares = data->projected->projection.shares();
    }
    status.charges = data ? data->charges.size() : 0;
    SceneSettings scene = session.sceneSettings();
    ViewSettings view = session.viewSettings();
    const PanelResult result = drawControlPanel(scene, view, status, memory);
    // While D is dragged the ladder's nearest scene shows at once; letting go computes the exact
    // one.
    if (result.sceneChanged && result.dHeld)
        session.previewD(scene.d);
    else if (result.sceneChanged || (result.dReleased && !session.showsCurrentScene()))
        session.setSceneSettings(scene);
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
    in.dim = data ? dataDim(*data) : 2;
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
    ImGui::SetNextWindowCollapsed(true, ImGuiCond_FirstUseEver);
    if (memory.requestOpen) {
        ImGui::SetNextWindowCollapsed(false, ImGuiCond_Always);
        memory.requestOpen = false;
    }
    // Placed by drawSessionPanels.
    memory.open = ImGui::Begin("Field slice x₁-σ", nullptr,
                               ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoMove);
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
                            "the slice; σ on a log scale.");
        ImGui::PopTextWrapPos();
        std::vector<double> x1;
        for (std::size_t i = 0; i < data->charges.size(); ++i)
            x1.push_back(data->charges.position(i)[0]);
        const ImVec2 at = ImGui::GetCursorScreenPos();
        drawFieldSlice(*slice, x1, ImGui::GetContentRegionAvail().x,
                       ImGui::GetContentRegionAvail().x * 0.62f);
        const ImVec2 size = ImGui::GetItemRectSize();
        memory.mapRect[0] = at.x, memory.mapRect[1] = at.y, memory.mapRect[2] = at.x + size.x,
        memory.mapRect[3] = at.y + size.y;
        if (slice->clippedLow() || slice->clippedHigh()) {
            ImGui::PushTextWrapPos(0.0f);
            ImGui::TextDisabled("Colours span %.3g of the %.3g decades of %s: from its 98th "
                                "percentile down, at most %g decades.",
                                slice->colourHi - slice->colourLo,
                                slice->maxValue - slice->minValue, slice->label.c_str(),
                                physics::kSliceColourDecades);
            ImGui::PopTextWrapPos();
        }
    } else {
        ImGui::TextDisabled(data ? "computing..." : "waiting for the scene");
    }
    ImGui::End();
}

void lawsWindow(SceneSession& session, LawsWindowMemory& memory) {
    ImGui::SetNextWindowCollapsed(true, ImGuiCond_FirstUseEver);
    if (memory.requestOpen) {
        ImGui::SetNextWindowCollapsed(false, ImGuiCond_Always);
        memory.requestOpen = false;
    }
    // Placed by drawSessionPanels.
    memory.open = ImGui::Begin(kLawsTitle, nullptr,
                               ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoMove);
    if (!memory.open) {
        ImGui::End();
        return;
    }
    ++memory.framesDrawn;
    const auto data = session.sceneData();
    LawsPanelInput in;
    if (data) {
        const double clock = session.clockLogSigma();
        if (memory.histogramOf != data || std::abs(clock - memory.histogramLogSigma) > 0.03) {
            memory.histogram = nearestDistanceHistogram(*data, clock);
            memory.histogramOf = data;
            memory.histogramLogSigma = clock;
        }
        in.histogram = memory.histogram ? &*memory.histogram : nullptr;
        in.note =
            clock <= clockBottom(*data) + 1e-9
                ? "At σ = 0 every particle sits on the data: scrub the clock up to see the law."
                : "No particle has come down to this σ yet (hemisphere particles start at "
                  "their own heights).";
        in.n = dataDim(*data);
        in.d = data->settings.d;
        in.priorParticles = data->settings.particleSource == ParticleSource::Prior;
    } else {
        in.note = "waiting for the scene";
    }
    drawLawsPanel(in, memory.rects);
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

// Each window in its column (panel_columns.h), placed before it is drawn; the right column stacks
// the open windows from the top by the heights they had last frame.
void drawSessionPanels(SceneSession& session, PanelsMemory& memory, const DisplayStatus& display) {
    const ImVec2 screen = ImGui::GetIO().DisplaySize;
    const PanelColumns columns = panelColumns(session, memory, screen.x);
    const float bar = ImGui::GetFrameHeight(); // a collapsed window's title bar
    // Last frame's height: a window is not Active this frame until its Begin.
    const auto heightOf = [](const char* name) {
        const ImGuiWindow* window = ImGui::FindWindowByName(name);
        return window && window->WasActive ? window->Size.y : 0.0f;
    };
    float rightY = session.lesson() ? heightOf("###lesson") : 0.0f;
    const auto inRightColumn = [&](const char* name) {
        ImGui::SetNextWindowPos(ImVec2(screen.x - columns.right, rightY), ImGuiCond_Always);
        ImGui::SetNextWindowSizeConstraints(
            ImVec2(columns.right, 0), ImVec2(columns.right, std::max(bar, screen.y - rightY)));
        rightY += heightOf(name);
    };
    if (memory.visible) {
        const bool learnedOpen = memory.learned.open || memory.learned.requestOpen;
        const bool sliceOpen = memory.slice.open || memory.slice.requestOpen;
        const bool lawsOpen = memory.laws.open || memory.laws.requestOpen;
        const float collapsed = static_cast<float>(!learnedOpen + !sliceOpen + !lawsOpen);
        float footY = screen.y - bar * collapsed;
        const auto atFoot = [&] {
            ImGui::SetNextWindowPos(ImVec2(0, footY), ImGuiCond_Always);
            ImGui::SetNextWindowSizeConstraints(ImVec2(columns.left, 0),
                                                ImVec2(columns.left, FLT_MAX));
            footY += bar;
        };
        ImGui::SetNextWindowPos(ImVec2(0, 0), ImGuiCond_Always);
        ImGui::SetNextWindowSize(ImVec2(columns.left, screen.y - bar * collapsed),
                                 ImGuiCond_Always);
        controlWindow(session, memory.control, display);
        learnedOpen ? inRightColumn("Learned field") : atFoot();
        learnedWindow(session, memory.learned);
        sliceOpen ? inRightColumn("Field slice x₁-σ") : atFoot();
        sliceWindow(session, memory.slice);
        lawsOpen ? inRightColumn(kLawsTitle) : atFoot();
        lawsWindow(session, memory.laws);
    }
    if (session.lesson()) {
        ImGui::SetNextWindowPos(ImVec2(screen.x - columns.right, 0), ImGuiCond_Always);
        ImGui::SetNextWindowSizeConstraints(ImVec2(columns.right, 0),
                                            ImVec2(columns.right, screen.y));
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
