// The built-in data sets and teaching scenes: their table, generators, the real tables compiled
// in, standardisation and the embedding in N dimensions.
#include "physics/datasets.h"

#include "physics/builtin_data_files.h"
#include "physics/gram_schmidt.h"
#include "physics/point_io.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <random>
#include <stdexcept>
#include <string>

namespace psc::physics {

namespace {

constexpr std::size_t kMaxCount = 10'000'000;
constexpr double kPi = std::numbers::pi;

using Rng = std::mt19937_64;
// Appends count points of the clean shape (count * dim values) to out.
using Generator = void (*)(Rng& rng, std::size_t count, std::vector<double>& out);

struct Entry {
    DatasetInfo info;
    Generator generate;         // null for teaching scenes and real tables
    std::string_view file = {}; // real tables: builtinDataFile's name
    double pixelMax = 0;        // image tables: the largest pixel value
};

// The subspace of the "clusters" set, after the authors' toy (Gaussian clusters in a 10-D
// subspace of a 1,000-D space): min(10, N) dimensions, 8 centres.
constexpr int kClusterSubspace = 10;
constexpr int kClusterCount = 8;
// Streams that do not depend on the data's seed: the same embedding and centres for every draw.
constexpr std::uint64_t kEmbeddingSeed = 0x9E3779B97F4A7C15ull;
constexpr std::uint64_t kCentresSeed = 0xD1B54A32D192ED03ull;

double uniform(Rng& rng, double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(rng);
}

double gauss(Rng& rng) {
    return std::normal_distribution<double>(0.0, 1.0)(rng);
}

std::size_t pick(Rng& rng, std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
}

void twoMoons(Rng& rng, std::size_t count, std::vector<double>& out) {
    // Half on each moon, so the two halves have equal charge like sklearn's make_moons.
    for (std::size_t i = 0; i < count; ++i) {
        const double t = uniform(rng, 0.0, kPi);
        if (i % 2 == 0) {
            out.insert(out.end(), {std::cos(t), std::sin(t)});
        } else {
            out.insert(out.end(), {1.0 - std::cos(t), 0.5 - std::sin(t)});
        }
    }
}

// Cluster centres only: the data set's noise is the spread of each Gaussian.
void eightGaussians(Rng& rng, std::size_t count, std::vector<double>& out) {
    for (std::size_t i = 0; i < count; ++i) {
        const double a = static_cast<double>(pick(rng, 8)) * kPi / 4.0;
        out.insert(out.end(), {std::cos(a), std::sin(a)});
    }
}

void twentyFiveGaussians(Rng& rng, std::size_t count, std::vector<double>& out) {
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t c = pick(rng, 25);
        out.insert(out.end(), {static_cast<double>(c % 5) - 2.0, static_cast<double>(c / 5) - 2.0});
    }
}

void swissRoll(Rng& rng, std::size_t count, std::vector<double>& out) {
    for (std::size_t i = 0; i < count; ++i) {
        const double t = 1.5 * kPi * (1.0 + 2.0 * uniform(rng, 0.0, 1.0));
        out.insert(out.end(), {t * std::cos(t), t * std::sin(t)});
    }
}

void circles(Rng& rng, std::size_t count, std::vector<double>& out) {
    for (std::size_t i = 0; i < count; ++i) {
        const double r = i % 2 == 0 ? 1.0 : 0.5;
        const double a = uniform(rng, 0.0, 2.0 * kPi);
        out.insert(out.end(), {r * std::cos(a), r * std::sin(a)});
    }
}

// Eight unit squares in a 4x4 board, alternating like the black squares of a chessboard.
void checkerboard(Rng& rng, std::size_t count, std::vector<double>& out) {
    for (std::size_t i = 0; i < count; ++i) {
        const double x = uniform(rng, -2.0, 2.0);
        const double row = 2.0 * static_cast<double>(pick(rng, 2)) - 2.0;
        const double shift = std::fmod(std::floor(x) + 4.0, 2.0);
        out.insert(out.end(), {x, uniform(rng, 0.0, 1.0) + row + shift});
    }
}

// Five curved arms whose spread is part of the shape (the FFJORD "pinwheel").
void pinwheel(Rng& rng, std::size_t count, std::vector<double>& out) {
    constexpr int kArms = 5;
    for (std::size_t i = 0; i < count; ++i) {
        const double radial = 1.0 + 0.3 * gauss(rng);
        const double tangential = 0.1 * gauss(rng);
        const double arm = 2.0 * kPi * static_cast<double>(pick(rng, kArms)) / kArms;
        const double a = arm + 0.25 * std::exp(radial);
        out.insert(out.end(), {radial * std::cos(a) - tangential * std::sin(a),
                               radial * std::sin(a) + tangential * std::cos(a)});
    }
}

// Two interleaved arms from the centre; sqrt keeps the density along each arm roughly even.
void spiral(Rng& rng, std::size_t count, std::vector<double>& out) {
    for (std::size_t i = 0; i < count; ++i) {
        const double t = 3.0 * kPi * std::sqrt(uniform(rng, 0.0, 1.0));
        const double a = t + (i % 2 == 0 ? 0.0 : kPi);
        out.insert(out.end(), {t * std::cos(a), t * std::sin(a)});
    }
}

void swissRoll3d(Rng& rng, std::size_t count, std::vector<double>& out) {
    for (std::size_t i = 0; i < count; ++i) {
        const double t = 1.5 * kPi * (1.0 + 2.0 * uniform(rng, 0.0, 1.0));
        out.insert(out.end(), {t * std::cos(t), uniform(rng, 0.0, 21.0), t * std::sin(t)});
    }
}

// Rejection on the tube angle makes the points uniform over the surface, not over the angles.
void torus(Rng& rng, std::size_t count, std::vector<double>& out) {
    constexpr double kR = 1.0, kTube = 0.4;
    for (std::size_t i = 0; i < count; ++i) {
        double v = 0;
        do {
            v = uniform(rng, 0.0, 2.0 * kPi);
        } while (uniform(rng, 0.0, kR + kTube) > kR + kTube * std::cos(v));
        const double u = uniform(rng, 0.0, 2.0 * kPi);
        const double ring = kR + kTube * std::cos(v);
        out.insert(out.end(), {ring * std::cos(u), ring * std::sin(u), kTube * std::sin(v)});
    }
}

void helix(Rng& rng, std::size_t count, std::vector<double>& out) {
    for (std::size_t i = 0; i < count; ++i) {
        const double t = uniform(rng, 0.0, 6.0 * kPi);
        out.insert(out.end(), {std::cos(t), std::sin(t), 0.25 * t / kPi});
    }
}

// A normalised Gaussian vector is uniform on the sphere.
void sphereShell(Rng& rng, std::size_t count, std::vector<double>& out) {
    for (std::size_t i = 0; i < count; ++i) {
        double x = 0, y = 0, z = 0, r = 0;
        do {
            x = gauss(rng);
            y = gauss(rng);
            z = gauss(rng);
            r = std::sqrt(x * x + y * y + z * z);
        } while (r < 1e-12);
        out.insert(out.end(), {x / r, y / r, z / r});
    }
}

// Each ring passes through the other's centre, so they are linked like two chain links.
void linkedRings(Rng& rng, std::size_t count, std::vector<double>& out) {
    for (std::size_t i = 0; i < count; ++i) {
        const double a = uniform(rng, 0.0, 2.0 * kPi);
        if (i % 2 == 0) {
            out.insert(out.end(), {std::cos(a), std::sin(a), 0.0});
        } else {
            out.insert(out.end(), {1.0 + std::cos(a), 0.0, std::sin(a)});
        }
    }
}

// Centres on the six vertices of an octahedron; noise is the spread of each Gaussian.
void gaussianMixture3d(Rng& rng, std::size_t count, std::vector<double>& out) {
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t c = pick(rng, 6);
        std::array<double, 3> p{0.0, 0.0, 0.0};
        p[c % 3] = c < 3 ? 1.0 : -1.0;
        out.insert(out.end(), p.begin(), p.end());
    }
}

