// The experiment loop: per seed the data baseline, then per D the exact and learned protocols.
#include "physics/torch/robustness_experiment.h"

#include "physics/extra_dims.h"
#include "physics/metrics.h"
#include "physics/samplers.h"
#include "physics/training_health.h"

#include <random>
#include <stdexcept>

namespace psc::physics {
namespace {

// `count` training points drawn by charge from seed: what a sampler that had learned the data
// exactly would produce, scored like every flow.
Measurement dataBaseline(const ChargeSet& train, std::span<const double> heldOut, std::size_t count,
                         int seedIndex, std::uint64_t seed) {
    const int n = train.dim();
    Rng rng(seed);
    std::discrete_distribution<std::size_t> pick(train.weights().begin(), train.weights().end());
    std::vector<double> points(count * n);
    for (std::size_t p = 0; p < count; ++p) {
        const auto y = train.position(pick(rng));
        std::copy(y.begin(), y.end(), points.begin() + p * n);
    }
    Measurement m;
    m.field = FieldKind::Data;
    m.protocol = "baseline";
    m.seed = seedIndex;
    m.sw2 = slicedWasserstein2(points, heldOut, n);
    m.mmd = mmdRbf(points, heldOut, n);
    return m;
}

} // namespace

std::optional<std::string> validateExperimentSettings(const ExperimentSettings& s) {
    if (!s.learned && !s.exact) return "choose the learned field, the exact field or both";
    if (s.lists.alphas.empty() || s.lists.stepCounts.empty() || (s.learned && s.lists.bits.empty()))
        return "the α, Heun step and bit lists must not be empty";
    for (double d : s.ds)
        if (auto e = validateExtraDims(d)) return e;
    for (double a : s.lists.alphas)
        if (!(a >= 0 && a <= 10)) return "α must be in [0, 10]";
    for (int k : s.lists.stepCounts)
        if (k < 2 || k > 10000) return "Heun step counts must be in [2, 10000]";
    for (int b : s.lists.bits)
        if (b < 5 || b > 9) return "quantisation bits must be in [5, 9]";
    if (s.seeds < 1 || s.seeds > 100)
        return "seeds must be in [1, 100], got " + std::to_string(s.seeds);
    if (s.samples < 2) return "at least 2 samples per measurement";
    if (!(s.sigmaMax > 0) || !std::isfinite(s.sigmaMax)) return "σ_max must be positive";
    if (s.learned)
        if (auto e = validateTrainSettings(s.train)) return e;
    return std::nullopt;
}

ExperimentResult runRobustnessExperiment(const ChargeSet& train, const ChargeSet& heldOut,
                                         const std::string& datasetName,
                                         const ExperimentSettings& s,
                                         const std::function<void(const std::string&)>& progress,
                                         const CancelFlag* cancel) {
    if (auto e = validateExperimentSettings(s))
        throw std::invalid_argument("physics::runRobustnessExperiment: " + *e);
    if (train.dim() != heldOut.dim())
        throw std::invalid_argument(
            "physics::runRobustnessExperiment: training and held-out data differ in dimension");
    if (s.learned && !learnedFieldsBuiltIn()) throw LearnedFieldsNotBuiltIn();
    const int n = train.dim();
    const std::span<const double> reference = heldOut.positions();
    ExperimentResult out;
    out.ds = s.ds.empty() ? defaultExperimentDs(n) : s.ds;
    auto stopped = [&] { return cancel && cancel->load(); };
    auto say = [&](const std::string& line) {
        if (progress) progress(line);
    };
    for (int k = 0; k < s.seeds && !stopped(); ++k) {
        const std::uint64_t seed = s.seed + static_cast<std::uint64_t>(k);
        const std::string round = "seed " + std::to_string(k + 1) + "/" + std::to_string(s.seeds);
        out.rows.push_back(dataBaseline(train, reference, s.samples, k, seed));
        for (double d : out.ds) {
            if (stopped()) break;
            const std::string label = round + ", D = " + formatExtraDims(d);
            if (s.exact) {
                say(label + ": exact field");
                auto rows = runExactProtocols(train, reference, d, s.lists, s.samples, s.sigmaMax,
                                              k, seed, cancel);
                out.rows.insert(out.rows.end(), rows.begin(), rows.end());
            }
            if (!s.learned || stopped()) continue;
            say(label + ": training");
            TrainSettings ts = s.train;
            ts.d = d;
            ts.seed = seed;
            const auto model = LearnedField::train(train, ts, datasetName, {}, cancel);
            if (stopped()) break;
            if (auto trouble = trainingTrouble(model->info().lossHistory, 50)) {
                out.warnings.push_back(label + ": " + *trouble);
                say(out.warnings.back());
            }
            say(label + ": learned field, noise, steps, quantisation");
            // Every protocol starts from the same noise, so differences come from the protocol.
            const auto start =
                samplePriorCentred(train, s.sigmaMax, d, s.samples, seed, model->noiseCap());
            auto measure = [&](const Denoiser& field, const char* protocol, double value, int steps,
                               double alpha) {
                if (stopped()) return;
                std::vector<double> end;
                auto m = protocolFlow(field, start, s.sigmaMax, steps, alpha, seed, reference,
                                      cancel, &end);
                if (!m) return;
                m->d = d;
                m->protocol = protocol;
                m->value = value;
                m->seed = k;
                out.rows.push_back(std::move(*m));
                if (k == 0 && std::string(protocol) == "alpha" && alpha == 0)
                    out.generated.push_back({d, FieldKind::Learned, std::move(end)});
            };
            for (double alpha : s.lists.alphas) measure(*model, "alpha", alpha, 18, alpha);
            for (int steps : s.lists.stepCounts)
                measure(*model, "nfe", 2.0 * steps - 1, steps, 0.0);
            for (int bits : s.lists.bits)
                if (!stopped()) measure(*model->quantized(bits), "bits", bits, 18, 0.0);
        }
    }
    out.cancelled = stopped();
    return out;
}

} // namespace psc::physics
