// Orbit camera for the 3-D viewport: view/projection matrices, mouse interaction, presets, picking.
#pragma once

#include <glm/glm.hpp>

#include <optional>

namespace psc::render {

// Framings used by the toolbar buttons and the command line. All look at the home target (the
// centre of the last fitBounds box) from the home distance.
//   Top:  pitch 89°, yaw −90° — looking down, x1 to the right, x2 up the screen.
//   Side: pitch 0°,  yaw −90° — looking along +Y, x1 to the right, z (σ) up the screen.
//   Iso:  pitch 30°, yaw −55°.
enum class CameraPreset { Top, Side, Iso };

// A turntable camera orbiting a target point. The world is right-handed with +Z up (the data
// plane is z = 0 and the σ axis points up); yaw is measured in the XY plane from +X towards +Y
// and gives the direction from the target to the eye, pitch is the elevation of the eye.
// All angles are radians, distances world units, pixel coordinates have their origin at the
// top-left corner of the viewport with y pointing down (pixel (i, j) covers [i, i+1)×[j, j+1)).
//
// GL-free plain value type (GLM only): copyable, not thread-safe, needs no context. Matrices
// follow OpenGL conventions (glm::lookAt/glm::perspective, clip depth in [−1, 1]).
// Non-finite arguments to setters and interaction calls are ignored (state unchanged), so one
// bad input event cannot poison the camera. Interaction calls (orbit, pan, zoom) and jumps
// (setters, setPreset, fitBounds) cancel a running animation: the user takes over.
class OrbitCamera {
public:
    static constexpr float kMinDistance = 1e-3f;
    static constexpr float kMaxDistance = 1e6f;
    static constexpr float kMaxPitch = 89.0f * 3.14159265358979f / 180.0f; // |pitch| bound
    static constexpr float kDefaultFovY = 40.0f * 3.14159265358979f / 180.0f;
    static constexpr float kZoomFactor = 0.9f; // distance factor per wheel step
    static constexpr float kFitMargin = 1.1f;  // fitBounds leaves 10% around the bounding sphere

    // Target and scene sphere at the origin with radius 1, framed as by fitBounds, Iso angles.
    OrbitCamera();

    glm::vec3 target() const { return m_target; }
    float distance() const { return m_distance; }
    float yaw() const { return m_yaw; }     // in (−π, π]
    float pitch() const { return m_pitch; } // in [−kMaxPitch, kMaxPitch]
    float fovY() const { return m_fovY; }   // full vertical field of view

    void setTarget(glm::vec3 target);
    void setDistance(float distance); // clamped to [kMinDistance, kMaxDistance]
    void setYaw(float yaw);           // wrapped into (−π, π]
    void setPitch(float pitch);       // clamped to [−kMaxPitch, kMaxPitch]
    void setFovY(float fovY);         // clamped to [1°, 150°]

    // The sphere that must stay between the near and far planes (fitBounds sets it too). A
    // non-positive radius is treated as 1.
    void setSceneSphere(glm::vec3 centre, float radius);
    glm::vec3 sceneCentre() const { return m_sceneCentre; }
    float sceneRadius() const { return m_sceneRadius; }

    glm::vec3 eye() const;
    glm::vec3 forward() const; // unit vector from the eye towards the target
    glm::vec3 right() const;   // unit screen-right vector in world space (always horizontal)
    glm::vec3 up() const;      // unit screen-up vector in world space

    // Clip planes bracket the scene sphere (with 10% slack) as seen from the eye; the near plane
    // never comes closer than 1e-4 × far so depth precision stays usable when the eye is inside
    // the sphere. Both are positive and near < far.
    float nearPlane() const;
    float farPlane() const;

    glm::mat4 view() const;
    // aspect = width / height; a non-positive or non-finite aspect is treated as 1.
    glm::mat4 projection(float aspect) const;