struct Teaching {
    std::vector<double> positions;
    std::vector<double> weights;
};

Teaching teachingScene(std::string_view name) {
    if (name == "one-charge") return {{0.0, 0.0}, {1.0}};
    if (name == "two-charges") return {{-1.0, 0.0, 1.0, 0.0}, {0.5, 0.5}};
    return {{0.0, 1.2, -1.0, -0.6, 1.0, -0.6}, {0.5, 0.3, 0.2}};
}

const std::vector<Entry>& entries() {
    static const std::vector<Entry> kEntries = [] {
        std::vector<Entry> table = {
            {{"two-moons", 2, 512, 0.08, false,
              "two interleaved half circles; noise: Gaussian jitter"},
             twoMoons},
            {{"8-gaussians", 2, 512, 0.1, false,
              "8 Gaussians with centres on a circle; noise: std of each Gaussian"},
             eightGaussians},
            {{"25-gaussians", 2, 512, 0.05, false,
              "25 Gaussians with centres on a 5x5 grid; noise: std of each Gaussian"},
             twentyFiveGaussians},
            {{"swiss-roll", 2, 512, 0.05, false,
              "a flat spiral (2D Swiss roll) of one and a half turns; noise: Gaussian jitter"},
             swissRoll},
            {{"circles", 2, 512, 0.05, false,
              "two concentric circles, radii 1 and 0.5 before scaling; noise: Gaussian jitter"},
             circles},
            {{"checkerboard", 2, 512, 0.0, false,
              "uniform points on 8 squares of a 4x4 checkerboard; noise: Gaussian jitter"},
             checkerboard},
            {{"pinwheel", 2, 512, 0.0, false,
              "five curved Gaussian arms (FFJORD pinwheel); noise: extra Gaussian jitter"},
             pinwheel},
            {{"spiral", 2, 512, 0.05, false,
              "two interleaved spiral arms from the centre; noise: Gaussian jitter"},
             spiral},
            {{"one-charge", 2, 1, 0.0, true, "teaching: a single charge at the origin"}, nullptr},
            {{"two-charges", 2, 2, 0.0, true, "teaching: two equal charges at (-1, 0) and (1, 0)"},
             nullptr},
            {{"three-charges", 2, 3, 0.0, true,
              "teaching: charges 0.5, 0.3, 0.2 at (0, 1.2), (-1, -0.6), (1, -0.6)"},
             nullptr},
            {{"swiss-roll-3d", 3, 1024, 0.05, false,
              "the 3D Swiss roll (a rolled-up sheet); noise: Gaussian jitter"},
             swissRoll3d},
            {{"torus", 3, 1024, 0.05, false,
              "uniform points on a torus surface, tube radius 0.4 of the ring; noise: Gaussian "
              "jitter"},
             torus},
            {{"helix", 3, 1024, 0.05, false, "a helix of three turns; noise: Gaussian jitter"},
             helix},
            {{"sphere-shell", 3, 1024, 0.05, false,
              "uniform points on a sphere's surface; noise: Gaussian jitter"},
             sphereShell},
            {{"linked-rings", 3, 1024, 0.05, false,
              "two interlocked circles in perpendicular planes; noise: Gaussian jitter"},
             linkedRings},
            {{"gaussian-mixture-3d", 3, 1024, 0.15, false,
              "6 Gaussians with centres on an octahedron's vertices; noise: std of each Gaussian"},
             gaussianMixture3d},
            {{"clusters", 64, 2048, 0.1, false,
              "8 Gaussian clusters in a 10-D subspace of N dimensions (the PFGM++ authors' toy; "
              "--dim N); noise: std of each Gaussian",
              true, false, 0, 0, 1},
             nullptr},
            {{"iris", 4, 150, 0.0, false,
              "Fisher's iris: 150 flowers, 4 measurements (scikit-learn; UCI)", false, true},
             nullptr,
             "iris"},
            {{"wine", 13, 178, 0.0, false,
              "wine recognition: 178 wines, 13 chemical measurements (scikit-learn; UCI)", false,
              true},
             nullptr,
             "wine"},
            {{"breast-cancer", 30, 569, 0.0, false,
              "breast cancer Wisconsin: 569 tumours, 30 cell-nucleus features (scikit-learn; UCI)",
              false, true},
             nullptr,
             "breast-cancer"},
            {{"digits", 64, 1797, 0.0, false,
              "handwritten digits: 1,797 images of 8x8 pixels, pixels in [-1, 1] (scikit-learn; "
              "UCI)",
              false, true, 8, 8},
             nullptr,
             "digits",
             16.0},
        };
        // Every generated shape can be embedded in more dimensions.
        for (Entry& e : table) e.info.anyDim |= e.generate && !e.info.teaching;
        return table;
    }();
    return kEntries;
}

