// Internal to the LibTorch module: reading a learned-field file of either kind.
#pragma once

#include "physics/torch/learned_field.h"

#include <memory>
#include <string>

namespace psc::physics::detail {

// LearnedField::load's body: a Poissonscope archive (by its format tag) or else a TorchScript
// module. Throws ModelFileError.
std::unique_ptr<LearnedField> loadLearnedField(const std::string& path, const LoadOptions& options);

} // namespace psc::physics::detail
