// Recomputes scenes on a background thread; the newest request wins and stale work is cancelled.
#pragma once

#include "app/scene/scene_data.h"

#include <QObject>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace psc::app {

class SceneComputer : public QObject {
    Q_OBJECT
public:
    explicit SceneComputer(QObject* parent = nullptr);
    ~SceneComputer() override; // cancels and joins

    // Queues settings for computation, cancelling any computation in progress. Returns the
    // request's number; finished() and failed() carry it.
    std::uint64_t request(const SceneSettings& settings);
    // A batch (e.g. the same scene at four values of D), computed in order and delivered together
    // through batchFinished().
    std::uint64_t requestBatch(const std::vector<SceneSettings>& batch);
    bool busy() const;
    // From the next request on: leave the particles' flows to the GPU (see computeScene).
    void setParticlesOnGpu(bool onGpu) { m_particlesOnGpu = onGpu; }
    bool isLatest(std::uint64_t id) const;

Q_SIGNALS:
    // Delivered on the thread that owns this object, only for the newest request.
    void finished(std::uint64_t id, std::shared_ptr<const psc::app::SceneData> scene);
    void batchFinished(std::uint64_t id,
                       std::vector<std::shared_ptr<const psc::app::SceneData>> scenes);
    void failed(std::uint64_t id, QString message);

private:
    std::uint64_t enqueue(std::vector<SceneSettings> batch, bool isBatch);
    void run();

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::optional<std::vector<SceneSettings>> m_pending;
    bool m_pendingIsBatch = false;
    std::uint64_t m_latest = 0;
    bool m_running = false;
    bool m_stop = false;
    physics::CancelFlag m_cancel{false};
    std::atomic<bool> m_particlesOnGpu{false};
    std::thread m_thread;
};

} // namespace psc::app
