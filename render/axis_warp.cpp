// Axis warp: asinh radial and vertical compression between physics and world coordinates.
#include "render/axis_warp.h"

#include <cassert>
#include <cmath>

namespace psc::render {

namespace {

bool positiveFinite(double v) {
    return std::isfinite(v) && v > 0.0;
}

// Scales the offset by newRadius / oldRadius. At the centre the ratio g(ρ)/ρ tends to 1 (and
// g⁻¹(r)/r too), so an exact zero keeps the point where it is instead of producing 0/0.
template <typename Vec>
Vec rescale(Vec offset, double oldRadius, double newRadius) {
    if (oldRadius == 0.0) return offset;
    return offset * (newRadius / oldRadius);
}

} // namespace

AxisWarp::AxisWarp() : AxisWarp(forData(glm::vec2(0.0f), 1.0, 1.0)) {}

AxisWarp::AxisWarp(glm::vec2 centre, double rho0, double sigma0, double sigmaMax, double heightMax)
    : AxisWarp(glm::vec3(centre, 0.0f), rho0, sigma0, sigmaMax, heightMax) {}

AxisWarp::AxisWarp(glm::vec3 centre, double rho0, double sigma0, double sigmaMax, double heightMax)
    : m_centre(centre), m_rho0(rho0), m_sigma0(sigma0), m_sigmaMax(sigmaMax),
      m_heightMax(heightMax) {
    assert(positiveFinite(rho0) && "render::AxisWarp: rho0 must be finite and > 0");
    assert(positiveFinite(sigma0) && "render::AxisWarp: sigma0 must be finite and > 0");
    assert(positiveFinite(sigmaMax) && "render::AxisWarp: sigmaMax must be finite and > 0");
    assert(positiveFinite(heightMax) && "render::AxisWarp: heightMax must be finite and > 0");
    m_heightScale = std::asinh(m_sigmaMax / m_sigma0) / m_heightMax;
}

AxisWarp AxisWarp::forData(glm::vec3 centre, double spread, double sigmaMax) {
    if (!positiveFinite(spread)) spread = 1.0;
    if (!positiveFinite(sigmaMax)) sigmaMax = 1.0;
    const double rho0 = 2.0 * spread;
    return AxisWarp(centre, rho0, 0.1 * spread, sigmaMax, rho0 * std::asinh(sigmaMax / rho0));
}

AxisWarp AxisWarp::linear(glm::vec3 centre, double sigmaMax) {
    // asinh(ρ/ρ0)·ρ0 = ρ·(1 − ρ²/(6ρ0²) + …): with ρ0 = 1e15 the warp is the identity in double.
    constexpr double kFar = 1e15;
    if (!positiveFinite(sigmaMax)) sigmaMax = 1.0;
    return AxisWarp(centre, kFar, kFar, sigmaMax, sigmaMax);
}

AxisWarp AxisWarp::forData(glm::vec2 centre, double spread, double sigmaMax) {
    return forData(glm::vec3(centre, 0.0f), spread, sigmaMax);
}

double AxisWarp::warpRadius(double rho) const {
    return m_rho0 * std::asinh(rho / m_rho0);
}

double AxisWarp::unwarpRadius(double radius) const {
    return m_rho0 * std::sinh(radius / m_rho0);
}

double AxisWarp::height(double sigma) const {
    return std::asinh(sigma / m_sigma0) / m_heightScale;
}

double AxisWarp::sigmaAtHeight(double height) const {
    return m_sigma0 * std::sinh(height * m_heightScale);
}

glm::vec3 AxisWarp::toWorld2D(double x1, double x2, double sigma) const {
    const glm::dvec2 c(m_centre);
    const glm::dvec2 offset = glm::dvec2(x1, x2) - c;
    const double rho = glm::length(offset);
    return glm::vec3(glm::vec2(c + rescale(offset, rho, warpRadius(rho))), height(sigma));
}

glm::vec3 AxisWarp::toWorld3D(double x1, double x2, double x3) const {
    const glm::dvec3 offset = glm::dvec3(x1, x2, x3) - m_centre;
    const double rho = glm::length(offset);
    return glm::vec3(m_centre + rescale(offset, rho, warpRadius(rho)));
}

glm::dvec3 AxisWarp::fromWorld2D(glm::vec3 world) const {
    const glm::dvec2 c(m_centre);
    const glm::dvec2 offset = glm::dvec2(world.x, world.y) - c;
    const double radius = glm::length(offset);
    return glm::dvec3(c + rescale(offset, radius, unwarpRadius(radius)), sigmaAtHeight(world.z));
}

glm::dvec3 AxisWarp::fromWorld3D(glm::vec3 world) const {
    const glm::dvec3 offset = glm::dvec3(world) - m_centre;
    const double radius = glm::length(offset);
    return m_centre + rescale(offset, radius, unwarpRadius(radius));
}

} // namespace psc::render
