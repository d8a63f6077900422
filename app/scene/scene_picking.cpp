// Picking by projecting with the session's camera, as the renderer does.
#include "app/scene/scene_picking.h"

#include "app/scene/charge_editor.h"
#include "app/scene/scene_geometry_builder.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace psc::app {
namespace {

bool hasPlane(const SceneSession& session) {
    const auto& data = session.sceneData();
    return data && data->charges.dim() == 2 && !data->projected && !session.viewSettings().compare;
}

float aspectOf(glm::vec2 viewport) {
    return viewport.x / std::max(1.0f, viewport.y);
}

} // namespace

std::optional<std::size_t> chargeAt(const SceneSession& session, glm::vec2 cursor,
                                    glm::vec2 viewport) {
    if (!hasPlane(session)) return std::nullopt;
    const auto& charges = session.sceneData()->charges;
    std::vector<float> screen;
    screen.reserve(2 * charges.size());
    for (std::size_t i = 0; i < charges.size(); ++i) {
        const auto y = charges.position(i);
        const glm::vec2 p = session.camera().project(session.warp().toWorld3D(y[0], y[1], 0.0),
                                                     viewport, aspectOf(viewport));
        screen.push_back(p.x);
        screen.push_back(p.y);
    }
    return pickNearest(screen, cursor.x, cursor.y, 8.0f);
}

std::optional<HoveredCharge> hoveredCharge(const SceneSession& session, glm::vec2 cursor,
                                           glm::vec2 viewport) {
    const auto index = chargeAt(session, cursor, viewport);
    if (!index) return std::nullopt;
    const auto& charges = session.sceneData()->charges;
    const auto& edited = session.sceneSettings().editedWeights;
    double weight = charges.weights()[*index] * static_cast<double>(charges.size());
    if (edited.size() == charges.size()) {
        double mean = 0;
        for (double w : edited) mean += w / static_cast<double>(edited.size());
        weight = edited[*index] / mean;
    }
    const auto y = charges.position(*index);
    const glm::vec2 pixel = session.camera().project(session.warp().toWorld3D(y[0], y[1], 0.0),
                                                     viewport, aspectOf(viewport));
    return HoveredCharge{*index, weight, pixel, chargePointSize(weight)};
}

std::optional<glm::dvec2> planePointAt(const SceneSession& session, glm::vec2 cursor,
                                       glm::vec2 viewport) {
    if (!hasPlane(session)) return std::nullopt;
    const auto world = session.camera().unprojectToPlane(cursor, viewport, 0.0f);
    if (!world) return std::nullopt;
    const glm::dvec3 x = session.warp().fromWorld3D(*world);
    if (!std::isfinite(x.x) || !std::isfinite(x.y)) return std::nullopt;
    const SceneData& data = *session.sceneData();
    const auto c = data.charges.mean();
    const double half = planeHalfWidth(data);
    if (std::abs(x.x - c[0]) > half || std::abs(x.y - c[1]) > half) return std::nullopt;
    return glm::dvec2(x.x, x.y);
}

std::optional<Inspection> inspectAt(const SceneSession& session, glm::vec2 cursor,
                                    glm::vec2 viewport) {
    if (!hasPlane(session) || !session.showsCurrentScene()) return std::nullopt;
    const SceneData& data = *session.sceneData();
    const double clock = session.clockLogSigma();
    const double d = data.settings.d;
    std::optional<Inspection> found;
    float best = 8.0f;
    if (!data.particlesOnGpu &&
        (session.viewSettings().layers & static_cast<unsigned>(render::Layer::Particles)))
        for (std::size_t p = 0; p < data.paths.size(); ++p) {
            const double sigma = std::min(std::exp(clock), data.paths[p].sigma.front());
            if (!(sigma >= data.settings.sigmaMin)) continue;
            const auto x = pathPositionAt(data, p, clock);
            const glm::vec2 at = session.camera().project(
                session.warp().toWorld3D(x[0], x[1], sigma), viewport, aspectOf(viewport));
            const float distance = glm::length(at - cursor);
            if (distance < best) {
                best = distance;
                found =
                    Inspection{physics::inspectPoint(data.charges, d, x, sigma, kInspectedCharges),
                               static_cast<long>(p)};
            }
        }
    if (found) return found;
    if (const auto plane = planePointAt(session, cursor, viewport)) {
        const double sigma = std::max(std::exp(clock), data.settings.sigmaMin);
        const std::vector<double> x{plane->x, plane->y};
        return Inspection{physics::inspectPoint(data.charges, d, x, sigma, kInspectedCharges), -1};
    }
    return std::nullopt;
}

} // namespace psc::app
