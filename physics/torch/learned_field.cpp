// What every learned field shares, whichever implementation (torch-free: both the program and the
// LibTorch module link it).
#include "physics/torch/learned_field.h"

#include <limits>
#include <stdexcept>

namespace psc::physics {

void LearnedField::denoise(std::span<const double> points, double sigma,
                           std::span<double> out) const {
    const std::vector<double> sigmas(points.size() / static_cast<std::size_t>(m_info.dim), sigma);
    denoiseEach(points, sigmas, out);
}

double LearnedField::evaluationLoss(const ChargeSet& data, int samples, std::uint64_t seed) const {
    if (data.dim() != m_info.dim)
        throw std::invalid_argument("physics::LearnedField: data have " +
                                    std::to_string(data.dim()) + " coordinates, the model " +
                                    std::to_string(m_info.dim));
    if (samples <= 0) return std::numeric_limits<double>::quiet_NaN();
    Rng rng(seed);
    const auto& s = m_info.settings;
    const auto batch =
        sampleTrainingBatch(data, m_info.d, s.pMean, s.pStd, samples, rng, m_info.noiseCap);
    const double spread = data.rmsSpread();
    const double sd = m_info.sigmaData > 0 ? m_info.sigmaData : (spread > 0 ? spread : 0.5);
    std::vector<double> xhat(batch.x.size());
    denoiseEach(batch.x, batch.sigma, xhat);
    const auto n = static_cast<std::size_t>(m_info.dim);
    double total = 0;
    for (std::size_t r = 0; r < batch.sigma.size(); ++r) {
        const double sigma = batch.sigma[r];
        const double weight = (sigma * sigma + sd * sd) / (sigma * sigma * sd * sd);
        double err2 = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const double e = xhat[r * n + i] - batch.y[r * n + i];
            err2 += e * e;
        }
        total += weight * err2;
    }
    return total / samples;
}

} // namespace psc::physics
