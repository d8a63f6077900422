// The table of scene keys: one row per key, in the order scene files are read.
#include "app/scene/scene_keys.h"

#include "physics/named_choices.h"
#include "physics/point_io.h"

#include <cfloat>
#include <cstdint>
#include <limits>

namespace psc::app {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

template <typename Table>
std::vector<std::string> namesOf(const Table& table) {
    std::vector<std::string> names;
    for (const auto& row : table) names.emplace_back(row.name);
    return names;
}

std::vector<std::string> datasetNames() {
    std::vector<std::string> names;
    for (const auto& info : physics::builtinDatasets()) names.push_back(info.name);
    return names;
}
std::vector<std::string> solverNames() {
    return namesOf(physics::solverTable());
}
std::vector<std::string> imageWeightNames() {
    return namesOf(kImageWeights);
}
std::vector<std::string> fieldMethodNames() {
    return namesOf(physics::kFieldMethods);
}
std::vector<std::string> particleSourceNames() {
    return namesOf(kParticleSources);
}
std::vector<std::string> seedingNames() {
    return namesOf(kSeedings);
}
std::vector<std::string> colorMapNames() {
    return namesOf(render::kColorMaps);
}
std::vector<std::string> stageNames() {
    return namesOf(render::kStages);
}
std::vector<std::string> projectionNames() {
    return namesOf(kProjections);
}

double number(const KeyValue& v) {
    return std::get<double>(v);
}
const std::string& text(const KeyValue& v) {
    return std::get<std::string>(v);
}

using S = SceneSettings;
using V = ViewSettings;
using Value = std::optional<KeyValue>;

// Field order is reading order: a scene file reads data, then field, then view, key by key.
const SceneKey kKeys[] = {
    {KeySection::Data,
     "dataset",
     "dataset",
     "NAME",
     KeyKind::Choice,
     {},
     {},
     "data set",
     datasetNames,
     false,
     {},
     "built-in data set (see `poissonscope datasets`)",
     [](const S& s, const V&) -> Value { return s.dataset; },
     // A data set named replaces a data file and hand-edited charges.
     [](S& s, V&, const KeyValue& v) {
         s.dataset = text(v);
         s.dataPath.clear();
         s.editedPositions.clear();
         s.editedWeights.clear();
     }},
    {KeySection::Data,
     "count",
     "count",
     "M",
     KeyKind::Integer,
     {1, 1e7},
     {},
     {},
     nullptr,
     false,
     {"charges", 16, 4096, 0, true, "%d"},
     "charges drawn from the built-in data set (each of equal weight)",
     [](const S& s, const V&) -> Value {
         if (s.datasetParams.count == 0) return std::nullopt;
         return static_cast<double>(s.datasetParams.count);
     },
     [](S& s, V&, const KeyValue& v) {
         s.datasetParams.count = static_cast<std::size_t>(number(v));
     }},
    {KeySection::Data,
     "noise",
     "noise",
     "S",
     KeyKind::Number,
     {0, kInf, false, true},
     {},
     {},
     nullptr,
     false,
     {"noise", 0, 0.5, 0, false, "%.3f"},
     "jitter of the built-in data set, in its own units",
     [](const S& s, const V&) -> Value {
         if (s.datasetParams.noise < 0) return std::nullopt;
         return s.datasetParams.noise;
     },
     [](S& s, V&, const KeyValue& v) { s.datasetParams.noise = number(v); }},
    {KeySection::Data,
     "dim",
     "dim",
     "N",
     KeyKind::Integer,
     {1, static_cast<double>(physics::kMaxDataDim)},
     {},
     {},
     nullptr,
     false,
     {"N", 2, 1024, 0, true, "N = %d"},
     "dimension N of the built-in data set: shapes are embedded in N dimensions, clusters drawn "
     "in a subspace of them (real tables keep theirs)",
     [](const S& s, const V&) -> Value {
         if (s.datasetParams.dim == 0) return std::nullopt;
         return static_cast<double>(s.datasetParams.dim);
     },
     [](S& s, V&, const KeyValue& v) { s.datasetParams.dim = static_cast<int>(number(v)); }},
    {KeySection::Data,
     "scale",
     "scale",
     "K",
     KeyKind::Number,
     {0, kInf, true, true},
     {},
     {},
     nullptr,
     false,
     {},
     "scale factor of the built-in data set",
     [](const S& s, const V&) -> Value { return s.datasetParams.scale; },
     [](S& s, V&, const KeyValue& v) { s.datasetParams.scale = number(v); }},
    {KeySection::Data,
     "seed",
     "data-seed",
     "S",
     KeyKind::Seed,
     {},
     {},
     {},
     nullptr,
     false,
     {"data seed", 0, INT32_MAX, 0, false, "%d"},
     "seed of the built-in data set's random draw",
     [](const S& s, const V&) -> Value { return s.datasetParams.seed; },
     [](S& s, V&, const KeyValue& v) { s.datasetParams.seed = std::get<std::uint64_t>(v); }},
    {KeySection::Data,
     "path",
     "data",
     "FILE",
     KeyKind::Path,
     {},
     {},
     {},
     nullptr,
     false,
     {},
     "data file instead of the data set: .csv (column q or weight = charges), .npy (M x N), "
     ".ply/.xyz 3-D points (PLY vertex property q or weight = charges), or a .png/.jpg picture "
     "(a charge per pixel, weighted by darkness or brightness)",
     [](const S& s, const V&) -> Value {
         if (s.dataPath.empty()) return std::nullopt;
         return s.dataPath;
     },
     // A data file replaces hand-edited charges; the data set is kept for when it is cleared.
     [](S& s, V&, const KeyValue& v) {
         s.dataPath = text(v);
         s.editedPositions.clear();
         s.editedWeights.clear();
     }},
    // How a picture given as the data file becomes charges (ignored for other data).
    {KeySection::Data,
     "imageWeight",
     "image-weight",
     {},
     KeyKind::Choice,
     {},
     {},
     "image weight",
     imageWeightNames,
     false,
     {},
     "a picture given as data (.png, .jpg): its charges are its dark pixels (darkness = 1 - "
     "luminance) or its bright ones",
     [](const S& s, const V&) -> Value {
         return std::string(physics::choiceOf(kImageWeights, s.image.weight)->name);
     },
     [](S& s, V&, const KeyValue& v) {
         s.image.weight = *physics::parseChoice(kImageWeights, text(v));
     }},
    {KeySection::Data,
     "imageThreshold",
     "image-threshold",
     "W",
     KeyKind::Number,
     {0, 1, false, true},
     {},
     {},
     nullptr,
     false,
     {"threshold", 0, 0.95, 0, false, "%.2f"},
     "pixels of a picture whose weight (0..1) is at most W are no charges",
     [](const S& s, const V&) -> Value { return s.image.threshold; },
     [](S& s, V&, const KeyValue& v) { s.image.threshold = number(v); }},
    {KeySection::Data,
     "imageStride",
     "image-stride",
     "K",
     KeyKind::Integer,
     {1, 64},
     {},
     {},
     nullptr,
     false,
     {"pixel stride", 1, 16, 0, false, "%d"},
     "a picture's charges are every K-th pixel across and down (1: every pixel)",
     [](const S& s, const V&) -> Value { return static_cast<double>(s.image.stride); },
     [](S& s, V&, const KeyValue& v) { s.image.stride = static_cast<int>(number(v)); }},

    {KeySection::Field,
     "D",
     "D",
     "VALUE|inf",
     KeyKind::ExtraDims,
     {},
     {},
     {},
     nullptr,
     false,
     {},
     "augmented dimensions D >= 1; inf is the diffusion (EDM) limit",
     [](const S& s, const V&) -> Value { return s.d; },
     [](S& s, V&, const KeyValue& v) { s.d = number(v); }},
    // The bounds keep σ², 1/σ² and σ^(1/ρ) inside float and double range on every path.
    {KeySection::Field,
     "sigmaMin",
     "sigma-min",
     "S",
     KeyKind::Number,
     {1e-9, 1e9},
     {},
     {},
     nullptr,
     false,
     {},
     "bottom of the flow (the last step goes from there to sigma = 0)",
     [](const S& s, const V&) -> Value { return s.sigmaMin; },
     [](S& s, V&, const KeyValue& v) { s.sigmaMin = number(v); }},
    {KeySection::Field,
     "sigmaMax",
     "sigma-max",
     "S",
     KeyKind::Number,
     {0, 1e9, true, false},
     "sigmaMin",
     {},
     nullptr,
     false,
     {"sigma max", 1, 200, 0, true, "%.1f"},
     "top of the flow: the hemisphere has radius sigma-max*sqrt(D)",
     [](const S& s, const V&) -> Value { return s.sigmaMax; },
     [](S& s, V&, const KeyValue& v) { s.sigmaMax = number(v); }},
    {KeySection::Field,
     "solver",
     "solver",
     {},
     KeyKind::Choice,
     {},
     {},
     "solver",
     solverNames,
     false,
     {},
     "ODE solver of flows from the prior (rk45: adaptive Dormand-Prince)",
     [](const S& s, const V&) -> Value { return std::string(physics::solverName(s.solver)); },
     [](S& s, V&, const KeyValue& v) { s.solver = *physics::parseSolver(text(v)); }},
    {KeySection::Field,
     "method",
     "field-method",
     {},
     KeyKind::Choice,
     {},
     {},
     "field method",
     fieldMethodNames,
     false,
     {},
     "how the exact field is evaluated: auto (the tree code from 10,000 charges on), tree (a "
     "k-d tree with a certified error bound, data of up to 3 coordinates) or direct (every "
     "charge)",
     [](const S& s, const V&) -> Value {
         return std::string(physics::choiceOf(physics::kFieldMethods, s.fieldMethod)->name);
     },
     [](S& s, V&, const KeyValue& v) {
         s.fieldMethod = *physics::parseChoice(physics::kFieldMethods, text(v));
     }},
    {KeySection::Field,
     "tolerance",
     "field-tolerance",
     "T",
     KeyKind::Number,
     {physics::kMinFieldTolerance, physics::kMaxFieldTolerance},
     {},
     {},
     nullptr,
     false,
     {"tolerance", 1e-6, 1e-2, 0, true, "%.0e"},
     "the tree code's error bound on every x-hat, as a fraction of the data's spread",
     [](const S& s, const V&) -> Value { return s.fieldTolerance; },
     [](S& s, V&, const KeyValue& v) { s.fieldTolerance = number(v); }},
    {KeySection::Field,
     "steps",
     "steps",
     "K",
     KeyKind::Integer,
     {1, 100'000},
     {},
     {},
     nullptr,
     false,
     {"steps", 2, 256, 0, true, "%d"},
     "steps of the EDM sigma schedule (K steps including the final one)",
     [](const S& s, const V&) -> Value { return static_cast<double>(s.steps); },
     [](S& s, V&, const KeyValue& v) { s.steps = static_cast<int>(number(v)); }},
    {KeySection::Field,
     "particleSource",
     "particles-from",
     {},
     KeyKind::Choice,
     {},
     {},
     "particle source",
     particleSourceNames,
     false,
     {},
     "particles start on the hemisphere (each follows its exact field line) or from the prior "
     "at sigma-max (moved by the solver)",
     [](const S& s, const V&) -> Value {
         return std::string(physics::choiceOf(kParticleSources, s.particleSource)->name);
     },
     [](S& s, V&, const KeyValue& v) {
         s.particleSource = *physics::parseChoice(kParticleSources, text(v));
     }},
    // The CPU keeps 20,000 particles interactive, compute shaders 200,000 at frame rate.
    {KeySection::Field,
     "particles",
     "particles",
     "P",
     KeyKind::Integer,
     {0, 200'000},
     {},
     {},
     nullptr,
     false,
     {"particles", 10, 20'000, 200'000, true, "%d"},
     "animated particles flowed from noise to data",
     [](const S& s, const V&) -> Value { return static_cast<double>(s.particles); },
     [](S& s, V&, const KeyValue& v) { s.particles = static_cast<int>(number(v)); }},
    {KeySection::Field,
     "fieldLines",
     "field-lines",
     "L",
     KeyKind::Integer,
     {0, 100'000},
     {},
     {},
     nullptr,
     false,
     {"field lines", 0, 1000, 0, true, "%d"},
     "field lines, coloured by the perturbed density",
     [](const S& s, const V&) -> Value { return static_cast<double>(s.fieldLines); },
     [](S& s, V&, const KeyValue& v) { s.fieldLines = static_cast<int>(number(v)); }},
    {KeySection::Field,
     "seeding",
     "lines-from",
     {},
     KeyKind::Choice,
     {},
     {},
     "seeding",
     seedingNames,
     false,
     {},
     "field lines leave the charges in proportion to their weight (equal flux), or come down "
     "from the hemisphere",
     [](const S& s, const V&) -> Value {
         return std::string(physics::choiceOf(kSeedings, s.seeding)->name);
     },
     [](S& s, V&, const KeyValue& v) { s.seeding = *physics::parseChoice(kSeedings, text(v)); }},
    {KeySection::Field,
     "seed",
     "seed",
     "S",
     KeyKind::Seed,
     {},
     {},
     {},
     nullptr,
     false,
     {},
     "seed of the starting points (particles, field lines)",
     [](const S& s, const V&) -> Value { return s.seed; },
     [](S& s, V&, const KeyValue& v) { s.seed = std::get<std::uint64_t>(v); }},

    {KeySection::View,
     "layers",
     "layers",
     "LIST",
     KeyKind::Layers,
     {},
     {},
     "layer",
     nullptr,
     false,
     {},
     "layers to draw, comma-separated (empty: none)",
     [](const S&, const V& v) -> Value { return static_cast<std::uint64_t>(v.layers); },
     [](S&, V& v, const KeyValue& x) {
         v.layers = static_cast<unsigned>(std::get<std::uint64_t>(x));
     }},
    {KeySection::View,
     "colorMap",
     "color-map",
     {},
     KeyKind::Choice,
     {},
     {},
     "colour map",
     colorMapNames,
     false,
     {},
     "colours of sigma (particles, trails) and of the density (field lines)",
     [](const S&, const V& v) -> Value { return std::string(render::colorMapName(v.colorMap)); },
     [](S&, V& v, const KeyValue& x) { v.colorMap = *render::parseColorMap(text(x)); }},
    {KeySection::View,
     "stage",
     "stage",
     {},
     KeyKind::Choice,
     {},
     {},
     "stage",
     stageNames,
     false,
     {},
     "what the scene is drawn on: dark for screens and projectors, light for white slides and "
     "print",
     [](const S&, const V& v) -> Value { return std::string(render::stageName(v.stage)); },
     [](S&, V& v, const KeyValue& x) { v.stage = *render::parseStage(text(x)); }},
    {KeySection::View,
     "projection",
     "projection",
     {},
     KeyKind::Choice,
     {},
     {},
     "projection",
     projectionNames,
     false,
     {},
     "how data of more than 3 coordinates is drawn: auto (the embedding's plane for an embedded "
     "shape, else principal components), embedding, pca, or axes (two coordinates: --axis-x, "
     "--axis-y)",
     [](const S& s, const V&) -> Value {
         return std::string(physics::choiceOf(kProjections, s.projection)->name);
     },
     [](S& s, V&, const KeyValue& x) {
         s.projection = *physics::parseChoice(kProjections, text(x));
     }},
    {KeySection::View,
     "axisX",
     "axis-x",
     "I",
     KeyKind::Integer,
     {1, physics::kMaxDataDim},
     {},
     {},
     nullptr,
     false,
     {},
     "the coordinate (from 1) drawn across with --projection axes",
     [](const S& s, const V&) -> Value { return static_cast<double>(s.axisX); },
     [](S& s, V&, const KeyValue& x) { s.axisX = static_cast<int>(number(x)); }},
    {KeySection::View,
     "axisY",
     "axis-y",
     "I",
     KeyKind::Integer,
     {1, physics::kMaxDataDim},
     {},
     {},
     nullptr,
     false,
     {},
     "the coordinate (from 1) drawn upwards with --projection axes",
     [](const S& s, const V&) -> Value { return static_cast<double>(s.axisY); },
     [](S& s, V&, const KeyValue& x) { s.axisY = static_cast<int>(number(x)); }},
    {KeySection::View,
     "trailLength",
     "trail",
     "E",
     KeyKind::Number,
     {0, FLT_MAX},
     {},
     {},
     nullptr,
     true,
     {"trail", 0.05, 6, 0, false, "%.2f e-folds"},
     "length of the particles' trails in e-folds of sigma",
     [](const S&, const V& v) -> Value { return static_cast<double>(v.trailLength); },
     [](S&, V& v, const KeyValue& x) { v.trailLength = static_cast<float>(number(x)); }},
    {KeySection::View,
     "decadesPerSecond",
     {},
     {},
     KeyKind::Number,
     {0, FLT_MAX, true, false},
     {},
     {},
     nullptr,
     true,
     {"speed", 0.05, 5, 0, true, "%.2f decades/s"},
     "playback speed in decades of sigma per second",
     [](const S&, const V& v) -> Value { return static_cast<double>(v.decadesPerSecond); },
     [](S&, V& v, const KeyValue& x) { v.decadesPerSecond = static_cast<float>(number(x)); }},
    {KeySection::View,
     "playing",
     {},
     {},
     KeyKind::Flag,
     {},
     {},
     {},
     nullptr,
     false,
     {},
     "the flow plays",
     [](const S&, const V& v) -> Value { return v.playing; },
     [](S&, V& v, const KeyValue& x) { v.playing = std::get<bool>(x); }},
    {KeySection::View,
     "loop",
     {},
     {},
     KeyKind::Flag,
     {},
     {},
     {},
     nullptr,
     false,
     {},
     "start the flow again after it lands",
     [](const S&, const V& v) -> Value { return v.loop; },
     [](S&, V& v, const KeyValue& x) { v.loop = std::get<bool>(x); }},
    {KeySection::View,
     "forward",
     "forward",
     {},
     KeyKind::Flag,
     {},
     {},
     {},
     nullptr,
     false,
     {},
     "play the flow upwards, from the data to sigma-max (encoding)",
     [](const S&, const V& v) -> Value { return v.forward; },
     [](S&, V& v, const KeyValue& x) { v.forward = std::get<bool>(x); }},
    {KeySection::View,
     "compare",
     {},
     {},
     KeyKind::Flag,
     {},
     {},
     {},
     nullptr,
     false,
     {},
     "small multiples: the same scene at D = 1, 8, 128 and inf",
     [](const S&, const V& v) -> Value { return v.compare; },
     [](S&, V& v, const KeyValue& x) { v.compare = std::get<bool>(x); }},
};

} // namespace

std::span<const SceneKey> sceneKeys() {
    return kKeys;
}

} // namespace psc::app
