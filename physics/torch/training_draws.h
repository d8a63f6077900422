// The training draws of learned fields, without LibTorch: rows picked by charge, σ log-normal, the
// PFGM++ kernel's noise (physics/README.md §5). Shared by the trainer and sampleTrainingBatch.
#pragma once

#include "physics/torch/learned_field.h"

#include <random>

namespace psc::physics {

// Picks data rows by charge; built once per training run, since a discrete_distribution is O(M).
class TrainingRowPicker {
public:
    explicit TrainingRowPicker(const ChargeSet& data)
        : m_uniform(data.uniform()), m_any(0, data.size() - 1),
          m_weighted(data.weights().begin(), data.weights().end()) {}
    std::size_t operator()(Rng& rng) { return m_uniform ? m_any(rng) : m_weighted(rng); }

private:
    bool m_uniform;
    std::uniform_int_distribution<std::size_t> m_any;
    std::discrete_distribution<std::size_t> m_weighted;
};

// count rows: y picked by pick, ln σ ~ N(pMean, pStd²) (σ = e^pMean when pStd is 0), x = y + a
// draw of the kernel at r = σ√D, truncated at R <= maxRatio·σ.
TrainingSamples drawTrainingBatch(const ChargeSet& data, TrainingRowPicker& pick, double d,
                                  double pMean, double pStd, std::size_t count, Rng& rng,
                                  double maxRatio = kUntruncated);

} // namespace psc::physics
