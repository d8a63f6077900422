// What every front end shares about scene keys: lookup, checks, parsing, formatting and the
// validation of whole scenes (the rows themselves are in scene_key_table.cpp).
#include "app/scene/scene_keys.h"

#include "physics/datasets.h"
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

double number(const KeyValue& v) {
    return std::get<double>(v);
}

// The shortest decimal that reads back to the same number ("0.002", not "0.0020000000000000";
// for a float "1.2", not the double 1.2000000476837158).
template <typename T>
std::string shortest(T x) {
    char buf[32];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
    return ec == std::errc() ? std::string(buf, end) : std::to_string(x);
}

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
    for (const auto& key : sceneKeys())
        if (fileKeyOf(key) == fileKey) return key;
    assert(false && "app::sceneKey: no such key");
    return sceneKeys().front();
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
        return std::get<std::string>(value);
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
    for (const auto& key : sceneKeys()) {
        const auto value = key.get(scene, view);
        if (!value) continue;
        if (auto requirement = checkKeyValue(key, *value))
            return KeyProblem{&key, *requirement, formatKeyValue(key, *value)};
    }
    for (const auto& upper : sceneKeys()) {
        if (upper.above.empty()) continue;
        const SceneKey* lower = nullptr;
        for (const auto& key : sceneKeys())
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
    // The dimension a built-in set can be drawn in depends on the set (the key's range is the
    // widest one).
    if (scene.datasetParams.dim != 0 && scene.dataPath.empty() && positions.empty())
        if (const auto* info = physics::findDataset(scene.dataset))
            if (auto requirement = physics::checkDatasetDim(*info, scene.datasetParams.dim))
                return KeyProblem{&sceneKey("data.dim"), *requirement,
                                  std::to_string(scene.datasetParams.dim)};
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