const Entry* findEntry(std::string_view name) {
    for (const Entry& e : entries())
        if (e.info.name == name) return &e;
    return nullptr;
}

// Centres the points and divides by the RMS spread per coordinate; a degenerate set (one point,
// or all points equal) is only centred, because there is no spread to normalise.
void standardise(int dim, std::vector<double>& values) {
    const std::size_t m = values.size() / dim;
    std::vector<double> mean(dim, 0.0);
    for (std::size_t i = 0; i < m; ++i)
        for (int k = 0; k < dim; ++k) mean[k] += values[i * dim + k];
    for (double& mu : mean) mu /= static_cast<double>(m);
    double sumSquares = 0;
    for (std::size_t i = 0; i < m; ++i)
        for (int k = 0; k < dim; ++k) {
            double& v = values[i * dim + k];
            v -= mean[k];
            sumSquares += v * v;
        }
    const double rms = std::sqrt(sumSquares / static_cast<double>(m * dim));
    if (!(rms > 1e-300)) return;
    for (double& v : values) v /= rms;
}

// Each column to mean 0 and RMS 1 (a constant column is only centred): measurements in
// different units weigh alike.
void standardiseColumns(int dim, std::vector<double>& values) {
    const std::size_t m = values.size() / dim;
    for (int k = 0; k < dim; ++k) {
        double mean = 0, squares = 0;
        for (std::size_t i = 0; i < m; ++i) mean += values[i * dim + k];
        mean /= static_cast<double>(m);
        for (std::size_t i = 0; i < m; ++i) {
            double& v = values[i * dim + k];
            v -= mean;
            squares += v * v;
        }
        const double rms = std::sqrt(squares / static_cast<double>(m));
        if (rms > 1e-300)
            for (std::size_t i = 0; i < m; ++i) values[i * dim + k] /= rms;
    }
}

