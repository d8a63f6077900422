// One background computation at a time whose result belongs to one scene (the field slice, the
// learned field's error map): started by the GUI thread, collected by it when ready.
#pragma once

#include "app/scene/scene_data.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>

namespace psc::app {

template <typename T>
class BackgroundResult {
public:
    // Takes a finished computation's result. Returns its error message when it threw; the scene
    // it was for is then remembered as failed, so that it is not retried every frame.
    std::optional<std::string> collect() {
        if (!m_future.valid() ||
            m_future.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
            return std::nullopt;
        std::optional<std::string> error;
        try {
            m_result = m_future.get();
            m_of = m_pending;
        } catch (const std::exception& e) {
            m_result.reset();
            m_of.reset();
            m_failedFor = m_pending;
            error = e.what();
        }
        m_pending.reset();
        ++m_arrivals;
        return error;
    }
    // How many computations collect() has taken, results and failures alike: the display redraws
    // when it changes, since what arrives is drawn on the next frame.
    std::uint64_t arrivals() const { return m_arrivals; }

    bool busy() const { return m_future.valid(); }
    // Runs work on a thread of its own; its result will belong to scene.
    void start(std::shared_ptr<const SceneData> scene, std::function<T()> work) {
        m_pending = std::move(scene);
        m_future = std::async(std::launch::async, std::move(work));
    }
    // The last result if it belongs to scene.
    const T* resultFor(const std::shared_ptr<const SceneData>& scene) const {
        return m_result && scene && m_of == scene ? &*m_result : nullptr;
    }
    bool failedFor(const std::shared_ptr<const SceneData>& scene) const {
        return scene && m_failedFor == scene;
    }
    // Waits for a running computation (the destructor's std::future would, too).
    void wait() {
        if (m_future.valid()) m_future.wait();
    }

private:
    std::optional<T> m_result;
    // Held, not just compared, so that no later scene can reuse the address.
    std::shared_ptr<const SceneData> m_of, m_pending, m_failedFor;
    std::future<T> m_future;
    std::uint64_t m_arrivals = 0;
};

} // namespace psc::app
