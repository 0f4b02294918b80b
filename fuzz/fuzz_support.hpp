#pragma once
// Helpers shared by the libFuzzer targets: a scratch directory per process (on /dev/shm when it
// exists, removed at exit) and whole-file writes, for the readers that take a path.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unistd.h>

namespace zenolint::fuzz {

class ScratchDir {
public:
  ScratchDir()
  {
    std::string base = std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "/tmp";
    std::string templ = base + "/zenolint-fuzz-XXXXXX";
    if (!::mkdtemp(templ.data()))
      throw std::runtime_error("mkdtemp failed");
    m_path = templ;
  }
  ~ScratchDir()
  {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return m_path; }
  std::string operator/(const std::string& rel) const { return m_path + "/" + rel; }

private:
  std::string m_path;
};

// The process's scratch directory (created on first use, removed at exit).
inline const ScratchDir& scratch()
{
  static ScratchDir dir;
  return dir;
}

inline void write_file(const std::string& path, std::string_view data)
{
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  if (!out.flush())
    throw std::runtime_error("cannot write " + path);
}

inline std::uint32_t le32(const std::uint8_t* p)
{
  return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 |
         std::uint32_t(p[3]) << 24;
}

inline std::uint32_t be32(const std::uint8_t* p)
{
  return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 |
         std::uint32_t(p[3]);
}

} // namespace zenolint::fuzz