// Rows of a real table: all of them, or `count` picked at random (in file order).
std::vector<double> pickRows(const std::vector<double>& values, int dim, std::size_t count,
                             Rng& rng) {
    const std::size_t rows = values.size() / dim;
    std::vector<std::size_t> order(rows);
    for (std::size_t i = 0; i < rows; ++i) order[i] = i;
    if (count < rows) {
        for (std::size_t i = 0; i < count; ++i) std::swap(order[i], order[i + pick(rng, rows - i)]);
        order.resize(count);
        std::sort(order.begin(), order.end());
    }
    std::vector<double> out;
    out.reserve(order.size() * dim);
    for (std::size_t i : order)
        out.insert(out.end(), values.begin() + static_cast<std::ptrdiff_t>(i * dim),
                   values.begin() + static_cast<std::ptrdiff_t>((i + 1) * dim));
    return out;
}

ChargeSet realTable(const Entry& entry, const DatasetParams& params) {
    const DatasetInfo& info = entry.info;
    PointTable table = parseCsv(builtinDataFile(entry.file), std::string(entry.file) + ".csv", {});
    const std::size_t rows = table.rows();
    const std::size_t count = params.count ? params.count : rows;
    if (count > rows)
        throw std::invalid_argument("data set '" + info.name + "' has " + std::to_string(rows) +
                                    " points: count must be at most " + std::to_string(rows));
    if (entry.pixelMax > 0)
        for (double& v : table.values) v = 2.0 * v / entry.pixelMax - 1.0;
    else
        standardiseColumns(table.dim, table.values);
    Rng rng(params.seed);
    std::vector<double> values = pickRows(table.values, table.dim, count, rng);
    const double noise = params.noise < 0 ? info.defaultNoise : params.noise;
    if (noise > 0) {
        std::normal_distribution<double> jitter(0.0, noise);
        for (double& v : values) v += jitter(rng);
    }
    for (double& v : values) v *= params.scale;
    return ChargeSet(table.dim, std::move(values));
}

