#include "physics/plugin_library.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>

namespace psc::physics {
namespace {

std::mutex& modulesMutex() {
    static std::mutex m;
    return m;
}

std::map<std::string, void*>& loadedModules() {
    static std::map<std::string, void*> modules;
    return modules;
}

std::string directoryOfThisImage() {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&pluginSearchDirs), &info) == 0 || !info.dli_fname)
        return {};
    std::error_code ec;
    const auto image = std::filesystem::canonical(info.dli_fname, ec);
    return ec ? std::string() : image.parent_path().string();
}

void* openModule(const std::string& name, const char* feature) {
    const std::string file = "lib" + name + ".so";
    std::string searched, firstError;
    for (const auto& dir : pluginSearchDirs()) {
        const auto path = std::filesystem::path(dir) / file;
        std::error_code ec;
        searched += (searched.empty() ? "" : ", ") + dir;
        if (!std::filesystem::is_regular_file(path, ec)) continue;
        // RTLD_LOCAL: the module's own copy of the physics core stays its own.
        if (void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL)) return handle;
        if (firstError.empty()) firstError = dlerror();
    }
    if (!firstError.empty())
        throw PluginError(std::string(feature) + " need " + file +
                          ", which did not load: " + firstError);
    throw PluginError(std::string(feature) + " need " + file +
                      ", which is not installed (looked in " + searched +
                      "; set POISSONSCOPE_PLUGIN_DIR to its directory)");
}

} // namespace

std::vector<std::string> pluginSearchDirs() {
    std::vector<std::string> dirs;
    const auto add = [&](const std::string& dir) {
        if (dir.empty()) return;
        for (const auto& d : dirs)
            if (d == dir) return;
        dirs.push_back(dir);
    };
    if (const char* env = std::getenv("POISSONSCOPE_PLUGIN_DIR")) add(env);
    const auto here = directoryOfThisImage();
    add(here);
    const auto beside = [&](const char* relative) {
        if (here.empty()) return;
        std::error_code ec;
        const auto dir =
            std::filesystem::weakly_canonical(std::filesystem::path(here) / relative, ec);
        if (!ec) add(dir.string());
    };
#ifdef PSC_PLUGIN_FROM_BIN
    beside(PSC_PLUGIN_FROM_BIN);
#endif
#ifdef PSC_PLUGIN_FROM_PYTHON
    beside(PSC_PLUGIN_FROM_PYTHON);
#endif
#ifdef PSC_PLUGIN_BUILD_DIR
    add(PSC_PLUGIN_BUILD_DIR);
#endif
#ifdef PSC_PLUGIN_INSTALL_DIR
    add(PSC_PLUGIN_INSTALL_DIR);
#endif
    return dirs;
}

void* pluginSymbol(const std::string& name, const char* symbol, const char* feature) {
    std::lock_guard lock(modulesMutex());
    auto& modules = loadedModules();
    auto it = modules.find(name);
    if (it == modules.end()) it = modules.emplace(name, openModule(name, feature)).first;
    dlerror();
    void* address = dlsym(it->second, symbol);
    if (!address)
        throw PluginError("lib" + name + ".so has no entry point " + symbol +
                          " (a module from another Poissonscope build?)");
    return address;
}

} // namespace psc::physics
