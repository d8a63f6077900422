// What the window draws over a scene through ImGui's background draw list: world-anchored labels,
// the D and σ caption, the σ gauge, the field lines' colour bar, and the 2×2 comparison's captions
// and separators, in the colours of the stage they are drawn on. Call between ImGui::NewFrame and
// ImGui::Render; sizes in logical pixels.
#pragma once

#include "app/scene/image_tiles.h"
#include "app/scene/scene_data.h"
#include "app/scene/scene_geometry_builder.h"

#include "render/camera.h"
#include "render/color_map.h"
#include "render/scene_geometry.h"
#include "render/stage.h"

#include <array>
#include <memory>
#include <vector>

struct ImDrawList;

namespace psc::app {

// Labels projected with the camera the scene is drawn with (off-screen ones skipped).
void drawWorldLabels(ImDrawList& draw, const std::vector<render::Label>& labels,
                     const render::OrbitCamera& camera, glm::vec2 viewport);

// "D = 8    σ = 0.5" at the top right.
// A ring around the charge under the pointer, as large as the charge is drawn, with its number
// and weight (relative to the mean).
void drawChargeHighlight(ImDrawList& draw, const render::StagePalette& stage, glm::vec2 pixel,
                         float size, std::size_t index, double weight);

// scale enlarges it (presentation mode).
void drawSceneCaption(ImDrawList& draw, const render::StagePalette& stage, const SceneData& scene,
                      double clockLogSigma, glm::vec2 viewport, float scale = 1.0f);

// What the marks mean, at the bottom left, for the layers shown (presentation mode): the charges,
// the particles and their colours, the trails, the field lines, the hemisphere or noise plane.
void drawMeaningLegend(ImDrawList& draw, const render::StagePalette& stage, const SceneData& scene,
                       unsigned layers, render::ColorMapKind colorMap, glm::vec2 viewport,
                       float scale);

// The colour map of the particles and trails against log σ, with the clock marked: the σ axis of
// N = 3 scenes, where no height shows σ, and the legend of both.
void drawSigmaGauge(ImDrawList& draw, const render::StagePalette& stage, const SceneData& scene,
                    render::ColorMapKind colorMap, double clockLogSigma, glm::vec2 viewport);

// The field lines' colour bar: the perturbed density along the lines over the range the geometry
// was coloured with. Nothing for an empty range.
void drawFieldLineLegend(ImDrawList& draw, const render::StagePalette& stage, DensityRange range,
                         render::ColorMapKind colorMap, glm::vec2 viewport);

// Image data: the first particles as images at the clock, each beside the training image it lands
// nearest to (app/scene/image_tiles.h), in a block at the top left, below the
// caption's height. Nothing for other data.
void drawImageTiles(ImDrawList& draw, const render::StagePalette& stage, const ImageTiles& tiles,
                    double sigma, float scale);

// "D = 1", "D = 8 · learned", "D = ∞  (computing...)" at each pane's top right, and the lines
// between the panes.
void drawComparisonCaptions(ImDrawList& draw, const render::StagePalette& stage,
                            const std::array<double, 4>& ds,
                            const std::array<std::shared_ptr<const SceneData>, 4>& panes,
                            glm::vec2 viewport);

} // namespace psc::app
