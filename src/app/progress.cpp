#include "app/progress.hpp"

#include "core/text.hpp"

#include <cstdio>
#include <unistd.h>

namespace zenolint::app {

Progress::Progress(ProgressMode mode, std::string label)
    : m_enabled(mode == ProgressMode::always ||
                (mode == ProgressMode::auto_ && ::isatty(STDERR_FILENO) == 1)),
      m_tty(::isatty(STDERR_FILENO) == 1), m_label(std::move(label)),
      m_start(std::chrono::steady_clock::now()), m_last(m_start - std::chrono::seconds(1))
{}

Progress::~Progress()
{
  finish();
}

std::string Progress::format(const std::string& label, std::uint64_t objects, std::uint64_t total,
                             std::uint64_t bytes, double seconds)
{
  std::string line = label + ": " + std::to_string(objects);
  if (total > 0)
    line += "/" + std::to_string(total);
  line += " objects, " + human_bytes(static_cast<double>(bytes));
  if (seconds > 0) {
    line += ", " + human_bytes(static_cast<double>(bytes) / seconds) + "/s";
    if (total > objects && objects > 0) {
      auto eta = static_cast<std::uint64_t>(seconds * static_cast<double>(total - objects) /
                                            static_cast<double>(objects));
      char buf[32];
      std::snprintf(buf, sizeof buf, ", ETA %llu:%02llu", static_cast<unsigned long long>(eta / 60),
                    static_cast<unsigned long long>(eta % 60));
      line += buf;
    }
  }
  return line;
}

bool Progress::due()
{
  auto now = std::chrono::steady_clock::now();
  if (now - m_last < std::chrono::milliseconds(250))
    return false;
  m_last = now;
  return true;
}

void Progress::draw(const std::string& line)
{
  if (m_tty)
    std::fprintf(stderr, "\r%s\033[K", line.c_str());
  else
    std::fprintf(stderr, "%s\n", line.c_str());
  std::fflush(stderr);
  m_drawn = true;
}

void Progress::update(std::uint64_t objects, std::uint64_t bytes)
{
  if (!m_enabled)
    return;
  std::unique_lock lock(m_mutex, std::try_to_lock);
  if (!lock.owns_lock() || !due())
    return;
  std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - m_start;
  draw(format(m_label, objects, m_total, bytes, elapsed.count()));
}

void Progress::update_commits(std::uint64_t commits)
{
  if (!m_enabled)
    return;
  std::unique_lock lock(m_mutex, std::try_to_lock);
  if (!lock.owns_lock() || !due())
    return;
  draw(m_label + ": " + std::to_string(commits) + " commits");
}

void Progress::finish()
{
  std::lock_guard lock(m_mutex);
  if (m_drawn && m_tty) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
    m_drawn = false;
  }
}

} // namespace zenolint::app
