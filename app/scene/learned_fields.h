// A session's learned fields: the training queue, the exact/learned switch, which fields fit the
// scene on screen, and the error map of the field that moves its particles. GL-free; the owner
// (SceneSession) recomputes its scenes when this says the flows' field changed.
#pragma once

#include "app/scene/background_result.h"
#include "app/scene/learned_trainer.h"

#include "physics/denoiser_map.h"

#include <QString>

#include <memory>
#include <optional>
#include <vector>

namespace psc::app {

class LearnedFields {
public:
    LearnedFields();
    ~LearnedFields();

    LearnedTrainer& trainer() { return *m_trainer; }
    const LearnedTrainer& trainer() const { return *m_trainer; }

    // With flows learned, scenes move their particles with the learned field at their D where
    // one fits their data (SceneSettings::learned), the one training now until it is done;
    // otherwise with the exact field.
    bool flowsLearned() const { return m_flowsLearned; }
    void setFlowsLearned(bool learned) { m_flowsLearned = learned; }
    // Fills settings.learned with the fields the flows may use (none while they are exact).
    void apply(SceneSettings& settings) const;

    // True when the trainer's fields changed since the last call and, with flows learned, a
    // scene shown (scene or a comparison pane) would now pick another field. A new training
    // preview alone is left for a later call while previewMayWait (a computation in flight, or
    // the last scene not yet on screen as long as it took to compute).
    bool needsRecompute(const std::shared_ptr<const SceneData>& scene, bool sceneIsCurrent,
                        const SceneSettings& current,
                        const std::vector<std::shared_ptr<const SceneData>>& comparison,
                        bool previewMayWait);

    // Per field of the trainer's list: trained on the charges of scene (or loaded, for any data of
    // their dimension). Recomputed once per scene and list, not per call.
    const std::vector<bool>& fits(const std::shared_ptr<const SceneData>& scene);

    // Queues training on the charges of scene, one field per D. Threads 0 become all cores but
    // one. A built-in data set's fields are scored against a fresh draw of it, teaching sets and
    // files against themselves. Throws std::invalid_argument (nothing queued) for invalid
    // settings or an empty list, physics::LearnedFieldsNotBuiltIn without LibTorch.
    void train(const SceneData& scene, const std::vector<double>& ds,
               physics::TrainSettings settings);
    // Moves model to the end of the list, where scenes look first, and switches flows to learned.
    void use(const LearnedModel* model);
    // Loads a field saved by `poissonscope train` or save(), or a TorchScript module; it is added
    // to the list. Throws std::runtime_error with the file's name and the reason. origin replaces
    // "loaded from FILE". options: N and D for a TorchScript module whose metadata lacks them.
    std::shared_ptr<const LearnedModel> load(const QString& path, std::string origin = {},
                                             const physics::LoadOptions& options = {});
    // Saves model, else the newest field; an error message when there is none or the file cannot
    // be written (nothing is left half-written).
    std::optional<QString> save(const QString& path,
                                std::shared_ptr<const LearnedModel> model) const;

    // The error map |x̂_learned − x̂_exact| over the data plane at σ, for the scene whose particles
    // a learned field moves; computed in the background, following σ in steps of 2 % or more.
    // Returns an error message when a computation failed (not retried for that scene).
    std::optional<QString> updateErrorMap(const std::shared_ptr<const SceneData>& scene,
                                          double sigma);
    const physics::DenoiserDifferenceMap*
    errorMap(const std::shared_ptr<const SceneData>& scene) const {
        return m_errorMap.resultFor(scene);
    }
    bool busy() const { return m_trainer->busy() || m_errorMap.busy(); }
    // Changes when a background result arrives: an error map, a field (finished or a training
    // preview), a job's end.
    std::uint64_t arrivals() const;

private:
    std::unique_ptr<LearnedTrainer> m_trainer;
    bool m_flowsLearned = false;
    std::uint64_t m_seenRevision = 0, m_seenPreview = 0;
    std::vector<bool> m_fits;
    std::shared_ptr<const SceneData> m_fitsOf;
    std::uint64_t m_fitsRevision = ~std::uint64_t{0};
    BackgroundResult<physics::DenoiserDifferenceMap> m_errorMap;
};

} // namespace psc::app
