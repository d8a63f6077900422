// The experiment loop: train per D, then the three protocols on the same start points.
#include "physics/torch/robustness_experiment.h"

#include "physics/extra_dims.h"
#include "physics/flow_solver.h"
#include "physics/metrics.h"
#include "physics/samplers.h"

#include <stdexcept>

namespace psc::physics {

std::vector<ExperimentRow>
runRobustnessExperiment(const ChargeSet& train, const ChargeSet& heldOut,
                        const std::string& datasetName, const ExperimentSettings& s,
                        const std::function<void(const std::string&)>& progress,
                        const CancelFlag* cancel) {
    if (s.ds.empty() || s.alphas.empty() || s.stepCounts.empty() || s.bits.empty() || s.samples < 2)
        throw std::invalid_argument(
            "physics::runRobustnessExperiment: empty D, alpha, step or bit list");
    if (train.dim() != heldOut.dim())
        throw std::invalid_argument(
            "physics::runRobustnessExperiment: training and held-out data differ in dimension");
    for (double d : s.ds)
        if (auto e = validateExtraDims(d)) throw std::invalid_argument(*e);
    for (double a : s.alphas)
        if (!(a >= 0 && a <= 10)) throw std::invalid_argument("alpha must be in [0, 10]");
    for (int k : s.stepCounts)
        if (k < 2 || k > 10000) throw std::invalid_argument("step counts must be in [2, 10000]");
    for (int b : s.bits)
        if (b < 5 || b > 9) throw std::invalid_argument("quantisation bits must be in [5, 9]");
    const int n = train.dim();
    const std::vector<double> reference(heldOut.positions().begin(), heldOut.positions().end());
    std::vector<ExperimentRow> rows;
    auto stopped = [&] { return cancel && cancel->load(); };
    for (double d : s.ds) {
        if (stopped()) break;
        const std::string label = "D = " + formatExtraDims(d);
        if (progress) progress(label + ": training");
        TrainSettings ts = s.train;
        ts.d = d;
        const auto model = LearnedField::train(train, ts, datasetName, {}, cancel);
        // Every protocol starts from the same noise, so differences come from the protocol alone.
        const auto start = samplePriorCentred(train, s.sigmaMax, d, s.samples, s.seed);
        auto measure = [&](const Denoiser& field, const std::string& protocol, double value,
                           int steps, double alpha) {
            FlowSettings flow;
            flow.sigmaMax = s.sigmaMax;
            flow.steps = steps;
            flow.noiseAlpha = alpha;
            flow.noiseSeed = s.seed + 1;
            const auto result = integrateFlow(field, start, flow, {}, cancel);
            if (result.status != FlowStatus::Completed) return;
            rows.push_back({d, protocol, value, result.denoiserCalls,
                            slicedWasserstein2(result.points, reference, n),
                            mmdRbf(result.points, reference, n)});
        };
        if (progress) progress(label + ": noise, steps, quantisation");
        for (double alpha : s.alphas)
            if (!stopped()) measure(*model, "alpha", alpha, 18, alpha);
        for (int steps : s.stepCounts)
            if (!stopped()) measure(*model, "nfe", 2.0 * steps - 1, steps, 0.0);
        for (int bits : s.bits)
            if (!stopped()) measure(*model->quantized(bits), "bits", bits, 18, 0.0);
    }
    return rows;
}

} // namespace psc::physics
