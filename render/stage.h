// The stage the scene is drawn on: every colour that is not data (background, grid, axes, the
// hemisphere, labels, the overlays' words and backdrops) and how glows blend. The dark stage is
// for screens and projectors; the light one for white slides and print, where additive glows
// would vanish into the background. GL-free.
#pragma once

#include <glm/glm.hpp>

#include <optional>
#include <string_view>

namespace psc::render {

enum class StageKind { Dark, Light };

struct StageInfo {
    StageKind value;
    std::string_view name; // "dark": scene files, options and panels
};
inline constexpr StageInfo kStages[] = {
    {StageKind::Dark, "dark"},
    {StageKind::Light, "light"},
};

std::optional<StageKind> parseStage(std::string_view name);
const char* stageName(StageKind kind);

// Colours as straight RGBA in [0, 1].
struct StagePalette {
    glm::vec4 background;
    glm::vec4 grid, gridRing;       // the data plane's grid and its 1-2-5 circles
    glm::vec4 axisX, axisY, axisUp; // x₁, x₂ and σ (or x₃) axes and their names
    glm::vec4 sigmaTick, planeTick; // numbers along the σ axis and along x₁
    glm::vec4 hemisphere, hemisphereLabel;
    glm::vec4 endCloud; // where the particles land
    // A charge of relative weight q is charge + q·chargeWeightTint (q capped at 2).
    glm::vec4 charge, chargeWeightTint;
    glm::vec4 headTint; // particle heads are mixed 35 % towards it, to stand out of their trails
    bool additiveGlow;  // particle glows add up where they crowd (dark) or cover (light)
    // The overlays: words, secondary words, a highlight (the charge under the pointer, the
    // learned field's state), the backdrop behind text over the scene, outlines of colour bars.
    glm::vec4 text, textMuted, accent, backdrop, outline;
};

const StagePalette& stagePalette(StageKind kind);

} // namespace psc::render
