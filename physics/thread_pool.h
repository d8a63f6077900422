// A small fixed-size worker pool for data-parallel loops (no globals: each owner has its own).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace psc::physics {

class ThreadPool {
public:
    // threads <= 0 means std::thread::hardware_concurrency(). The calling thread also works,
    // so a pool of T threads starts T − 1 workers.
    explicit ThreadPool(int threads = 0);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    int threadCount() const { return static_cast<int>(m_workers.size()) + 1; }

    // Calls body(begin, end) on disjoint chunks covering [0, count), at least minChunk items
    // each, and returns when all are done. Not reentrant: one parallelFor at a time per pool
    // (calls from several threads are serialised). Exceptions from body are rethrown here.
    void parallelFor(std::size_t count, std::size_t minChunk,
                     const std::function<void(std::size_t, std::size_t)>& body);

private:
    void workerLoop();
    void runChunks();

    std::vector<std::thread> m_workers;
    std::mutex m_callMutex;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_done;
    const std::function<void(std::size_t, std::size_t)>* m_body = nullptr;
    std::size_t m_count = 0, m_chunk = 1, m_next = 0, m_pending = 0;
    std::size_t m_generation = 0;
    std::exception_ptr m_error;
    bool m_stop = false;
};

} // namespace psc::physics
