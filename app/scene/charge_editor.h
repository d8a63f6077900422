// Editing the charges of a 2D scene (add, move, delete, reweight) with undo and redo; GL-free.
#pragma once

#include "app/scene/scene_settings.h"

#include "physics/charge_set.h"

#include <cstddef>
#include <optional>
#include <vector>

namespace psc::app {

// Works on SceneSettings: the first edit copies the scene's charges into
// SceneSettings::editedPositions/editedWeights, which from then on replace the data set.
// Weights are kept relative (a new charge weighs 1, like the average charge of a uniform set).
class ChargeEditor {
public:
    static constexpr double kMinWeight = 0.05, kMaxWeight = 50.0;
    static constexpr std::size_t kMaxHistory = 200;

    // Each edit returns the new settings and records the old ones for undo. current holds the
    // charges on screen (used on the first edit). Only N = 2 scenes are editable.
    SceneSettings add(const SceneSettings& settings, const physics::ChargeSet& current, double x1,
                      double x2);
    SceneSettings move(const SceneSettings& settings, const physics::ChargeSet& current,
                       std::size_t index, double x1, double x2, bool recordUndo);
    // Refuses (returns nullopt) to delete the last charge: a field needs a source.
    std::optional<SceneSettings> remove(const SceneSettings& settings,
                                        const physics::ChargeSet& current, std::size_t index);
    // Multiplies the weight by 1.25^steps, within [kMinWeight, kMaxWeight].
    SceneSettings reweight(const SceneSettings& settings, const physics::ChargeSet& current,
                           std::size_t index, double steps);

    bool canUndo() const { return !m_undo.empty(); }
    bool canRedo() const { return !m_redo.empty(); }
    // Returns the settings to go back to (pass the settings on screen, which become redoable).
    std::optional<SceneSettings> undo(const SceneSettings& current);
    std::optional<SceneSettings> redo(const SceneSettings& current);

private:
    SceneSettings editable(const SceneSettings& settings, const physics::ChargeSet& current) const;
    void record(const SceneSettings& before);

    std::vector<SceneSettings> m_undo, m_redo;
};

// The charge nearest to cursor within radius pixels, given the charges' screen positions.
std::optional<std::size_t> pickNearest(const std::vector<float>& screenXY, float cursorX,
                                       float cursorY, float radius);

} // namespace psc::app
