#pragma once
// Fake Zenodo tokens generated at run time (tests never commit token-shaped strings).
#include <cstdint>
#include <string>

namespace zenolint::test {

// A random 60-character [A-Za-z0-9] string that passes the token-shape checks (the generator draws
// again in the rare case a random draw does not). Seeded per call from a global counter +
// test_seed().
std::string make_token();

// The seed of every random choice tests make: ZENOLINT_TEST_SEED (a number, or "random" for a
// fresh one, printed to stderr), else default_test_seed, so a failure replays. The test runner
// prints it after a failed test case (support/catch_main.cpp).
constexpr std::uint64_t default_test_seed = 20261130;
std::uint64_t test_seed();

// A raw uniform random 60-character string (for recall measurements), from `seed`.
std::string random_token(std::uint64_t seed);

// `s` base64-encoded (standard alphabet, '=' padded), as base64(1) and Kubernetes write it.
std::string base64_encode(const std::string& s);

} // namespace zenolint::test
