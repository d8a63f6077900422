// The options of `poissonscope train` (the Python module's train() reads the same).
#pragma once

#include "app/cli/option_parser.h"

#include "physics/torch/learned_field.h"

#include <optional>
#include <string>
#include <vector>

namespace psc::app {

// The data options, then D, steps, batch, lr, width, depth, ema, seed, tail-quantile, threads,
// out, quiet, help.
std::vector<OptionSpec> trainOptionSpecs();

// The training settings of parsed options; a one-line refusal ("--D must be a number >= 1 or
// inf") otherwise.
std::optional<std::string> resolveTrainSettings(const OptionParser& parser,
                                                physics::TrainSettings& settings);

} // namespace psc::app
