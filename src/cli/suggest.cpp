#include "cli/suggest.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace zenolint::cli {
namespace {

// Edit distance in half steps (optimal string alignment): a substitution that only changes case
// costs 1; any other edit, and swapping two neighbours ("scna" for "scan"), costs 2.
size_t distance2(std::string_view a, std::string_view b)
{
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i)
    d[i][0] = 2 * i;
  for (size_t j = 0; j <= b.size(); ++j)
    d[0][j] = 2 * j;
  for (size_t i = 1; i <= a.size(); ++i)
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = 2;
      if (a[i - 1] == b[j - 1])
        sub = 0;
      else if (std::tolower(static_cast<unsigned char>(a[i - 1])) ==
               std::tolower(static_cast<unsigned char>(b[j - 1])))
        sub = 1;
      d[i][j] = std::min({d[i - 1][j] + 2, d[i][j - 1] + 2, d[i - 1][j - 1] + sub});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 2);
    }
  return d[a.size()][b.size()];
}

} // namespace

std::string closest(std::string_view word, const std::vector<std::string>& candidates)
{
  std::string best;
  size_t best_distance = SIZE_MAX;
  for (const auto& c : candidates) {
    size_t d = distance2(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  size_t longer = std::max(word.size(), best.size());
  size_t limit = 2 * std::max<size_t>(1, longer / 3);
  return best_distance <= limit ? best : std::string{};
}

} // namespace zenolint::cli