// Centres drawn once for all seeds, points picked among them; noise (added after
// standardising) is their spread.
void clusterCentres(int d, Rng& rng, std::size_t count, std::vector<double>& out) {
    Rng fixed(kCentresSeed);
    std::vector<double> centres(static_cast<std::size_t>(kClusterCount) * d);
    for (double& c : centres) c = gauss(fixed);
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t c = pick(rng, kClusterCount);
        out.insert(out.end(), centres.begin() + static_cast<std::ptrdiff_t>(c * d),
                   centres.begin() + static_cast<std::ptrdiff_t>((c + 1) * d));
    }
}

// values (count×d) ↦ count×n through the basis, plus noise·N(0, 1) along the other directions.
std::vector<double> embed(const std::vector<double>& values, int d, int n, double noise, Rng& rng) {
    const std::vector<double> basis = embeddingBasis(d, n);
    const std::size_t count = values.size() / d;
    std::vector<double> out(count * n, 0.0);
    std::vector<double> extra(n);
    for (std::size_t i = 0; i < count; ++i) {
        double* x = &out[i * n];
        for (int j = 0; j < d; ++j) {
            const double v = values[i * d + j];
            const double* column = &basis[static_cast<std::size_t>(j) * n];
            for (int k = 0; k < n; ++k) x[k] += v * column[k];
        }
        if (!(noise > 0)) continue;
        // A Gaussian in N dimensions with its part in the shape's plane removed.
        for (double& e : extra) e = noise * gauss(rng);
        for (int j = 0; j < d; ++j) {
            const double* column = &basis[static_cast<std::size_t>(j) * n];
            double along = 0;
            for (int k = 0; k < n; ++k) along += extra[k] * column[k];
            for (int k = 0; k < n; ++k) extra[k] -= along * column[k];
        }
        for (int k = 0; k < n; ++k) x[k] += extra[k];
    }
    return out;
}

} // namespace

std::optional<std::string> checkDatasetDim(const DatasetInfo& info, int dim) {
    if (dim == 0) return std::nullopt;
    if (!info.anyDim && dim != info.dim)
        return "must be " + std::to_string(info.dim) + " for '" + info.name + "' (its own)";
    const int lowest = info.lowestDim > 0 ? info.lowestDim : info.dim;
    if (dim < lowest || dim > kMaxDataDim)
        return "must be in [" + std::to_string(lowest) + ", " + std::to_string(kMaxDataDim) +
               "] for '" + info.name + "'";
    return std::nullopt;
}

