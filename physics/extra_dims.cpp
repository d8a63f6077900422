// Parsing and validation of D.
#include "physics/extra_dims.h"

#include <charconv>
#include <cstdio>

namespace psc::physics {

std::optional<std::string> validateExtraDims(double d) {
    if (std::isnan(d)) return std::string("D must be a number >= 1 or inf, got NaN");
    if (isInfiniteD(d)) return std::nullopt;
    if (!std::isfinite(d) || d < 1.0) {
        char buf[96];
        std::snprintf(buf, sizeof buf, "D must be >= 1 or inf, got %g", d);
        return std::string(buf);
    }
    return std::nullopt;
}

std::optional<double> parseExtraDims(std::string_view text) {
    if (text == "inf" || text == "Inf" || text == "INF" || text == "infinity" || text == "∞")
        return kInfiniteD;
    double value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
    return value;
}

std::string formatExtraDims(double d) {
    if (isInfiniteD(d)) return "inf";
    char buf[64];
    auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, d);
    return std::string(buf, ec == std::errc() ? ptr : buf);
}

} // namespace psc::physics
