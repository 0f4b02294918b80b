#include "core/parallel.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace zenolint;

namespace {

// Blocks until `parties` threads have arrived, or gives up after a deadlock guard (a broken pool
// that runs everything on one thread then fails the test instead of hanging it).
class Rendezvous {
public:
  explicit Rendezvous(unsigned parties) : m_parties(parties) {}

  bool arrive_and_wait()
  {
    std::unique_lock lock(m_mutex);
    if (++m_arrived >= m_parties)
      m_all.notify_all();
    return m_all.wait_for(lock, std::chrono::seconds(60), [&] { return m_arrived >= m_parties; });
  }

private:
  std::mutex m_mutex;
  std::condition_variable m_all;
  unsigned m_parties;
  unsigned m_arrived = 0;
};

} // namespace

TEST_CASE("effective_jobs: 0 means the hardware threads, at least 1", "[parallel]")
{
  CHECK(effective_jobs(3) == 3);
  CHECK(effective_jobs(1) == 1);
  CHECK(effective_jobs(0) >= 1);
  CHECK(effective_jobs(0) == std::max(1u, std::thread::hardware_concurrency()));
}

TEST_CASE("parallel_for calls fn once for every index, with worker ids below jobs", "[parallel]")
{
  for (std::size_t n : {0u, 1u, 2u, 7u, 64u, 1000u}) {
    for (unsigned jobs : {1u, 2u, 3u, 8u}) {
      for (std::size_t chunk : {0u, 1u, 5u, 64u, 5000u}) {
        std::vector<std::atomic<int>> calls(n);
        std::atomic<unsigned> max_worker{0};
        parallel_for(
            n, jobs,
            [&](std::size_t i, unsigned w) {
              ++calls[i];
              unsigned seen = max_worker;
              while (w > seen && !max_worker.compare_exchange_weak(seen, w)) {
              }
            },
            chunk);
        INFO("n " << n << ", jobs " << jobs << ", chunk " << chunk);
        for (std::size_t i = 0; i < n; ++i)
          REQUIRE(calls[i] == 1);
        CHECK(max_worker < jobs);
        // Never more workers than chunks.
        const std::size_t chunks =
            n == 0 ? 0
                   : (n + std::max<std::size_t>(chunk, 1) - 1) / std::max<std::size_t>(chunk, 1);
        if (chunks > 0)
          CHECK(max_worker < chunks);
      }
    }
  }
}

TEST_CASE("parallel_for runs the workers on distinct threads, worker 0 on the caller's",
          "[parallel]")
{
  constexpr unsigned jobs = 3;
  Rendezvous all(jobs);
  std::mutex mutex;
  std::map<unsigned, std::thread::id> thread_of;
  std::atomic<bool> met{true};
  const auto caller = std::this_thread::get_id();
  // One item per worker, each waiting for the others: only three threads at once can pass.
  parallel_for(jobs, jobs, [&](std::size_t, unsigned w) {
    {
      std::lock_guard lock(mutex);
      thread_of[w] = std::this_thread::get_id();
    }
    if (!all.arrive_and_wait())
      met = false;
  });
  CHECK(met);
  REQUIRE(thread_of.size() == jobs);
  CHECK(thread_of.at(0) == caller);
  std::set<std::thread::id> distinct;
  for (const auto& [w, id] : thread_of)
    distinct.insert(id);
  CHECK(distinct.size() == jobs);
}

TEST_CASE("parallel_for hands out consecutive indexes a chunk at a time", "[parallel]")
{
  constexpr std::size_t n = 1000, chunk = 64;
  std::vector<unsigned> worker_of(n);
  parallel_for(
      n, 4, [&](std::size_t i, unsigned w) { worker_of[i] = w; }, chunk);
  for (std::size_t begin = 0; begin < n; begin += chunk)
    for (std::size_t i = begin; i < std::min(n, begin + chunk); ++i)
      REQUIRE(worker_of[i] == worker_of[begin]);
}

TEST_CASE("parallel_for rethrows the first exception and starts no chunk after it", "[parallel]")
{
  SECTION("one job: the items after the failing one are not called")
  {
    std::vector<std::size_t> called;
    CHECK_THROWS_WITH(parallel_for(10, 1,
                                   [&](std::size_t i, unsigned) {
                                     called.push_back(i);
                                     if (i == 3)
                                       throw std::runtime_error("item 3");
                                   }),
                      "item 3");
    CHECK(called == std::vector<std::size_t>{0, 1, 2, 3});
  }
  SECTION("several jobs: every thread stops, the exception reaches the caller")
  {
    std::atomic<std::size_t> calls{0};
    constexpr std::size_t n = 100000;
    CHECK_THROWS_AS(parallel_for(n, 4,
                                 [&](std::size_t i, unsigned) {
                                   ++calls;
                                   if (i == 10)
                                     throw std::logic_error("stop");
                                 }),
                    std::logic_error);
    // Each of the other workers finishes at most the item it is in.
    CHECK(calls < n);
  }
  SECTION("an exception on a worker thread, not the caller's")
  {
    Rendezvous both(2);
    CHECK_THROWS_WITH(parallel_for(2, 2,
                                   [&](std::size_t, unsigned w) {
                                     both.arrive_and_wait();
                                     if (w == 1)
                                       throw std::runtime_error("worker 1");
                                   }),
                      "worker 1");
  }
}

