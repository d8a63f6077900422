// The number of augmented dimensions D of PFGM++: any real D >= 1, or infinity (the diffusion
// limit).
#pragma once

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace psc::physics {

// D = kInfiniteD selects the Gaussian (EDM) code path everywhere.
inline constexpr double kInfiniteD = std::numeric_limits<double>::infinity();

inline bool isInfiniteD(double d) {
    return std::isinf(d) && d > 0;
}

// Empty when D is usable; otherwise a one-line reason ("D must be >= 1, got 0.5").
std::optional<std::string> validateExtraDims(double d);

// Parses "inf", "infinity", "∞" or a decimal number; does not range-check (see validateExtraDims).
std::optional<double> parseExtraDims(std::string_view text);

// "inf" for the limit, otherwise the shortest round-tripping decimal ("1", "3.5", "1e+06").
std::string formatExtraDims(double d);

} // namespace psc::physics
