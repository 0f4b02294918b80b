#pragma once
// A one-line progress display on stderr: objects and bytes scanned, rate and ETA (or commits
// walked while history is attributed). Shown when --progress=always, or with --progress=auto when
// stderr is a terminal; silent otherwise. update() may be called from any thread; it redraws at
// most a few times per second and never blocks a worker on another one's redraw.
#include "app/scan.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace zenolint::app {

class Progress {
public:
  Progress(ProgressMode mode, std::string label);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  bool enabled() const { return m_enabled; }
  void set_total(std::uint64_t objects) { m_total = objects; }
  void update(std::uint64_t objects, std::uint64_t bytes);
  void update_commits(std::uint64_t commits);
  // Clears the line on a terminal (idempotent).
  void finish();

  // The line for a state (exposed for tests): "label: 10/20 objects, 1.5 MiB, 3.0 MiB/s, ETA 0:05".
  static std::string format(const std::string& label, std::uint64_t objects, std::uint64_t total,
                            std::uint64_t bytes, double seconds);

private:
  bool due();
  void draw(const std::string& line);

  bool m_enabled = false;
  bool m_tty = false; // redraw in place; otherwise one line per redraw
  std::string m_label;
  std::uint64_t m_total = 0;
  std::chrono::steady_clock::time_point m_start;
  std::chrono::steady_clock::time_point m_last;
  std::mutex m_mutex;
  bool m_drawn = false;
};

} // namespace zenolint::app
