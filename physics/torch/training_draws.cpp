// Training settings and draws: plain C++, built with or without LibTorch.
#include "physics/torch/training_draws.h"

#include "physics/extra_dims.h"
#include "physics/radial_law.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace psc::physics {
namespace {

std::string outOfRange(const char* name, const std::string& range, double value) {
    std::ostringstream os;
    os << name << " must be " << range << ", got " << value;
    return os.str();
}

} // namespace

std::optional<std::string> validateTrainSettings(const TrainSettings& s) {
    if (auto err = validateExtraDims(s.d)) return err;
    if (s.steps < 0) return outOfRange("steps", ">= 0", s.steps);
    if (s.batch < 1 || s.batch > (1 << 20)) return outOfRange("batch", "in [1, 1048576]", s.batch);
    if (!(s.learningRate > 0) || !std::isfinite(s.learningRate))
        return outOfRange("learning rate", "> 0 and finite", s.learningRate);
    if (!(s.emaDecay >= 0 && s.emaDecay < 1))
        return outOfRange("EMA decay", "in [0, 1)", s.emaDecay);
    if (s.shape.width < 1 || s.shape.width > 4096)
        return outOfRange("width", "in [1, 4096]", s.shape.width);
    if (s.shape.depth < 1 || s.shape.depth > 32)
        return outOfRange("depth", "in [1, 32]", s.shape.depth);
    if (s.shape.embedding < 2 || s.shape.embedding > 1024 || s.shape.embedding % 2 != 0)
        return outOfRange("embedding", "even and in [2, 1024]", s.shape.embedding);
    if (s.threads < 0 || s.threads > 1024) return outOfRange("threads", "in [0, 1024]", s.threads);
    if (!std::isfinite(s.pMean)) return outOfRange("P_mean", "finite", s.pMean);
    if (!(s.pStd >= 0) || !std::isfinite(s.pStd))
        return outOfRange("P_std", ">= 0 and finite", s.pStd);
    if (!(s.tailQuantile > 0 && s.tailQuantile <= 1))
        return outOfRange("tail quantile", "in (0, 1]", s.tailQuantile);
    if (!(s.sigmaData >= 0) || !std::isfinite(s.sigmaData))
        return outOfRange("sigma_data", ">= 0 and finite", s.sigmaData);
    return std::nullopt;
}

double noiseCapFor(int n, double d, double tailQuantile) {
    return tailQuantile < 1 ? radialQuantile(n, d, tailQuantile) : kUntruncated;
}

std::vector<double> samplePerturbations(int n, double d, std::span<const double> sigmas, Rng& rng,
                                        double maxRatio) {
    std::vector<double> out(sigmas.size() * n);
    for (std::size_t i = 0; i < sigmas.size(); ++i)
        samplePerturbation(n, sigmas[i], d, rng, std::span<double>(out).subspan(i * n, n),
                           maxRatio);
    return out;
}

TrainingSamples sampleTrainingBatch(const ChargeSet& data, double d, double pMean, double pStd,
                                    std::size_t count, Rng& rng, double maxRatio) {
    TrainingRowPicker pick(data);
    return drawTrainingBatch(data, pick, d, pMean, pStd, count, rng, maxRatio);
}

TrainingSamples drawTrainingBatch(const ChargeSet& data, TrainingRowPicker& pick, double d,
                                  double pMean, double pStd, std::size_t count, Rng& rng,
                                  double maxRatio) {
    const int n = data.dim();
    TrainingSamples s;
    s.y.resize(count * n);
    s.sigma.resize(count);
    std::normal_distribution<double> logSigma(pMean, pStd > 0 ? pStd : 1.0); // unused at 0
    for (std::size_t i = 0; i < count; ++i) {
        const auto y = data.position(pick(rng));
        std::copy(y.begin(), y.end(), s.y.begin() + i * n);
        s.sigma[i] = pStd > 0 ? std::exp(logSigma(rng)) : std::exp(pMean);
    }
    s.x = samplePerturbations(n, d, s.sigma, rng, maxRatio);
    for (std::size_t k = 0; k < s.x.size(); ++k) s.x[k] += s.y[k];
    return s;
}

} // namespace psc::physics
