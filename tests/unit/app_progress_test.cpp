#include "app/progress.hpp"

#include <catch2/catch.hpp>

using zenolint::app::Progress;

TEST_CASE("progress: the line shows objects, bytes, rate and ETA", "[unit][progress]")
{
  auto line = Progress::format("scanning", 50, 200, 3u << 20, 2.0);
  CHECK(line == "scanning: 50/200 objects, 3.0 MiB, 1.5 MiB/s, ETA 0:06");
  CHECK(Progress::format("scanning", 0, 0, 0, 0.0) == "scanning: 0 objects, 0 bytes");
  CHECK(Progress::format("x", 10, 10, 2048, 1.0) == "x: 10/10 objects, 2.0 KiB, 2.0 KiB/s");
}

TEST_CASE("progress: never mode is disabled", "[unit][progress]")
{
  Progress p(zenolint::app::ProgressMode::never, "x");
  CHECK_FALSE(p.enabled());
  p.update(1, 1); // no output, no crash
  p.finish();
}
