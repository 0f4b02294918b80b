#include "checks/labels.hpp"
#include "support/tokens.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

using namespace zenolint;
using namespace zenolint::checks;
using zenolint::test::make_token;

namespace {

Result run_labels(FileKind kind, const std::string& content)
{
  Result r;
  check_labels(parse(kind, content, "f"), "f", BlobId{}, r);
  return r;
}

std::size_t count_rule(const Result& r, std::string_view rule)
{
  return static_cast<std::size_t>(std::count_if(
      r.findings.begin(), r.findings.end(), [&](const Finding& f) { return f.rule_id == rule; }));
}

} // namespace

TEST_CASE("a correctly labelled zenodorc has no label finding", "[checks]")
{
  auto r =
      run_labels(FileKind::zenodorc, "[ZENODO]\nMYTOKEN_ALL = " + make_token() +
                                         "\n[SANDBOX]\nMYTOKEN_ALL_SB = " + make_token() + "\n");
  CHECK(r.findings.empty());
}

TEST_CASE("label findings never carry the token", "[checks]")
{
  auto t = make_token();
  auto r = run_labels(FileKind::zenodorc,
                      "[ZENODO]\nA_SB = " + t + "\n[SANDBOX]\nB = " + t + "\nb = <FIXME>\n");
  CHECK(count_rule(r, rule_misleading_label) == 3); // claim, same token, duplicate
  for (const auto& f : r.findings) {
    CHECK(f.secret.empty());
    CHECK(f.message.find(t) == std::string::npos);
    CHECK(f.fingerprint.find(t) == std::string::npos);
    CHECK(f.fingerprint.size() == 64);
  }
}

TEST_CASE("placeholders only in the section read by default", "[checks]")
{
  auto r = run_labels(FileKind::zenodorc, "[ZENODO]\ntoken = <FIXME>\n[SANDBOX]\ntoken =\n");
  REQUIRE(count_rule(r, rule_placeholder_token) == 1);
  CHECK(r.findings[0].line == 2);
  CHECK(r.findings[0].severity == Severity::note);
  auto z = run_labels(FileKind::zenodopy, "ACCESS_TOKEN: your_access_token_here\n");
  CHECK(count_rule(z, rule_placeholder_token) == 1);
  auto ini = run_labels(FileKind::ini, "[zenodo]\ntoken = <FIXME>\n");
  CHECK(count_rule(ini, rule_placeholder_token) == 0);
}

TEST_CASE("fingerprints are stable and distinct", "[checks]")
{
  auto content = "[ZENODO]\nA_SB = " + make_token() + "\nB_SB = " + make_token() + "\n";
  auto r1 = run_labels(FileKind::zenodorc, content);
  auto r2 = run_labels(FileKind::zenodorc, content);
  REQUIRE(r1.findings.size() == 2);
  CHECK(r1.findings[0].fingerprint == r2.findings[0].fingerprint);
  CHECK(r1.findings[0].fingerprint != r1.findings[1].fingerprint);
}
