// The robustness experiment in numbers and words: the summary table with intervals, the per-seed
// table, the pairs of D the intervals tell apart, and a caption that says only what they support.
#pragma once

#include "physics/experiment_summary.h"
#include "physics/torch/robustness_experiment.h"

#include <string>
#include <vector>

namespace psc::exporter {

// The metric a protocol is judged by: SW2 to held-out data, except the exact field's step
// protocol, judged by the distance to the adaptive end point (the ODE's own error).
physics::Metric primaryMetric(physics::FieldKind field, const std::string& protocol);

// One line per setting: field, protocol, value, D, mean NFE, seeds, then mean, lo and hi of sw2,
// mmd, endpoint and landed (empty where a field does not measure it), and sw2 over the data
// baseline's mean. The baseline is the first line.
std::string experimentSummaryCsv(const physics::ExperimentResult& result);
// One line per flow and seed: field, protocol, value, D, seed, nfe, sw2, mmd, endpoint, landed.
std::string experimentSeedsCsv(const physics::ExperimentResult& result);

// Per setting, the pairs of D whose paired 95% interval of the primary metric's difference
// excludes 0 ("learned, α = 0.2: D = 1 better than D = ∞ (SW2 0.104 vs 0.131, difference −0.027
// [−0.035, −0.019])"), then how many pairs stayed unresolved. Settings with one seed say that
// nothing can be resolved.
std::vector<std::string> resolvedPairsReport(const physics::ExperimentResult& result);

// A paragraph for the figure and the dialog: what is plotted, the baseline, the number of seeds,
// the remedies in force, per field the hardest setting's outcome, and each learned field whose
// samples lie over five times as far from held-out data as the data's own, in words.
std::string experimentCaption(const physics::ExperimentResult& result,
                              const physics::ExperimentSettings& settings,
                              const std::string& dataset);

} // namespace psc::exporter
