// What lies under the pointer in a session's scene, for a viewport of `viewport` logical pixels:
// the charge to edit, the point of the data plane, the particle or point to inspect. GL-free (the
// session's camera projects), so input and the inspector are testable without a window. Only
// N = 2 scenes in the single view have a data plane to pick on; otherwise every query is empty.
#pragma once

#include "app/scene/scene_session.h"

#include "physics/point_inspection.h"

#include <glm/glm.hpp>

#include <cstddef>
#include <optional>

namespace psc::app {

// Index of the charge drawn within 8 pixels of cursor.
std::optional<std::size_t> chargeAt(const SceneSession& session, glm::vec2 cursor,
                                    glm::vec2 viewport);

// The charge drawn within 8 pixels of cursor, with its weight relative to the mean as the
// settings hold it now (a wheel turn shows at once, before the scene is recomputed), where it is
// drawn and the size it is drawn at.
struct HoveredCharge {
    std::size_t index;
    double weight;
    glm::vec2 pixel;
    float size;
};
std::optional<HoveredCharge> hoveredCharge(const SceneSession& session, glm::vec2 cursor,
                                           glm::vec2 viewport);

// The point of the data plane under cursor, in physics coordinates, where the plane is drawn
// (planeHalfWidth about the data's mean): a click far off, or towards the horizon, is no edit.
std::optional<glm::dvec2> planePointAt(const SceneSession& session, glm::vec2 cursor,
                                       glm::vec2 viewport);

// The inspector's subject: the nearest particle head within 8 pixels (index >= 0, particles drawn
// from CPU paths, on the current scene), else the point of the drawn plane at the clock's σ.
struct Inspection {
    physics::PointInspection point;
    long particle = -1;
};
inline constexpr std::size_t kInspectedCharges = 5;
std::optional<Inspection> inspectAt(const SceneSession& session, glm::vec2 cursor,
                                    glm::vec2 viewport);

} // namespace psc::app
