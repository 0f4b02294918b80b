#include "core/sha1.hpp"

#include <cstring>

namespace zenolint {
namespace {

inline std::uint32_t rotl(std::uint32_t x, int n)
{
  return (x << n) | (x >> (32 - n));
}

inline std::uint32_t load_be(const unsigned char* p)
{
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

} // namespace

Sha1::Sha1() : m_state{0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0} {}

void Sha1::blocks(const unsigned char* p, std::size_t count)
{
  for (; count > 0; --count, p += 64) {
    std::uint32_t w[80];
    for (int i = 0; i < 16; ++i)
      w[i] = load_be(p + 4 * i);
    for (int i = 16; i < 80; ++i)
      w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    std::uint32_t a = m_state[0], b = m_state[1], c = m_state[2], d = m_state[3], e = m_state[4];
    auto round = [&](std::uint32_t f, std::uint32_t k, std::uint32_t wi) {
      std::uint32_t t = rotl(a, 5) + f + e + k + wi;
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = t;
    };
    for (int i = 0; i < 20; ++i)
      round((b & c) | (~b & d), 0x5A827999, w[i]);
    for (int i = 20; i < 40; ++i)
      round(b ^ c ^ d, 0x6ED9EBA1, w[i]);
    for (int i = 40; i < 60; ++i)
      round((b & c) | (b & d) | (c & d), 0x8F1BBCDC, w[i]);
    for (int i = 60; i < 80; ++i)
      round(b ^ c ^ d, 0xCA62C1D6, w[i]);
    m_state[0] += a;
    m_state[1] += b;
    m_state[2] += c;
    m_state[3] += d;
    m_state[4] += e;
  }
}

void Sha1::update(std::string_view data)
{
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t n = data.size();
  m_total += n;
  if (m_buf_len > 0) {
    std::size_t take = std::min(n, std::size_t{64} - m_buf_len);
    std::memcpy(m_buf.data() + m_buf_len, p, take);
    m_buf_len += take;
    p += take;
    n -= take;
    if (m_buf_len < 64)
      return;
    blocks(m_buf.data(), 1);
    m_buf_len = 0;
  }
  blocks(p, n / 64);
  p += n / 64 * 64;
  n %= 64;
  std::memcpy(m_buf.data(), p, n);
  m_buf_len = n;
}

std::array<unsigned char, 20> Sha1::finish()
{
  std::uint64_t bits = m_total * 8;
  unsigned char pad[72] = {0x80};
  std::size_t pad_len = (m_buf_len < 56 ? 56 : 120) - m_buf_len;
  for (int i = 0; i < 8; ++i)
    pad[pad_len + static_cast<std::size_t>(i)] = static_cast<unsigned char>(bits >> (56 - 8 * i));
  update(std::string_view(reinterpret_cast<const char*>(pad), pad_len + 8));
  std::array<unsigned char, 20> out{};
  for (std::size_t i = 0; i < 5; ++i) {
    out[4 * i] = static_cast<unsigned char>(m_state[i] >> 24);
    out[4 * i + 1] = static_cast<unsigned char>(m_state[i] >> 16);
    out[4 * i + 2] = static_cast<unsigned char>(m_state[i] >> 8);
    out[4 * i + 3] = static_cast<unsigned char>(m_state[i]);
  }
  return out;
}

} // namespace zenolint
