// The options of `poissonscope sample`, validated into plain values before any work starts.
#pragma once

#include "app/cli/option_parser.h"
#include "app/scene/scene_settings.h"

#include "physics/charge_set.h"
#include "physics/field_method.h"
#include "physics/flow_backend.h"
#include "physics/flow_solver.h"
#include "physics/progress.h"
#include "physics/torch/learned_field.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace psc::app {

enum class Prior { Mixture, Centred };

struct SampleOptions {
    std::optional<physics::ChargeSet> charges;
    std::vector<std::string> columnNames; // of the data, used for every output
    double d = 1.0;
    std::size_t particles = 1000;
    std::uint64_t seed = 0;
    Prior prior = Prior::Mixture;
    std::vector<double> start; // empty: draw from the prior
    physics::FlowSettings flow;
    physics::BackendKind backend = physics::BackendKind::Cpu;
    // The cpu backend's evaluation of the exact field (tree or every charge).
    physics::FieldMethod fieldMethod = physics::FieldMethod::Auto;
    double fieldTolerance = physics::kDefaultFieldTolerance;
    std::shared_ptr<const physics::LearnedField> model; // --model: replaces the exact field
    int threads = 0;
    std::string outPath, trajectoryPath;
    bool quiet = false;
};

std::vector<OptionSpec> sampleOptionSpecs();
std::string sampleHelpText(const OptionParser& parser);

// Fills options from parsed arguments, loading the data and start files; charges and a model
// already in options (the Python module's arrays and fields) are kept. Every refusal is one
// line (the caller prefixes the command name): unknown data set, unreadable or malformed file,
// D < 1 or NaN, bad σ range, sizes beyond --memory-budget, outputs of an unknown type.
std::optional<std::string> resolveSampleOptions(const OptionParser& parser, SampleOptions& options);

// The data options of sample, train and experiment (the scene's data keys: --data FILE, or
// --dataset NAME with --count, --noise, --scale, --data-seed): fills charges and columnNames, and
// *source with the data source when given. Throws PointIoError for file problems; returns a
// one-line refusal otherwise.
std::optional<std::string> loadDataOptions(const OptionParser& parser, SampleOptions& options,
                                           SceneSettings* source = nullptr);

// What `sample` computes from resolved options: the prior draw (or options.start) and the flow
// on the chosen backend. The command and the Python module share it. Throws std::exception for a
// backend or LibTorch failure.
struct SampleRun {
    std::vector<double> start;
    physics::FlowResult result;
    physics::BackendKind backend;
    std::string description; // of the backend, for the closing line
};
SampleRun runSample(const SampleOptions& options, const physics::ProgressFn& progress = {},
                    const physics::CancelFlag* cancel = nullptr);

// Bytes a run will hold at its peak (state, solver stages, recorded frames); used for the budget.
double estimatePeakBytes(const SampleOptions& options, std::size_t points);

} // namespace psc::app
