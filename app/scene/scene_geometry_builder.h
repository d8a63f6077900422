// Turns physics results into the renderer's vertex data: the only place physics meets render.
#pragma once

#include "app/scene/scene_data.h"
#include "app/scene/scene_settings.h"

#include "render/axis_warp.h"
#include "render/camera.h"
#include "render/scene_geometry.h"

#include <cmath>
#include <vector>

namespace psc::app {

// The animation clock runs in log σ from log σ_max down to clockBottom(), which stands for
// σ = 0 (one e-fold below σ_min, so the last step onto the data takes visible time).
double clockTop(const SceneData& scene);
double clockBottom(const SceneData& scene);
// log σ on the clock for any σ >= 0.
double clockLogSigma(const SceneData& scene, double sigma);

// The warp that fits the data and its hemisphere into one view (render/axis_warp.h).
render::AxisWarp sceneWarp(const SceneData& scene);

// The box the camera fits: the charges and, for N = 2, the hemisphere's rim and top.
struct SceneBounds {
    glm::vec3 min, max;
};
SceneBounds sceneBounds(const SceneData& scene, const render::AxisWarp& warp);
// Half the side of the square of the data plane drawn as a grid about the data's mean (N = 2):
// four data spreads, rounded up to the grid's step. Charges are added and points inspected there.
double planeHalfWidth(const SceneData& scene);
// The drawn size (pixels) of a charge of the given weight relative to the mean weight: small,
// so samples that land on it stay visible, and growing as √q.
float chargePointSize(double relativeWeight);
// From this many charges on, they are drawn as flat dots (SceneGeometry::chargeDots).
inline constexpr std::size_t kChargeDotsFrom = 20'000;
// What matters when the flow's clock is at σ, for N = 2: the data, and where the particles are,
// within the hemisphere r = σ√D of the largest D on screen (out to 3σ, where the prior's mass
// ends), up to height σ; projected scenes (N > 3): within 3σ along the view's axes. Framing it
// shows the hemisphere at σ_max and the data as σ falls. Other dimensions: the whole scene.
// dataBox, when given, stands for the charges' own box: the window keeps the box of the data as
// first framed, so that an edit does not move the view.
SceneBounds framingBounds(const SceneData& scene, const render::AxisWarp& warp, double sigma,
                          double largestD, const SceneBounds* dataBox = nullptr);
// The box of the charges (on the plane for N = 2).
SceneBounds chargeBounds(const SceneData& scene, const render::AxisWarp& warp);
// A camera that frames framingBounds at the clock (logSigma) from its own angles, times zoom, in
// a view of the given aspect (width / height; a tall view needs more distance).
void frameClock(render::OrbitCamera& camera, const SceneData& scene, const render::AxisWarp& warp,
                double logSigma, double largestD, float zoom = 1.0f, float aspect = 1.0f,
                const SceneBounds* dataBox = nullptr);

// Static geometry: grid, axes with labels, the hemisphere (N = 2: the sphere of radius σ_max√D
// folded into (x, σ), drawn where the prior has mass, flattening as D grows), field lines
// coloured by the perturbed density, trails coloured by σ, charges sized by weight, the cloud
// of end points.
render::SceneGeometry buildSceneGeometry(const SceneData& scene, const ViewSettings& view,
                                         const render::AxisWarp& warp);

// The hemisphere's wireframe alone (N = 2): the viewport redraws it from the slider's D at once,
// so the morph follows the slider while the flows are still being computed. color: the stage's.
render::Polylines hemisphereLines(double c1, double c2, double sigmaMax, double d,
                                  const render::AxisWarp& warp, glm::vec4 color);

// Particle heads at the clock value logSigma (each path interpolated in log σ; a particle whose
// path starts below logSigma waits at its start).
std::vector<render::PointVertex> particleHeads(const SceneData& scene, const ViewSettings& view,
                                               const render::AxisWarp& warp, double logSigma);

// For each path with vertices near the clock, the vertex range of its trail in the geometry's
// trails buffer: vertices with clock values in [logSigma, logSigma + trailLength], plus one on
// each side so the trail reaches the head. Paths appear in the buffer in scene order.
struct TrailRanges {
    std::vector<int> firsts, counts;
};
// forward: the trail lies below the head, in [logSigma − trailLength, logSigma].
TrailRanges trailRanges(const SceneData& scene, double logSigma, double trailLength,
                        bool forward = false);

// Writes a path's position at the clock value (n values per point; a path that starts below the
// clock waits at its start, one that has landed rests at its end) into out. No allocation: it
// runs for every particle on every frame. Works for a scene's drawn paths and for its paths in
// the data's own coordinates (dataPaths) alike.
void pathPointAt(const SceneData& scene, const ParticlePath& path, int n, double logSigma,
                 double* out);

// The physics position of path p at the clock value (N values), for tests and the inspector.
std::vector<double> pathPositionAt(const SceneData& scene, std::size_t p, double logSigma);

// The log-density range the field lines are coloured over: the finite values' minimum and
// maximum (lo == hi when there is one value; lo > hi, both infinite, when there is none).
struct DensityRange {
    double lo = INFINITY, hi = -INFINITY;
};
DensityRange fieldLineDensityRange(const SceneData& scene);

} // namespace psc::app
