#pragma once
// The one thread pool: a parallel loop over indexes and an ordered pipeline. Both run their work
// on threads started for the call and joined before it returns, whatever happens; the first
// exception thrown by any thread (the calling one included) stops the rest as soon as they finish
// their current item and is rethrown on the calling thread. Nothing is shared between calls.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace zenolint {

// `jobs`, or the number of hardware threads when it is 0 (at least 1).
unsigned effective_jobs(unsigned jobs);

namespace detail {

// Keeps the first exception of several threads.
class FirstFailure {
public:
  // Stores the exception being handled unless one is stored already. Call inside a catch block.
  void capture();
  bool failed() const;
  // Rethrows the stored exception, if any.
  void rethrow() const;

private:
  mutable std::mutex m_mutex;
  std::exception_ptr m_failure;
  std::atomic<bool> m_failed{false};
};

// Threads that are joined when the object goes away (even while an exception propagates).
class JoinedThreads {
public:
  JoinedThreads() = default;
  JoinedThreads(const JoinedThreads&) = delete;
  JoinedThreads& operator=(const JoinedThreads&) = delete;
  ~JoinedThreads() { join(); }

  template <typename Fn>
  void start(Fn&& fn)
  {
    m_threads.emplace_back(std::forward<Fn>(fn));
  }
  void join();

private:
  std::vector<std::thread> m_threads;
};

} // namespace detail

// Calls fn(i, worker) once for every i in [0, n), on min(jobs, chunks) threads, the calling thread
// being worker 0 and the others 1, 2, ... (so per-worker state can live in a vector of `jobs`
// entries). Workers take `chunk` consecutive indexes at a time, so that one worker reads
// neighbouring items (pack locality, delta bases still in its cache); items run in no particular
// order. After an exception no new chunk is started; it is rethrown once all threads are joined.
template <typename Fn>
void parallel_for(std::size_t n, unsigned jobs, Fn&& fn, std::size_t chunk = 1)
{
  if (n == 0)
    return;
  chunk = std::max<std::size_t>(chunk, 1);
  const std::size_t chunks = (n + chunk - 1) / chunk;
  const auto count = static_cast<unsigned>(std::clamp<std::size_t>(jobs, 1, chunks));
  std::atomic<std::size_t> next{0};
  detail::FirstFailure failure;
  auto worker = [&](unsigned worker_id) {
    try {
      for (std::size_t begin = next.fetch_add(chunk); begin < n; begin = next.fetch_add(chunk))
        for (std::size_t i = begin; i < std::min(n, begin + chunk); ++i)
          fn(i, worker_id);
    } catch (...) {
      failure.capture();
      next = n; // no new chunks
    }
  };
  {
    detail::JoinedThreads threads;
    try {
      for (unsigned w = 1; w < count; ++w)
        threads.start([&worker, w] { worker(w); });
    } catch (...) {
      next = n; // could not start a thread: let those started finish their chunk
      throw;
    }
    worker(0);
  }
  failure.rethrow();
}

// Produces items 0 .. count-1 on `workers` threads (worker ids 0 .. workers-1, none of them the
// calling thread) and consumes them on the calling thread strictly in order:
//   T produce(std::size_t index, unsigned worker)   - on a worker thread, any order
//   void consume(std::size_t index, T&& item)       - on the calling thread, index 0, 1, 2, ...
// At most `ahead` items (at least 1) are produced but not yet consumed, which bounds the memory of
// a pipeline whose producer is faster. With workers == 0 the calling thread produces each item
// itself (worker 0) just before consuming it. An exception from either side stops the pipeline:
// no new item is produced or consumed, and it is rethrown here once the workers are joined.
template <typename Produce, typename Consume>
void ordered_pipeline(std::size_t count, unsigned workers, std::size_t ahead, Produce&& produce,
                      Consume&& consume)
{
  using T = std::invoke_result_t<Produce&, std::size_t, unsigned>;
  if (workers == 0) {
    for (std::size_t i = 0; i < count; ++i)
      consume(i, produce(i, 0u));
    return;
  }
  ahead = std::max<std::size_t>(ahead, 1);
  std::vector<std::optional<T>> ring(ahead); // item i waits in ring[i % ahead]
  std::mutex mutex;
  std::condition_variable changed;
  std::size_t next = 0;     // the next item to produce
  std::size_t consumed = 0; // items consumed so far
  bool stop = false;
  detail::FirstFailure failure;
  auto work = [&](unsigned worker_id) {
    try {
      for (;;) {
        std::size_t i;
        {
          std::unique_lock lock(mutex);
          changed.wait(lock, [&] { return stop || next >= count || next < consumed + ahead; });
          if (stop || next >= count)
            return;
          i = next++;
        }
        T item = produce(i, worker_id);
        std::lock_guard lock(mutex);
        ring[i % ahead].emplace(std::move(item));
        changed.notify_all();
      }
    } catch (...) {
      failure.capture();
      std::lock_guard lock(mutex);
      stop = true;
      changed.notify_all();
    }
  };
  auto stop_all = [&] {
    std::lock_guard lock(mutex);
    stop = true;
    changed.notify_all();
  };
  {
    detail::JoinedThreads threads;
    try {
      for (unsigned w = 0; w < workers; ++w)
        threads.start([&work, w] { work(w); });
      for (std::size_t i = 0; i < count; ++i) {
        std::optional<T> item;
        {
          std::unique_lock lock(mutex);
          changed.wait(lock, [&] { return stop || ring[i % ahead].has_value(); });
          if (stop)
            break;
          item.swap(ring[i % ahead]);
        }
        consume(i, std::move(*item));
        std::lock_guard lock(mutex);
        consumed = i + 1;
        changed.notify_all();
      }
    } catch (...) {
      stop_all(); // before the threads are joined
      throw;
    }
    stop_all(); // workers waiting for room
  }
  failure.rethrow();
}

} // namespace zenolint
