// `.zenolintignore` parsing and glob matching (app/ignore), and git's ignore rules of the
// working-tree listing (source/gitignore: parsing, wildmatch, precedence), on hostile patterns
// and paths: a repository's .gitignore is a stranger's content too.
//
// Input: the ignore file's text, a NUL byte, then paths to test, one per line (at most 64).
// Every line of the ignore file is also matched as a raw glob and as a wildmatch pattern (with
// and without pathname and case folding) against every path, and the whole text is used as a
// .gitignore at the top of the tree and in `d/`.
#include "app/ignore.hpp"
#include "source/gitignore.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
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
  auto top = std::make_shared<source::IgnoreNode>();
  top->list = source::parse_ignore_list(text, "");
  auto sub = std::make_shared<source::IgnoreNode>();
  sub->parent = top;
  sub->list = source::parse_ignore_list(text, "d/");
  const source::IgnoreRules rules({source::parse_ignore_list(text, "")},
                                  !text.empty() && text[0] == 'i');
  for (auto path : path_list) {
    sink = sink + ignore.ignores_path(path);
    for (auto glob : globs)
      sink = sink + app::glob_match(glob, path);
    // wildmatch is polynomial (pattern x text) within the listing's bounds: patterns of at most
    // max_pattern_length bytes, paths of at most PATH_MAX; the first 8 lines only.
    if (path.empty() || path.back() == '/' || path.size() > 4096)
      continue;
    for (std::size_t g = 0; g < globs.size() && g < 8; ++g) {
      if (globs[g].size() > source::max_pattern_length)
        continue;
      sink = sink + source::wildmatch(globs[g], path, source::wm_pathname);
      sink = sink + source::wildmatch(globs[g], path, source::wm_casefold);
    }
    // As the listing passes them: a std::string's view (wildmatch reads up to its NUL).
    const std::string own(path);
    sink = sink + rules.excluded(own, false, top.get());
    sink = sink + rules.excluded(own, true, sub.get());
  }
  sink = sink + ignore.ignores_fingerprint(std::string(text.substr(0, 64)));
  return 0;
}
