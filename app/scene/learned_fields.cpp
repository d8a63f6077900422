// The learned-field switch, applied through SceneSettings::learned so that every scene, comparison
// and export follows it, and the error map recomputed off the GUI thread as the clock moves.
#include "app/scene/learned_fields.h"

#include "app/scene/exact_field.h"

#include "physics/datasets.h"
#include "physics/torch/learned_field.h"

#include <QFileInfo>

#include <algorithm>
#include <array>
#include <cmath>
#include <thread>

namespace psc::app {
namespace {

constexpr int kErrorMapCells = 64;

// The charges' bounding box in the first two coordinates, with a margin.
void planeBounds(const physics::ChargeSet& charges, std::array<double, 2>& lo,
                 std::array<double, 2>& hi) {
    lo = {INFINITY, INFINITY};
    hi = {-INFINITY, -INFINITY};
    for (std::size_t i = 0; i < charges.size(); ++i)
        for (int k = 0; k < 2; ++k) {
            lo[k] = std::min(lo[k], charges.position(i)[k]);
            hi[k] = std::max(hi[k], charges.position(i)[k]);
        }
    const double pad = 0.15 * std::max({hi[0] - lo[0], hi[1] - lo[1], 1e-3});
    for (int k = 0; k < 2; ++k) lo[k] -= pad, hi[k] += pad;
}

} // namespace

LearnedFields::LearnedFields() : m_trainer(std::make_unique<LearnedTrainer>()) {}

LearnedFields::~LearnedFields() {
    m_errorMap.wait();
}

void LearnedFields::apply(SceneSettings& settings) const {
    settings.learned.clear();
    if (m_flowsLearned) settings.learned = m_trainer->state().flowModels();
}

bool LearnedFields::needsRecompute(const std::shared_ptr<const SceneData>& scene,
                                   bool sceneIsCurrent, const SceneSettings& current,
                                   const std::vector<std::shared_ptr<const SceneData>>& comparison,
                                   bool previewMayWait) {
    const auto revision = m_trainer->revision(), preview = m_trainer->previewRevision();
    if (revision == m_seenRevision && preview == m_seenPreview) return false;
    // A new preview waits while it may: on a big scene a recompute can take longer than the steps
    // between previews, and the scene would never settle (nor the training get its core).
    if (revision == m_seenRevision && previewMayWait) return false;
    m_seenRevision = revision;
    m_seenPreview = preview;
    if (!m_flowsLearned) return false;
    // Only the scenes whose pick changes: a field finishing at another D leaves the scene on
    // screen (and the panel's buttons) alone.
    const auto models = m_trainer->state().flowModels();
    bool changed = !scene || !sceneIsCurrent ||
                   pickLearnedModel(models, current.d, dataCharges(*scene)) != scene->flowModel;
    for (const auto& pane : comparison)
        changed |= !pane || pickLearnedModel(models, pane->settings.d, dataCharges(*pane)) !=
                                pane->flowModel;
    return changed;
}

const std::vector<bool>& LearnedFields::fits(const std::shared_ptr<const SceneData>& scene) {
    const TrainerState state = m_trainer->state();
    // fits() compares every charge: once per scene and list of fields, not every frame.
    if (m_fitsOf != scene || m_fitsRevision != state.revision) {
        m_fits.clear();
        for (const auto& model : state.models)
            m_fits.push_back(scene && model->fits(dataCharges(*scene)));
        m_fitsOf = scene;
        m_fitsRevision = state.revision;
    }
    return m_fits;
}

std::uint64_t LearnedFields::arrivals() const {
    return m_errorMap.arrivals() + m_trainer->changes();
}

void LearnedFields::train(const SceneData& scene, const std::vector<double>& ds,
                          physics::TrainSettings settings) {
    if (!physics::learnedFieldsBuiltIn()) throw physics::LearnedFieldsNotBuiltIn();
    const auto& s = scene.settings;
    // One core stays with the window and the scene computations: LibTorch's spinning workers
    // and theirs would otherwise take turns a time slice at a time.
    if (settings.threads == 0)
        settings.threads = std::max(1, static_cast<int>(std::thread::hardware_concurrency()) - 1);
    TrainRequest request{dataCharges(scene), dataSourceName(s), std::nullopt, ds, settings};
    // A built-in set drawn again with another seed is data the field never saw (teaching sets
    // have fixed charges: they are scored against themselves).
    const auto* builtin = physics::findDataset(s.dataset);
    if (s.editedPositions.empty() && s.dataPath.empty() && builtin && !builtin->teaching)
        request.heldOut = physics::makeHeldOutDataset(s.dataset, s.datasetParams);
    m_trainer->enqueue(std::move(request));
}

void LearnedFields::use(const LearnedModel* model) {
    m_trainer->promoteModel(model); // newest first: this one is picked at its D
    m_seenRevision = m_trainer->revision();
    m_seenPreview = m_trainer->previewRevision();
    m_flowsLearned = true;
}

std::shared_ptr<const LearnedModel> LearnedFields::load(const QString& path, std::string origin,
                                                        const physics::LoadOptions& options) {
    auto model = std::make_shared<LearnedModel>();
    model->field = physics::LearnedField::load(path.toStdString(), options);
    model->origin = origin.empty() ? "loaded from " + QFileInfo(path).fileName().toStdString()
                                   : std::move(origin);
    m_trainer->addModel(model);
    m_seenRevision = m_trainer->revision();
    return model;
}

std::optional<QString> LearnedFields::save(const QString& path,
                                           std::shared_ptr<const LearnedModel> model) const {
    if (!model) {
        const auto models = m_trainer->state().models;
        if (models.empty()) return QString("there is no learned field to save: train one first");
        model = models.back();
    }
    try {
        std::lock_guard lock(model->mutex);
        model->field->save(path.toStdString());
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    return std::nullopt;
}

std::optional<QString> LearnedFields::updateErrorMap(const std::shared_ptr<const SceneData>& scene,
                                                     double sigma) {
    std::optional<QString> error;
    if (auto e = m_errorMap.collect()) error = QString("error map: ") + QString::fromStdString(*e);
    // The map covers the data's plane: a projected scene has none to map.
    if (!scene || !scene->flowModel || scene->projected || m_errorMap.busy() ||
        m_errorMap.failedFor(scene))
        return error;
    const auto& s = scene->settings;
    sigma = std::clamp(sigma, s.sigmaMin, s.sigmaMax);
    // One computation at a time, skipping steps of σ under 2%; while a field trains, only a new
    // field (a preview's scene) is mapped, so that the map does not take the training's core.
    if (const auto* map = m_errorMap.resultFor(scene);
        map && (std::abs(std::log(sigma / map->sigma)) < 0.02 || m_trainer->optimising()))
        return error;
    m_errorMap.start(scene, [scene, sigma] {
        std::array<double, 2> lo, hi;
        planeBounds(scene->charges, lo, hi);
        const auto exact =
            sceneExactField(scene->charges, scene->settings.d, scene->settings.fieldMethod,
                            scene->settings.fieldTolerance);
        const LockedLearnedDenoiser learned(*scene->flowModel);
        return physics::denoiserDifferenceMap(learned, *exact, sigma, lo, hi, scene->charges.mean(),
                                              kErrorMapCells, kErrorMapCells);
    });
    return error;
}

} // namespace psc::app
