#include "core/text.hpp"

#include <cerrno>
#include <cstdio>
#include <iconv.h>
#include <initializer_list>

namespace zenolint {
namespace {

// Length of the valid UTF-8 sequence at s[i] (1-4), or 0 when the bytes there are not one
// (overlong forms, surrogates, code points above U+10FFFF and truncated sequences included).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i, char32_t& cp)
{
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  std::size_t len;
  char32_t min;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1F;
    min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0F;
    min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07;
    min = 0x10000;
  } else {
    return 0;
  }
  if (s.size() - i < len)
    return 0;
  for (std::size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80)
      return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return len;
}

void append_hex_escape(std::string& out, unsigned char b)
{
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02x", b);
  out += buf;
}

// Code points a terminal acts on or that change how the rest of the line reads: C1 controls and
// the bidirectional overrides/isolates ("Trojan Source").
bool invisible_control(char32_t cp)
{
  return (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F || cp == 0x061C;
}

// Calls valid(sequence, code point) for each well-formed UTF-8 sequence of `s` and invalid(byte)
// for each byte that does not start one, in order.
template <typename Valid, typename Invalid>
void for_each_utf8(std::string_view s, Valid&& valid, Invalid&& invalid)
{
  char32_t cp;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = utf8_sequence_length(s, i, cp);
    if (n == 0) {
      invalid(static_cast<unsigned char>(s[i]));
      ++i;
    } else {
      valid(s.substr(i, n), cp);
      i += n;
    }
  }
}

} // namespace

bool is_valid_utf8(std::string_view s)
{
  char32_t cp;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = utf8_sequence_length(s, i, cp);
    if (n == 0)
      return false;
    i += n;
  }
  return true;
}

std::string valid_utf8(std::string_view s)
{
  std::string out;
  out.reserve(s.size());
  for_each_utf8(
      s, [&](std::string_view seq, char32_t) { out.append(seq); },
      [&](unsigned char) { out += "\xEF\xBF\xBD"; }); // U+FFFD
  return out;
}

std::string latin1_to_utf8(std::string_view s)
{
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    auto b = static_cast<unsigned char>(c);
    if (b < 0x80) {
      out += c;
    } else {
      out += static_cast<char>(0xC0 | (b >> 6));
      out += static_cast<char>(0x80 | (b & 0x3F));
    }
  }
  return out;
}

namespace {

bool encoding_is(std::string_view encoding, std::initializer_list<std::string_view> names)
{
  std::string lower = ascii_lower(encoding);
  for (auto n : names)
    if (lower == n)
      return true;
  return false;
}

// iconv's conversion of all of `bytes`, or nullopt-like false when it fails anywhere.
bool iconv_to_utf8(std::string_view bytes, const std::string& encoding, std::string& out)
{
  iconv_t cd = ::iconv_open("UTF-8", encoding.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1))
    return false;
  struct Closer {
    iconv_t cd;
    ~Closer() { ::iconv_close(cd); }
  } closer{cd};
  std::string in(bytes);
  char* in_ptr = in.data();
  std::size_t in_left = in.size();
  out.assign(in.size() * 4 + 16, '\0');
  char* out_ptr = out.data();
  std::size_t out_left = out.size();
  while (in_left > 0) {
    if (::iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left) == static_cast<std::size_t>(-1))
      return false; // EILSEQ, EINVAL (truncated) or, impossibly with 4x room, E2BIG
  }
  if (::iconv(cd, nullptr, nullptr, &out_ptr, &out_left) == static_cast<std::size_t>(-1))
    return false;
  out.resize(out.size() - out_left);
  return true;
}

} // namespace

std::string to_utf8(std::string_view bytes, std::string_view encoding)
{
  if (encoding.empty() || encoding_is(encoding, {"utf-8", "utf8"}))
    return valid_utf8(bytes);
  if (encoding_is(encoding, {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "iso_8859-1"}))
    return latin1_to_utf8(bytes);
  if (encoding.size() > 64)
    return valid_utf8(bytes);
  std::string out;
  if (iconv_to_utf8(bytes, std::string(encoding), out) && is_valid_utf8(out))
    return out;
  return valid_utf8(bytes);
}

void append_utf8(std::string& out, char32_t cp)
{
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string utf16_to_utf8(std::string_view bytes, bool big_endian)
{
  auto unit = [&](std::size_t i) -> char32_t {
    auto a = static_cast<unsigned char>(bytes[i]);
    auto b = static_cast<unsigned char>(bytes[i + 1]);
    return big_endian ? (char32_t{a} << 8 | b) : (char32_t{b} << 8 | a);
  };
  std::string out;
  out.reserve(bytes.size());
  std::size_t i = 0;
  if (bytes.size() >= 2 && unit(0) == 0xFEFF)
    i = 2;
  for (; i + 1 < bytes.size(); i += 2) {
    char32_t u = unit(i);
    if (u >= 0xD800 && u <= 0xDBFF && i + 3 < bytes.size()) {
      char32_t low = unit(i + 2);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        append_utf8(out, 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00));
        i += 2;
        continue;
      }
    }
    append_utf8(out, (u >= 0xD800 && u <= 0xDFFF) ? char32_t{0xFFFD} : u);
  }
  if (i < bytes.size())
    append_utf8(out, 0xFFFD);
  return out;
}

std::string terminal_safe(std::string_view s)
{
  std::string out;
  out.reserve(s.size());
  auto valid = [&](std::string_view seq, char32_t cp) {
    if (seq.size() > 1) {
      if (invisible_control(cp)) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "\\u{%x}", static_cast<unsigned>(cp));
        out += buf;
      } else {
        out.append(seq);
      }
      return;
    }
    switch (char c = seq[0]) {
    case '\t':
      out += c;
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\x1b':
      out += "\\e";
      break;
    default:
      if (cp < 0x20 || cp == 0x7F)
        append_hex_escape(out, static_cast<unsigned char>(c));
      else
        out += c;
    }
  };
  for_each_utf8(s, valid, [&](unsigned char byte) { append_hex_escape(out, byte); });
  return out;
}

std::string join_list(const std::vector<std::string>& items, std::size_t max)
{
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < max; ++i)
    out += (i ? ", " : "") + items[i];
  if (items.size() > max)
    out += " and " + std::to_string(items.size() - max) + " more";
  return out;
}

std::optional<std::string> base64_decode(std::string_view s)
{
  std::size_t pad = 0;
  while (pad < 2 && !s.empty() && s.back() == '=') {
    s.remove_suffix(1);
    ++pad;
  }
  if (s.size() % 4 == 1 || (pad > 0 && (s.size() + pad) % 4 != 0))
    return std::nullopt;
  std::string out;
  out.reserve(s.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : s) {
    int v;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      v = c - '0' + 52;
    else if (c == '+' || c == '-')
      v = 62;
    else if (c == '/' || c == '_')
      v = 63;
    else
      return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  if ((acc & ((1u << bits) - 1)) != 0)
    return std::nullopt; // a canonical encoding leaves zero bits over
  return out;
}

} // namespace zenolint
