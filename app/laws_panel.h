// Draws the laws of D and N (app/scene/distance_laws.h) inside the current ImGui window: the
// particles' distances to the data against the kernel's exact law, and the map of how far the
// kernel is from diffusion's over (N, D) with the scene marked. No physics beyond the map's
// lookups, no GL.
#pragma once

#include "app/scene/distance_laws.h"

#include <optional>
#include <string>

namespace psc::app {

struct LawsPanelInput {
    const DistanceHistogram* histogram = nullptr; // null: none at this σ (why: note)
    std::string note;
    int n = 2;
    double d = 1;
    bool priorParticles = true; // the flow's marginal at σ is the law only for prior particles
};

// Where the two plots were drawn last frame (tests read them): min x, min y, max x, max y.
struct LawsPanelRects {
    float histogram[4] = {}, map[4] = {};
};

void drawLawsPanel(const LawsPanelInput& in, LawsPanelRects& rects);

} // namespace psc::app
