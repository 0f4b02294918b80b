#pragma once
// The one thread pool, in three shapes: a parallel loop over indexes, an ordered pipeline, and a
// feed (one producer, several consumers, bounded by bytes). Each runs its work on threads started
// for the call (or the Feed object) and joined before it returns, whatever happens; the first
// exception thrown by any thread (the calling one included) stops the rest as soon as they finish
// their current item and is rethrown on the calling thread. Nothing is shared between calls.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
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

// One producer, several consumers: the calling thread makes items that only it can make in order
// (members decompressed from one archive stream) and hands them to `consumers` threads that do the
// rest (matching), through a queue bounded by bytes. When the queue is full the producer consumes
// the oldest item itself instead of waiting, so neither core idles whichever side is slower, and
// memory stays bounded by the queue plus one item per thread.
//
// Contract: push() and finish() are called from the thread that constructed the Feed; consume is
// called on any thread (the consumers' and the producer's), concurrently, in no particular order,
// each item exactly once unless an exception stops the feed. The first exception thrown by consume
// stops the consumers after their current item, makes later push() calls drop their item, and is
// rethrown by finish() once every item in flight is done. finish() must be called before
// destruction to see failures; the destructor joins the threads in any case.
template <typename Item>
class Feed {
public:
  using Consume = std::function<void(Item&& item)>;

  // `consumers` threads (0: push() consumes every item at once on the calling thread); at most
  // `max_bytes` of queued items (one item is always accepted, whatever its size).
  Feed(unsigned consumers, std::size_t max_bytes, Consume consume)
      : m_max_bytes(max_bytes), m_consume(std::move(consume))
  {
    try {
      for (unsigned i = 0; i < consumers; ++i)
        m_threads.start([this] { run(); });
    } catch (...) {
      stop_and_join();
      throw;
    }
    m_consumers = consumers;
  }

  Feed(const Feed&) = delete;
  Feed& operator=(const Feed&) = delete;
  ~Feed() { stop_and_join(); }

  // Queues `item` (`bytes` counts against max_bytes). When the queue is full, or there are no
  // consumer threads, consumes items on this thread until there is room.
  void push(Item item, std::size_t bytes)
  {
    if (m_failure.failed())
      return;
    if (m_consumers == 0) {
      consume_here(std::move(item));
      return;
    }
    std::unique_lock lock(m_mutex);
    while (!m_queue.empty() && m_bytes + bytes > m_max_bytes) {
      // Full: do the oldest item here rather than wait for a consumer.
      auto oldest = pop_locked();
      lock.unlock();
      consume_here(std::move(oldest));
      if (m_failure.failed())
        return;
      lock.lock();
    }
    m_queue.emplace_back(std::move(item), bytes);
    m_bytes += bytes;
    m_ready.notify_one();
  }

  // Waits until every queued item is consumed (helping with the queue), joins the consumers and
  // rethrows the first exception of any consume call.
  void finish()
  {
    for (;;) {
      std::unique_lock lock(m_mutex);
      if (m_queue.empty() || m_failure.failed())
        break;
      auto oldest = pop_locked();
      lock.unlock();
      consume_here(std::move(oldest));
    }
    stop_and_join();
    m_failure.rethrow();
  }

private:
  Item pop_locked()
  {
    auto [item, bytes] = std::move(m_queue.front());
    m_queue.pop_front();
    m_bytes -= bytes;
    return std::move(item);
  }

  void consume_here(Item&& item)
  {
    try {
      m_consume(std::move(item));
    } catch (...) {
      m_failure.capture();
      std::lock_guard lock(m_mutex);
      m_queue.clear();
      m_bytes = 0;
      m_ready.notify_all();
    }
  }

  void run()
  {
    for (;;) {
      std::unique_lock lock(m_mutex);
      m_ready.wait(lock, [&] { return m_done || m_failure.failed() || !m_queue.empty(); });
      if (m_failure.failed() || m_queue.empty())
        return; // failed, or done with nothing left
      auto item = pop_locked();
      lock.unlock();
      consume_here(std::move(item));
    }
  }

  void stop_and_join()
  {
    {
      std::lock_guard lock(m_mutex);
      m_done = true;
      m_ready.notify_all();
    }
    m_threads.join();
  }

  const std::size_t m_max_bytes;
  Consume m_consume;
  unsigned m_consumers = 0;
  std::mutex m_mutex;
  std::condition_variable m_ready;
  std::deque<std::pair<Item, std::size_t>> m_queue;
  std::size_t m_bytes = 0;
  bool m_done = false;
  detail::FirstFailure m_failure;
  detail::JoinedThreads m_threads; // last: joined (by stop_and_join) before the rest goes away
};

} // namespace zenolint
