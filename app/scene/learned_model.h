// A learned field as the viewer holds it: the network, what it was trained on, how it scored.
#pragma once

#include "physics/charge_set.h"
#include "physics/denoiser.h"

#include <cmath>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace psc::physics {
class LearnedField;
}

namespace psc::app {

// Generated samples scored against reference points (physics/metrics.h).
struct SampleQuality {
    double sw2 = std::numeric_limits<double>::quiet_NaN();
    double mmd = std::numeric_limits<double>::quiet_NaN();
    double memorised = std::numeric_limits<double>::quiet_NaN(); // fraction copying a charge
};

// Shared read-only between the panel, scene computations and the error map once built.
struct LearnedModel {
    std::shared_ptr<const physics::LearnedField> field;
    // The charges it was trained on; empty for a model loaded from a file, which then fits any
    // data of its dimension (the user chose it).
    std::optional<physics::ChargeSet> data;
    std::string origin;      // "trained here" or the file it was loaded from
    std::vector<float> loss; // training loss every 50 steps
    double trainSeconds = 0;
    // A copy taken while it trains (TrainerState::preview): no scores, not in the list of fields.
    bool inTraining = false;
    SampleQuality learned, exact; // flows of each field from the same start points
    std::string scoredAgainst;    // what the samples were compared with
    // LearnedField is thread-compatible: one evaluation at a time, whoever asks.
    mutable std::mutex mutex;

    double d() const;
    int dim() const;
    bool fits(const physics::ChargeSet& charges) const;
    std::string label() const; // "D = 128 · 3000 steps · loss 0.41"
};

// The model as a Denoiser for the flows; every call holds the model's lock.
class LockedLearnedDenoiser final : public physics::Denoiser {
public:
    explicit LockedLearnedDenoiser(const LearnedModel& model) : m_model(model) {}
    int dim() const override;
    void denoise(std::span<const double> points, double sigma,
                 std::span<double> out) const override;
    void denoiseEach(std::span<const double> points, std::span<const double> sigmas,
                     std::span<double> out) const override;
    const char* name() const override { return "learned"; }
    // Its prior starts where its training noise reached (physics/README.md §5a).
    double noiseCap() const override;

private:
    const LearnedModel& m_model;
};

// The newest of models whose D equals d (both ∞ counts) and that fits the charges; null if none.
std::shared_ptr<const LearnedModel>
pickLearnedModel(const std::vector<std::shared_ptr<const LearnedModel>>& models, double d,
                 const physics::ChargeSet& charges);

} // namespace psc::app
