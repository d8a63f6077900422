// Light and dark themes for the widgets and the in-viewport panels. The 3D scene keeps its dark
// stage in both: its additive glows and colour maps are made for it (exports can be transparent).
#pragma once

#include <optional>
#include <string_view>

namespace psc::app {

enum class Theme { Dark, Light };

const char* themeName(Theme theme); // "dark", "light"
std::optional<Theme> parseTheme(std::string_view name);

// Qt's Fusion style with a palette for the theme, for the whole application.
void applyQtTheme(Theme theme);
// The current ImGui context's colours and shapes (call with the viewport's context current).
// A slider's value stays readable over its grab: thin grabs, text on them at 4.5:1 or more.
void applyImGuiTheme(Theme theme);

} // namespace psc::app
