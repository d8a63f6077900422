// One long-lived worker: requests overwrite each other, so dragging a slider never queues work.
#include "app/scene/scene_computer.h"

#include <QMetaObject>

namespace psc::app {

SceneComputer::SceneComputer(QObject* parent) : QObject(parent) {
    m_thread = std::thread([this] { run(); });
}

SceneComputer::~SceneComputer() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
        m_cancel = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

std::uint64_t SceneComputer::request(const SceneSettings& settings) {
    return enqueue({settings}, false);
}

std::uint64_t SceneComputer::requestBatch(const std::vector<SceneSettings>& batch) {
    return enqueue(batch, true);
}

std::uint64_t SceneComputer::enqueue(std::vector<SceneSettings> batch, bool isBatch) {
    std::uint64_t id;
    {
        std::lock_guard lock(m_mutex);
        m_pending = std::move(batch);
        m_pendingIsBatch = isBatch;
        id = ++m_latest;
        m_cancel = true; // the running computation, if any, is now stale
    }
    m_wake.notify_all();
    return id;
}

bool SceneComputer::isLatest(std::uint64_t id) const {
    std::lock_guard lock(m_mutex);
    return id == m_latest;
}

bool SceneComputer::busy() const {
    std::lock_guard lock(m_mutex);
    return m_running || m_pending.has_value();
}

void SceneComputer::run() {
    for (;;) {
        std::vector<SceneSettings> batch;
        bool isBatch;
        std::uint64_t id;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_stop || m_pending.has_value(); });
            if (m_stop) return;
            batch = std::move(*m_pending);
            isBatch = m_pendingIsBatch;
            m_pending.reset();
            id = m_latest;
            m_cancel = false;
            m_running = true;
        }
        std::vector<std::shared_ptr<const SceneData>> scenes;
        QString error;
        try {
            for (const auto& settings : batch) {
                auto scene = computeScene(settings, &m_cancel, m_particlesOnGpu.load());
                if (!scene) break; // cancelled
                scenes.push_back(std::move(scene));
            }
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
            if (error.isEmpty()) error = "the computation failed";
        } catch (...) {
            error = "the computation failed";
        }
        {
            std::lock_guard lock(m_mutex);
            m_running = false;
            if (id != m_latest || m_stop) continue;
        }
        // Delivered on the owner's thread, and checked again there: a request made after this
        // point (the user is still dragging) makes the result stale before it is shown.
        if (!error.isEmpty())
            QMetaObject::invokeMethod(
                this,
                [this, id, error] {
                    if (isLatest(id)) Q_EMIT failed(id, error);
                },
                Qt::QueuedConnection);
        else if (scenes.size() == batch.size() && isBatch)
            QMetaObject::invokeMethod(
                this,
                [this, id, scenes] {
                    if (isLatest(id)) Q_EMIT batchFinished(id, scenes);
                },
                Qt::QueuedConnection);
        else if (scenes.size() == batch.size() && !scenes.empty())
            QMetaObject::invokeMethod(
                this,
                [this, id, scene = scenes.front()] {
                    if (isLatest(id)) Q_EMIT finished(id, scene);
                },
                Qt::QueuedConnection);
    }
}

} // namespace psc::app
