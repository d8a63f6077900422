// Trains learned fields on a background thread, one queued D at a time, and scores each one.
#pragma once

#include "app/scene/learned_model.h"

#include "physics/charge_set.h"
#include "physics/progress.h"
#include "physics/torch/learned_field.h"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace psc::app {

struct TrainRequest {
    physics::ChargeSet data;
    std::string datasetName;
    // Scored against these when given (a fresh draw of a built-in set), else the training data.
    std::optional<physics::ChargeSet> heldOut;
    std::vector<double> ds;          // one model each, trained in this order
    physics::TrainSettings settings; // its d is replaced by each of ds
};

// A copy of what the trainer is doing, for the panel to draw.
struct TrainerState {
    bool busy = false;
    bool optimising = false; // the running job is taking optimiser steps (not scoring)
    std::string stage;       // "training D = 128 (2 of 4)", "scoring D = 128"
    double d = 0;
    int job = 0, jobs = 0; // 1-based position of the running job in its sweep
    int step = 0, steps = 0;
    double loss = std::numeric_limits<double>::quiet_NaN();
    double samplesPerSecond = 0, etaSeconds = 0;
    std::vector<float> lossCurve;  // of the running job, one value per report
    std::size_t queued = 0;        // jobs waiting after the running one
    std::vector<double> pendingDs; // D of the running job (if any) and of the waiting ones
    std::string error;             // of the last failed job
    std::vector<std::shared_ptr<const LearnedModel>> models; // finished, oldest first
    // The running job's field so far, taken every kPreviewEvery steps; null when no job runs.
    std::shared_ptr<const LearnedModel> preview;
    std::uint64_t revision = 0;        // changes whenever models does
    std::uint64_t previewRevision = 0; // and whenever preview does
    std::uint64_t finished = 0;        // jobs ended (trained, failed or cancelled)

    // What flows may use: the preview before the finished fields, so that any finished field
    // at its D is picked first (pickLearnedModel takes the newest).
    std::vector<std::shared_ptr<const LearnedModel>> flowModels() const;
};

// Samples flowed by a field from the centred prior (Heun, 18 steps, σ_max 80) and scored
// against reference; memorisation is measured against the training charges. Sets above 20,000
// points are thinned evenly for the metrics. Cancelled: NaN scores.
SampleQuality scoreField(const physics::Denoiser& field, const physics::ChargeSet& training,
                         const physics::ChargeSet& reference, double d, std::size_t samples,
                         std::uint64_t seed, const physics::CancelFlag* cancel = nullptr);

class LearnedTrainer {
public:
    // Steps between previews: a few per training, each a recompute of the learned flows on
    // screen that costs a fraction of what the steps between them do.
    static constexpr int kPreviewEvery = 250;

    LearnedTrainer();
    ~LearnedTrainer(); // cancels and joins

    // Queues one job per D after those already waiting. Throws std::invalid_argument (nothing
    // queued) for an empty D list or invalid settings.
    void enqueue(TrainRequest request);
    // Stops the running job (its model is dropped) and empties the queue.
    void cancel();
    TrainerState state() const;
    bool busy() const;
    bool optimising() const; // TrainerState::optimising, without copying the state
    std::uint64_t revision() const;
    std::uint64_t previewRevision() const;
    // Changes whenever revision, previewRevision or the count of ended jobs does (one lock, no
    // copy of the state: asked every frame).
    std::uint64_t changes() const;

    void addModel(std::shared_ptr<const LearnedModel> model);
    void removeModel(const LearnedModel* model);
    // Moves a model to the end of the list, where pickLearnedModel looks first.
    void promoteModel(const LearnedModel* model);

private:
    struct Job {
        std::shared_ptr<const TrainRequest> request;
        double d;
        int index;
    };
    void run();
    void runJob(const Job& job);
    void publishPreview(std::shared_ptr<const physics::LearnedField> field,
                        const TrainRequest& request);

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_queue;
    TrainerState m_state;
    bool m_stop = false;
    physics::CancelFlag m_cancel{false};
    static constexpr std::size_t kScoreSamples = 1000;
    std::thread m_thread;
};

} // namespace psc::app
