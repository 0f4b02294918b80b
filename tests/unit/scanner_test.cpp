// The scanner over files on disk: dedup by blob id, binary and size skips, determinism across jobs.
#include "git/git.hpp"
#include "match/matcher.hpp"
#include "rules/loader.hpp"
#include "scan/scanner.hpp"
#include "support/process.hpp"
#include "support/temp.hpp"
#include "support/tokens.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <set>

using namespace zenolint;
using zenolint::test::TempDir;
using zenolint::test::write_file;

namespace {

source::FileRef file_ref(const TempDir& dir, const std::string& rel)
{
  source::FileRef f;
  f.fs_path = dir / rel;
  f.provenance.path = rel;
  return f;
}

} // namespace

TEST_CASE("git blob hash matches git's", "[scan][git]")
{
  CHECK(git::blob_hash("").hex() == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
  CHECK(git::blob_hash("hello\n").hex() == "ce013625030ba8dba906f756967f9e9ca394464a");
}

TEST_CASE("identical files are matched once and reported at each path", "[scan]")
{
  TempDir dir;
  std::string tok = test::make_token();
  write_file(dir / "a.sh", "ZENODO_TOKEN=" + tok + "\n");
  write_file(dir / "b.sh", "ZENODO_TOKEN=" + tok + "\n");
  write_file(dir / "bin.dat", std::string("ZENODO_TOKEN=") + tok + std::string(16, '\0') + "x");
  source::Batch batch;
  for (auto rel : {"a.sh", "b.sh", "bin.dat"})
    batch.files.push_back(file_ref(dir, rel));
  auto rules = rules::default_rules();
  match::Matcher matcher(rules);
  scan::ScanOptions opts;
  opts.jobs = 3;
  auto r = scan::run(batch, matcher, opts);
  CHECK(r.stats.blobs_scanned == 1);
  CHECK(r.stats.blobs_deduplicated == 1);
  CHECK(r.stats.skipped_binary == 1);
  REQUIRE(r.findings.size() == 2);
  CHECK(r.findings[0].path == "a.sh");
  CHECK(r.findings[1].path == "b.sh");
  CHECK(r.findings[0].fingerprint == r.findings[1].fingerprint);
  CHECK(r.findings[0].blob == git::blob_hash("ZENODO_TOKEN=" + tok + "\n"));
}

TEST_CASE("output is identical whatever the job count", "[scan]")
{
  TempDir dir;
  source::Batch batch;
  for (int i = 0; i < 40; ++i) {
    std::string rel = "f" + std::to_string(i % 7) + "/file" + std::to_string(i) + ".env";
    std::string body;
    for (int j = 0; j <= i % 3; ++j)
      body += "x=1\nZENODO_TOKEN=" + test::make_token() + "\n";
    write_file(dir / rel, body);
    batch.files.push_back(file_ref(dir, rel));
  }
  auto rules = rules::default_rules();
  match::Matcher matcher(rules);
  auto key = [&](unsigned jobs) {
    scan::ScanOptions opts;
    opts.jobs = jobs;
    auto r = scan::run(batch, matcher, opts);
    std::string s;
    for (const auto& f : r.findings)
      s += f.path + ":" + std::to_string(f.line) + ":" + std::to_string(f.column) + ":" +
           f.rule_id + ":" + f.fingerprint + "\n";
    return s;
  };
  auto one = key(1);
  CHECK(one == key(4));
  CHECK(one == key(8));
  CHECK(std::count(one.begin(), one.end(), '\n') == 14 * 1 + 13 * 2 + 13 * 3);
}

TEST_CASE("unreadable and vanished files become diagnostics", "[scan]")
{
  TempDir dir;
  write_file(dir / "ok.txt", "hello\n");
  source::Batch batch;
  batch.files.push_back(file_ref(dir, "ok.txt"));
  batch.files.push_back(file_ref(dir, "gone.txt"));
  auto rules = rules::default_rules();
  match::Matcher matcher(rules);
  auto r = scan::run(batch, matcher, {});
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].subject == "gone.txt");
  CHECK(r.stats.blobs_scanned == 1);
  CHECK(r.stats.skipped_other == 1);
}

TEST_CASE("looks_binary counts NULs in the first 8000 bytes; a stray NUL is text", "[scan]")
{
  CHECK_FALSE(scan::looks_binary("plain text\n"));
  CHECK_FALSE(scan::looks_binary(std::string("a\0b", 3))); // one stray NUL
  CHECK(scan::looks_binary(std::string("a\0b\0c", 5)));
  std::string late(9000, 'a');
  late[8500] = '\0';
  late[8600] = '\0';
  CHECK_FALSE(scan::looks_binary(late));
  std::string text(8000, 'a');
  for (std::size_t i = 0; i < 9; ++i)
    text[i * 800] = '\0'; // 1 + 8000/1000 NULs: still text
  CHECK_FALSE(scan::looks_binary(text));
  text[7999] = '\0';
  CHECK(scan::looks_binary(text));
}

