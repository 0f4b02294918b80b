#pragma once
// What a label (or section name) says about the Zenodo instance, following the naming convention
// of the Zenodo token guide: MYTOKEN_ALL_SB is name MYTOKEN, scope ALL, account type Sandbox.
#include "core/types.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace zenolint::checks {

// Splits a label into words at non-alphanumeric characters and lower-to-upper case changes
// ("myTokenSB" -> my, Token, SB).
std::vector<std::string> label_words(std::string_view label);

// What the label claims, as match::name_instance() decides it for every other name: sandbox for a
// word SB or containing "sandbox"; production for PROD, PRODUCTION, LIVE or a word ending in
// "prod"/"production"; a sandbox word wins over LIVE; sandbox and PROD together claim nothing.
Instance label_claim(std::string_view label);

// A label matching `target`: the claiming words removed, then "_SB" appended for the sandbox
// (MYTOKEN_ALL_PROD -> MYTOKEN_ALL_SB; MYTOKEN_ALL_SB -> MYTOKEN_ALL for production).
std::string suggest_label(std::string_view label, Instance target);

} // namespace zenolint::checks
