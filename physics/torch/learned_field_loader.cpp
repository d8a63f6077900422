// The torch-free side of learned fields: LearnedField's factories, TorchDenoiser and the LibTorch
// settings forward to the LibTorch module, loaded on first use (physics/torch/torch_plugin.h).
// Built with -DPSC_WITH_TORCH=OFF there is no module, and each of them says so in one sentence.
#include "physics/plugin_library.h"
#include "physics/torch/learned_field.h"
#include "physics/torch/torch_denoiser.h"
#include "physics/torch/torch_plugin.h"

namespace psc::physics {
namespace {

// The module's table, checked once; throws LearnedFieldsNotBuiltIn (with `notBuiltIn`) in a
// build without LibTorch, PluginError when the module is missing or from another build.
const torch_plugin::Api& torchModule(const char* notBuiltIn = kLearnedFieldsNotBuiltIn) {
#ifndef PSC_TORCH_MODULE
    throw LearnedFieldsNotBuiltIn(notBuiltIn);
#else
    (void)notBuiltIn;
    static const torch_plugin::Api* api = [] {
        using Entry = const torch_plugin::Api* (*)();
        const auto entry = reinterpret_cast<Entry>(pluginSymbol(
            torch_plugin::kModuleName, torch_plugin::kEntryPoint, "learned fields and LibTorch"));
        const auto* table = entry();
        if (table->abiVersion != torch_plugin::kAbiVersion ||
            table->trainSettingsSize != sizeof(TrainSettings) ||
            table->modelInfoSize != sizeof(ModelInfo))
            throw PluginError(std::string("lib") + torch_plugin::kModuleName +
                              ".so is from another Poissonscope build (interface version " +
                              std::to_string(table->abiVersion) + ", this program has " +
                              std::to_string(torch_plugin::kAbiVersion) + ")");
        return table;
    }();
    return *api;
#endif
}

} // namespace

bool learnedFieldsBuiltIn() {
#ifdef PSC_TORCH_MODULE
    return true;
#else
    return false;
#endif
}

std::unique_ptr<LearnedField>
LearnedField::train(const ChargeSet& data, const TrainSettings& settings,
                    const std::string& datasetName,
                    const std::function<void(const TrainProgress&)>& progress,
                    const CancelFlag* cancel, const TrainSnapshots& snapshots) {
    return torchModule().train(data, settings, datasetName, progress, cancel, snapshots);
}

std::unique_ptr<LearnedField> LearnedField::load(const std::string& path,
                                                 const LoadOptions& options) {
    return torchModule().load(path, options);
}

TorchDenoiser::TorchDenoiser(const ChargeSet& charges, double d, int threads, std::size_t chunk)
    : m_dim(charges.dim()), m_impl(torchModule(kTorchBackendNotBuiltIn)
                                       .exactDenoiser(charges, d, threads, chunk, m_device)) {}

TorchDenoiser::~TorchDenoiser() = default;

void TorchDenoiser::denoise(std::span<const double> points, double sigma,
                            std::span<double> out) const {
    m_impl->denoise(points, sigma, out);
}

std::string TorchDenoiser::device() const {
    return m_device;
}

void setLibTorchThreads(int threads) {
    if (learnedFieldsBuiltIn()) torchModule().setThreads(threads);
}

std::string torchBuildSummary() {
    if (!learnedFieldsBuiltIn()) return "LibTorch: not built in (PSC_WITH_TORCH=OFF)";
    return torchModule().buildSummary();
}

} // namespace psc::physics
