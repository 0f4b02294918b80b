#include "support/temp.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace zenolint::test {
namespace fs = std::filesystem;

TempDir::TempDir()
{
  std::string tmpl = (fs::temp_directory_path() / "zenolint-test-XXXXXX").string();
  if (!::mkdtemp(tmpl.data()))
    throw std::runtime_error("mkdtemp failed");
  m_path = fs::canonical(tmpl).string();
}

TempDir::~TempDir()
{
  std::error_code ec;
  // Restore permissions that tests removed, then delete.
  for (fs::recursive_directory_iterator it(m_path, ec), end; !ec && it != end; it.increment(ec))
    if (!it->is_symlink(ec) && it->is_directory(ec))
      fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
  fs::remove_all(m_path, ec);
}

void write_file(const std::string& path, const std::string& content)
{
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out)
    throw std::runtime_error("cannot write " + path);
  out << content;
}

std::string read_file(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

} // namespace zenolint::test
