// Orbit camera math: spherical eye placement, mouse mappings, preset easing and picking rays.
#include "render/camera.h"

#include <glm/gtc/matrix_transform.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace psc::render {

namespace {

constexpr float kPi = 3.14159265358979f;
constexpr float kMinFovY = 1.0f * kPi / 180.0f;
constexpr float kMaxFovY = 150.0f * kPi / 180.0f;
constexpr float kClipSlack = 1.1f;
constexpr float kNearFarRatio = 1e-4f;
// Summing per-frame dt in float rarely lands exactly on the duration; a remainder this small is
// invisible, and without it an animation could need one extra, empty frame to report done.
constexpr float kDoneEpsilonSeconds = 1e-4f;

bool finite(glm::vec2 v) {
    return std::isfinite(v.x) && std::isfinite(v.y);
}
bool finite(glm::vec3 v) {
    return std::isfinite(v.x) && std::isfinite(v.y) && std::isfinite(v.z);
}
bool validViewport(glm::vec2 size) {
    return finite(size) && size.x > 0.0f && size.y > 0.0f;
}

float wrapAngle(float a) {
    a = std::remainder(a, 2.0f * kPi); // [−π, π]
    return a <= -kPi ? a + 2.0f * kPi : a;
}

float clampDistance(float d) {
    return std::clamp(d, OrbitCamera::kMinDistance, OrbitCamera::kMaxDistance);
}

float radians(float degrees) {
    return degrees * kPi / 180.0f;
}

} // namespace

OrbitCamera::OrbitCamera() {
    m_homeDistance = fitDistance(m_sceneRadius);
    applyPose(presetPose(CameraPreset::Iso));
}

void OrbitCamera::setTarget(glm::vec3 target) {
    if (!finite(target)) return;
    m_animating = false;
    m_target = target;
}

void OrbitCamera::setDistance(float distance) {
    if (!std::isfinite(distance)) return;
    m_animating = false;
    m_distance = clampDistance(distance);
}

void OrbitCamera::setYaw(float yaw) {
    if (!std::isfinite(yaw)) return;
    m_animating = false;
    m_yaw = wrapAngle(yaw);
}

void OrbitCamera::setPitch(float pitch) {
    if (!std::isfinite(pitch)) return;
    m_animating = false;
    m_pitch = std::clamp(pitch, -kMaxPitch, kMaxPitch);
}

void OrbitCamera::setFovY(float fovY) {
    if (!std::isfinite(fovY)) return;
    m_fovY = std::clamp(fovY, kMinFovY, kMaxFovY);
}

void OrbitCamera::setSceneSphere(glm::vec3 centre, float radius) {
    if (!finite(centre) || !std::isfinite(radius)) return;
    m_sceneCentre = centre;
    m_sceneRadius = radius > 0.0f ? radius : 1.0f;
}

glm::vec3 OrbitCamera::eye() const {
    return m_target - m_distance * forward();
}

glm::vec3 OrbitCamera::forward() const {
    const float cp = std::cos(m_pitch);
    return -glm::vec3(cp * std::cos(m_yaw), cp * std::sin(m_yaw), std::sin(m_pitch));
}

glm::vec3 OrbitCamera::right() const {
    // forward × +Z, normalised; pitch never reaches ±90°, so this never degenerates.
    return glm::vec3(-std::sin(m_yaw), std::cos(m_yaw), 0.0f);
}

glm::vec3 OrbitCamera::up() const {
    return glm::cross(right(), forward());
}

float OrbitCamera::farPlane() const {
    return glm::length(eye() - m_sceneCentre) + kClipSlack * m_sceneRadius;
}

float OrbitCamera::nearPlane() const {
    const float far = farPlane();
    const float near = glm::length(eye() - m_sceneCentre) - kClipSlack * m_sceneRadius;
    return std::max(near, far * kNearFarRatio);
}

glm::mat4 OrbitCamera::view() const {
    return glm::lookAt(eye(), m_target, glm::vec3(0, 0, 1));
}

glm::mat4 OrbitCamera::projection(float aspect) const {
    if (!std::isfinite(aspect) || aspect <= 0.0f) aspect = 1.0f;
    return glm::perspective(m_fovY, aspect, nearPlane(), farPlane());
}

void OrbitCamera::orbit(glm::vec2 deltaPixels, glm::vec2 viewportSize) {
    if (!finite(deltaPixels) || !validViewport(viewportSize)) return;
    m_animating = false;
    const float radiansPerPixel = kPi / viewportSize.x;
    m_yaw = wrapAngle(m_yaw - deltaPixels.x * radiansPerPixel);
    m_pitch = std::clamp(m_pitch + deltaPixels.y * radiansPerPixel, -kMaxPitch, kMaxPitch);
}

void OrbitCamera::pan(glm::vec2 deltaPixels, glm::vec2 viewportSize) {
    if (!finite(deltaPixels) || !validViewport(viewportSize)) return;
    m_animating = false;
    // World size of one pixel on the plane through the target facing the eye.
    const float worldPerPixel = 2.0f * m_distance * std::tan(0.5f * m_fovY) / viewportSize.y;
    // Pixel y points down, world up points up: moving the camera opposite to the drag makes the
    // content follow the cursor.
    m_target += worldPerPixel * (-deltaPixels.x * right() + deltaPixels.y * up());
}

void OrbitCamera::zoom(float wheelSteps) {
    if (!std::isfinite(wheelSteps)) return;
    m_animating = false;
    m_distance = clampDistance(m_distance * std::pow(kZoomFactor, wheelSteps));
}

