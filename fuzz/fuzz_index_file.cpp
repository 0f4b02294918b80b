// The own index reader (source/index_file) on a hostile .git/index.
#include "fuzz_support.hpp"
#include "source/index_file.hpp"

using namespace zenolint;

namespace {

std::size_t walk(const source::CachedTree& tree, int depth)
{
  std::size_t n = tree.name.size() + static_cast<std::size_t>(tree.entry_count < 0 ? 0 : 1);
  for (const auto& child : tree.children) {
    n += walk(child, depth + 1);
    (void)tree.child(child.name);
  }
  return n;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  static const std::string path = fuzz::scratch() / "index";
  fuzz::write_file(path, std::string_view(reinterpret_cast<const char*>(data), size));
  std::string why;
  auto index = source::read_index_file(path, &why);
  if (!index)
    return 0;
  volatile std::size_t sink = 0;
  for (const auto& e : index->entries)
    sink = sink + e.path.size() + e.mode + e.stage + e.id[0] + e.intent_to_add;
  if (index->cached_tree)
    sink = sink + walk(*index->cached_tree, 0);
  return 0;
}
