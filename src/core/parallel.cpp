#include "core/parallel.hpp"

namespace zenolint {

unsigned effective_jobs(unsigned jobs)
{
  if (jobs > 0)
    return jobs;
  return std::max(1u, std::thread::hardware_concurrency());
}

namespace detail {

void FirstFailure::capture()
{
  std::lock_guard lock(m_mutex);
  if (!m_failure)
    m_failure = std::current_exception();
  m_failed = true;
}

bool FirstFailure::failed() const
{
  return m_failed;
}

void FirstFailure::rethrow() const
{
  std::lock_guard lock(m_mutex);
  if (m_failure)
    std::rethrow_exception(m_failure);
}

void JoinedThreads::join()
{
  for (auto& t : m_threads)
    if (t.joinable())
      t.join();
  m_threads.clear();
}

} // namespace detail
} // namespace zenolint
