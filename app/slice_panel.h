// Draws a computed x₁–σ field slice (physics/field_slice.h) inside the current ImGui window.
#pragma once

#include "physics/field_slice.h"

#include <span>

namespace psc::app {

// Draws at the cursor, into ImGui::GetWindowDrawList(), a width × height (logical pixels) block:
// the heat map (viridis over the slice's colour window colourLo..colourHi, values beyond it in
// the end colours), the projected field lines, the flow arrows, the charges at x₁ = chargeX1 as
// dots on the bottom edge (those outside lo..hi are skipped), labelled x₁ and σ axes (σ on the
// slice's axis, logarithmic by default, rising upwards), and a colour bar with the slice's label
// whose clipped ends read "≥" and "≤"; then
// reserves the block with ImGui::Dummy. Hovering the map shows the value under the mouse.
// An empty slice, or a block too small for the axes, draws a note or nothing but still reserves
// the space. Call between Begin() and End(); no GL, no physics.
void drawFieldSlice(const physics::FieldSlice& slice, std::span<const double> chargeX1, float width,
                    float height);

} // namespace psc::app
