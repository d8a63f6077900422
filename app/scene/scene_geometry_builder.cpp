// Geometry for the viewer. For N = 2 the half-space (x, σ) is drawn as it is (σ as height), so
// the hemisphere is round and the noise plane of D = ∞ flat; the camera follows the flow's σ
// (frameClock) to show both the hemisphere and the data. 3-D data is warped radially about its
// centre (render::AxisWarp): linear near the data, logarithmic far away. Lines in physics space
// are sampled densely before warping, because a warp bends every straight line that misses the
// centre.
#include "app/scene/scene_geometry_builder.h"

#include "physics/extra_dims.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace psc::app {
namespace {

using render::LineVertex;
using render::Polylines;

glm::vec4 rgba(render::Rgb c, float a) {
    return {c.r, c.g, c.b, a};
}

double niceStep(double raw) {
    const double p = std::pow(10.0, std::floor(std::log10(raw)));
    const double m = raw / p;
    return (m < 1.5 ? 1.0 : m < 3.5 ? 2.0 : m < 7.5 ? 5.0 : 10.0) * p;
}

std::string formatNumber(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

// A derived quantity in three significant figures ("226" for 226.274, "0.0566", "80000"), with
// exponents only from 10^6 on; *rounded says whether digits were dropped (the label then says ≈).
std::string formatDerived(double v, bool* rounded) {
    *rounded = false;
    if (v == 0 || !std::isfinite(v)) return formatNumber(v);
    const int exponent = static_cast<int>(std::floor(std::log10(std::abs(v))));
    const double unit = std::pow(10.0, exponent - 2);
    const double r = std::round(v / unit) * unit;
    *rounded = std::abs(r - v) > 1e-12 * std::abs(v);
    char buf[32];
    if (std::abs(r) >= 1e6)
        std::snprintf(buf, sizeof buf, "%.3g", r);
    else
        std::snprintf(buf, sizeof buf, "%.*f", std::max(0, 2 - exponent), r);
    std::string text = buf;
    if (text.find('.') != std::string::npos && text.find('e') == std::string::npos) {
        while (text.back() == '0') text.pop_back();
        if (text.back() == '.') text.pop_back();
    }
    return text;
}

glm::vec3 toWorld(const render::AxisWarp& warp, int n, const double* x, double sigma) {
    return n == 2 ? warp.toWorld3D(x[0], x[1], sigma) : warp.toWorld3D(x[0], x[1], x[2]);
}

// The hemisphere's half-width in x: the full sphere up to D = 9, beyond that only out to 3σ_max,
// where the prior's mass ends; the cut moves continuously with D.
double hemisphereReach(double sigmaMax, double d) {
    return physics::isInfiniteD(d) ? 3.0 * sigmaMax
                                   : std::min(sigmaMax * std::sqrt(d), 3.0 * sigmaMax);
}

double hemisphereSigma(double rho, double sigmaMax, double d) {
    if (physics::isInfiniteD(d)) return sigmaMax;
    return std::sqrt(std::max(0.0, sigmaMax * sigmaMax - rho * rho / d));
}

void addHemisphere(render::SceneGeometry& g, const SceneData& scene, const render::AxisWarp& warp,
                   const render::StagePalette& stage) {
    const auto& s = scene.settings;
    const auto c = scene.charges.mean();
    const double reach = hemisphereReach(s.sigmaMax, s.d);
    g.hemisphere = hemisphereLines(c[0], c[1], s.sigmaMax, s.d, warp, stage.hemisphere);
    const double rimRho = 0.7 * reach;
    const glm::vec3 side =
        warp.toWorld3D(c[0] - rimRho, c[1], hemisphereSigma(rimRho, s.sigmaMax, s.d));
    g.labels.push_back(
        {side, physics::isInfiniteD(s.d) ? "noise plane σ = σ_max" : "hemisphere r = σ_max√D",
         stage.hemisphereLabel});
}

void addPlaneGridAndAxes(render::SceneGeometry& g, const SceneData& scene,
                         const render::AxisWarp& warp, const render::StagePalette& stage) {
    const auto& s = scene.settings;
    const auto c = scene.charges.mean();
    const double spread = std::max(scene.charges.rmsSpread(), 1e-6);
    const double reach = std::max(4.0 * spread, hemisphereReach(s.sigmaMax, s.d));
    const double step = niceStep(0.5 * spread);
    const double box = planeHalfWidth(scene);
    const glm::vec4 gridColor = stage.grid, ringColor = stage.gridRing;
    // A Cartesian grid where the warp is nearly linear, and beyond it circles at 1-2-5 radii:
    // circles stay circles under the radial warp, so the log scale reads at a glance.
    constexpr int kSamples = 48;
    for (double t = -box; t <= box + 1e-9 * step; t += step)
        for (int axis = 0; axis < 2; ++axis) {
            g.grid.beginStrip();
            for (int k = 0; k <= kSamples; ++k) {
                const double along = -box + 2.0 * box * k / kSamples;
                const double p[2] = {axis == 0 ? c[0] + t : c[0] + along,
                                     axis == 0 ? c[1] + along : c[1] + t};
                g.grid.add({warp.toWorld3D(p[0], p[1], 0.0), 0.0f, gridColor});
            }
        }
    std::vector<double> ticks;
    for (double decade = std::pow(10.0, std::floor(std::log10(box))); decade <= reach; decade *= 10)
        for (double m : {1.0, 2.0, 5.0})
            if (m * decade > box * 1.2 && m * decade <= reach * 1.0001) ticks.push_back(m * decade);
    for (double radius : ticks) {
        g.grid.beginStrip();
        for (int k = 0; k <= 128; ++k) {
            const double a = 2.0 * M_PI * k / 128;
            g.grid.add(
                {warp.toWorld3D(c[0] + radius * std::cos(a), c[1] + radius * std::sin(a), 0.0),
                 0.0f, ringColor});
        }
    }
    for (double t = step; t <= box + 1e-9 * step; t += step) ticks.push_back(t);
    const glm::vec4 xColor = stage.axisX, yColor = stage.axisY, sColor = stage.axisUp;
    const glm::vec3 o = warp.toWorld3D(c[0], c[1], 0.0);
    const glm::vec3 xEnd = warp.toWorld3D(c[0] + reach, c[1], 0.0),
                    yEnd = warp.toWorld3D(c[0], c[1] + reach, 0.0);
    g.axes.addSegment({warp.toWorld3D(c[0] - reach, c[1], 0.0), 0.0f, xColor},
                      {xEnd, 0.0f, xColor});
    g.axes.addSegment({warp.toWorld3D(c[0], c[1] - reach, 0.0), 0.0f, yColor},
                      {yEnd, 0.0f, yColor});
    const glm::vec3 sTop = warp.toWorld3D(c[0], c[1], s.sigmaMax);
    g.axes.addSegment({o, 0.0f, sColor}, {sTop, 0.0f, sColor});
    g.labels.push_back({xEnd, "x₁", xColor});
    g.labels.push_back({yEnd, "x₂", yColor});
    const double sqrtD = physics::isInfiniteD(s.d) ? 0.0 : std::sqrt(s.d);
    for (double sigma = std::pow(10.0, std::ceil(std::log10(s.sigmaMin)));
         sigma < s.sigmaMax * 0.999; sigma *= 10) {
        const glm::vec3 p = warp.toWorld3D(c[0], c[1], sigma);
        const float tick = 0.04f * (sTop.z - o.z);
        g.axes.addSegment({p - glm::vec3(tick, 0, 0), 0.0f, sColor},
                          {p + glm::vec3(tick, 0, 0), 0.0f, sColor});
        g.labels.push_back({p, formatNumber(sigma), stage.sigmaTick});
    }
    std::string top = "σ = " + formatNumber(s.sigmaMax);
    bool rounded = false;
    const std::string r = sqrtD > 0 ? formatDerived(s.sigmaMax * sqrtD, &rounded) : "";
    top += sqrtD > 0 ? "  (r = σ√D " + std::string(rounded ? "≈ " : "= ") + r + ")" : "  (r = ∞)";
    g.labels.push_back({sTop, top, sColor});
    std::sort(ticks.begin(), ticks.end()); // near ticks first: they win overlaps on screen
    for (double t : ticks)
        if (t > 0 && t <= reach)
            g.labels.push_back(
                {warp.toWorld3D(c[0] + t, c[1], 0.0), formatNumber(t), stage.planeTick});
}

void addSpaceAxes(render::SceneGeometry& g, const SceneData& scene, const render::AxisWarp& warp,
                  const render::StagePalette& stage) {
    const auto c = scene.charges.mean();
    const double reach = 3.0 * std::max(scene.charges.rmsSpread(), 1e-6);
    const glm::vec4 colors[3] = {stage.axisX, stage.axisY, stage.axisUp};
    const char* names[3] = {"x₁", "x₂", "x₃"};
    for (int axis = 0; axis < 3; ++axis) {
        double a[3] = {c[0], c[1], c[2]}, b[3] = {c[0], c[1], c[2]};
        a[axis] -= reach;
        b[axis] += reach;
        g.axes.addSegment({warp.toWorld3D(a[0], a[1], a[2]), 0.0f, colors[axis]},
                          {warp.toWorld3D(b[0], b[1], b[2]), 0.0f, colors[axis]});
        g.labels.push_back({warp.toWorld3D(b[0], b[1], b[2]), names[axis], colors[axis]});
    }
}

void addFieldLines(render::SceneGeometry& g, const SceneData& scene, const ViewSettings& view,
                   const render::AxisWarp& warp) {
    const int n = scene.charges.dim();
    auto [lo, hi] = fieldLineDensityRange(scene);
    if (!(hi > lo)) hi = lo + 1;
    for (const auto& line : scene.fieldLines) {
        if (line.sigma.empty()) continue;
        g.fieldLines.beginStrip();
        for (std::size_t k = 0; k < line.sigma.size(); ++k) {
            double v = line.logDensity[k];
            if (!std::isfinite(v)) v = hi; // on a charge
            const auto color =
                render::colorAt(view.colorMap, static_cast<float>((v - lo) / (hi - lo)));
            g.fieldLines.add({toWorld(warp, n, &line.x[k * n], line.sigma[k]),
                              static_cast<float>(clockLogSigma(scene, line.sigma[k])),
                              rgba(color, 0.9f)});
        }
    }
}

glm::vec4 sigmaColor(const SceneData& scene, const ViewSettings& view, double logSigma,
                     float alpha) {
    const double t = (logSigma - clockBottom(scene)) / (clockTop(scene) - clockBottom(scene));
    return rgba(render::colorAt(view.colorMap, static_cast<float>(std::clamp(t, 0.0, 1.0))), alpha);
}

} // namespace

DensityRange fieldLineDensityRange(const SceneData& scene) {
    DensityRange r;
    for (const auto& line : scene.fieldLines)
        for (double v : line.logDensity)
            if (std::isfinite(v)) r.lo = std::min(r.lo, v), r.hi = std::max(r.hi, v);
    return r;
}

render::Polylines hemisphereLines(double c1, double c2, double sigmaMax, double d,
                                  const render::AxisWarp& warp, glm::vec4 color) {
    render::Polylines lines;
    const double reach = hemisphereReach(sigmaMax, d);
    constexpr int kRings = 9, kMeridians = 16, kSamples = 64;
    for (int ring = 1; ring <= kRings; ++ring) {
        const double rho = reach * ring / kRings;
        const double sigma = hemisphereSigma(rho, sigmaMax, d);
        lines.beginStrip();
        for (int k = 0; k <= kSamples; ++k) {
            const double a = 2.0 * M_PI * k / kSamples;
            lines.add({warp.toWorld3D(c1 + rho * std::cos(a), c2 + rho * std::sin(a), sigma), 0.0f,
                       color});
        }
    }
    for (int m = 0; m < kMeridians; ++m) {
        const double a = 2.0 * M_PI * m / kMeridians;
        lines.beginStrip();
        for (int k = 0; k <= kSamples; ++k) {
            const double rho = reach * k / kSamples;
            lines.add({warp.toWorld3D(c1 + rho * std::cos(a), c2 + rho * std::sin(a),
                                      hemisphereSigma(rho, sigmaMax, d)),
                       0.0f, color});
        }
    }
    return lines;
}

double clockTop(const SceneData& scene) {
    return std::log(scene.settings.sigmaMax);
}
double clockBottom(const SceneData& scene) {
    return std::log(scene.settings.sigmaMin) - 1.0;
}
double clockLogSigma(const SceneData& scene, double sigma) {
    return sigma > 0 ? std::max(std::log(sigma), clockBottom(scene)) : clockBottom(scene);
}

render::AxisWarp sceneWarp(const SceneData& scene) {
    auto c = scene.charges.mean();
    c.resize(3, 0.0);
    // N = 2: (x, σ) as it is, with a camera that follows σ (frameClock); 3-D data has no σ axis
    // and keeps the warp that fits the prior's radius and the cloud into one view.
    if (scene.charges.dim() == 2)
        return render::AxisWarp::linear(glm::vec3(c[0], c[1], 0.0), scene.settings.sigmaMax);
    return render::AxisWarp::forData(glm::vec3(c[0], c[1], c[2]), scene.charges.rmsSpread(),
                                     scene.settings.sigmaMax);
}

SceneBounds sceneBounds(const SceneData& scene, const render::AxisWarp& warp) {
    const int n = scene.charges.dim();
    SceneBounds b{glm::vec3(INFINITY), glm::vec3(-INFINITY)};
    auto include = [&](glm::vec3 p) { b.min = glm::min(b.min, p), b.max = glm::max(b.max, p); };
    for (std::size_t i = 0; i < scene.charges.size(); ++i)
        include(toWorld(warp, n, scene.charges.position(i).data(), 0.0));
    if (n == 2) {
        // The hemisphere's footprint (the box around its rim) and its top.
        const auto& s = scene.settings;
        const auto c = scene.charges.mean();
        const double reach = hemisphereReach(s.sigmaMax, s.d);
        for (double sx : {-1.0, 1.0})
            include(warp.toWorld3D(c[0] + sx * reach, c[1] + sx * reach, 0.0));
        include(warp.toWorld3D(c[0], c[1], s.sigmaMax));
    }
    return b;
}

float chargePointSize(double relativeWeight) {
    return static_cast<float>(std::clamp(2.5 + 3.0 * std::sqrt(relativeWeight), 2.5, 10.0));
}

double planeHalfWidth(const SceneData& scene) {
    const double spread = std::max(scene.charges.rmsSpread(), 1e-6);
    const double step = niceStep(0.5 * spread);
    return std::ceil(4 * spread / step) * step;
}

SceneBounds chargeBounds(const SceneData& scene, const render::AxisWarp& warp) {
    SceneBounds b{glm::vec3(INFINITY), glm::vec3(-INFINITY)};
    const int n = scene.charges.dim();
    for (std::size_t i = 0; i < scene.charges.size(); ++i) {
        const glm::vec3 p = toWorld(warp, n, scene.charges.position(i).data(), 0.0);
        b.min = glm::min(b.min, p), b.max = glm::max(b.max, p);
    }
    return b;
}

SceneBounds framingBounds(const SceneData& scene, const render::AxisWarp& warp, double sigma,
                          double largestD, const SceneBounds* dataBox) {
    if (scene.charges.dim() != 2) return sceneBounds(scene, warp);
    SceneBounds b = dataBox ? *dataBox : chargeBounds(scene, warp);
    auto include = [&](glm::vec3 p) { b.min = glm::min(b.min, p), b.max = glm::max(b.max, p); };
    const auto c = scene.charges.mean();
    sigma = std::clamp(sigma, 0.0, scene.settings.sigmaMax);
    // Projected, a particle's view coordinates are its N-D position along unit axes: about σ
    // each, whatever N and the hemisphere's radius in N + D dimensions.
    const double reach = scene.projected ? 3.0 * sigma : hemisphereReach(sigma, largestD);
    for (double sx : {-1.0, 1.0})
        include(warp.toWorld3D(c[0] + sx * reach, c[1] + sx * reach, 0.0));
    include(warp.toWorld3D(c[0], c[1], sigma));
    return b;
}

void frameClock(render::OrbitCamera& camera, const SceneData& scene, const render::AxisWarp& warp,
                double logSigma, double largestD, float zoom, float aspect,
                const SceneBounds* dataBox) {
    const SceneBounds b = framingBounds(scene, warp, std::exp(logSigma), largestD, dataBox);
    // The box's bounding sphere is loose around a dome or a flat cloud: 0.85 fills the view and
    // leaves room for the σ gauge at its right edge.
    const float narrow = aspect > 0.0f && aspect < 1.0f ? 1.0f / aspect : 1.0f;
    camera.frameBox(b.min, b.max, 0.85f * zoom * narrow);
}

render::SceneGeometry buildSceneGeometry(const SceneData& scene, const ViewSettings& view,
                                         const render::AxisWarp& warp) {
    render::SceneGeometry g;
    const render::StagePalette& stage = render::stagePalette(view.stage);
    const int n = scene.charges.dim();
    const std::size_t count = scene.charges.size();
    g.chargeDots = count >= kChargeDotsFrom;
    g.charges.reserve(count);
    if (g.chargeDots) {
        // A dot per charge, a pixel or two across, as opaque as its weight against the
        // heaviest: a picture shows its tones, a scan its density.
        const auto weights = scene.charges.weights();
        const double top = *std::max_element(weights.begin(), weights.end());
        const float size = count >= 200'000 ? 1.25f : 2.0f;
        for (std::size_t i = 0; i < count; ++i) {
            glm::vec4 color = stage.charge;
            color.a = static_cast<float>(0.15 + 0.85 * weights[i] / top);
            g.charges.push_back(
                {toWorld(warp, n, scene.charges.position(i).data(), 0.0), size, color});
        }
    }
    for (std::size_t i = 0; i < count && !g.chargeDots; ++i) {
        const double q = scene.charges.weights()[i] * count;
        // Slightly translucent: samples that land on a charge must stay visible.
        g.charges.push_back(
            {toWorld(warp, n, scene.charges.position(i).data(), 0.0), chargePointSize(q),
             stage.charge + static_cast<float>(std::min(q, 2.0)) * stage.chargeWeightTint});
    }
    const SceneBounds bounds = sceneBounds(scene, warp);
    g.boundsMin = bounds.min;
    g.boundsMax = bounds.max;
    if (n == 2) {
        addPlaneGridAndAxes(g, scene, warp, stage);
        // A projected scene's hemisphere lives in N + D dimensions: no fold of it into the view's
        // plane is the picture of where its particles start.
        if (!scene.projected) addHemisphere(g, scene, warp, stage);
    } else {
        addSpaceAxes(g, scene, warp, stage);
    }
    addFieldLines(g, scene, view, warp);
    for (const auto& path : scene.paths) {
        if (path.sigma.empty()) continue;
        g.trails.beginStrip();
        for (std::size_t k = 0; k < path.sigma.size(); ++k) {
            const double ls = clockLogSigma(scene, path.sigma[k]);
            g.trails.add({toWorld(warp, n, &path.x[k * n], path.sigma[k]), static_cast<float>(ls),
                          sigmaColor(scene, view, ls, 0.75f)});
        }
        const std::size_t last = path.sigma.size() - 1;
        g.endCloud.push_back({toWorld(warp, n, &path.x[last * n], 0.0), 14.0f, stage.endCloud});
    }
    return g;
}

TrailRanges trailRanges(const SceneData& scene, double logSigma, double trailLength, bool forward) {
    TrailRanges ranges;
    int offset = 0;
    for (const auto& path : scene.paths) {
        const int count = static_cast<int>(path.sigma.size());
        if (count == 0) continue;
        // Clock values decrease along a path: find the first vertex at or below the upper end
        // and the first below the head.
        auto firstBelow = [&](double value) {
            int lo = 0, hi = count;
            while (lo < hi) {
                const int mid = (lo + hi) / 2;
                (clockLogSigma(scene, path.sigma[mid]) > value ? lo = mid + 1 : hi = mid);
            }
            return lo;
        };
        const double upper = forward ? logSigma : logSigma + trailLength;
        const double lower = forward ? logSigma - trailLength : logSigma;
        const int begin = std::max(0, firstBelow(upper) - 1);
        const int end = std::min(count, firstBelow(lower) + 1);
        if (end - begin >= 2) {
            ranges.firsts.push_back(offset + begin);
            ranges.counts.push_back(end - begin);
        }
        offset += count;
    }
    return ranges;
}

void pathPointAt(const SceneData& scene, const ParticlePath& path, int n, double logSigma,
                 double* out) {
    const std::size_t count = path.sigma.size();
    auto at = [&](std::size_t k) { return clockLogSigma(scene, path.sigma[k]); };
    // Clock values decrease along the path: before its start and after its end a particle rests.
    std::size_t lo = 0, hi = count - 1;
    if (count == 1 || logSigma >= at(0))
        hi = 0;
    else if (logSigma <= at(count - 1))
        lo = hi;
    while (hi - lo > 1) {
        const std::size_t mid = (lo + hi) / 2;
        (at(mid) >= logSigma ? lo : hi) = mid;
    }
    const double f = lo == hi ? 0.0 : (at(lo) - logSigma) / std::max(at(lo) - at(hi), 1e-12);
    for (int c = 0; c < n; ++c)
        out[c] = path.x[lo * n + c] + f * (path.x[hi * n + c] - path.x[lo * n + c]);
}

namespace {

void positionAt(const SceneData& scene, std::size_t p, double logSigma, double* out) {
    pathPointAt(scene, scene.paths[p], scene.charges.dim(), logSigma, out);
}

} // namespace

std::vector<double> pathPositionAt(const SceneData& scene, std::size_t p, double logSigma) {
    std::vector<double> x(scene.charges.dim());
    if (!scene.paths[p].sigma.empty()) positionAt(scene, p, logSigma, x.data());
    return x;
}

std::vector<render::PointVertex> particleHeads(const SceneData& scene, const ViewSettings& view,
                                               const render::AxisWarp& warp, double logSigma) {
    const int n = scene.charges.dim();
    std::vector<render::PointVertex> heads;
    heads.reserve(scene.paths.size());
    for (std::size_t p = 0; p < scene.paths.size(); ++p) {
        if (scene.paths[p].sigma.empty()) continue;
        double x[3];
        positionAt(scene, p, logSigma, x);
        const double ls = std::min(logSigma, clockLogSigma(scene, scene.paths[p].sigma.front()));
        const double sigma = ls <= clockBottom(scene) ? 0.0 : std::exp(ls);
        auto color = sigmaColor(scene, view, ls, 0.95f);
        color = glm::mix(color, render::stagePalette(view.stage).headTint, 0.35f);
        color.a = 0.95f;
        heads.push_back({toWorld(warp, n, x, sigma), 5.0f, color});
    }
    return heads;
}

} // namespace psc::app
