// Every key and mouse gesture of the window in one table, grouped; Help › Shortcuts is built from
// it. The bindings themselves live where they act (the viewport's input, the menus' actions):
// a binding added there belongs here too.
#pragma once

#include <string_view>

namespace psc::app {

enum class ShortcutGroup { View, Playback, Editing, Lessons, Files };

struct ShortcutGroupInfo {
    ShortcutGroup value;
    std::string_view title;
};
// In the order the dialog shows them.
inline constexpr ShortcutGroupInfo kShortcutGroups[] = {
    {ShortcutGroup::View, "View"},       {ShortcutGroup::Playback, "Playback"},
    {ShortcutGroup::Editing, "Editing"}, {ShortcutGroup::Lessons, "Lessons"},
    {ShortcutGroup::Files, "Files"},
};

struct Shortcut {
    ShortcutGroup group;
    std::string_view keys;   // "Ctrl+Shift+E", "Left drag"
    std::string_view action; // what it does, lower case
};
inline constexpr Shortcut kShortcuts[] = {
    {ShortcutGroup::View, "Left drag", "orbit the camera"},
    {ShortcutGroup::View, "Shift+left drag, right drag", "pan"},
    {ShortcutGroup::View, "Wheel", "zoom"},
    {ShortcutGroup::View, "1 / 2 / 3", "top / side / iso view"},
    {ShortcutGroup::View, "R", "reset the camera"},
    {ShortcutGroup::View, "F", "full screen"},
    {ShortcutGroup::View, "P", "presentation mode: every control hidden, a legend (Esc ends it)"},
    {ShortcutGroup::Playback, "Space", "play / pause"},
    {ShortcutGroup::Playback, "← / →", "step σ by a tenth of a decade (pauses)"},
    {ShortcutGroup::Editing, "Click on the data plane", "add a charge"},
    {ShortcutGroup::Editing, "Drag a charge", "move it"},
    {ShortcutGroup::Editing, "Right click a charge", "delete it"},
    {ShortcutGroup::Editing, "Wheel over a charge", "change its weight"},
    {ShortcutGroup::Editing, "Ctrl+Z / Ctrl+Shift+Z", "undo / redo charge edits"},
    {ShortcutGroup::Lessons, "Page Down / Page Up", "next / previous step"},
    {ShortcutGroup::Lessons, "Esc", "end the lesson"},
    {ShortcutGroup::Files, "Ctrl+O", "open data or a scene"},
    {ShortcutGroup::Files, "Ctrl+S", "save the scene"},
    {ShortcutGroup::Files, "Ctrl+E", "save a screenshot"},
    {ShortcutGroup::Files, "Ctrl+Shift+E", "export a video"},
    {ShortcutGroup::Files, "Ctrl+Q", "quit"},
};

} // namespace psc::app