    // Turntable rotation. The full viewport width drags yaw through 180°; pitch uses the same
    // radians per pixel so rotation feels isotropic. The scene follows the cursor: dragging right
    // decreases yaw, dragging down (positive y) raises the eye. No-op for an empty viewport.
    void orbit(glm::vec2 deltaPixels, glm::vec2 viewportSize);
    // Moves the target in the view plane so that a point at the target's depth stays under the
    // cursor. Assumes the projection aspect is viewportSize.x / viewportSize.y. No-op for an
    // empty viewport.
    void pan(glm::vec2 deltaPixels, glm::vec2 viewportSize);
    // Positive steps zoom in: each step multiplies the distance by kZoomFactor (negative steps by
    // 1 / kZoomFactor); fractional steps (touchpads) scale smoothly. The result is clamped.
    void zoom(float wheelSteps);

    // Target = box centre, distance so that the bounding sphere fits both the vertical and the
    // horizontal field of view at aspect 1 with 10% margin (it also fits any wider aspect); sets
    // the scene sphere and the home framing used by presets. Angles are kept. min/max may be given
    // in either order per component; a box with any non-finite corner is ignored; a degenerate
    // (zero-size) box is framed as a sphere of radius 1 around its centre.
    void fitBounds(glm::vec3 min, glm::vec3 max);
    // Target = box centre and the distance fitBounds would choose for the box, times zoom; the
    // scene sphere, the home framing and the angles are kept: a camera that follows a subject
    // moving inside the scene. Ignored like fitBounds for a non-finite box or zoom <= 0.
    void frameBox(glm::vec3 min, glm::vec3 max, float zoom = 1.0f);

    // Jumps to a preset framing.
    void setPreset(CameraPreset preset);
    // Starts a smooth (smoothstep-eased) move of yaw, pitch, distance and target to the preset
    // framing; yaw takes the shorter way round and distance eases geometrically. seconds <= 0
    // (or NaN) jumps at once, like setPreset.
    void animateTo(CameraPreset preset, float seconds);
    // Advances a running animation by dtSeconds (negative or non-finite counts as 0). Returns true
    // while the animation continues after this step (schedule another frame); returns false once
    // the preset is reached (this call has already applied the exact final pose) or when nothing
    // is animating.
    bool advance(float dtSeconds);
    bool isAnimating() const { return m_animating; }

    // World point → pixel (origin top-left, y down) for a projection with the given aspect;
    // points off screen map outside [0, size]. A point at or behind the eye's plane (clip w <= 0)
    // maps to (NaN, NaN). Returns (NaN, NaN) for an empty viewport too.
    glm::vec2 project(glm::vec3 world, glm::vec2 viewportSize, float aspect) const;
    // Intersects the ray from the eye through the pixel with the plane z = planeZ, using the
    // viewport's own aspect (the inverse of project with aspect = size.x / size.y). nullopt when
    // the ray is parallel to the plane, the plane is behind the eye, or the viewport is empty.
    std::optional<glm::vec3> unprojectToPlane(glm::vec2 pixel, glm::vec2 viewportSize,
                                              float planeZ) const;

private:
    struct Pose {
        glm::vec3 target;
        float distance;
        float yaw;
        float pitch;
    };

    Pose presetPose(CameraPreset preset) const;
    void applyPose(const Pose& pose);
    float fitDistance(float radius) const;

    glm::vec3 m_target{0.0f};
    float m_distance = 1.0f;
    float m_yaw = 0.0f;
    float m_pitch = 0.0f;
    float m_fovY = kDefaultFovY;

    glm::vec3 m_sceneCentre{0.0f};
    float m_sceneRadius = 1.0f;
    glm::vec3 m_homeTarget{0.0f};
    float m_homeDistance = 1.0f;

    bool m_animating = false;
    Pose m_from{};
    Pose m_to{};
    float m_elapsed = 0.0f;
    float m_duration = 0.0f;
};

} // namespace psc::render
