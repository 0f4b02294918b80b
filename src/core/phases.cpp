#include "core/phases.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <mutex>
#include <string>
#include <sys/resource.h>
#include <unistd.h>
#include <utility>

namespace zenolint {
namespace {

double process_cpu_seconds()
{
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  auto sec = [](const timeval& tv) { return double(tv.tv_sec) + double(tv.tv_usec) / 1e6; };
  return sec(ru.ru_utime) + sec(ru.ru_stime);
}

// Seconds since the process started (field 22 of /proc/self/stat, in clock ticks since boot).
double process_age_seconds()
{
  std::ifstream in("/proc/self/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto paren = stat.rfind(')');
  if (paren == std::string::npos)
    return 0;
  const char* p = stat.c_str() + paren + 2; // field 3 onwards
  for (int field = 3; field < 22 && *p; ++field) {
    while (*p && *p != ' ')
      ++p;
    if (*p)
      ++p;
  }
  double start = double(std::strtoull(p, nullptr, 10)) / double(sysconf(_SC_CLK_TCK));
  timespec up{};
  ::clock_gettime(CLOCK_BOOTTIME, &up);
  return double(up.tv_sec) + double(up.tv_nsec) / 1e9 - start;
}

// Resident and peak resident set size in MiB (VmRSS, VmHWM of /proc/self/status).
std::pair<long, long> rss_mib()
{
  std::ifstream in("/proc/self/status");
  std::string line;
  long rss = 0, hwm = 0;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0)
      rss = std::strtol(line.c_str() + 6, nullptr, 10) / 1024;
    else if (line.rfind("VmHWM:", 0) == 0)
      hwm = std::strtol(line.c_str() + 6, nullptr, 10) / 1024;
  }
  return {rss, hwm};
}

struct State {
  std::mutex mutex;
  bool started = false;
  std::chrono::steady_clock::time_point origin;
  double last_wall = 0, last_cpu = 0;
};

State& state()
{
  static State s;
  return s;
}

} // namespace

bool phases_enabled()
{
  static const bool enabled = [] {
    const char* v = std::getenv("ZENOLINT_PHASES");
    return v != nullptr && *v != '\0';
  }();
  return enabled;
}

void phase_mark(std::string_view name)
{
  if (!phases_enabled())
    return;
  State& s = state();
  std::lock_guard lock(s.mutex);
  auto now = std::chrono::steady_clock::now();
  if (!s.started) {
    s.started = true;
    s.origin = now - std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                         std::chrono::duration<double>(process_age_seconds()));
  }
  double wall = std::chrono::duration<double>(now - s.origin).count();
  double cpu = process_cpu_seconds();
  auto [rss, hwm] = rss_mib();
  std::fprintf(stderr,
               "zenolint phase: %-22.*s wall %7.3f s (+%.3f)  cpu %7.3f s (+%.3f)  rss %ld MiB "
               "(peak %ld)\n",
               int(name.size()), name.data(), wall, wall - s.last_wall, cpu, cpu - s.last_cpu, rss,
               hwm);
  s.last_wall = wall;
  s.last_cpu = cpu;
}

double thread_cpu_seconds()
{
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

void phase_note(std::string_view name, std::string_view text)
{
  if (!phases_enabled())
    return;
  std::lock_guard lock(state().mutex);
  std::fprintf(stderr, "zenolint phase:   %.*s: %.*s\n", int(name.size()), name.data(),
               int(text.size()), text.data());
}

} // namespace zenolint
