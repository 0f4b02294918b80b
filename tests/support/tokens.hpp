#pragma once
// Fake Zenodo tokens generated at run time (tests never commit token-shaped strings).
#include <cstdint>
#include <string>

namespace zenolint::test {

// A random 60-character [A-Za-z0-9] string that passes the token-shape checks (the generator draws
// again in the rare case a random draw does not). Seeded per call from a global counter + seed.
std::string make_token();

// A raw uniform random 60-character string (for recall measurements), from `seed`.
std::string random_token(std::uint64_t seed);

} // namespace zenolint::test
