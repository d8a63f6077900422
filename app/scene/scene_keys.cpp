// The key table, and the checks, parsing and formatting that every front end shares.
#include "app/scene/scene_keys.h"

#include "physics/extra_dims.h"
#include "physics/named_choices.h"

#include <cassert>
#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstdio>
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
std::vector<std::string> particleSourceNames() {
    return namesOf(kParticleSources);
}
std::vector<std::string> seedingNames() {
    return namesOf(kSeedings);
}
std::vector<std::string> colorMapNames() {
    return namesOf(render::kColorMaps);
}

double number(const KeyValue& v) {
    return std::get<double>(v);
}
const std::string& text(const KeyValue& v) {
    return std::get<std::string>(v);
}

// The shortest decimal that reads back to the same number ("0.002", not "0.0020000000000000";
// for a float "1.2", not the double 1.2000000476837158).
template <typename T>
std::string shortest(T x) {
    char buf[32];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
    return ec == std::errc() ? std::string(buf, end) : std::to_string(x);
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
     "data file instead of the data set: .csv (column q or weight = charges) or .npy (M x N)",
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

std::optional<double> parseNumber(std::string_view t) {
    double v = 0;
    const char* end = t.data() + t.size();
    const auto [ptr, ec] = std::from_chars(t.data(), end, v);
    if (t.empty() || ec != std::errc() || ptr != end || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::string bound(double x) {
    return x == kInf ? std::string("inf") : shortest(x);
}

bool inRange(const KeyRange& r, double x) {
    return (r.loOpen ? x > r.lo : x >= r.lo) && (r.hiOpen ? x < r.hi : x <= r.hi);
}

std::string rangeText(const KeyRange& r) {
    if (r.hi == kInf) return std::string(r.loOpen ? "> " : ">= ") + bound(r.lo);
    return std::string("in ") + (r.loOpen ? "(" : "[") + bound(r.lo) + ", " + bound(r.hi) +
           (r.hiOpen ? ")" : "]");
}

} // namespace

std::span<const SceneKey> sceneKeys() {
    return kKeys;
}

const char* sectionName(KeySection section) {
    switch (section) {
    case KeySection::Data:
        return "data";
    case KeySection::Field:
        return "field";
    case KeySection::View:
        return "view";
    }
    return "?";
}

std::string fileKeyOf(const SceneKey& key) {
    return std::string(sectionName(key.section)) + "." + std::string(key.name);
}

const SceneKey& sceneKey(std::string_view fileKey) {
    for (const auto& key : kKeys)
        if (fileKeyOf(key) == fileKey) return key;
    assert(false && "app::sceneKey: no such key");
    return kKeys[0];
}

std::string spell(const SceneKey& key, KeySpelling spelling) {
    if (spelling == KeySpelling::Option && !key.option.empty())
        return "--" + std::string(key.option);
    return spelling == KeySpelling::File ? fileKeyOf(key) : std::string(key.name);
}

std::string choiceList(const SceneKey& key, std::string_view sep) {
    std::string out;
    if (key.kind == KeyKind::Layers) return physics::choiceNames(render::kLayers, sep);
    if (key.kind != KeyKind::Choice) return out;
    for (const auto& name : key.choices()) {
        if (!out.empty()) out += sep;
        out += name;
    }
    return out;
}

std::string keyRequirement(const SceneKey& key) {
    switch (key.kind) {
    case KeyKind::Number:
        return "must be a number " + rangeText(key.range);
    case KeyKind::Integer:
        return "must be an integer " + rangeText(key.range);
    case KeyKind::ExtraDims:
        return "must be a number >= 1 or \"inf\"";
    case KeyKind::Seed:
        return "must be an integer in [0, 2^64 - 1]";
    case KeyKind::Choice:
        return "must name a " + std::string(key.noun) + " (" + choiceList(key, ", ") + ")";
    case KeyKind::Path:
        return "must be a non-empty file path";
    case KeyKind::Flag:
        return "must be true or false";
    case KeyKind::Layers:
        return "must list layer names (" + choiceList(key, ", ") + ")";
    }
    return {};
}

std::optional<std::string> checkKeyValue(const SceneKey& key, const KeyValue& value) {
    switch (key.kind) {
    case KeyKind::Number:
    case KeyKind::Integer: {
        const double* x = std::get_if<double>(&value);
        if (!x || !std::isfinite(*x) || !inRange(key.range, *x) ||
            (key.kind == KeyKind::Integer && std::floor(*x) != *x))
            return keyRequirement(key);
        return std::nullopt;
    }
    case KeyKind::ExtraDims: {
        const double* x = std::get_if<double>(&value);
        if (!x || physics::validateExtraDims(*x)) return keyRequirement(key);
        return std::nullopt;
    }
    case KeyKind::Seed:
    case KeyKind::Layers: {
        const auto* x = std::get_if<std::uint64_t>(&value);
        if (!x || (key.kind == KeyKind::Layers && (*x & ~std::uint64_t{render::kAllLayers})))
            return keyRequirement(key);
        return std::nullopt;
    }
    case KeyKind::Choice: {
        const auto* name = std::get_if<std::string>(&value);
        if (!name) return keyRequirement(key);
        for (const auto& choice : key.choices())
            if (choice == *name) return std::nullopt;
        return "unknown " + std::string(key.noun) + " '" + *name + "' (" + choiceList(key, ", ") +
               ")";
    }
    case KeyKind::Path: {
        const auto* path = std::get_if<std::string>(&value);
        if (!path || path->empty()) return keyRequirement(key);
        return std::nullopt;
    }
    case KeyKind::Flag:
        if (!std::holds_alternative<bool>(value)) return keyRequirement(key);
        return std::nullopt;
    }
    return keyRequirement(key);
}

std::optional<KeyValue> parseKeyText(const SceneKey& key, std::string_view t,
                                     std::string* problem) {
    auto fail = [&](std::string why) -> std::optional<KeyValue> {
        if (problem) *problem = std::move(why);
        return std::nullopt;
    };
    switch (key.kind) {
    case KeyKind::Number:
    case KeyKind::Integer:
        if (const auto x = parseNumber(t)) return *x;
        return fail(keyRequirement(key));
    case KeyKind::ExtraDims:
        if (const auto d = physics::parseExtraDims(t)) return *d;
        return fail(keyRequirement(key));
    case KeyKind::Seed: {
        std::uint64_t v = 0;
        const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
        if (t.empty() || ec != std::errc() || ptr != t.data() + t.size())
            return fail(keyRequirement(key));
        return v;
    }
    case KeyKind::Choice:
    case KeyKind::Path:
        return std::string(t);
    case KeyKind::Flag:
        if (t == "true" || t == "1") return true;
        if (t == "false" || t == "0") return false;
        return fail(keyRequirement(key));
    case KeyKind::Layers: {
        std::uint64_t mask = 0;
        while (!t.empty()) {
            const auto comma = t.find(',');
            const std::string_view name = t.substr(0, comma);
            t = comma == std::string_view::npos ? std::string_view() : t.substr(comma + 1);
            if (name.empty()) continue;
            const auto* layer = physics::findChoice(render::kLayers, name);
            if (!layer)
                return fail("unknown layer '" + std::string(name) + "' (" + choiceList(key, ", ") +
                            ")");
            mask |= static_cast<std::uint64_t>(layer->value);
        }
        return mask;
    }
    }
    return fail(keyRequirement(key));
}

std::string formatKeyValue(const SceneKey& key, const KeyValue& value) {
    switch (key.kind) {
    case KeyKind::Number:
    case KeyKind::Integer:
        return key.singlePrecision ? shortest(static_cast<float>(number(value)))
                                   : shortest(number(value));
    case KeyKind::ExtraDims:
        return physics::formatExtraDims(number(value));
    case KeyKind::Seed:
        return std::to_string(std::get<std::uint64_t>(value));
    case KeyKind::Choice:
    case KeyKind::Path:
        return text(value);
    case KeyKind::Flag:
        return std::get<bool>(value) ? "true" : "false";
    case KeyKind::Layers: {
        std::string out;
        for (const auto& layer : render::kLayers)
            if (std::get<std::uint64_t>(value) & static_cast<std::uint64_t>(layer.value)) {
                if (!out.empty()) out += ',';
                out += layer.name;
            }
        return out;
    }
    }
    return {};
}

std::optional<KeyProblem> validateScene(const SceneSettings& scene, const ViewSettings& view,
                                        KeySpelling spelling,
                                        const std::function<bool(const SceneKey&)>& given) {
    for (const auto& key : kKeys) {
        const auto value = key.get(scene, view);
        if (!value) continue;
        if (auto requirement = checkKeyValue(key, *value))
            return KeyProblem{&key, *requirement, formatKeyValue(key, *value)};
    }
    for (const auto& upper : kKeys) {
        if (upper.above.empty()) continue;
        const SceneKey* lower = nullptr;
        for (const auto& key : kKeys)
            if (key.section == upper.section && key.name == upper.above) lower = &key;
        assert(lower && "app::validateScene: `above` names no key of its section");
        const double hi = number(*upper.get(scene, view)), lo = number(*lower->get(scene, view));
        if (hi > lo) continue;
        const bool blameLower = given && given(*lower) && !given(upper);
        const SceneKey& blamed = blameLower ? *lower : upper;
        const SceneKey& other = blameLower ? upper : *lower;
        const std::string otherName =
            spelling == KeySpelling::File ? std::string(other.name) : std::string(other.option);
        return KeyProblem{&blamed,
                          (blameLower ? "must be < " : "must be a number > ") + otherName + " = " +
                              shortest(blameLower ? hi : lo),
                          shortest(blameLower ? lo : hi)};
    }
    const auto& positions = scene.editedPositions;
    const auto& weights = scene.editedWeights;
    if (!positions.empty()) {
        bool ok = positions.size() % 2 == 0 &&
                  (weights.empty() || weights.size() == positions.size() / 2);
        for (double x : positions) ok = ok && std::isfinite(x);
        for (double w : weights) ok = ok && std::isfinite(w) && w > 0;
        if (!ok)
            return KeyProblem{nullptr,
                              "must be pairs of finite numbers with no weights or one weight > 0 "
                              "per charge",
                              {}};
    }
    return std::nullopt;
}

std::string describe(const KeyProblem& problem, KeySpelling spelling) {
    const std::string key = problem.key                     ? spell(*problem.key, spelling)
                            : spelling == KeySpelling::File ? "data.charges"
                                                            : "the edited charges";
    if (spelling == KeySpelling::File)
        return key + ": " + problem.requirement +
               (problem.got.empty() ? "" : " (got " + problem.got + ")");
    return key + " " + problem.requirement +
           (problem.got.empty() ? "" : ", got '" + problem.got + "'");
}

std::optional<std::string> validateSceneSettings(const SceneSettings& scene,
                                                 const ViewSettings& view) {
    if (const auto problem = validateScene(scene, view, KeySpelling::File))
        return describe(*problem, KeySpelling::File);
    return std::nullopt;
}

} // namespace psc::app