TEST_CASE("ordered_pipeline consumes every item once, in order, on the calling thread",
          "[parallel]")
{
  for (unsigned workers : {0u, 1u, 2u, 5u}) {
    for (std::size_t ahead : {0u, 1u, 3u, 16u}) {
      for (std::size_t count : {0u, 1u, 2u, 50u, 500u}) {
        INFO("workers " << workers << ", ahead " << ahead << ", count " << count);
        const auto caller = std::this_thread::get_id();
        std::vector<std::size_t> order;
        std::atomic<unsigned> max_worker{0};
        std::atomic<bool> consumed_elsewhere{false};
        ordered_pipeline(
            count, workers, ahead,
            [&](std::size_t i, unsigned w) {
              unsigned seen = max_worker;
              while (w > seen && !max_worker.compare_exchange_weak(seen, w)) {
              }
              return std::to_string(i * 7);
            },
            [&](std::size_t i, std::string&& item) {
              if (std::this_thread::get_id() != caller)
                consumed_elsewhere = true;
              REQUIRE(item == std::to_string(i * 7));
              order.push_back(i);
            });
        REQUIRE(order.size() == count);
        for (std::size_t i = 0; i < count; ++i)
          REQUIRE(order[i] == i);
        CHECK_FALSE(consumed_elsewhere);
        CHECK(max_worker < std::max(workers, 1u));
      }
    }
  }
}

TEST_CASE("ordered_pipeline produces at most `ahead` items before they are consumed", "[parallel]")
{
  for (std::size_t ahead : {1u, 2u, 5u}) {
    std::atomic<std::size_t> produced{0};
    std::size_t consumed = 0;
    std::atomic<std::size_t> most_ahead{0};
    ordered_pipeline(
        300, 4, ahead,
        [&](std::size_t i, unsigned) {
          ++produced;
          return i;
        },
        [&](std::size_t, std::size_t&&) {
          // Produced and not yet consumed, this one included.
          std::size_t pending = produced - consumed;
          if (pending > most_ahead)
            most_ahead = pending;
          ++consumed;
        });
    INFO("ahead " << ahead);
    CHECK(most_ahead <= ahead);
    CHECK(consumed == 300);
  }
}

TEST_CASE("ordered_pipeline runs producers on distinct worker threads", "[parallel]")
{
  constexpr unsigned workers = 3;
  Rendezvous all(workers);
  std::atomic<bool> met{true};
  std::mutex mutex;
  std::set<std::thread::id> threads;
  const auto caller = std::this_thread::get_id();
  ordered_pipeline(
      workers, workers, workers,
      [&](std::size_t i, unsigned) {
        {
          std::lock_guard lock(mutex);
          threads.insert(std::this_thread::get_id());
        }
        if (!all.arrive_and_wait())
          met = false;
        return i;
      },
      [](std::size_t, std::size_t&&) {});
  CHECK(met);
  CHECK(threads.size() == workers);
  CHECK(threads.count(caller) == 0);
}

TEST_CASE("ordered_pipeline stops on an exception from either side", "[parallel]")
{
  SECTION("from a producer: items after the failing one are never consumed")
  {
    std::vector<std::size_t> consumed;
    CHECK_THROWS_WITH(ordered_pipeline(
                          1000, 3, 4,
                          [](std::size_t i, unsigned) {
                            if (i == 20)
                              throw std::runtime_error("produce 20");
                            return i;
                          },
                          [&](std::size_t i, std::size_t&&) { consumed.push_back(i); }),
                      "produce 20");
    REQUIRE(consumed.size() <= 20);
    for (std::size_t i = 0; i < consumed.size(); ++i)
      CHECK(consumed[i] == i);
  }
  SECTION("from the consumer: producers stop and are joined")
  {
    std::atomic<std::size_t> produced{0};
    CHECK_THROWS_WITH(ordered_pipeline(
                          100000, 3, 4,
                          [&](std::size_t i, unsigned) {
                            ++produced;
                            return i;
                          },
                          [](std::size_t i, std::size_t&&) {
                            if (i == 5)
                              throw std::runtime_error("consume 5");
                          }),
                      "consume 5");
    // At most `ahead` past the failing item, plus one in flight per worker.
    CHECK(produced <= 6 + 4 + 3);
  }
  SECTION("without workers")
  {
    std::size_t consumed = 0;
    CHECK_THROWS_WITH(ordered_pipeline(
                          10, 0, 4,
                          [](std::size_t i, unsigned) {
                            if (i == 4)
                              throw std::runtime_error("inline 4");
                            return i;
                          },
                          [&](std::size_t, std::size_t&&) { ++consumed; }),
                      "inline 4");
    CHECK(consumed == 4);
  }
}
