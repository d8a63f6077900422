// Internal to the LibTorch module: a model trained in PyTorch and exported with torch.jit.script
// or torch.jit.trace, used as a learned field.
#pragma once

#include "physics/torch/learned_field.h"

#include <memory>
#include <string>

namespace psc::physics::detail {

// The metadata file a module may carry (torch.jit.save(m, path, _extra_files={...})).
inline constexpr const char* kScriptMetadataFile = "poissonscope.json";

// Reads the module at path and checks it on a probe batch (see LearnedField::load). Throws
// ModelFileError "path: reason".
std::unique_ptr<LearnedField> loadScriptedField(const std::string& path,
                                                const LoadOptions& options);

} // namespace psc::physics::detail
