// The entry points of the LibTorch module (libpoissonscope-torch.so). Everything else reaches
// LibTorch only through this table, which learned_field_loader.cpp fetches on first use, so a
// process that never touches a learned field never loads LibTorch.
#pragma once

#include "physics/charge_set.h"
#include "physics/denoiser.h"
#include "physics/torch/learned_field.h"

#include <cstddef>
#include <memory>
#include <string>

namespace psc::physics::torch_plugin {

// Bumped whenever this table or a type it passes changes; the sizes catch a forgotten bump.
inline constexpr int kAbiVersion = 1;
inline constexpr const char* kModuleName = "poissonscope-torch";
inline constexpr const char* kEntryPoint = "psc_torch_plugin_api";

struct Api {
    int abiVersion;
    std::size_t trainSettingsSize;
    std::size_t modelInfoSize;
    std::unique_ptr<LearnedField> (*train)(
        const ChargeSet& data, const TrainSettings& settings, const std::string& datasetName,
        const std::function<void(const TrainProgress&)>& progress, const CancelFlag* cancel,
        const TrainSnapshots& snapshots);
    std::unique_ptr<LearnedField> (*load)(const std::string& path, const LoadOptions& options);
    // The exact denoiser in LibTorch tensors; device receives "cpu" or "cuda".
    std::unique_ptr<Denoiser> (*exactDenoiser)(const ChargeSet& charges, double d, int threads,
                                               std::size_t chunk, std::string& device);
    void (*setThreads)(int threads);
    std::string (*buildSummary)();
};

} // namespace psc::physics::torch_plugin

extern "C" const psc::physics::torch_plugin::Api* psc_torch_plugin_api();
