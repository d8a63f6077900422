// Built-in data sets: toy shapes (2D and 3D, and embedded in any dimension), Gaussian clusters in
// a subspace of N dimensions, real tables of the scikit-learn collection (4 to 64 coordinates)
// and teaching scenes; generated deterministically from a seed.
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
    int dim = 0; // N, for the sets that take one (DatasetInfo::anyDim); 0: the set's own

    bool operator==(const DatasetParams&) const = default;
};

struct DatasetInfo {
    std::string name; // command-line name, e.g. "two-moons"
    int dim;          // its own N (the default where the dimension is a parameter)
    std::size_t defaultCount;
    double defaultNoise;     // in units of the standardised data (0 = exact shape)
    bool teaching;           // fixed charges: count, noise and seed are ignored
    std::string description; // one line, for `poissonscope datasets` and the UI
    // DatasetParams::dim sets N: the shape is drawn in its own coordinates and embedded in N
    // dimensions (embeddingBasis).
    bool anyDim = false;
    bool real = false; // a table of measurements: count subsamples it (at most its rows)
    int imageWidth = 0, imageHeight = 0; // an image per point, row by row (N = width·height)
    int lowestDim = 0;                   // anyDim sets: the smallest N (0: dim, the shape's own)
};

// The most values (count × N) a generated data set may have: 2 GiB of doubles.
inline constexpr std::size_t kMaxDatasetValues = std::size_t{1} << 28;

// All built-in data sets, by dimension (2D first), in a stable order.
const std::vector<DatasetInfo>& builtinDatasets();
const DatasetInfo* findDataset(std::string_view name);

// Generates a built-in data set. Every generated set is centred on the origin and scaled so its
// RMS spread per coordinate is 1 in its own coordinates (ChargeSet::rmsSpread() == 1 there)
// before noise is added in those units; with params.dim above its own dimension d it is then
// embedded: x ↦ B x for the orthonormal N×d basis B = embeddingBasis(d, N), plus Gaussian noise
// of the same size in the N − d other directions (none for "clusters", which lie in their
// subspace). Real tables are standardised per coordinate (each column to mean 0 and RMS 1, over
// all rows) and image sets map their pixels to [-1, 1] (the range image models train on), then
// a count below the table's rows picks that many rows at random (seeded). Everything is finally
// multiplied by params.scale; teaching scenes have fixed positions and weights (scaled by
// params.scale). Same name and params: bit-identical output.
// Throws std::invalid_argument for an unknown name, count > 10,000,000, count above a real
// table's rows, count × N above kMaxDatasetValues, a dim below the set's own (or any other dim
// for a set without anyDim), noise not finite, scale not finite or <= 0.
ChargeSet makeDataset(std::string_view name, const DatasetParams& params);

// Empty when the set can be drawn in dim dimensions (0: its own), else what dim must be, as the
// rest of a sentence that starts with the key: "must be at least 3 for 'torus'", "must be 4 for
// 'iris' (its own)".
std::optional<std::string> checkDatasetDim(const DatasetInfo& info, int dim);

// The N×d matrix (column-major: column j is values[j*N .. j*N+N)) with orthonormal columns that
// embeds a d-dimensional set in N dimensions; the same for every seed of the data, so that a set
// drawn again lies on the same plane. d <= N.
std::vector<double> embeddingBasis(int d, int n);

// The same built-in set drawn again, as data a learned field never saw: seed 1000 + params.seed,
// everything else as given. Throws as makeDataset.
ChargeSet makeHeldOutDataset(std::string_view name, const DatasetParams& params);

} // namespace psc::physics
