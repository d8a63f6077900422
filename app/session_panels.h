// The ImGui windows over the scene, wired to the session: each builds its panel's input from the
// session, draws the panel, and hands what the person did back to the session. The panels
// themselves (control_panel, learned_panel, lesson_panel, slice_panel) only draw and report.
// Call between ImGui::NewFrame and ImGui::Render.
#pragma once

#include "app/control_panel.h"
#include "app/laws_panel.h"
#include "app/learned_panel.h"
#include "app/lesson_panel.h"
#include "app/panel_columns.h"

#include <optional>
#include <string>

namespace psc::app {

class SceneSession;
struct Inspection;

// The slice window's state across frames.
struct SliceWindowMemory {
    bool requestOpen = false, open = false;
    int quantity = 0, lines = 24, framesDrawn = 0;
    float height = 3.0f;
    float mapRect[4] = {}; // where the map was drawn last frame (min x, min y, max x, max y)
};

// The laws window's state across frames: the histogram is recomputed only when the scene or the
// clock's σ (by more than 3%) changes: at N = 64 one costs about 30 ms.
struct LawsWindowMemory {
    bool requestOpen = false, open = false;
    int framesDrawn = 0;
    LawsPanelRects rects;
    std::shared_ptr<const SceneData> histogramOf; // the scene the histogram is of
    double histogramLogSigma = 0;
    std::optional<DistanceHistogram> histogram;
};

// Every window's state across frames, owned by the widget; tests read the rectangles.
struct PanelsMemory {
    bool visible = true; // the control, learned and slice windows (View › Control panel)
    PanelMemory control;
    LearnedPanelMemory learned;
    LessonPanelMemory lesson;
    SliceWindowMemory slice;
    LawsWindowMemory laws;
};

// What the display adds to the control panel: compute shaders, where the particles move.
struct DisplayStatus {
    bool computing = false;    // the session's scenes or the GPU's flows
    bool gpuAvailable = false; // compute shaders in this context
    bool gpuParticles = false; // the particles are moved on the GPU
    std::string computeNote;   // where the particles move, and why
    double gpuProgress = -1;   // of the GPU flow being computed; < 0: none
};

// The window's columns (panel_columns.h).
PanelColumns panelColumns(const SceneSession& session, const PanelsMemory& memory,
                          float displayWidth);

// The control panel, the learned-field and slice windows (while panels are visible) and the
// lesson window (while a lesson runs).
void drawSessionPanels(SceneSession& session, PanelsMemory& memory, const DisplayStatus& display);

// The inspector's tooltip at the mouse.
void drawInspectorTooltip(const SceneSession& session, const Inspection& inspection);

} // namespace psc::app
