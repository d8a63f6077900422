// Colour maps for σ, field strength and density layers. GL-free, so testable without a context.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace psc::render {

enum class ColorMapKind { Viridis, Magma, Coolwarm };

struct Rgb {
    float r, g, b; // each in [0, 1]
};

// Maps t in [0, 1] (clamped; NaN maps to the low end) to a colour. Viridis and Magma are
// perceptually uniform and monotone in lightness; Coolwarm is diverging (white-ish at 0.5).
Rgb colorAt(ColorMapKind kind, float t);

struct ColorMapInfo {
    ColorMapKind value;
    std::string_view name; // "viridis": scene files, options and panels
};
inline constexpr ColorMapInfo kColorMaps[] = {
    {ColorMapKind::Viridis, "viridis"},
    {ColorMapKind::Magma, "magma"},
    {ColorMapKind::Coolwarm, "coolwarm"},
};

std::optional<ColorMapKind> parseColorMap(std::string_view name);
const char* colorMapName(ColorMapKind kind);

} // namespace psc::render
