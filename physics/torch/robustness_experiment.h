// The PFGM++ paper's robustness protocols re-run on toy data, one learned field per D.
#pragma once

#include "physics/charge_set.h"
#include "physics/progress.h"
#include "physics/torch/learned_field.h"

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace psc::physics {

struct ExperimentSettings {
    std::vector<double> ds{1, 4, 16, 128, 2048, std::numeric_limits<double>::infinity()};
    TrainSettings train;                          // its d is replaced by each of ds
    std::vector<double> alphas{0.0, 0.1, 0.2};    // (a) noise α·σ_k·ε before every step
    std::vector<int> stepCounts{4, 6, 9, 13, 18}; // (b) Heun schedules: NFE = 2·steps − 1
    std::vector<int> bits{5, 6, 7, 8, 9};         // (c) post-training weight quantisation
    std::size_t samples = 2000;                   // generated points per measurement
    std::uint64_t seed = 0;                       // start points and noise
    double sigmaMax = 80.0;
};

// One measurement: quality of samples from the learned field at D under one protocol setting.
struct ExperimentRow {
    double d;
    std::string protocol; // "alpha", "nfe" or "bits"
    double value;         // α, NFE or bits
    std::size_t nfe;      // denoiser evaluations the flow took
    double sw2;           // sliced Wasserstein-2 to the held-out data (lower is better)
    double mmd;           // MMD to the held-out data
};

// Trains one field per D on `train`, then for each protocol setting flows `samples` points from
// the centred prior with Heun (18 steps unless the protocol sets them) and measures them against
// `heldOut`. The baseline other rows are compared with: alpha 0, 18 steps, full-precision weights.
// progress gets a line per stage; cancel stops between measurements (returns the rows so far).
// Throws std::invalid_argument for invalid settings (empty lists, α < 0, steps < 2, bits outside
// 5..9, mismatched dimensions).
std::vector<ExperimentRow>
runRobustnessExperiment(const ChargeSet& train, const ChargeSet& heldOut,
                        const std::string& datasetName, const ExperimentSettings& settings,
                        const std::function<void(const std::string&)>& progress = {},
                        const CancelFlag* cancel = nullptr);

} // namespace psc::physics
