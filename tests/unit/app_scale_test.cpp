// Shard partition, list parsing and record round trip (app/scale, report/jsonl).
#include "app/scale.hpp"
#include "core/error.hpp"
#include "report/jsonl.hpp"
#include "support/temp.hpp"

#include <catch2/catch.hpp>
#include <map>

using namespace zenolint;

TEST_CASE("scale: --shard K/N is validated", "[unit][scale]")
{
  CHECK(app::parse_shard("1/1").count == 1);
  CHECK(app::parse_shard("3/4").index == 3);
  for (const char* bad : {"0/4", "5/4", "4", "/4", "1/", "a/4", "1/4/2", "-1/4", "1/0", " 1/4",
                          "1/100001", "99999999999/99999999999"})
    CHECK_THROWS_AS(app::parse_shard(bad), Error);
}

TEST_CASE("scale: every repository in exactly one shard, stable when lines are added",
          "[unit][scale]")
{
  std::map<std::string, unsigned> shard_of;
  std::vector<unsigned> sizes(8);
  for (int i = 0; i < 2000; ++i) {
    std::string key = "/srv/git/org/project-" + std::to_string(i) + ".git";
    unsigned hits = 0;
    for (unsigned k = 1; k <= 8; ++k)
      if (app::in_shard(key, {k, 8})) {
        ++hits;
        shard_of[key] = k;
        ++sizes[k - 1];
      }
    CHECK(hits == 1);
  }
  for (auto n : sizes) // roughly even: 250 expected each
    CHECK((n > 180 && n < 320));
  // The assignment depends on the line only: other lines (added, removed) change nothing.
  for (const auto& [key, k] : shard_of)
    CHECK(app::in_shard(key, {k, 8}));
}

TEST_CASE("scale: the list skips blanks and comments, resolves against its directory",
          "[unit][scale]")
{
  test::TempDir dir;
  test::write_file(dir / "lists/repos.txt",
                   "# org\n\n  a  \n../b\n/abs/c/\nsub/d\r\na\n\t# indented comment\n");
  std::vector<Diagnostic> diags;
  auto entries = app::read_repo_list(dir / "lists/repos.txt", diags);
  REQUIRE(entries.size() == 4);
  CHECK(entries[0].key == "a");
  CHECK(entries[0].line == 3);
  CHECK(entries[0].path == dir / "lists/a");
  CHECK(entries[1].path == dir / "b");
  CHECK(entries[2].path == "/abs/c");
  CHECK(entries[3].key == "sub/d");
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].subject == dir / "lists/repos.txt:7");
}

TEST_CASE("scale: a record round-trips every field the reporters use", "[unit][scale]")
{
  report::RepoRecord r;
  r.repository = "org/x";
  r.path = "/srv/org/x";
  r.ok = true;
  r.refs_fingerprint = "aa";
  r.config_fingerprint = "cc";
  Finding f;
  f.rule_id = "zenodo/assignment";
  f.severity = Severity::warning;
  f.instance = Instance::sandbox;
  f.message = "m";
  f.path = "a\nb.txt";
  f.line = 3;
  f.column = 4;
  f.end_line = 3;
  f.end_column = 9;
  f.secret = std::string(30, 'Q') + std::string(30, 'z');
  f.fingerprint = "fp";
  f.line_hash = "lh";
  f.label = "TOKEN";
  f.provenance.kind = Provenance::Kind::history;
  f.provenance.path = "a\nb.txt";
  f.provenance.commit = CommitInfo{"c1", "Ada", "a@b", "2020-01-01T00:00:00+00:00", "s"};
  f.provenance.members = {"in.zip", "x"};
  f.introduced_by = CommitInfo{"c0", "B", "b@c", "d", "t"};
  f.other_locations = 2;
  f.history_places.push_back(f.provenance);
  f.exposure = Exposure{true, {"main"}, {"origin/main"}, {"v1"}, false, false, {"v1"}};
  f.verified = Liveness::inactive;
  r.report.findings.push_back(f);
  r.report.diagnostics.push_back({Severity::note, "s", "msg"});
  r.report.stats.commits = 7;
  r.report.rules.push_back(
      RuleMeta{"zenodo/assignment", "N", "D.", "H", {"u"}, Severity::error, {"t"}, "high"});
  r.report.rules.push_back(RuleMeta{
      "config/x", "C", "D.", "H", {}, Severity::warning, {}, "high", RuleKind::credential_file});
  r.report.started = std::chrono::system_clock::time_point(std::chrono::microseconds(1234567));
  for (bool show : {false, true}) {
    std::string line = report::record_line(r, show);
    CHECK(line.back() == '\n');
    CHECK(line.find('\n') == line.size() - 1);
    CHECK((line.find(f.secret) != std::string::npos) == show);
    std::string error;
    auto back = report::parse_record(std::string_view(line).substr(0, line.size() - 1), error);
    INFO(error);
    REQUIRE(back);
    const Finding& g = back->report.findings.at(0);
    if (show)
      CHECK(g.secret == f.secret);
    else
      CHECK(g.secret != f.secret);
    CHECK(report::printable_secret(g, {}) == report::printable_secret(f, {}));
    Finding h = g;
    h.secret = f.secret;
    CHECK(h.rule_id == f.rule_id);
    CHECK(h.provenance.commit->id == "c1");
    CHECK(h.provenance.members == f.provenance.members);
    CHECK(h.history_places.size() == 1);
    CHECK(h.exposure == f.exposure);
    CHECK(h.verified == f.verified);
    CHECK(h.introduced_by->summary == "t");
    CHECK(h.path == f.path);
    CHECK(h.end_column == 9);
    CHECK(h.line_hash == "lh");
    CHECK(back->report.stats.commits == 7);
    CHECK(back->report.rules.at(0).references == std::vector<std::string>{"u"});
    CHECK(back->report.rules.at(0).kind == RuleKind::token);
    CHECK(back->report.rules.at(1).kind == RuleKind::credential_file); // merged reports need it
    CHECK(back->report.diagnostics == r.report.diagnostics);
    CHECK(back->report.started == r.report.started);
    CHECK(back->raw_secrets == show);
  }
  std::string error;
  std::string line = report::record_line(r, false);
  CHECK_FALSE(report::parse_record(line.substr(0, line.size() / 2), error));
  CHECK_FALSE(error.empty());
  CHECK_FALSE(report::parse_record("{\"a\":1}", error));
}
