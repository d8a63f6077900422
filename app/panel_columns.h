// The window's columns, so that no panel ever covers the scene: the control panel on the left
// (while panels are visible), the lesson, learned-field and slice windows on the right while one
// of them is open (expanded), stacked from the top; collapsed windows keep their title bars at the
// foot of the left column. The scene gets the area between. Logical pixels.
#pragma once

namespace psc::app {

struct PanelColumns {
    float left = 0, right = 0;
};
inline constexpr float kLeftColumnWidth = 350.0f, kRightColumnWidth = 430.0f;

} // namespace psc::app
