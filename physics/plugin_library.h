// Modules loaded only when a feature needs them: LibTorch's learned fields
// (libpoissonscope-torch.so) and FFmpeg's encoders (libpoissonscope-video.so). Loading LibTorch
// costs about 0.6 s and FFmpeg about 50 ms of every start, so `--version`, `datasets` and an
// exact `sample` start without them.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace psc::physics {

// A module that cannot be found or loaded; what() is one line naming the module, the feature that
// needs it and every place searched.
class PluginError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Where modules are looked for, in order: $POISSONSCOPE_PLUGIN_DIR when set; the directory of the
// program or Python module that holds this code; lib/poissonscope of an installed tree, relative
// to an installed binary or Python module; the build tree and the install tree this code was
// configured with.
std::vector<std::string> pluginSearchDirs();

// The address of `symbol` in the module lib<name>.so, loaded once per process (never unloaded,
// since objects it made may outlive any caller). `feature` says in errors what needed it
// ("learned fields"). Throws PluginError. Thread-safe.
void* pluginSymbol(const std::string& name, const char* symbol, const char* feature);

} // namespace psc::physics
