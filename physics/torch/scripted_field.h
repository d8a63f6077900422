// Internal to the LibTorch module: a model trained in PyTorch and exported with torch.jit.script
// or torch.jit.trace, used as a learned field.
#pragma once

#include "physics/torch/learned_field.h"

#include <torch/script.h>

#include <torch/script.h>

#include <memory>
#include <string>

namespace psc::physics::detail {

// The metadata file a module may carry (torch.jit.save(m, path, _extra_files={...})).
inline constexpr const char* kScriptMetadataFile = "poissonscope.json";

// The module read from path, with the text of its metadata file ("" when it has none), as a
// learned field, checked on a probe batch (see LearnedField::load). Throws ModelFileError
// "path: reason".
std::unique_ptr<LearnedField> scriptedField(const std::string& path, torch::jit::Module module,
                                            const std::string& metadata,
                                            const LoadOptions& options);

} // namespace psc::physics::detail
