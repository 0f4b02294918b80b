// `.zenolintignore` parsing and glob matching (app/ignore) on hostile patterns and paths.
//
// Input: the ignore file's text, a NUL byte, then paths to test, one per line (at most 64).
// Every line of the ignore file is also matched as a raw glob against every path.
#include "app/ignore.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

using namespace zenolint;

namespace {

std::vector<std::string_view> lines(std::string_view text, std::size_t max)
{
  std::vector<std::string_view> out;
  while (!text.empty() && out.size() < max) {
    auto nl = text.find('\n');
    out.push_back(text.substr(0, nl));
    if (nl == std::string_view::npos)
      break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto nul = input.find('\0');
  std::string_view text = input.substr(0, nul);
  std::string_view paths = nul == std::string_view::npos ? "" : input.substr(nul + 1);
  std::vector<Diagnostic> diagnostics;
  auto ignore = app::IgnoreFile::parse(text, ".zenolintignore", diagnostics);
  volatile std::size_t sink = 0;
  auto path_list = lines(paths, 64);
  auto globs = lines(text, 64);
  for (auto path : path_list) {
    sink = sink + ignore.ignores_path(path);
    for (auto glob : globs)
      sink = sink + app::glob_match(glob, path);
  }
  sink = sink + ignore.ignores_fingerprint(std::string(text.substr(0, 64)));
  return 0;
}
