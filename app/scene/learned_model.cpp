// LearnedModel's small queries, kept out of the header so it does not pull in LibTorch's types.
#include "app/scene/learned_model.h"

#include "app/scene/count_text.h"

#include "physics/extra_dims.h"
#include "physics/torch/learned_field.h"

#include <algorithm>
#include <cstdio>

namespace psc::app {

double LearnedModel::d() const {
    return field->info().d;
}

int LearnedModel::dim() const {
    return field->info().dim;
}

bool LearnedModel::fits(const physics::ChargeSet& charges) const {
    if (charges.dim() != dim()) return false;
    if (!data) return true;
    return std::ranges::equal(data->positions(), charges.positions()) &&
           std::ranges::equal(data->weights(), charges.weights());
}

std::string LearnedModel::label() const {
    const auto& info = field->info();
    if (info.format == physics::ModelFormat::TorchScript)
        return "D = " + physics::formatExtraDims(info.d) + " · TorchScript " + info.dataset;
    char loss[32];
    std::snprintf(loss, sizeof loss, "%.3g", info.finalLoss);
    const std::string steps = inTraining ? "training, step " + std::to_string(info.stepsDone) +
                                               " of " + std::to_string(info.settings.steps)
                                         : countText(info.stepsDone, "step");
    return "D = " + physics::formatExtraDims(info.d) + " · " + steps + " · loss " + loss;
}

int LockedLearnedDenoiser::dim() const {
    return m_model.dim();
}

double LockedLearnedDenoiser::noiseCap() const {
    return m_model.field->noiseCap(); // set once at training or loading: no lock needed
}

void LockedLearnedDenoiser::denoise(std::span<const double> points, double sigma,
                                    std::span<double> out) const {
    std::lock_guard lock(m_model.mutex);
    m_model.field->denoise(points, sigma, out);
}

void LockedLearnedDenoiser::denoiseEach(std::span<const double> points,
                                        std::span<const double> sigmas,
                                        std::span<double> out) const {
    std::lock_guard lock(m_model.mutex);
    m_model.field->denoiseEach(points, sigmas, out);
}

std::shared_ptr<const LearnedModel>
pickLearnedModel(const std::vector<std::shared_ptr<const LearnedModel>>& models, double d,
                 const physics::ChargeSet& charges) {
    for (auto it = models.rbegin(); it != models.rend(); ++it) {
        const double md = (*it)->d();
        const bool sameD = md == d || (physics::isInfiniteD(md) && physics::isInfiniteD(d));
        if (sameD && (*it)->fits(charges)) return *it;
    }
    return nullptr;
}

} // namespace psc::app
