// Scene options: spec, parse, check and set from the key table.
#include "app/cli/scene_options.h"

#include <algorithm>

namespace psc::app {
namespace {

bool isPictureParameter(const SceneKey& key) {
    return key.section == KeySection::Data && key.name.starts_with("image");
}

bool isDataSetParameter(const SceneKey& key) {
    return key.section == KeySection::Data && key.kind != KeyKind::Path && key.name != "dataset" &&
           !isPictureParameter(key);
}

std::vector<const SceneKey*> keysOf(const SceneOptionKeys& names) {
    std::vector<const SceneKey*> keys;
    if (names.empty()) {
        for (const auto& key : sceneKeys())
            if (!key.option.empty()) keys.push_back(&key);
    } else {
        for (auto name : names) keys.push_back(&sceneKey(name));
    }
    return keys;
}

} // namespace

const SceneOptionKeys& dataOptionKeys() {
    static const SceneOptionKeys keys{
        "data.dataset", "data.path", "data.imageWeight", "data.imageThreshold", "data.imageStride",
        "data.count",   "data.dim",  "data.noise",       "data.scale",          "data.seed"};
    return keys;
}

std::vector<OptionSpec> sceneOptionSpecs(const SceneOptionKeys& names,
                                         const SceneSettings& defaults,
                                         const ViewSettings& viewDefaults) {
    auto specOf = [&](const SceneKey& key) {
        const std::string valueName = key.kind == KeyKind::Flag ? std::string()
                                      : !key.valueName.empty()  ? std::string(key.valueName)
                                                                : choiceList(key, "|");
        const auto value = key.get(defaults, viewDefaults);
        std::string shown;
        if (key.kind == KeyKind::Path || key.kind == KeyKind::Flag)
            shown.clear();
        else if (!value)
            shown = "its default";
        else
            shown = formatKeyValue(key, *value);
        return OptionSpec{std::string(key.option), valueName, std::string(key.help), shown};
    };
    std::vector<OptionSpec> specs;
    for (const SceneKey* key : keysOf(names)) specs.push_back(specOf(*key));
    return specs;
}

std::optional<std::string> applySceneOptions(const OptionParser& p, const SceneOptionKeys& names,
                                             SceneSettings& scene, ViewSettings& view) {
    const auto keys = keysOf(names);
    auto given = [&](const SceneKey& key) {
        return std::find(keys.begin(), keys.end(), &key) != keys.end() &&
               p.has(std::string(key.option));
    };
    const SceneKey& dataset = sceneKey("data.dataset");
    const SceneKey& path = sceneKey("data.path");
    if (given(dataset) && given(path))
        return "give either " + spell(path, KeySpelling::Option) + " or " +
               spell(dataset, KeySpelling::Option) + ", not both";
    SceneSettings s = scene;
    ViewSettings v = view;
    for (const SceneKey* k : keys) {
        const SceneKey& key = *k;
        if (!given(key)) continue;
        const std::string option = spell(key, KeySpelling::Option);
        if (given(path) && isDataSetParameter(key))
            return option + " applies to " + spell(dataset, KeySpelling::Option) + ", not to " +
                   spell(path, KeySpelling::Option);
        const std::string text = p.value(std::string(key.option));
        std::string problem;
        const auto value = key.kind == KeyKind::Flag ? std::optional<KeyValue>(true)
                                                     : parseKeyText(key, text, &problem);
        if (!value) return option + " " + problem + ", got '" + text + "'";
        if (auto requirement = checkKeyValue(key, *value))
            return key.kind == KeyKind::Choice
                       ? option + ": " + *requirement
                       : option + " " + *requirement + ", got '" + text + "'";
        key.set(s, v, *value);
    }
    if (const auto problem = validateScene(s, v, KeySpelling::Option, given))
        return describe(*problem, KeySpelling::Option);
    scene = std::move(s);
    view = std::move(v);
    return std::nullopt;
}

} // namespace psc::app