TEST_CASE("real binaries stay binary; UTF-16 with or without a BOM is text", "[scan][hostile]")
{
  // ELF header (64-bit little-endian executable) followed by code-like bytes.
  std::string elf("\x7f"
                  "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\x3e\0\x01\0\0\0",
                  24);
  elf += std::string(200, '\x90');
  CHECK(scan::classify_content(elf) == scan::ContentKind::binary);
  // PNG signature and IHDR chunk of a 1x1 image.
  std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0", 29);
  CHECK(scan::classify_content(png) == scan::ContentKind::binary);
  // UTF-32LE with a BOM is not UTF-16.
  CHECK(scan::classify_content(std::string("\xff\xfe\0\0a\0\0\0b\0\0\0", 12)) ==
        scan::ContentKind::binary);

  std::string ascii = "$env:ZENODO_TOKEN = 'x'\r\nWrite-Host 'done'\r\n";
  std::string le = "\xff\xfe", be = "\xfe\xff", le_nobom, be_nobom;
  for (char c : ascii) {
    le += c, le += '\0';
    be += '\0', be += c;
  }
  le_nobom = le.substr(2);
  be_nobom = be.substr(2);
  CHECK(scan::classify_content(le) == scan::ContentKind::utf16le);
  CHECK(scan::classify_content(be) == scan::ContentKind::utf16be);
  CHECK(scan::classify_content(le_nobom) == scan::ContentKind::utf16le);
  CHECK(scan::classify_content(be_nobom) == scan::ContentKind::utf16be);
  std::string storage;
  for (const auto& v : {le, be, le_nobom, be_nobom}) {
    auto text = scan::text_of(v, storage);
    REQUIRE(text);
    CHECK(*text == ascii);
  }
}

TEST_CASE("a buffer unit is matched like a file and deduplicated against it", "[scan][seam]")
{
  TempDir dir;
  std::string tok = test::make_token();
  std::string body = "ZENODO_TOKEN=" + tok + "\n";
  write_file(dir / "a.sh", body);
  source::Batch batch;
  batch.files.push_back(file_ref(dir, "a.sh"));
  source::BufferRef buf;
  buf.data = std::make_shared<const std::string>(body);
  buf.provenance.kind = Provenance::Kind::stdin_;
  buf.provenance.path = "piped.sh";
  batch.buffers.push_back(buf);
  auto rules = rules::default_rules();
  match::Matcher matcher(rules);
  auto r = scan::run(batch, matcher, {});
  CHECK(r.stats.blobs_scanned == 1);
  CHECK(r.stats.blobs_deduplicated == 1);
  REQUIRE(r.findings.size() == 2);
  CHECK(r.findings[0].path == "a.sh");
  CHECK(r.findings[1].path == "piped.sh");
  CHECK(r.findings[1].provenance.kind == Provenance::Kind::stdin_);
}

TEST_CASE("archive members are units with nested provenance", "[scan][seam][archive]")
{
  TempDir dir;
  std::string tok = test::make_token();
  write_file(dir / "src/inner/config.ini", "[zenodo]\ntoken = " + tok + "\n");
  test::must_run({"bsdtar", "-czf", dir / "inner.tar.gz", "-C", dir / "src", "inner"});
  test::must_run(
      {"bsdtar", "-cf", dir / "outer.zip", "--format", "zip", "-C", dir.path(), "inner.tar.gz"});
  source::Batch batch;
  batch.files.push_back(file_ref(dir, "outer.zip"));
  auto rules = rules::default_rules();
  match::Matcher matcher(rules);
  SECTION("read two levels deep")
  {
    auto r = scan::run(batch, matcher, {});
    CHECK(r.stats.archives == 2);
    CHECK(r.stats.archive_members == 2);
    REQUIRE(r.findings.size() == 1);
    const auto& f = r.findings[0];
    CHECK(f.path == "outer.zip!inner.tar.gz!inner/config.ini");
    CHECK(f.provenance.path == "outer.zip");
    CHECK(f.provenance.members == std::vector<std::string>{"inner.tar.gz", "inner/config.ini"});
    CHECK(f.line == 2);
    CHECK(f.blob == git::blob_hash("[zenodo]\ntoken = " + tok + "\n"));
  }
  SECTION("depth 1 opens the zip but not the tarball in it")
  {
    scan::ScanOptions opts;
    opts.max_archive_depth = 1;
    auto r = scan::run(batch, matcher, opts);
    CHECK(r.stats.archives == 1);
    CHECK(r.stats.skipped_binary == 1);
    CHECK(r.findings.empty());
  }
  SECTION("depth 0 leaves archives alone")
  {
    scan::ScanOptions opts;
    opts.max_archive_depth = 0;
    auto r = scan::run(batch, matcher, opts);
    CHECK(r.stats.archives == 0);
    CHECK(r.stats.skipped_binary == 1);
    CHECK(r.findings.empty());
  }
}

