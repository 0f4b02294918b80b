#include "app/scan.hpp"
#include "support/corpus.hpp"
#include "support/temp.hpp"

#include <catch2/catch.hpp>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

using namespace zenolint;

TEST_CASE("labelled corpus: 100% recall, no false positives, right instance", "[corpus][match]")
{
  test::TempDir dir;
  auto corpus = test::make_corpus();
  test::write_corpus(dir.path(), corpus);

  app::ScanCommand cmd;
  cmd.path = dir.path();
  cmd.no_history = true;
  cmd.jobs = 2;
  auto rep = app::scan(cmd);
  CHECK(rep.diagnostics.empty());

  // Expected (path, secret) -> instance.
  std::map<std::pair<std::string, std::string>, Instance> expected;
  std::size_t positive_files = 0, negative_files = 0;
  for (const auto& f : corpus) {
    (f.planted.empty() ? negative_files : positive_files) += 1;
    for (const auto& p : f.planted)
      expected[{f.path, p.token}] = p.instance;
  }
  std::size_t true_positives = 0, false_positives = 0, wrong_instance = 0;
  std::map<std::pair<std::string, std::string>, int> seen;
  for (const auto& finding : rep.findings) {
    if (finding.rule_id.rfind("zenodo/", 0) != 0)
      continue; // credential-file checks (config/...) are tested on their own
    auto key = std::make_pair(finding.path, finding.secret);
    auto it = expected.find(key);
    if (it == expected.end()) {
      ++false_positives;
      FAIL_CHECK("false positive: " << finding.path << ":" << finding.line << " rule "
                                    << finding.rule_id);
      continue;
    }
    if (++seen[key] > 1) {
      ++false_positives; // a duplicate finding for one planted token
      FAIL_CHECK("duplicate finding: " << finding.path << ":" << finding.line);
      continue;
    }
    ++true_positives;
    if (finding.instance != it->second) {
      ++wrong_instance;
      FAIL_CHECK(finding.path << ":" << finding.line << " rule " << finding.rule_id << ": instance "
                              << to_string(finding.instance) << ", expected "
                              << to_string(it->second));
    }
    // Severity follows the instance.
    CHECK(finding.severity ==
          (finding.instance == Instance::sandbox ? Severity::warning : Severity::error));
  }
  for (const auto& [key, inst] : expected)
    if (seen.find(key) == seen.end())
      FAIL_CHECK("missed token in " << key.first << " (expected instance " << to_string(inst)
                                    << ")");

  double recall = expected.empty() ? 0.0 : double(true_positives) / double(expected.size());
  double precision = true_positives + false_positives == 0
                         ? 0.0
                         : double(true_positives) / double(true_positives + false_positives);
  std::ostringstream summary;
  summary << std::fixed << std::setprecision(2) << "corpus: " << positive_files
          << " positive files, " << negative_files << " negative files, " << expected.size()
          << " planted tokens; recall " << 100.0 * recall << "%, precision " << 100.0 * precision
          << "%, instance errors " << wrong_instance;
  WARN(summary.str());
  std::cout << summary.str() << '\n';
  CHECK(expected.size() >= 50);
  CHECK(true_positives == expected.size());
  CHECK(false_positives == 0);
  CHECK(wrong_instance == 0);
}

TEST_CASE("labelled corpus covers every form with fresh tokens", "[corpus]")
{
  auto a = test::make_corpus();
  auto b = test::make_corpus();
  REQUIRE(a.size() == b.size());
  std::map<std::string, int> forms;
  for (const auto& f : a)
    ++forms[f.form];
  for (const char* form :
       {"dockerfile-arg-env", "powershell-env", "zenopy-zenodorc", "zenodopy-token-file",
        "zenodo-uploader-toml", "ipynb-source-output", "bearer-header", "crlf", "non-ascii-name",
        "long-line", "large-file", "doi-badge-ids", "hex-digests", "secret-store-references",
        "windows-of-longer-runs"})
    CHECK(forms.count(form) == 1);
  // Tokens are generated per call.
  CHECK(a.front().planted.front().token != b.front().planted.front().token);
}
