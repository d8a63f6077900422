// The training queue: jobs run one at a time on one thread, LibTorch using every core inside.
#include "app/scene/learned_trainer.h"

#include "app/scene/exact_field.h"

#include "physics/extra_dims.h"
#include "physics/flow_solver.h"
#include "physics/metrics.h"
#include "physics/samplers.h"

#include <algorithm>
#include <chrono>
#include <span>
#include <stdexcept>

namespace psc::app {

namespace {

// At most kMaxScorePoints rows of a point set, evenly strided: the metrics are O(M) to O(M²).
constexpr std::size_t kMaxScorePoints = 20000;

std::vector<double> scorePoints(const physics::ChargeSet& set) {
    const auto n = static_cast<std::size_t>(set.dim());
    const std::size_t stride = (set.size() + kMaxScorePoints - 1) / kMaxScorePoints;
    std::vector<double> out;
    for (std::size_t i = 0; i < set.size(); i += stride)
        out.insert(out.end(), set.position(i).begin(), set.position(i).begin() + n);
    return out;
}

} // namespace

SampleQuality scoreField(const physics::Denoiser& field, const physics::ChargeSet& training,
                         const physics::ChargeSet& reference, double d, std::size_t samples,
                         std::uint64_t seed, const physics::CancelFlag* cancel) {
    physics::FlowSettings flow;
    flow.sigmaMax = 80.0;
    flow.steps = 18;
    flow.solver = physics::SolverKind::Heun;
    const auto start =
        physics::samplePriorCentred(training, flow.sigmaMax, d, samples, seed, field.noiseCap());
    const auto result = physics::integrateFlow(field, start, flow, {}, cancel);
    SampleQuality q;
    if (result.status != physics::FlowStatus::Completed) return q;
    const std::span<const double> points = result.points;
    const int n = training.dim();
    const auto ref = scorePoints(reference), train = scorePoints(training);
    q.sw2 = physics::slicedWasserstein2(points, ref, n);
    q.mmd = physics::mmdRbf(points, ref, n);
    if (train.size() >= 2 * static_cast<std::size_t>(n))
        q.memorised = physics::memorisationRatio(points, train, n);
    return q;
}

std::vector<std::shared_ptr<const LearnedModel>> TrainerState::flowModels() const {
    std::vector<std::shared_ptr<const LearnedModel>> out;
    if (preview) out.push_back(preview);
    out.insert(out.end(), models.begin(), models.end());
    return out;
}

LearnedTrainer::LearnedTrainer() {
    m_thread = std::thread([this] { run(); });
}

LearnedTrainer::~LearnedTrainer() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
        m_cancel = true;
        m_queue.clear();
    }
    m_wake.notify_all();
    m_thread.join();
}

void LearnedTrainer::enqueue(TrainRequest request) {
    if (request.ds.empty()) throw std::invalid_argument("no value of D to train at");
    for (double d : request.ds) {
        auto s = request.settings;
        s.d = d;
        if (auto e = physics::validateTrainSettings(s)) throw std::invalid_argument(*e);
    }
    const auto shared = std::make_shared<const TrainRequest>(std::move(request));
    {
        std::lock_guard lock(m_mutex);
        for (std::size_t i = 0; i < shared->ds.size(); ++i)
            m_queue.push_back({shared, shared->ds[i], static_cast<int>(i) + 1});
        m_state.queued = m_queue.size();
        m_state.error.clear();
    }
    m_wake.notify_all();
}

void LearnedTrainer::cancel() {
    std::lock_guard lock(m_mutex);
    m_queue.clear();
    m_state.queued = 0;
    m_cancel = true;
}

TrainerState LearnedTrainer::state() const {
    std::lock_guard lock(m_mutex);
    TrainerState state = m_state;
    if (state.busy && !state.stage.empty()) state.pendingDs.push_back(state.d);
    for (const auto& job : m_queue) state.pendingDs.push_back(job.d);
    return state;
}

bool LearnedTrainer::busy() const {
    std::lock_guard lock(m_mutex);
    return m_state.busy || !m_queue.empty();
}

bool LearnedTrainer::optimising() const {
    std::lock_guard lock(m_mutex);
    return m_state.optimising;
}

std::uint64_t LearnedTrainer::revision() const {
    std::lock_guard lock(m_mutex);
    return m_state.revision;
}

std::uint64_t LearnedTrainer::previewRevision() const {
    std::lock_guard lock(m_mutex);
    return m_state.previewRevision;
}

std::uint64_t LearnedTrainer::changes() const {
    std::lock_guard lock(m_mutex);
    return m_state.revision + m_state.previewRevision + m_state.finished;
}