TEST_CASE("a FIFO named like an archive, put where a file was listed, is refused, not waited on",
          "[scan][archive][stream]")
{
  TempDir dir;
  std::string tok = test::make_token();
  write_file(dir / "ok.env", "ZENODO_TOKEN=" + tok + "\n");
  test::must_run({"mkfifo", dir / "data.tar.gz"}); // no writer: opening it to read would block
  source::Batch batch;
  batch.files.push_back(file_ref(dir, "data.tar.gz"));
  batch.files.push_back(file_ref(dir, "ok.env"));
  auto rules = rules::default_rules();
  match::Matcher matcher(rules);
  for (unsigned jobs : {1u, 2u}) {
    scan::ScanOptions opts;
    opts.jobs = jobs;
    auto r = scan::run(batch, matcher, opts);
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].subject == "data.tar.gz");
    CHECK(r.diagnostics[0].message == "cannot read: not a regular file");
    CHECK(r.stats.skipped_other == 1);
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].path == "ok.env");
  }
}

TEST_CASE("an archive file that changes while it is streamed is reported, the scan goes on",
          "[scan][archive][stream]")
{
  // Grown by the progress callback, which runs while the archive's members are matched: after
  // the archive is read, its descriptor no longer has the size and times it had when opened.
  TempDir dir;
  std::string tok = test::make_token();
  write_file(dir / "src/a/notes.txt", std::string(2000, 'n') + "\n");
  write_file(dir / "src/z/last.env", "ZENODO_TOKEN=" + tok + "\n");
  test::must_run({"sh", "-c",
                  "head -c 1500000 /dev/urandom > '" + dir / "src/a/noise.bin" +
                      "' && bsdtar -czf '" + dir / "data.tar.gz" + "' -C '" + dir / "src" +
                      "' a z"});
  source::Batch batch;
  batch.files.push_back(file_ref(dir, "data.tar.gz"));
  auto rules = rules::default_rules();
  match::Matcher matcher(rules);
  // jobs 1: hashed first, then read; jobs 2: over 1 MiB, hashed while it is read.
  for (unsigned jobs : {1u, 2u}) {
    INFO("jobs " << jobs);
    std::atomic<bool> grown{false};
    scan::ScanOptions opts;
    opts.jobs = jobs;
    opts.on_progress = [&](std::uint64_t, std::uint64_t) {
      if (!grown.exchange(true))
        std::ofstream(dir / "data.tar.gz", std::ios::app) << "appended while read\n";
    };
    auto r = scan::run(batch, matcher, opts);
    CHECK(grown);
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].subject == "data.tar.gz");
    CHECK_THAT(r.diagnostics[0].message, Catch::StartsWith("changed while it was read"));
    // Read up to the size it had when opened: the members are all there.
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].path == "data.tar.gz!z/last.env");
    CHECK(r.stats.archive_members == 3);
  }
}