float OrbitCamera::fitDistance(float radius) const {
    // A sphere of radius r seen under half-angle θ touches the view cone at distance r / sin θ;
    // at aspect 1 the horizontal half-angle equals the vertical one.
    return clampDistance(kFitMargin * radius / std::sin(0.5f * m_fovY));
}

void OrbitCamera::fitBounds(glm::vec3 min, glm::vec3 max) {
    if (!finite(min) || !finite(max)) return;
    const glm::vec3 lo = glm::min(min, max), hi = glm::max(min, max);
    const glm::vec3 centre = 0.5f * (lo + hi);
    const float radius = 0.5f * glm::length(hi - lo);
    setSceneSphere(centre, radius);
    m_homeTarget = centre;
    m_homeDistance = fitDistance(m_sceneRadius);
    m_animating = false;
    m_target = m_homeTarget;
    m_distance = m_homeDistance;
}

void OrbitCamera::frameBox(glm::vec3 min, glm::vec3 max, float zoom) {
    if (!finite(min) || !finite(max) || !(zoom > 0.0f) || !std::isfinite(zoom)) return;
    const float radius = 0.5f * glm::length(max - min);
    m_animating = false;
    m_target = 0.5f * (min + max);
    m_distance = clampDistance(fitDistance(radius > 0.0f ? radius : 1.0f) * zoom);
}

OrbitCamera::Pose OrbitCamera::presetPose(CameraPreset preset) const {
    Pose pose{m_homeTarget, m_homeDistance, 0.0f, 0.0f};
    switch (preset) {
    case CameraPreset::Top:
        pose.yaw = radians(-90.0f);
        pose.pitch = kMaxPitch;
        break;
    case CameraPreset::Side:
        pose.yaw = radians(-90.0f);
        pose.pitch = 0.0f;
        break;
    case CameraPreset::Iso:
        pose.yaw = radians(-55.0f);
        pose.pitch = radians(30.0f);
        break;
    }
    return pose;
}

void OrbitCamera::applyPose(const Pose& pose) {
    m_target = pose.target;
    m_distance = clampDistance(pose.distance);
    m_yaw = wrapAngle(pose.yaw);
    m_pitch = std::clamp(pose.pitch, -kMaxPitch, kMaxPitch);
}

void OrbitCamera::setPreset(CameraPreset preset) {
    m_animating = false;
    applyPose(presetPose(preset));
}

void OrbitCamera::animateTo(CameraPreset preset, float seconds) {
    if (!(seconds > 0.0f) || !std::isfinite(seconds)) {
        setPreset(preset);
        return;
    }
    m_from = Pose{m_target, m_distance, m_yaw, m_pitch};
    m_to = presetPose(preset);
    m_to.yaw = m_from.yaw + wrapAngle(m_to.yaw - m_from.yaw);
    m_elapsed = 0.0f;
    m_duration = seconds;
    m_animating = true;
}

bool OrbitCamera::advance(float dtSeconds) {
    if (!m_animating) return false;
    if (std::isfinite(dtSeconds) && dtSeconds > 0.0f) m_elapsed += dtSeconds;
    if (m_elapsed >= m_duration - kDoneEpsilonSeconds) {
        applyPose(m_to);
        m_animating = false;
        return false;
    }
    const float s = m_elapsed / m_duration;
    const float e = s * s * (3.0f - 2.0f * s);
    // Geometric interpolation keeps the apparent zoom speed even when the distance changes by
    // orders of magnitude (a linear blend would rush through the near end).
    const float distance =
        std::exp(glm::mix(std::log(m_from.distance), std::log(m_to.distance), e));
    applyPose(Pose{glm::mix(m_from.target, m_to.target, e), distance,
                   glm::mix(m_from.yaw, m_to.yaw, e), glm::mix(m_from.pitch, m_to.pitch, e)});
    return true;
}

glm::vec2 OrbitCamera::project(glm::vec3 world, glm::vec2 viewportSize, float aspect) const {
    constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
    if (!validViewport(viewportSize)) return glm::vec2(kNaN);
    const glm::vec4 clip = projection(aspect) * view() * glm::vec4(world, 1.0f);
    if (!(clip.w > 0.0f)) return glm::vec2(kNaN);
    const glm::vec2 ndc = glm::vec2(clip) / clip.w;
    return glm::vec2(0.5f * (ndc.x + 1.0f) * viewportSize.x,
                     0.5f * (1.0f - ndc.y) * viewportSize.y);
}

std::optional<glm::vec3> OrbitCamera::unprojectToPlane(glm::vec2 pixel, glm::vec2 viewportSize,
                                                       float planeZ) const {
    if (!validViewport(viewportSize) || !finite(pixel) || !std::isfinite(planeZ))
        return std::nullopt;
    // Double precision: far from the target a float ray loses the digits picking needs.
    const double ndcX = 2.0 * pixel.x / viewportSize.x - 1.0;
    const double ndcY = 1.0 - 2.0 * pixel.y / viewportSize.y;
    const double tanHalf = std::tan(0.5 * double(m_fovY));
    const double aspect = double(viewportSize.x) / viewportSize.y;
    const glm::dvec3 dir = glm::dvec3(forward()) + ndcX * tanHalf * aspect * glm::dvec3(right()) +
                           ndcY * tanHalf * glm::dvec3(up());
    const glm::dvec3 origin(eye());
    if (std::abs(dir.z) < 1e-12 * glm::length(dir)) return std::nullopt;
    const double t = (planeZ - origin.z) / dir.z;
    if (!(t > 0.0)) return std::nullopt;
    return glm::vec3(origin + t * dir);
}

} // namespace psc::render
