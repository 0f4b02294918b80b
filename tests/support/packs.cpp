#include "support/packs.hpp"

#include <filesystem>
#include <sstream>
#include <stdexcept>

namespace zenolint::test {

std::string pack_file(const TempRepo& repo, const std::string& ext)
{
  for (const auto& e : std::filesystem::directory_iterator(repo / ".git/objects/pack"))
    if (e.path().extension() == ext)
      return e.path().string();
  return "";
}

std::vector<PackedEntry> verify_pack(const TempRepo& repo)
{
  std::string idx = pack_file(repo, ".idx");
  if (idx.empty())
    throw std::runtime_error(repo.path() + ": no pack");
  std::istringstream lines(repo.git({"verify-pack", "-v", idx}));
  std::vector<PackedEntry> out;
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream f(line);
    PackedEntry e;
    std::uint64_t size = 0;
    if (!(f >> e.id >> e.type >> size >> e.size_in_pack >> e.offset) || e.id.size() != 40)
      continue;
    f >> e.depth;
    out.push_back(e);
  }
  return out;
}

} // namespace zenolint::test
