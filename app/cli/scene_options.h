// The scene keys (app/scene/scene_keys.h) as command-line options: the specs that `sample`,
// `render` and `--screenshot` list, and the one way their values reach a scene.
#pragma once

#include "app/cli/option_parser.h"
#include "app/scene/scene_keys.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace psc::app {

// The scene keys a command takes as options, by file key ("data.count", "field.D", ...), in the
// order its help lists them; empty: every key that has an option.
using SceneOptionKeys = std::vector<std::string_view>;
// The keys of a data source: --dataset with its parameters, or --data.
const SceneOptionKeys& dataOptionKeys();

// Their specs. Defaults shown are those of `defaults` (unset ones: "its default").
std::vector<OptionSpec> sceneOptionSpecs(const SceneOptionKeys& keys = {},
                                         const SceneSettings& defaults = {},
                                         const ViewSettings& viewDefaults = {});

// Applies those of keys given on the command line to scene and view; those not given leave them as
// they are (the defaults, or a scene file's values). A data set or a data file named here
// replaces the data source. Then the whole scene is validated in option spelling. Returns a
// one-line refusal ("--steps must be an integer in [1, 100000], got '0'"); nothing is applied then.
std::optional<std::string> applySceneOptions(const OptionParser& parser,
                                             const SceneOptionKeys& keys, SceneSettings& scene,
                                             ViewSettings& view);

} // namespace psc::app
