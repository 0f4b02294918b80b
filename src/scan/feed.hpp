#pragma once
// One producer, several consumers: the calling thread makes items that only it can make in order
// (members decompressed from one archive stream, objects inflated in pack order through one delta
// cache) and hands them to `consumers` threads that do the rest (matching), through a queue
// bounded by bytes. When the queue is full the producer consumes the oldest item itself instead of
// waiting, so neither core idles whichever side is slower, and memory stays bounded by the queue
// plus one item per thread.
//
// Contract: push() and finish() are called from the thread that constructed the Feed; consume is
// called on any thread (the consumers' and the producer's), concurrently, in no particular order,
// each item exactly once unless an exception stops the feed. The first exception thrown by consume
// stops the consumers after their current item, makes later push() calls drop their item, and is
// rethrown by finish() once every item in flight is done. finish() must be called
// before destruction to see failures; the destructor joins the threads in any case.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace zenolint::scan {

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
        m_threads.emplace_back([this] { run(); });
    } catch (...) {
      stop_and_join();
      throw;
    }
  }

  Feed(const Feed&) = delete;
  Feed& operator=(const Feed&) = delete;
  ~Feed() { stop_and_join(); }

  // Queues `item` (`bytes` counts against max_bytes). When the queue is full, or there are no
  // consumer threads, consumes items on this thread until there is room.
  void push(Item item, std::size_t bytes)
  {
    std::unique_lock lock(m_mutex);
    if (m_failure)
      return;
    if (m_threads.empty()) {
      lock.unlock();
      consume_here(std::move(item));
      return;
    }
    while (!m_queue.empty() && m_bytes + bytes > m_max_bytes) {
      // Full: do the oldest item here rather than wait for a consumer.
      auto [oldest, oldest_bytes] = std::move(m_queue.front());
      m_queue.pop_front();
      m_bytes -= oldest_bytes;
      lock.unlock();
      consume_here(std::move(oldest));
      lock.lock();
      if (m_failure)
        return;
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
      if (m_queue.empty() || m_failure)
        break;
      auto [oldest, oldest_bytes] = std::move(m_queue.front());
      m_queue.pop_front();
      m_bytes -= oldest_bytes;
      lock.unlock();
      consume_here(std::move(oldest));
    }
    stop_and_join();
    if (m_failure)
      std::rethrow_exception(m_failure);
  }

private:
  void consume_here(Item&& item)
  {
    try {
      m_consume(std::move(item));
    } catch (...) {
      fail();
    }
  }

  void fail()
  {
    std::lock_guard lock(m_mutex);
    if (!m_failure)
      m_failure = std::current_exception();
    m_queue.clear();
    m_bytes = 0;
    m_ready.notify_all();
  }

  void run()
  {
    for (;;) {
      std::unique_lock lock(m_mutex);
      m_ready.wait(lock, [&] { return m_done || m_failure || !m_queue.empty(); });
      if (m_failure || m_queue.empty())
        return; // failed, or done with nothing left
      auto [item, bytes] = std::move(m_queue.front());
      m_queue.pop_front();
      m_bytes -= bytes;
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
    for (auto& t : m_threads)
      if (t.joinable())
        t.join();
    m_threads.clear();
  }

  const std::size_t m_max_bytes;
  Consume m_consume;
  std::mutex m_mutex;
  std::condition_variable m_ready;
  std::deque<std::pair<Item, std::size_t>> m_queue;
  std::size_t m_bytes = 0;
  bool m_done = false;
  std::exception_ptr m_failure;
  std::vector<std::thread> m_threads;
};

} // namespace zenolint::scan
