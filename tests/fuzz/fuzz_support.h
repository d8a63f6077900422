// Shared by the fuzz targets: the input size bound and the invariants a parsed point table keeps.
#pragma once

#include "physics/point_io.h"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace psc::fuzz {

// Larger inputs are skipped: they only slow the fuzzer down, and the loaders' size limits are
// tested by the unit tests.
inline constexpr std::size_t kMaxInput = 1 << 20;

inline std::string_view asText(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// Aborts (a finding for libFuzzer and the replay runner) when a table that a loader accepted
// breaks what point_io.h promises.
inline void checkTable(const physics::PointTable& t, const physics::LoadLimits& limits) {
    const auto broken = [](const char* what) {
        std::fprintf(stderr, "fuzz: accepted point table breaks its contract: %s\n", what);
        std::abort();
    };
    if (t.dim < limits.minDim || t.dim > limits.maxDim) broken("dim outside the limits");
    if (t.columnNames.size() != static_cast<std::size_t>(t.dim)) broken("one name per column");
    if (t.values.empty() || t.values.size() % static_cast<std::size_t>(t.dim) != 0)
        broken("values not a whole, non-zero number of rows");
    if (t.rows() > limits.maxRows) broken("more rows than maxRows");
    if (!t.weights.empty() && t.weights.size() != t.rows()) broken("weights not one per row");
    for (double v : t.values)
        if (!std::isfinite(v)) broken("non-finite value");
    for (double w : t.weights)
        if (!std::isfinite(w) || !(w > 0)) broken("weight not finite and > 0");
}

} // namespace psc::fuzz
