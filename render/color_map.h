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

std::optional<ColorMapKind> parseColorMap(std::string_view name); // "viridis", "magma", "coolwarm"
const char* colorMapName(ColorMapKind kind);

} // namespace psc::render