std::vector<double> embeddingBasis(int d, int n) {
    if (d < 1 || d > n) throw std::invalid_argument("embeddingBasis: need 1 <= d <= N");
    // Gaussian vectors of a fixed stream, orthonormalised.
    Rng rng(kEmbeddingSeed ^ (static_cast<std::uint64_t>(n) << 20) ^ static_cast<std::uint64_t>(d));
    std::vector<double> basis(static_cast<std::size_t>(d) * n);
    for (double& v : basis) v = gauss(rng);
    orthonormaliseRows(basis.data(), d, n, 1e-6, [&](double* row) {
        for (int k = 0; k < n; ++k) row[k] = gauss(rng);
    });
    return basis;
}

const std::vector<DatasetInfo>& builtinDatasets() {
    static const std::vector<DatasetInfo> kInfos = [] {
        std::vector<DatasetInfo> infos;
        for (const Entry& e : entries()) infos.push_back(e.info);
        // Stable: 2D sets first, each group in table order.
        std::stable_sort(infos.begin(), infos.end(),
                         [](const DatasetInfo& a, const DatasetInfo& b) { return a.dim < b.dim; });
        return infos;
    }();
    return kInfos;
}

const DatasetInfo* findDataset(std::string_view name) {
    for (const DatasetInfo& info : builtinDatasets())
        if (info.name == name) return &info;
    return nullptr;
}

ChargeSet makeDataset(std::string_view name, const DatasetParams& params) {
    const Entry* entry = findEntry(name);
    if (!entry)
        throw std::invalid_argument("unknown data set '" + std::string(name) +
                                    "' (see `poissonscope datasets`)");
    if (params.count > kMaxCount)
        throw std::invalid_argument("data set count " + std::to_string(params.count) +
                                    " is above the limit of " + std::to_string(kMaxCount));
    if (!std::isfinite(params.noise)) throw std::invalid_argument("data set noise must be finite");
    if (!std::isfinite(params.scale) || params.scale <= 0)
        throw std::invalid_argument("data set scale must be finite and > 0");

    const DatasetInfo& info = entry->info;
    if (auto problem = checkDatasetDim(info, params.dim))
        throw std::invalid_argument("data set dimension " + *problem + ", got " +
                                    std::to_string(params.dim));
    if (!entry->file.empty()) return realTable(*entry, params);
    if (info.teaching) {
        Teaching scene = teachingScene(info.name);
        for (double& v : scene.positions) v *= params.scale;
        return ChargeSet(info.dim, std::move(scene.positions), std::move(scene.weights));
    }

    const int n = params.dim > 0 ? params.dim : info.dim;
    // The one generated set without a shape of its own: clusters in a subspace of N.
    const bool clusters = !entry->generate;
    const int own = clusters ? std::min(kClusterSubspace, n) : info.dim;
    const std::size_t count = params.count ? params.count : info.defaultCount;
    if (count > kMaxDatasetValues / static_cast<std::size_t>(n))
        throw std::invalid_argument("data set of " + std::to_string(count) + " points in " +
                                    std::to_string(n) + " dimensions is above the limit of " +
                                    std::to_string(kMaxDatasetValues) + " values");
    const double noise = params.noise < 0 ? info.defaultNoise : params.noise;
    Rng rng(params.seed);
    std::vector<double> values;
    values.reserve(count * own);
    if (clusters)
        clusterCentres(own, rng, count, values);
    else
        entry->generate(rng, count, values);
    standardise(own, values);
    if (noise > 0) {
        std::normal_distribution<double> jitter(0.0, noise);
        for (double& v : values) v += jitter(rng);
    }
    if (n > own) values = embed(values, own, n, clusters ? 0.0 : noise, rng);
    for (double& v : values) v *= params.scale;
    return ChargeSet(n, std::move(values));
}

ChargeSet makeHeldOutDataset(std::string_view name, const DatasetParams& params) {
    DatasetParams held = params;
    held.seed = 1000 + params.seed;
    return makeDataset(name, held);
}

} // namespace psc::physics
