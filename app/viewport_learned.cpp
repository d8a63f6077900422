// The viewport's learned fields: the training queue behind the panel, the exact/learned switch
// (applied through SceneSettings::learned so every scene, comparison and export follows it), and
// the error map, recomputed off the UI thread as the clock moves.
#include "app/scene/learned_trainer.h"
#include "app/scene_frame.h"
#include "app/viewport_widget.h"

#include "physics/datasets.h"
#include "physics/extra_dims.h"
#include "physics/fast_denoiser.h"

#include <QFileInfo>

#include <algorithm>
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

void ViewportWidget::setFlowsLearned(bool learned) {
    if (learned == m_flowsLearned) return;
    m_flowsLearned = learned;
    setSceneSettings(m_scene); // applies the models, or drops them
}

void ViewportWidget::applyLearnedModels(SceneSettings& settings) const {
    settings.learned.clear();
    if (m_flowsLearned) settings.learned = m_trainer->state().models;
}

void ViewportWidget::trainOnScene(const std::vector<double>& ds,
                                  const physics::TrainSettings& settings) {
    if (!m_data) return;
    const auto& s = m_data->settings;
    TrainRequest request{m_data->charges, dataSourceName(s), std::nullopt, ds, settings};
    // One core stays with the window and the scene computations: LibTorch's spinning workers
    // and theirs would otherwise take turns a time slice at a time.
    if (request.settings.threads == 0)
        request.settings.threads =
            std::max(1, static_cast<int>(std::thread::hardware_concurrency()) - 1);
    // A built-in set drawn again with another seed is data the field never saw (teaching sets
    // have fixed charges: they are scored against themselves).
    const auto* builtin = physics::findDataset(s.dataset);
    try {
        if (s.editedPositions.empty() && s.dataPath.empty() && builtin && !builtin->teaching) {
            request.heldOut = physics::makeHeldOutDataset(s.dataset, s.datasetParams);
        }
        m_trainer->enqueue(std::move(request));
    } catch (const std::exception& e) {
        m_error = QString::fromStdString(e.what());
        emitStatus();
    }
}

void ViewportWidget::syncLearnedModels() {
    const auto revision = m_trainer->revision();
    if (revision == m_modelsRevision) return;
    m_modelsRevision = revision;
    if (!m_flowsLearned) return;
    // Recompute only the scenes whose pick changes: a field finishing at another D leaves the
    // scene on screen (and the panel's buttons) alone.
    const auto models = m_trainer->state().models;
    bool changed = !m_data || !showsCurrentScene() ||
                   pickLearnedModel(models, m_scene.d, m_data->charges) != m_data->flowModel;
    if (m_view.compare)
        for (const auto& pane : m_compareData)
            changed |= !pane ||
                       pickLearnedModel(models, pane->settings.d, pane->charges) != pane->flowModel;
    if (changed) setSceneSettings(m_scene);
}

void ViewportWidget::drawLearnedFrame(const TrainerState& trainer) {
    LearnedPanelInput in;
    in.trainer = &trainer;
    in.sceneReady = m_data && showsCurrentScene();
    in.dim = m_data ? m_data->charges.dim() : 2;
    in.charges = m_data ? m_data->charges.size() : 0;
    in.dataName = dataSourceName(m_scene);
    in.d = m_scene.d;
    in.flowsLearned = m_flowsLearned;
    in.flowModel = m_data ? m_data->flowModel.get() : nullptr;
    if (m_data) in.chargePositions = m_data->charges.positions();
    in.errorMap = errorMap();
    // fits() compares every charge: once per scene and list of fields, not every frame.
    if (m_fitsOf != m_data || m_fitsRevision != trainer.revision) {
        m_fits.clear();
        for (const auto& model : trainer.models)
            m_fits.push_back(m_data && model->fits(m_data->charges));
        m_fitsOf = m_data;
        m_fitsRevision = trainer.revision;
    }
    in.fits = m_fits;
    const auto r = drawLearnedPanel(in, m_learnedMemory);
    if (r.train) trainOnScene(*r.train, r.settings);
    if (r.cancel) m_trainer->cancel();
    if (r.remove) m_trainer->removeModel(r.remove);
    if (r.use) {
        m_trainer->promoteModel(r.use); // newest first: this one is picked at its D
        m_modelsRevision = m_trainer->revision();
        m_flowsLearned = true;
        SceneSettings s = m_scene;
        s.d = r.use->d();
        setSceneSettings(s);
    } else if (r.flowsLearned) {
        setFlowsLearned(*r.flowsLearned);
    }
}

std::optional<QString> ViewportWidget::loadLearnedField(const QString& path) {
    auto model = std::make_shared<LearnedModel>();
    try {
        model->field = physics::LearnedField::load(path.toStdString());
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    model->origin = "loaded from " + QFileInfo(path).fileName().toStdString();
    const int dim = model->dim();
    const double d = model->d();
    m_trainer->addModel(std::move(model));
    m_modelsRevision = m_trainer->revision();
    if (m_data && m_data->charges.dim() != dim)
        return QString("%1 is a field for %2-dimensional data; the scene's data have %3 "
                       "coordinates (it is kept in the panel's list)")
            .arg(QFileInfo(path).fileName())
            .arg(dim)
            .arg(m_data->charges.dim());
    m_flowsLearned = true;
    SceneSettings s = m_scene;
    s.d = d;
    setSceneSettings(s);
    openLearnedPanel();
    return std::nullopt;
}

std::optional<QString> ViewportWidget::saveLearnedField(const QString& path) const {
    auto model = m_data ? m_data->flowModel : nullptr;
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

void ViewportWidget::updateErrorMap() {
    if (m_errorMapFuture.valid() &&
        m_errorMapFuture.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
        try {
            m_errorMap = m_errorMapFuture.get();
            m_errorMapOf = m_errorMapPending;
        } catch (const std::exception& e) {
            // Not retried for this scene: a failing evaluation would fail every frame.
            m_errorMap.reset();
            m_errorMapFailedFor = m_errorMapPending;
            m_error = QString("error map: ") + e.what();
            emitStatus();
        }
        m_errorMapPending.reset();
    }
    if (!m_data || !m_data->flowModel || m_errorMapFuture.valid() || !m_learnedMemory.open ||
        m_errorMapFailedFor == m_data)
        return;
    const auto& s = m_data->settings;
    const double sigma = std::clamp(std::exp(m_clock), s.sigmaMin, s.sigmaMax);
    // The map follows the clock, one computation at a time, skipping steps under 2%.
    if (m_errorMap && m_errorMapOf == m_data &&
        std::abs(std::log(sigma / m_errorMap->sigma)) < 0.02)
        return;
    m_errorMapPending = m_data;
    m_errorMapFuture = std::async(std::launch::async, [scene = m_data, sigma] {
        std::array<double, 2> lo, hi;
        planeBounds(scene->charges, lo, hi);
        const physics::FastDenoiser exact(scene->charges, scene->settings.d);
        const LockedLearnedDenoiser learned(*scene->flowModel);
        return physics::denoiserDifferenceMap(learned, exact, sigma, lo, hi, scene->charges.mean(),
                                              kErrorMapCells, kErrorMapCells);
    });
}

} // namespace psc::app
