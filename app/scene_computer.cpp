// One long-lived worker: requests overwrite each other, so dragging a slider never queues work.
#include "app/scene_computer.h"

#include <QMetaObject>

namespace psc::app {

SceneComputer::SceneComputer(QObject* parent) : QObject(parent) { m_thread = std::thread([this] { run(); }); }

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
    std::uint64_t id;
    {
        std::lock_guard lock(m_mutex);
        m_pending = settings;
        id = ++m_latest;
        m_cancel = true; // the running computation, if any, is now stale
    }
    m_wake.notify_all();
    return id;
}

bool SceneComputer::busy() const {
    std::lock_guard lock(m_mutex);
    return m_running || m_pending.has_value();
}

void SceneComputer::run() {
    for (;;) {
        SceneSettings settings;
        std::uint64_t id;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_stop || m_pending.has_value(); });
            if (m_stop) return;
            settings = *m_pending;
            m_pending.reset();
            id = m_latest;
            m_cancel = false;
            m_running = true;
        }
        std::shared_ptr<const SceneData> scene;
        QString error;
        try {
            scene = computeScene(settings, &m_cancel);
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        }
        {
            std::lock_guard lock(m_mutex);
            m_running = false;
            if (id != m_latest || m_stop) continue;
        }
        if (!error.isEmpty())
            QMetaObject::invokeMethod(this, [this, id, error] { Q_EMIT failed(id, error); }, Qt::QueuedConnection);
        else if (scene)
            QMetaObject::invokeMethod(this, [this, id, scene] { Q_EMIT finished(id, scene); }, Qt::QueuedConnection);
    }
}

} // namespace psc::app
