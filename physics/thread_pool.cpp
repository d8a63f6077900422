// Worker pool: chunks are claimed under one mutex; the work per chunk dwarfs the lock.
#include "physics/thread_pool.h"

#include <algorithm>
#include <exception>

namespace psc::physics {

ThreadPool::ThreadPool(int threads) {
    if (threads <= 0) threads = std::max(1u, std::thread::hardware_concurrency());
    try {
        for (int i = 1; i < threads; ++i) m_workers.emplace_back([this] { workerLoop(); });
    } catch (...) {
        // The destructor will not run: stop and join the workers already started, or their
        // joinable std::threads would terminate the process.
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_wake.notify_all();
        for (auto& t : m_workers) t.join();
        throw;
    }
}

ThreadPool::~ThreadPool() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    for (auto& t : m_workers) t.join();
}

void ThreadPool::runChunks() {
    std::unique_lock lock(m_mutex);
    while (m_next < m_count) {
        const std::size_t begin = m_next;
        const std::size_t end = std::min(m_count, begin + m_chunk);
        m_next = end;
        ++m_pending;
        lock.unlock();
        try {
            (*m_body)(begin, end);
        } catch (...) {
            lock.lock();
            if (!m_error) m_error = std::current_exception();
            m_next = m_count;
            lock.unlock();
        }
        lock.lock();
        if (--m_pending == 0 && m_next >= m_count) m_done.notify_all();
    }
}

void ThreadPool::workerLoop() {
    std::size_t seen = 0;
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_stop || m_generation != seen; });
            if (m_stop) return;
            seen = m_generation;
        }
        runChunks();
    }
}

void ThreadPool::parallelFor(std::size_t count, std::size_t minChunk,
                             const std::function<void(std::size_t, std::size_t)>& body) {
    if (count == 0) return;
    minChunk = std::max<std::size_t>(1, minChunk);
    if (m_workers.empty() || count <= minChunk) {
        body(0, count);
        return;
    }
    std::lock_guard call(m_callMutex);
    {
        std::lock_guard lock(m_mutex);
        m_body = &body;
        m_count = count;
        // Several chunks per thread balance uneven work without many lock round trips.
        const std::size_t target = static_cast<std::size_t>(threadCount()) * 4;
        m_chunk = std::max(minChunk, (count + target - 1) / target);
        m_next = 0;
        m_pending = 0;
        m_error = nullptr;
        ++m_generation;
    }
    m_wake.notify_all();
    runChunks();
    std::unique_lock lock(m_mutex);
    m_done.wait(lock, [&] { return m_pending == 0 && m_next >= m_count; });
    m_body = nullptr;
    if (m_error) std::rethrow_exception(m_error);
}

} // namespace psc::physics
