// Internal to the LibTorch module: our own learned field, the network F_θ with EDM's
// preconditioning, trained here and kept as Poissonscope archives.
#pragma once

#include "physics/torch/learned_field.h"
#include "physics/torch/pfgm_network.h"

namespace psc::physics::detail {

class NetworkField final : public LearnedField {
public:
    NetworkField(ModelInfo info, PfgmNetwork net)
        : LearnedField(std::move(info)), m_net(std::move(net)) {}

    void save(const std::string& path) const override; // learned_field_io.cpp
    std::unique_ptr<LearnedField> quantized(int bits) const override;
    void denoiseEach(std::span<const double> points, std::span<const double> sigmas,
                     std::span<double> out) const override;
    // The training loss itself (on F_θ's target), which equals λ(σ)|D_θ − y|² in exact
    // arithmetic; computed in the network's float32.
    double evaluationLoss(const ChargeSet& data, int samples, std::uint64_t seed) const override;

private:
    PfgmNetwork m_net; // the EMA weights
};

// LearnedField::train's body.
std::unique_ptr<LearnedField>
trainNetwork(const ChargeSet& data, const TrainSettings& settings, const std::string& datasetName,
             const std::function<void(const TrainProgress&)>& progress, const CancelFlag* cancel,
             const TrainSnapshots& snapshots);

// A Poissonscope archive already read into `archive` (its format tag checked); throws
// ModelFileError "path: corrupt model file: …".
std::unique_ptr<LearnedField> readNetworkField(torch::serialize::InputArchive& archive,
                                               const std::string& path);

// The tag that marks a Poissonscope archive.
inline constexpr const char* kNetworkFormatTag = "poissonscope-learned-field";

} // namespace psc::physics::detail
