// Piecewise-linear colour maps through published control points (matplotlib's viridis and magma,
// Moreland's cool-warm), dense enough that the linear segments are invisible.
#include "render/color_map.h"

#include <algorithm>
#include <cmath>

namespace psc::render {
namespace {

constexpr std::array<Rgb, 9> kViridis = {{{0.267f, 0.005f, 0.329f},
                                          {0.278f, 0.175f, 0.483f},
                                          {0.230f, 0.322f, 0.546f},
                                          {0.173f, 0.449f, 0.558f},
                                          {0.128f, 0.567f, 0.551f},
                                          {0.154f, 0.680f, 0.504f},
                                          {0.360f, 0.785f, 0.388f},
                                          {0.668f, 0.865f, 0.184f},
                                          {0.993f, 0.906f, 0.144f}}};
constexpr std::array<Rgb, 9> kMagma = {{{0.001f, 0.000f, 0.014f},
                                        {0.114f, 0.065f, 0.277f},
                                        {0.316f, 0.071f, 0.485f},
                                        {0.512f, 0.128f, 0.506f},
                                        {0.716f, 0.215f, 0.475f},
                                        {0.904f, 0.323f, 0.390f},
                                        {0.986f, 0.535f, 0.382f},
                                        {0.996f, 0.764f, 0.529f},
                                        {0.987f, 0.991f, 0.750f}}};
constexpr std::array<Rgb, 9> kCoolwarm = {{{0.230f, 0.299f, 0.754f},
                                           {0.353f, 0.472f, 0.887f},
                                           {0.484f, 0.629f, 0.976f},
                                           {0.619f, 0.754f, 0.999f},
                                           {0.865f, 0.865f, 0.865f},
                                           {0.958f, 0.753f, 0.647f},
                                           {0.968f, 0.602f, 0.471f},
                                           {0.906f, 0.421f, 0.320f},
                                           {0.706f, 0.016f, 0.150f}}};

const std::array<Rgb, 9>& table(ColorMapKind kind) {
    switch (kind) {
    case ColorMapKind::Magma:
        return kMagma;
    case ColorMapKind::Coolwarm:
        return kCoolwarm;
    case ColorMapKind::Viridis:
        break;
    }
    return kViridis;
}

} // namespace

Rgb colorAt(ColorMapKind kind, float t) {
    if (std::isnan(t)) t = 0;
    t = std::clamp(t, 0.0f, 1.0f);
    const auto& stops = table(kind);
    const float x = t * (stops.size() - 1);
    const std::size_t i = std::min<std::size_t>(static_cast<std::size_t>(x), stops.size() - 2);
    const float f = x - i;
    const Rgb a = stops[i], b = stops[i + 1];
    return {a.r + f * (b.r - a.r), a.g + f * (b.g - a.g), a.b + f * (b.b - a.b)};
}

std::optional<ColorMapKind> parseColorMap(std::string_view name) {
    for (const auto& row : kColorMaps)
        if (row.name == name) return row.value;
    return std::nullopt;
}

const char* colorMapName(ColorMapKind kind) {
    for (const auto& row : kColorMaps)
        if (row.value == kind) return row.name.data();
    return "viridis";
}

} // namespace psc::render
