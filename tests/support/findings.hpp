#pragma once
// Hand-built findings for the reporters' unit tests.
#include "core/types.hpp"

#include <cstdint>
#include <string>

namespace zenolint::test {

// A token finding as the scanner makes one: rule zenodo/assignment, severity error, production,
// `secret` at columns 5 to 65 of `line` of `path`, the fingerprint of
// "zenodo/assignment:<secret>", line hash 00112233aabbccdd and a fixed blob id.
Finding token_finding(const std::string& secret, const std::string& path, std::uint32_t line);

} // namespace zenolint::test
