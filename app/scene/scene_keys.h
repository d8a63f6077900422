// Every key of a scene, declared once: where it sits in scene files, its command-line option, the
// values it accepts, its help text and, for keys the control panel shows, the panel's label and
// slider bounds. Defaults are the initialisers of SceneSettings and ViewSettings. The scene-file
// reader and writer, the scene options of `sample`, `render` and `--screenshot`, the panel's
// bounds and validateScene() all read this table, so a key is added here and where it is used.
#pragma once

#include "app/scene/scene_settings.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace psc::app {

// The object of a scene file the key lives in.
enum class KeySection { Data, Field, View };

enum class KeyKind {
    Number,    // a finite real in range
    Integer,   // an integral real in range
    ExtraDims, // D: a number >= 1, or inf
    Seed,      // an unsigned 64-bit integer (scene files write those above 2^53 as strings)
    Choice,    // one name of a closed set
    Path,      // a non-empty file path
    Flag,      // true or false; on the command line, the option alone sets it
    Layers,    // a set of layer names (a bit mask of render::Layer)
};

// Numbers: double (Number, Integer, ExtraDims); std::uint64_t (Seed, Layers); bool (Flag);
// std::string (Choice, Path).
using KeyValue = std::variant<double, std::uint64_t, bool, std::string>;

struct KeyRange {
    double lo = 0, hi = 0;
    bool loOpen = false, hiOpen = false; // an open end excludes the bound itself
};

// A slider on the control panel: its bounds lie inside the key's range; a value typed into it
// (Ctrl+click) is clamped to the range, not to the slider.
struct PanelSlider {
    std::string_view label; // empty: the key has no slider
    double lo = 0, hi = 0;
    double hiWithGpu = 0; // > 0: the upper bound while the GPU moves the particles
    bool logarithmic = false;
    std::string_view format; // printf format of the value on the slider
};

struct SceneKey {
    KeySection section;
    std::string_view name;      // within its section: "sigmaMax"
    std::string_view option;    // "sigma-max" (--sigma-max); empty: not a command-line option
    std::string_view valueName; // "S"; empty for a choice: its names joined by '|'
    KeyKind kind;
    KeyRange range;         // Number and Integer
    std::string_view above; // the name of a key of the same section this one must exceed
    std::string_view noun;  // Choice: "solver", for "unknown solver 'x'"
    std::vector<std::string> (*choices)() = nullptr; // Choice
    bool singlePrecision = false; // a float member: written in its shortest float form
    PanelSlider panel;
    std::string_view help;
    // The key's value; nullopt while unset (a built-in data set's own count or noise).
    std::optional<KeyValue> (*get)(const SceneSettings&, const ViewSettings&);
    // Stores a value that passed checkKeyValue.
    void (*set)(SceneSettings&, ViewSettings&, const KeyValue&);
};

std::span<const SceneKey> sceneKeys();
// The key "data.count", "field.D", "view.layers", ... (a programmer error if there is none).
const SceneKey& sceneKey(std::string_view fileKey);
const char* sectionName(KeySection section); // "data", "field", "view"
std::string fileKeyOf(const SceneKey& key);  // "field.sigmaMax"

// How a front end spells keys in its messages: scene files "field.sigmaMax", options
// "--sigma-max" (keys without an option keep their file name).
enum class KeySpelling { File, Option };
std::string spell(const SceneKey& key, KeySpelling spelling);

// What the key accepts, as the tail of a message: "must be an integer in [1, 100000]".
std::string keyRequirement(const SceneKey& key);
// Empty when value is of the key's kind and within its range (a choice among its names);
// otherwise what is wrong, without the key: "must be a number > 0", "unknown solver 'x' (euler,
// heun, rk4, rk45)". Relations between keys are validateScene's.
std::optional<std::string> checkKeyValue(const SceneKey& key, const KeyValue& value);

// Text as the command line gives it: numbers in full (no trailing text), D as a number or inf,
// layers as comma-separated names. Empty with *problem set when the text is not of the key's
// kind; range is checkKeyValue's.
std::optional<KeyValue> parseKeyText(const SceneKey& key, std::string_view text,
                                     std::string* problem);
// The inverse, for help texts and messages: "80", "inf", "heun", "grid,axes".
std::string formatKeyValue(const SceneKey& key, const KeyValue& value);
// The value names of a Choice key or a Layers key joined by sep, "" for other kinds.
std::string choiceList(const SceneKey& key, std::string_view sep);

struct KeyProblem {
    const SceneKey* key;     // null: the hand-edited charges
    std::string requirement; // "must be an integer in [1, 100000]"
    std::string got;         // the offending value as text; empty when there is none
};
// Every key's value, the relations between keys (sigmaMax > sigmaMin) and the hand-edited charges
// (pairs of finite numbers; no weights or one > 0 per charge). given tells which keys the input
// named: a broken relation is blamed on the named key of the two (on the upper one when both or
// neither were named), in the other's spelling.
std::optional<KeyProblem> validateScene(const SceneSettings& scene, const ViewSettings& view,
                                        KeySpelling spelling,
                                        const std::function<bool(const SceneKey&)>& given = {});
// "field.steps: must be an integer in [1, 100000] (got 0)" or
// "--steps must be an integer in [1, 100000], got '0'".
std::string describe(const KeyProblem& problem, KeySpelling spelling);
// validateScene in file spelling, as one line; empty when the scene is valid.
std::optional<std::string> validateSceneSettings(const SceneSettings& scene,
                                                 const ViewSettings& view = {});

} // namespace psc::app
