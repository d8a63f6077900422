// Charge editing. Undo keeps whole settings snapshots: a scene is small, and a snapshot can never
// drift from what was on screen the way a list of inverse operations can.
#include "app/scene/charge_editor.h"

#include <algorithm>
#include <cmath>

namespace psc::app {

SceneSettings ChargeEditor::editable(const SceneSettings& settings,
                                     const physics::ChargeSet& current) const {
    SceneSettings s = settings;
    if (s.editedPositions.empty()) {
        s.editedPositions.assign(current.positions().begin(), current.positions().end());
        s.editedWeights.clear();
        for (double q : current.weights())
            s.editedWeights.push_back(q * static_cast<double>(current.size()));
    }
    return s;
}

void ChargeEditor::record(const SceneSettings& before) {
    m_undo.push_back(before);
    if (m_undo.size() > kMaxHistory) m_undo.erase(m_undo.begin());
    m_redo.clear();
}

SceneSettings ChargeEditor::add(const SceneSettings& settings, const physics::ChargeSet& current,
                                double x1, double x2) {
    record(settings);
    SceneSettings s = editable(settings, current);
    s.editedPositions.push_back(x1);
    s.editedPositions.push_back(x2);
    s.editedWeights.push_back(1.0);
    return s;
}

SceneSettings ChargeEditor::move(const SceneSettings& settings, const physics::ChargeSet& current,
                                 std::size_t index, double x1, double x2, bool recordUndo) {
    if (recordUndo) record(settings);
    SceneSettings s = editable(settings, current);
    if (2 * index + 1 < s.editedPositions.size()) {
        s.editedPositions[2 * index] = x1;
        s.editedPositions[2 * index + 1] = x2;
    }
    return s;
}

std::optional<SceneSettings> ChargeEditor::remove(const SceneSettings& settings,
                                                  const physics::ChargeSet& current,
                                                  std::size_t index) {
    SceneSettings s = editable(settings, current);
    if (s.editedWeights.size() <= 1 || index >= s.editedWeights.size()) return std::nullopt;
    record(settings);
    s.editedPositions.erase(s.editedPositions.begin() + 2 * index,
                            s.editedPositions.begin() + 2 * index + 2);
    s.editedWeights.erase(s.editedWeights.begin() + index);
    return s;
}

SceneSettings ChargeEditor::reweight(const SceneSettings& settings,
                                     const physics::ChargeSet& current, std::size_t index,
                                     double steps) {
    record(settings);
    SceneSettings s = editable(settings, current);
    if (index < s.editedWeights.size())
        s.editedWeights[index] =
            std::clamp(s.editedWeights[index] * std::pow(1.25, steps), kMinWeight, kMaxWeight);
    return s;
}

std::optional<SceneSettings> ChargeEditor::undo(const SceneSettings& current) {
    if (m_undo.empty()) return std::nullopt;
    SceneSettings s = m_undo.back();
    m_undo.pop_back();
    m_redo.push_back(current);
    return s;
}

std::optional<SceneSettings> ChargeEditor::redo(const SceneSettings& current) {
    if (m_redo.empty()) return std::nullopt;
    SceneSettings s = m_redo.back();
    m_redo.pop_back();
    m_undo.push_back(current);
    return s;
}

std::optional<std::size_t> pickNearest(const std::vector<float>& screenXY, float cursorX,
                                       float cursorY, float radius) {
    std::optional<std::size_t> best;
    float bestD2 = radius * radius;
    for (std::size_t i = 0; i < screenXY.size() / 2; ++i) {
        const float dx = screenXY[2 * i] - cursorX, dy = screenXY[2 * i + 1] - cursorY;
        const float d2 = dx * dx + dy * dy;
        if (d2 <= bestD2) bestD2 = d2, best = i;
    }
    return best;
}

} // namespace psc::app
