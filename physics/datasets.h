// Built-in toy data sets (2D and 3D) and teaching scenes, generated deterministically from a seed.
#pragma once

#include "physics/charge_set.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace psc::physics {

struct DatasetParams {
    std::size_t count = 0; // 0: the data set's default count
    double noise = -1;     // < 0: the data set's default noise
    double scale = 1.0;    // multiplies the standardised coordinates
    std::uint64_t seed = 1;

    bool operator==(const DatasetParams&) const = default;
};

struct DatasetInfo {
    std::string name; // command-line name, e.g. "two-moons"
    int dim;          // 2 or 3
    std::size_t defaultCount;
    double defaultNoise;     // in units of the standardised data (0 = exact shape)
    bool teaching;           // fixed charges: count, noise and seed are ignored
    std::string description; // one line, for `poissonscope datasets` and the UI
};

// All built-in data sets, 2D first, in a stable order.
const std::vector<DatasetInfo>& builtinDatasets();
const DatasetInfo* findDataset(std::string_view name);

// Generates a built-in data set. Every non-teaching set is centred on the origin and scaled so
// its RMS spread per coordinate is 1 (ChargeSet::rmsSpread() == 1) before noise is added in those
// units, then multiplied by params.scale; teaching scenes have fixed positions and weights
// (scaled by params.scale). Same name and params: bit-identical output.
// Throws std::invalid_argument for an unknown name, count > 10,000,000, noise not finite,
// scale not finite or <= 0.
ChargeSet makeDataset(std::string_view name, const DatasetParams& params);

// The same built-in set drawn again, as data a learned field never saw: seed 1000 + params.seed,
// everything else as given. Throws as makeDataset.
ChargeSet makeHeldOutDataset(std::string_view name, const DatasetParams& params);

} // namespace psc::physics