void LearnedTrainer::addModel(std::shared_ptr<const LearnedModel> model) {
    std::lock_guard lock(m_mutex);
    m_state.models.push_back(std::move(model));
    ++m_state.revision;
}

void LearnedTrainer::promoteModel(const LearnedModel* model) {
    std::lock_guard lock(m_mutex);
    auto& models = m_state.models;
    const auto it =
        std::find_if(models.begin(), models.end(), [&](const auto& m) { return m.get() == model; });
    if (it == models.end() || it + 1 == models.end()) return;
    std::rotate(it, it + 1, models.end());
    ++m_state.revision;
}

void LearnedTrainer::removeModel(const LearnedModel* model) {
    std::lock_guard lock(m_mutex);
    std::erase_if(m_state.models, [&](const auto& m) { return m.get() == model; });
    ++m_state.revision;
}

void LearnedTrainer::run() {
    for (;;) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_stop || !m_queue.empty(); });
            if (m_stop) return;
            job = m_queue.front();
            m_queue.pop_front();
            m_cancel = false;
            m_state.busy = m_state.optimising = true;
            m_state.d = job.d;
            m_state.job = job.index;
            m_state.jobs = static_cast<int>(job.request->ds.size());
            m_state.step = 0;
            m_state.steps = job.request->settings.steps;
            m_state.loss = std::numeric_limits<double>::quiet_NaN();
            m_state.samplesPerSecond = m_state.etaSeconds = 0;
            m_state.lossCurve.clear();
            m_state.queued = m_queue.size();
            m_state.stage = "training D = " + physics::formatExtraDims(job.d) + " (" +
                            std::to_string(job.index) + " of " + std::to_string(m_state.jobs) + ")";
        }
        try {
            runJob(job);
        } catch (const std::exception& e) {
            std::lock_guard lock(m_mutex);
            m_state.error = "D = " + physics::formatExtraDims(job.d) + ": " + e.what();
        }
        std::lock_guard lock(m_mutex);
        m_state.busy = !m_queue.empty();
        m_state.optimising = false;
        m_state.stage.clear();
        if (m_state.preview) m_state.preview.reset(), ++m_state.previewRevision;
        ++m_state.finished;
    }
}

void LearnedTrainer::publishPreview(std::shared_ptr<const physics::LearnedField> field,
                                    const TrainRequest& request) {
    auto preview = std::make_shared<LearnedModel>();
    preview->field = std::move(field);
    preview->data = request.data;
    preview->origin = "training here on " + request.datasetName;
    preview->inTraining = true;
    std::lock_guard lock(m_mutex);
    preview->loss = m_state.lossCurve;
    m_state.preview = std::move(preview);
    ++m_state.previewRevision;
}

void LearnedTrainer::runJob(const Job& job) {
    const TrainRequest& r = *job.request;
    auto settings = r.settings;
    settings.d = job.d;
    const auto start = std::chrono::steady_clock::now();
    std::shared_ptr<const physics::LearnedField> field = physics::LearnedField::train(
        r.data, settings, r.datasetName,
        [&](const physics::TrainProgress& p) {
            std::lock_guard lock(m_mutex);
            m_state.step = p.step;
            m_state.loss = p.loss;
            m_state.samplesPerSecond = p.samplesPerSecond;
            m_state.etaSeconds = p.etaSeconds;
            m_state.lossCurve.push_back(static_cast<float>(p.loss));
        },
        &m_cancel, {kPreviewEvery, [&](std::unique_ptr<physics::LearnedField> soFar) {
                        publishPreview(std::move(soFar), r);
                    }});
    if (m_cancel.load()) return;
    auto model = std::make_shared<LearnedModel>();
    model->field = field;
    model->data = r.data;
    model->origin = "trained here on " + r.datasetName;
    model->trainSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    {
        std::lock_guard lock(m_mutex);
        model->loss = m_state.lossCurve;
        m_state.stage = "scoring D = " + physics::formatExtraDims(job.d);
        m_state.optimising = false;
    }
    const physics::ChargeSet& reference = r.heldOut ? *r.heldOut : r.data;
    model->scoredAgainst =
        r.heldOut ? "a held-out draw of " + r.datasetName : "the training data (no held-out set)";
    model->learned =
        scoreField(*field, r.data, reference, job.d, kScoreSamples, settings.seed, &m_cancel);
    if (m_cancel.load()) return;
    // Many charges: the tree code, as in the scene.
    const auto exact =
        sceneExactField(r.data, job.d, physics::FieldMethod::Auto, physics::kDefaultFieldTolerance);
    model->exact =
        scoreField(*exact, r.data, reference, job.d, kScoreSamples, settings.seed, &m_cancel);
    if (m_cancel.load()) return;
    addModel(std::move(model));
}

} // namespace psc::app
