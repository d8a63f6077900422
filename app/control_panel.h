// The in-viewport ImGui panel: edits copies of the settings and reports what changed.
#pragma once

#include "app/scene/scene_settings.h"

#include <array>
#include <cstddef>
#include <map>
#include <string>

namespace psc::app {

struct PanelStatus {
    bool computing = false;
    std::string error;         // last computation failure, shown in red
    double computeSeconds = 0; // of the scene on screen
    double clockLogSigma = 0;  // for the scrubber
    double clockTop = 0, clockBottom = -1;
    int dim = 2;                  // of the view: 2 or 3
    int dataDim = 2;              // N of the data (above 3, drawn through a projection)
    std::string projection;       // what the projection shows; empty for N <= 3
    std::string projectionShares; // "PC1 28.9% · PC2 14.4% of the variance"
    std::size_t charges = 0;   // on screen (what a data file or edits hold)
    bool gpuAvailable = false; // compute shaders in this context
    bool gpuParticles = false; // the particles are moved on the GPU
    std::string computeNote;   // where the particles move, and why
    double gpuProgress = -1;   // of the GPU flow being computed; < 0: none
};

struct PanelResult {
    bool sceneChanged = false;
    bool viewChanged = false;
    bool restart = false;  // rewind the clock to σ_max
    bool scrubbed = false; // clockLogSigma below holds the new clock
    double clockLogSigma = 0;
    bool resetCamera = false;
    // The D slider is held: sceneChanged then asks for a preview (SceneSession::previewD); the
    // frame it is let go in reports dReleased, and the exact scene is computed.
    bool dHeld = false;
    bool dReleased = false;
};

// Widget state that must outlive a frame (text being typed), owned by the caller.
struct PanelMemory {
    char dText[32] = {};
    // Where the D slider and each key's control ("field.particles", ...) were drawn last frame
    // (logical pixels: min x, min y, max x, max y); lets tests drive the real widgets with mouse
    // events. Combos ("field.solver", "view.forward", "view.compute", ...) record their frame
    // without the label. The rows below the data set keep their place for every data set.
    float dSliderRect[4] = {};
    std::map<std::string, std::array<float, 4>, std::less<>> keyRects;
    int framesDrawn = 0;
};

// Maps the D slider's position u in [0, 1] to D for data of dimension dim: the first 95% log
// scale from 1 to morphTopD(dim) (where the picture changes; d_scale.h), the top stop ∞. A typed
// D beyond the top sits at the end of the log scale.
double sliderToD(float u, int dim);
float dToSlider(double d, int dim);

// Draws the panel (call between ImGui::NewFrame and ImGui::Render); no physics and no GL here.
PanelResult drawControlPanel(SceneSettings& scene, ViewSettings& view, const PanelStatus& status,
                             PanelMemory& memory);

} // namespace psc::app