TEST_CASE("files read by a Prefetch while listing give exactly the result without one",
          "[scan][prefetch]")
{
  // Every kind of outcome: text with nothing (settled), binary (settled), identical text under a
  // known id (settled, then deduplicated by run()), text with a token or a mention of Zenodo,
  // UTF-16, something that looks like an archive, a file over the size limit (read again by run()),
  // a file that does not exist.
  TempDir dir;
  std::string tok = test::make_token();
  std::map<std::string, std::string> files = {
      {"plain.c", "int main(void) { return 0; }\n"},
      {"same1.txt", "identical\n"},
      {"same2.txt", "identical\n"},
      {"same3.txt", "identical\n"},
      {"bin.dat", std::string("\x7f"
                              "ELF",
                              4) +
                      std::string(64, '\0')},
      {"token.env", "ZENODO_TOKEN=" + tok + "\n"},
      {"token-copy.env", "ZENODO_TOKEN=" + tok + "\n"},
      {"mention.md", "Archived on Zenodo.\n"},
      {"utf16.txt", std::string("\xff\xfeh\0i\0\n\0", 8)},
      {"fake.tar.gz", std::string("\x1f\x8b\x08\0garbage", 12)},
      {"big.txt", std::string(300, 'x') + "\n"},
  };
  source::Batch batch;
  for (const auto& [rel, body] : files) {
    write_file(dir / rel, body);
    batch.files.push_back(file_ref(dir, rel));
    if (rel.rfind("same", 0) == 0 || rel == "token-copy.env" || rel == "plain.c")
      batch.files.back().known_id = git::blob_hash(body); // as git status gives tracked files
  }
  batch.files.push_back(file_ref(dir, "missing.txt"));
  auto rules = rules::default_rules();
  match::Matcher matcher(rules);
  scan::ScanOptions opts;
  opts.jobs = 2;
  opts.max_file_size = 200;
  auto summary = [](const scan::ScanResult& r) {
    std::string s;
    for (const auto& f : r.findings)
      s += "F " + f.path + ":" + std::to_string(f.line) + ":" + f.rule_id + ":" + f.blob.hex() +
           "\n";
    for (const auto& d : r.diagnostics)
      s += "D " + d.subject + ": " + d.message + "\n";
    const auto& t = r.stats;
    for (auto n : {t.blobs_scanned, t.blobs_deduplicated, t.bytes_scanned, t.skipped_binary,
                   t.skipped_too_large, t.skipped_other, t.archives})
      s += std::to_string(n) + " ";
    return s;
  };
  const std::string without = summary(scan::run(batch, matcher, opts));

  scan::Prefetch prefetch(matcher, opts, 2);
  for (const auto& f : batch.files)
    prefetch.add(f.fs_path, f.provenance.path);
  prefetch.stop(true);
  using Kind = scan::Prefetch::Outcome::Kind;
  CHECK(prefetch.outcome(dir / "plain.c").kind == Kind::empty_text);
  CHECK(prefetch.outcome(dir / "plain.c").size == files["plain.c"].size());
  CHECK(prefetch.outcome(dir / "same2.txt").kind == Kind::empty_text);
  CHECK(prefetch.outcome(dir / "bin.dat").kind == Kind::binary);
  for (auto rel : {"token.env", "mention.md", "fake.tar.gz", "big.txt", "missing.txt"}) {
    INFO(rel);
    CHECK(prefetch.outcome(dir / rel).kind == Kind::none);
  }
  opts.prefetch = &prefetch;
  auto with = scan::run(batch, matcher, opts);
  CHECK(summary(with) == without);
  CHECK(with.stats.blobs_deduplicated == 3); // same2, same3 and token-copy under known ids
}

TEST_CASE("a Prefetch destroyed without stop() (the listing failed) joins its threads",
          "[scan][prefetch]")
{
  TempDir dir;
  auto rules = rules::default_rules();
  match::Matcher matcher(rules);
  scan::ScanOptions opts;
  {
    scan::Prefetch prefetch(matcher, opts, 2);
    for (int i = 0; i < 200; ++i) {
      write_file(dir / ("f" + std::to_string(i)), "text\n");
      prefetch.add(dir / ("f" + std::to_string(i)), "f" + std::to_string(i));
    }
  }
  SUCCEED("no hang, no crash");
}

TEST_CASE("files are read relative to the listed root, and by full path outside it", "[scan]")
{
  // run() opens the directory the first file is listed under and reads files below it relative
  // to it; a file of another directory (several roots, stdin names) is read by its full path,
  // with the same results either way.
  TempDir a, b;
  std::string tok = test::make_token();
  write_file(a / "x/one.env", "ZENODO_TOKEN=" + tok + "\n");
  write_file(b / "two.env", "ZENODO_TOKEN=" + test::make_token() + "\n");
  source::Batch batch;
  batch.files.push_back(file_ref(a, "x/one.env"));
  batch.files.push_back(file_ref(b, "two.env"));
  source::FileRef odd; // report path unrelated to the file system path
  odd.fs_path = a / "x/one.env";
  odd.provenance.path = "elsewhere/one.env";
  batch.files.push_back(odd);
  auto rules = rules::default_rules();
  match::Matcher matcher(rules);
  scan::ScanOptions opts;
  opts.jobs = 2;
  auto r = scan::run(batch, matcher, opts);
  CHECK(r.diagnostics.empty());
  std::set<std::string> paths;
  for (const auto& f : r.findings)
    paths.insert(f.path);
  CHECK(paths == std::set<std::string>{"x/one.env", "two.env", "elsewhere/one.env"});
}
