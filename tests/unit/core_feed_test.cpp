// Feed (core/parallel.hpp): one producer, several consumers, a queue bounded by bytes.
#include "core/parallel.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

using zenolint::Feed;

TEST_CASE("feed: every item is consumed exactly once, on several threads", "[core][feed]")
{
  for (unsigned consumers : {0u, 1u, 3u}) {
    for (std::size_t max_bytes : {std::size_t{1}, std::size_t{10}, std::size_t{1} << 20}) {
      INFO("consumers " << consumers << ", max_bytes " << max_bytes);
      std::mutex mutex;
      std::multiset<int> seen;
      std::set<std::thread::id> threads;
      {
        Feed<int> feed(consumers, max_bytes, [&](int&& item) {
          std::lock_guard lock(mutex);
          seen.insert(item);
          threads.insert(std::this_thread::get_id());
        });
        for (int i = 0; i < 2000; ++i)
          feed.push(i, 3);
        feed.finish();
      }
      REQUIRE(seen.size() == 2000);
      CHECK(*seen.begin() == 0);
      CHECK(*seen.rbegin() == 1999);
      CHECK(std::set<int>(seen.begin(), seen.end()).size() == 2000); // no item twice
      if (consumers == 0)
        CHECK(threads == std::set<std::thread::id>{std::this_thread::get_id()});
    }
  }
}

TEST_CASE("feed: the queue never holds more than its byte bound", "[core][feed]")
{
  // One consumer that blocks until released: the producer must consume the overflow itself.
  std::atomic<bool> release{false};
  std::atomic<int> done_here{0}, done_there{0};
  const auto producer = std::this_thread::get_id();
  Feed<int> feed(1, 10, [&](int&&) {
    if (std::this_thread::get_id() == producer) {
      ++done_here;
      return;
    }
    while (!release)
      std::this_thread::yield();
    ++done_there;
  });
  for (int i = 0; i < 100; ++i)
    feed.push(i, 4); // at most 2 queued (8 bytes), one held by the blocked consumer
  CHECK(done_here >= 100 - 3);
  release = true;
  feed.finish();
  CHECK(done_here + done_there == 100);
}

TEST_CASE("feed: the first exception of a consumer is rethrown by finish", "[core][feed]")
{
  for (unsigned consumers : {0u, 2u}) {
    std::atomic<int> calls{0};
    Feed<int> feed(consumers, 1 << 20, [&](int&& item) {
      ++calls;
      if (item == 7)
        throw std::runtime_error("bad item 7");
    });
    for (int i = 0; i < 100; ++i)
      feed.push(i, 1);
    CHECK_THROWS_WITH(feed.finish(), "bad item 7");
    CHECK(calls <= 100);
  }
}
