#pragma once
// Phase timings for the benchmarks (bench/history/run.sh): when ZENOLINT_PHASES is set in the
// environment, phase_mark(name) prints one line to stderr,
//   zenolint phase: NAME  wall 1.234 s (+0.456)  cpu 2.345 s (+0.789)  rss 120 MiB (peak 300)
// with the wall time since the process started and the process's CPU time (all threads), each
// with the change since the previous mark, and the resident set size now and at its peak so far.
// Without the variable every call is a cheap check of a cached flag. Thread-safe; undocumented for
// users.
#include <string_view>

namespace zenolint {

// True when ZENOLINT_PHASES is set (read once).
bool phases_enabled();

// Prints a phase mark when phases_enabled().
void phase_mark(std::string_view name);

// CPU seconds the calling thread has used (CLOCK_THREAD_CPUTIME_ID): for per-thread splits
// printed with phase_note.
double thread_cpu_seconds();

// Prints "zenolint phase:   NAME: TEXT" when phases_enabled().
void phase_note(std::string_view name, std::string_view text);

} // namespace zenolint
