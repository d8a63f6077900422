// The PFGM++ paper's robustness protocols re-run per D over repeated seeds: learned fields (one
// trained per D and seed) and the exact field, scored against held-out data.
#pragma once

#include "physics/charge_set.h"
#include "physics/exact_protocols.h"
#include "physics/experiment_summary.h"
#include "physics/progress.h"
#include "physics/torch/learned_field.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace psc::physics {

struct ExperimentSettings {
    std::vector<double> ds; // empty: defaultExperimentDs(N)
    TrainSettings train;    // its d and seed are set per run
    ProtocolLists lists;
    bool learned = true; // protocols (a), (b), (c) with learned fields
    bool exact = true;   // protocols (a), (b) with the exact field
    int seeds = 5;       // repetitions; repetition k trains with seed + k and starts from seed + k
    std::size_t samples = 2000; // generated points per measurement
    std::uint64_t seed = 0;
    double sigmaMax = 80.0;
};

// Empty when runnable, else the reason ("seeds must be in [1, 100], got 0").
std::optional<std::string> validateExperimentSettings(const ExperimentSettings& settings);

// What the first repetition generated at the baseline setting (α = 0, 18 Heun steps, full
// weights), for pictures of samples.
struct GeneratedSet {
    double d;
    FieldKind field;
    std::vector<double> points; // samples × N
};

struct ExperimentResult {
    std::vector<double> ds;        // the D values run (the default list when none was given)
    std::vector<Measurement> rows; // one per flow and seed, the baseline rows included
    std::vector<GeneratedSet> generated;
    std::vector<std::string> warnings; // "D = 1, seed 2: loss rising: …"
    bool cancelled = false;
};

// For every repetition k (outermost, so a cancelled run still pairs every D on its first seeds):
// the data baseline (`samples` training draws against heldOut), then per D the exact protocols
// (exact_protocols.h) and a learned field trained with seed + k, flowed from the centred prior
// at sigmaMax (truncated at its noise cap) under (a) α with 18 Heun steps, (b) the Heun schedules,
// (c) quantised weights. Throws std::invalid_argument for invalid settings or dimensions, and
// LearnedFieldsNotBuiltIn when learned fields are asked for in a build without them.
ExperimentResult
runRobustnessExperiment(const ChargeSet& train, const ChargeSet& heldOut,
                        const std::string& datasetName, const ExperimentSettings& settings,
                        const std::function<void(const std::string&)>& progress = {},
                        const CancelFlag* cancel = nullptr);

} // namespace psc::physics
