// Archives as a content source, end to end: every format built at test time with the real tools
// (bsdtar, zip, gzip, bzip2, xz, zstd, python3), nesting, and hostile archives (bombs, huge
// claimed sizes, truncated, corrupt, encrypted, escaping names, links). Each case asserts the
// finding, its nested provenance and the diagnostics, and that the rest of the scan goes on.
#include "sarif_validators.hpp"
#include "support/process.hpp"
#include "support/scan_report.hpp"
#include "support/temp.hpp"
#include "support/temp_repo.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

using namespace zenolint::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string py(const std::string& script, const std::string& cwd)
{
  RunOptions o;
  o.cwd = cwd;
  return must_run({"python3", "-c", script}, o);
}

std::string sh(const std::string& script, const std::string& cwd)
{
  RunOptions o;
  o.cwd = cwd;
  return must_run({"sh", "-ec", script}, o);
}

} // namespace

TEST_CASE("archives of every format are read, recognised by content", "[e2e][archive]")
{
  TempDir dir;
  std::string tok = make_token();
  write_file(dir / "src/conf/settings.ini", "[zenodo]\ntoken = " + tok + "\n");
  write_file(dir / "src/README", "nothing here\n");
  write_file(dir / "one.txt", "export ZENODO_TOKEN=" + tok + "\n");
  sh("mkdir out\n"
     "cd src && zip -qr ../out/a.zip conf README && cd ..\n"
     "bsdtar -cf out/a.tar -C src conf README\n"
     "bsdtar -czf out/a.tar.gz -C src conf README\n"
     "bsdtar -czf out/a.tgz -C src conf README\n"
     "bsdtar -cjf out/a.tar.bz2 -C src conf README\n"
     "bsdtar -cJf out/a.tar.xz -C src conf README\n"
     "bsdtar --zstd -cf out/a.tar.zst -C src conf README\n"
     "bsdtar --format 7zip -cf out/a.7z -C src conf README\n"
     "gzip -c one.txt > out/one.txt.gz\n"
     "bzip2 -c one.txt > out/one.txt.bz2\n"
     "xz -c one.txt > out/one.txt.xz\n"
     "zstd -q -c one.txt > out/one.txt.zst\n"
     // Misleading names: content decides.
     "cp out/a.tar.gz out/backup.dat\n"
     "cp out/a.zip out/figures.png\n",
     dir.path());
  auto doc = scan_json_in(dir.path(), {"out"}, 1);
  auto paths = token_paths(doc);
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> expected = {
      "a.7z!conf/settings.ini",       "a.tar!conf/settings.ini",
      "a.tar.bz2!conf/settings.ini",  "a.tar.gz!conf/settings.ini",
      "a.tar.xz!conf/settings.ini",   "a.tar.zst!conf/settings.ini",
      "a.tgz!conf/settings.ini",      "a.zip!conf/settings.ini",
      "backup.dat!conf/settings.ini", "figures.png!conf/settings.ini",
      "one.txt.bz2!one.txt",          "one.txt.gz!one.txt",
      "one.txt.xz!one.txt",           "one.txt.zst!one.txt"};
  std::sort(expected.begin(), expected.end());
  CHECK(paths == expected);
  // Byte-identical archives (a.tar.gz, a.tgz, backup.dat; a.zip, figures.png) are opened once;
  // identical members are matched once; each is reported at every place it was seen.
  CHECK(doc["stats"]["archives"] == 11);
  CHECK(doc["stats"]["archive_members"] == 7 * 2 + 4);
  CHECK(doc["stats"]["blobs_deduplicated"] == 3 + 6 + 3);
  for (const auto& f : doc["findings"])
    if (f["path"] == "a.zip!conf/settings.ini") {
      CHECK(f["archive"]["path"] == "a.zip");
      CHECK(f["archive"]["members"] == json::array({"conf/settings.ini"}));
      CHECK(f["line"] == 2);
      CHECK(f["rule"] == "zenodo/ini-section");
      CHECK(f["instance"] == "production");
    }
  CHECK(diagnostics_of(doc).empty());
}

TEST_CASE("nested archives: two deep by default, four deep with --max-archive-depth 4",
          "[e2e][archive]")
{
  TempDir dir;
  std::string tok = make_token();
  write_file(dir / "d/token.env", token_assignment(tok));
  sh("cd d && zip -q ../level4.zip token.env && cd ..\n"
     "bsdtar -cJf level3.tar.xz level4.zip\n"
     "bsdtar -czf level2.tar.gz level3.tar.xz\n"
     "zip -q level1.zip level2.tar.gz\n"
     "mkdir two && cp level3.tar.xz two/ && mkdir four && cp level1.zip four/\n",
     dir.path());
  // two deep: level3.tar.xz!level4.zip!token.env
  auto two = scan_json_in(dir.path(), {"two"}, 1);
  CHECK(token_paths(two) == std::vector<std::string>{"level3.tar.xz!level4.zip!token.env"});
  for (const auto& f : two["findings"])
    CHECK(f["archive"]["members"] == json::array({"level4.zip", "token.env"}));

  // four deep: the default depth (3) stops one level short and says so.
  auto deflt = scan_json_in(dir.path(), {"four"}, 0);
  CHECK(token_paths(deflt).empty());
  CHECK_THAT(diagnostics_of(deflt),
             Catch::Contains("level1.zip!level2.tar.gz!level3.tar.xz!level4.zip: archive nested "
                             "3 levels deep, beyond --max-archive-depth; not opened"));
  auto deep = scan_json_in(dir.path(), {"--max-archive-depth", "4", "four"}, 1);
  CHECK(token_paths(deep) ==
        std::vector<std::string>{"level1.zip!level2.tar.gz!level3.tar.xz!level4.zip!token.env"});
  CHECK(deep["stats"]["archives"] == 4);
  // 0 turns archive reading off: the archive is binary.
  auto off = scan_json_in(dir.path(), {"--max-archive-depth", "0", "four"}, 0);
  CHECK(off["stats"]["archives"] == 0);
  CHECK(off["stats"]["skipped"]["binary"] == 1);
}

TEST_CASE("a zip bomb stops at the ratio guard and the budget; the scan goes on",
          "[e2e][archive][hostile]")
{
  TempDir dir;
  std::string tok = make_token();
  write_file(dir / "scan/ok.env", token_assignment(tok));
  // 8 members of 8 MiB of one letter deflate to ~64 KiB: a ratio of about 1000. (Text under
  // --max-file-size: a binary member, or one too large to keep, is skipped without inflating it
  // where the container allows, see the next case.)
  py("import zipfile\n"
     "with zipfile.ZipFile('scan/bomb.zip', 'w', zipfile.ZIP_DEFLATED) as z:\n"
     "    for i in range(8):\n"
     "        z.writestr('letters%d.txt' % i, b'a' * (8 << 20))\n"
     "    z.writestr('after.env', 'ZENODO_TOKEN=" +
         tok + "\\n')\n",
     dir.path());
  auto doc = scan_json_in(dir.path(), {"scan"}, 1);
  CHECK(token_paths(doc) == std::vector<std::string>{"ok.env"});
  CHECK_THAT(diagnostics_of(doc),
             Catch::Contains("bomb.zip: inflates more than 200 times its size (a decompression "
                             "bomb?); the rest of the archive is not read"));
  // A budget smaller than the member: the budget stops it first.
  auto budget = scan_json_in(dir.path(), {"--max-archive-bytes", "8M", "scan"}, 1);
  CHECK_THAT(diagnostics_of(budget),
             Catch::Contains("bomb.zip: more than 8388608 uncompressed bytes "
                             "(--max-archive-bytes); the rest of the archive is not read"));
  CHECK(token_paths(budget) == std::vector<std::string>{"ok.env"});
}

TEST_CASE("a binary member is settled by its first bytes: a plain tar skips its rest, a zip "
          "and a compressed tar still inflate it under the budget",
          "[e2e][archive][hostile]")
{
  TempDir dir;
  std::string tok = make_token();
  // 9 MiB of zeros (binary, under --max-file-size), then a member with a token. Under an 8 MiB
  // budget the zeros stop the archive if they are inflated; from a plain tar they are skipped by
  // seeking. A zip is read through: libarchive would skip some members by inflating them
  // unaccounted (see the next case).
  py("import io, os, tarfile, zipfile\n"
     "os.makedirs('scan', exist_ok=True)\n"
     "zeros = bytes(9 << 20)\n"
     "after = b'ZENODO_TOKEN=" +
         tok +
         "\\n'\n"
         "with zipfile.ZipFile('scan/bin.zip', 'w', zipfile.ZIP_DEFLATED) as z:\n"
         "    z.writestr('zeros.bin', zeros)\n"
         "    z.writestr('after.env', after)\n"
         "for name, mode in (('scan/bin.tar', 'w'), ('scan/bin.tar.gz', 'w:gz')):\n"
         "    with tarfile.open(name, mode) as t:\n"
         "        for member, data in (('zeros.bin', zeros), ('after.env', after)):\n"
         "            info = tarfile.TarInfo(member); info.size = len(data)\n"
         "            t.addfile(info, io.BytesIO(data))\n",
     dir.path());
  auto doc = scan_json_in(dir.path(), {"--max-archive-bytes", "8M", "scan"}, 1);
  CHECK(token_paths(doc) == std::vector<std::string>{"bin.tar!after.env"});
  // The zip and the compressed tar are not skipped without inflating: the budget stops them.
  for (const char* name : {"bin.tar.gz", "bin.zip"})
    CHECK_THAT(diagnostics_of(doc),
               Catch::Contains(std::string(name) +
                               ": more than 8388608 uncompressed bytes "
                               "(--max-archive-bytes); the rest of the archive is not read"));
  CHECK_THAT(diagnostics_of(doc), !Catch::Contains("bin.tar:"));
  CHECK(doc["stats"]["skipped"]["binary"] == 1); // the others were not read to their end
}

TEST_CASE("a streamed zip member with a data descriptor and a small declared size is inflated "
          "under the ratio guard, never skipped unaccounted",
          "[e2e][archive][hostile]")
{
  // No central directory (libarchive's streaming reader); the member says "sizes follow the
  // data" (flag bit 3) with a compressed size of 0 but an uncompressed size of 9000, and holds 64
  // MiB of deflated zeros. Skipping it would make libarchive inflate all of it outside the budget
  // and the ratio guard (a review finding: 2 GB from a 2 MB file).
  TempDir dir;
  std::string tok = make_token();
  py("import os, struct, zlib\n"
     "os.makedirs('scan', exist_ok=True)\n"
     "c = zlib.compressobj(9, zlib.DEFLATED, -15)\n"
     "data = b''.join(c.compress(bytes(1 << 20)) for _ in range(64)) + c.flush()\n"
     "lh = struct.pack('<IHHHHHIIIHH', 0x04034b50, 20, 8, 8, 0, 0, 0, 0, 9000, 5, 0) + b'a.bin'\n"
     "dd = struct.pack('<IIII', 0x08074b50, 0, len(data), 64 << 20)\n"
     "text = b'ZENODO_TOKEN=" +
         tok +
         "\\n'\n"
         "lh2 = struct.pack('<IHHHHHIIIHH', 0x04034b50, 20, 0, 0, 0, 0, zlib.crc32(text), "
         "len(text), "
         "len(text), 5, 0) + b'b.env' + text\n"
         "open('scan/streamed.zip', 'wb').write(lh + data + dd + lh2)\n",
     dir.path());
  auto doc = scan_json_in(dir.path(), {"scan"}, 0);
  CHECK_THAT(diagnostics_of(doc),
             Catch::Contains("streamed.zip: inflates more than 200 times its size (a "
                             "decompression bomb?); the rest of the archive is not read"));
}

TEST_CASE("a tar claiming a huge member, truncated and corrupt archives: diagnostics, scan goes on",
          "[e2e][archive][hostile]")
{
  TempDir dir;
  std::string tok = make_token();
  write_file(dir / "scan/ok.env", token_assignment(tok));
  write_file(dir / "src/a.env", token_assignment(tok));
  write_file(dir / "src/big.txt", std::string(300000, 'x') + "\n");
  // A header that claims 64 GiB, followed by 1 KiB of data and the end of the file.
  py("import tarfile, io\n"
     "ti = tarfile.TarInfo('huge.bin'); ti.size = 64 << 30\n"
     "buf = ti.tobuf(tarfile.GNU_FORMAT) + b'y' * 1024\n"
     "open('scan/huge.tar', 'wb').write(buf)\n",
     dir.path());
  sh("bsdtar -czf full.tar.gz -C src a.env big.txt\n"
     "head -c $(( $(stat -c %s full.tar.gz) / 2 )) full.tar.gz > scan/truncated.tar.gz\n"
     "cd src && zip -q ../corrupt.zip big.txt a.env && cd ..\n"
     // Overwrite the middle of the compressed data (the local header stays valid).
     "python3 -c \"d=bytearray(open('corrupt.zip','rb').read()); "
     "d[60:400]=b'\\xff'*340; open('scan/corrupt.zip','wb').write(bytes(d))\"\n",
     dir.path());
  auto doc = scan_json_in(dir.path(), {"scan"}, 1);
  auto diags = diagnostics_of(doc);
  CHECK(token_paths(doc) == std::vector<std::string>{"ok.env"});
  CHECK_THAT(diags, Catch::Contains("huge.tar!huge.bin: corrupt or truncated archive, stopped"));
  CHECK_THAT(diags, Catch::Contains("truncated.tar.gz"));
  CHECK_THAT(diags, Catch::Contains("corrupt.zip"));
  CHECK(doc["stats"]["archives"] == 3);
}

TEST_CASE("encrypted members, escaping names, links and devices: a diagnostic each",
          "[e2e][archive][hostile]")
{
  TempDir dir;
  std::string tok = make_token();
  write_file(dir / "src/secret.env", token_assignment(tok));
  write_file(dir / "src/plain.txt", "hello\n");
  sh("mkdir scan\n"
     "cd src && zip -q -P hunter2 ../scan/encrypted.zip secret.env && cd ..\n"
     "ln -s /etc/passwd src/link\n",
     dir.path());
  py("import tarfile, io\n"
     "data = open('src/secret.env', 'rb').read()\n"
     "with tarfile.open('scan/evil.tar', 'w', format=tarfile.GNU_FORMAT) as t:\n"
     "    for name in ['../../escape.env', '/etc/cron.d/abs.env']:\n"
     "        ti = tarfile.TarInfo(name); ti.size = len(data); t.addfile(ti, io.BytesIO(data))\n"
     "    ti = tarfile.TarInfo('link'); ti.type = tarfile.SYMTYPE; ti.linkname = '/etc/passwd'\n"
     "    t.addfile(ti)\n"
     "    ti = tarfile.TarInfo('hard'); ti.type = tarfile.LNKTYPE; ti.linkname = '../../x'\n"
     "    t.addfile(ti)\n"
     "    ti = tarfile.TarInfo('dev'); ti.type = tarfile.CHRTYPE; ti.devmajor = 1; ti.devminor = "
     "3\n"
     "    t.addfile(ti)\n"
     "    ti = tarfile.TarInfo('fifo'); ti.type = tarfile.FIFOTYPE\n"
     "    t.addfile(ti)\n"
     "    ti = tarfile.TarInfo('esc\\x1b[31mape'); ti.type = tarfile.SYMTYPE\n"
     "    ti.linkname = 'x'; t.addfile(ti)\n",
     dir.path());
  auto doc = scan_json_in(dir.path(), {"scan"}, 1);
  auto diags = diagnostics_of(doc);
  CHECK_THAT(diags, Catch::Contains("encrypted.zip!secret.env: encrypted member, cannot be read "
                                    "without its password; not scanned"));
  CHECK_THAT(diags, Catch::Contains("evil.tar!../../escape.env: member name contains a '..' "
                                    "component (would escape an extraction directory)"));
  CHECK_THAT(diags, Catch::Contains("evil.tar!/etc/cron.d/abs.env: member name is an absolute "
                                    "path"));
  CHECK_THAT(diags, Catch::Contains("evil.tar!link: symbolic link to '/etc/passwd', not followed"));
  CHECK_THAT(diags, Catch::Contains("evil.tar!hard: hard link to '../../x', not followed"));
  CHECK_THAT(diags, Catch::Contains("evil.tar!dev: character device member, not read"));
  CHECK_THAT(diags, Catch::Contains("evil.tar!fifo: FIFO member, not read"));
  // Escaping members are still scanned (their content would be published), never extracted.
  auto paths = token_paths(doc);
  std::sort(paths.begin(), paths.end());
  CHECK(paths ==
        std::vector<std::string>{"evil.tar!../../escape.env", "evil.tar!/etc/cron.d/abs.env"});
  CHECK_FALSE(fs::exists(dir / "escape.env"));
  CHECK_FALSE(fs::exists(fs::path(dir.path()).parent_path() / "escape.env"));
  // No escape sequence from a member name reaches the output.
  RunOptions o;
  o.cwd = dir.path();
  auto text = run_zenolint({"scan", "scan"}, o);
  CHECK(text.out.find('\x1b') == std::string::npos);
  CHECK(text.err.find('\x1b') == std::string::npos);
  CHECK_THAT(text.err, Catch::Contains("evil.tar!esc\\x1b[31mape: symbolic link"));
}

TEST_CASE("an archive blob deleted in a later commit is found with its history provenance",
          "[e2e][archive][history]")
{
  TempRepo repo;
  std::string tok = make_token();
  repo.write("tmp/cfg/.zenodorc", "[ZENODO]\ntoken = " + tok + "\n");
  sh("bsdtar -czf data.tar.gz -C tmp cfg && rm -r tmp", repo.path());
  repo.write("README.md", "data\n");
  std::string added = repo.commit("Add data archive");
  repo.git({"rm", "-q", "data.tar.gz"});
  repo.commit("Remove data archive");
  auto r = repo.zenolint({"scan", "--format", "json"});
  INFO(r.out << r.err);
  REQUIRE(r.status == 1);
  auto doc = json::parse(r.out);
  json found;
  for (const auto& f : doc["findings"])
    if (f["rule"].get<std::string>().rfind("zenodo/", 0) == 0)
      found = f;
  REQUIRE(found.is_object());
  CHECK(found["path"] == "data.tar.gz!cfg/.zenodorc");
  CHECK(found["source"] == "history");
  CHECK(found["commit"] == added);
  CHECK(found["archive"]["path"] == "data.tar.gz");
  CHECK(doc["stats"]["archives"] == 1);

  // Text names the commit; SARIF points at the archive and passes the real validators.
  auto text = repo.zenolint({"scan"});
  CHECK_THAT(text.out, Catch::Contains("data.tar.gz!cfg/.zenodorc:2:9"));
  CHECK_THAT(text.out, Catch::Contains("commit " + added.substr(0, 12)));
  auto sarif = repo.zenolint({"scan", "--format", "sarif", "-o", "out.sarif"});
  REQUIRE(sarif.status == 1);
  auto v = validate_sarif(repo / "out.sarif");
  INFO(v.out << v.err);
  CHECK(v.status == 0);
  auto sdoc = json::parse(read_file(repo / "out.sarif"));
  bool seen = false;
  for (const auto& res : sdoc["runs"][0]["results"]) {
    if (res["ruleId"].get<std::string>().rfind("zenodo/", 0) != 0)
      continue;
    seen = true;
    CHECK(res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "data.tar.gz");
    CHECK(res["properties"]["archiveMembers"] == json::array({"cfg/.zenodorc"}));
    CHECK(res["properties"]["memberLine"] == 2);
    CHECK_THAT(res["message"]["text"].get<std::string>(),
               Catch::Contains("Inside archive data.tar.gz, member cfg/.zenodorc (line 2"));
  }
  CHECK(seen);
}

TEST_CASE("archives in the working tree of a repository, with --all-objects and --staged",
          "[e2e][archive]")
{
  TempRepo repo;
  std::string tok = make_token();
  repo.write("tmp/upload.sh", "curl -H \"Authorization: Bearer " + tok +
                                  "\" https://zenodo.org/api/deposit/depositions\n");
  sh("cd tmp && zip -q ../release.zip upload.sh && cd .. && rm -r tmp", repo.path());
  repo.git({"add", "release.zip"});
  auto staged = repo.zenolint({"scan", "--staged", "--format", "json"});
  INFO(staged.out << staged.err);
  CHECK(staged.status == 1);
  CHECK(token_paths(json::parse(staged.out)) == std::vector<std::string>{"release.zip!upload.sh"});
  repo.commit("Add release");
  auto full = repo.zenolint({"scan", "--format", "json", "--all-objects"});
  CHECK(full.status == 1);
  auto doc = json::parse(full.out);
  // One blob, seen in the working tree and in history: reported at the working-tree path,
  // with the commit that introduced it.
  CHECK(token_paths(doc) == std::vector<std::string>{"release.zip!upload.sh"});
  for (const auto& f : doc["findings"])
    if (f["path"] == "release.zip!upload.sh") {
      CHECK(f["source"] == "worktree");
      CHECK(f["introduced_by"]["commit"] == repo.head());
    }
}

TEST_CASE("archive files larger than --max-file-size are read up to --max-archive-bytes",
          "[e2e][archive]")
{
  TempRepo repo;
  std::string tok = make_token();
  repo.write("tmp/token.env", token_assignment(tok));
  // Incompressible padding makes the archive ~64 KiB; members stay small.
  py("import os\nopen('tmp/noise.bin','wb').write(os.urandom(65536))\n", repo.path());
  sh("bsdtar -czf big.tar.gz -C tmp token.env noise.bin && rm -r tmp\n"
     "head -c 70000 /dev/urandom > fake.zip\n",
     repo.path());
  repo.commit("Add a big archive");
  auto r = repo.zenolint({"scan", "--format", "json", "--max-file-size", "4K"});
  INFO(r.out << r.err);
  REQUIRE(r.status == 1);
  auto doc = json::parse(r.out);
  // Found in the working tree (and the same blob in history, deduplicated).
  CHECK(token_paths(doc) == std::vector<std::string>{"big.tar.gz!token.env"});
  // noise.bin (a member over 4K) and fake.zip (named like an archive, but not one: too large in
  // the working tree, and again as its history blob, which no file claimed).
  CHECK(doc["stats"]["skipped"]["too_large"] == 3);
  auto history =
      repo.zenolint({"scan", "--format", "json", "--history-only", "--max-file-size", "4K"});
  CHECK(token_paths(json::parse(history.out)) == std::vector<std::string>{"big.tar.gz!token.env"});
  // Without the archive exception (budget below the archive's size) it is too large.
  auto small = repo.zenolint({"scan", "--format", "json", "--no-history", "--max-file-size", "4K",
                              "--max-archive-bytes", "8K"});
  CHECK(token_paths(json::parse(small.out)).empty());
}

TEST_CASE("a large archive's members are matched on several threads with the same report",
          "[e2e][archive][jobs]")
{
  // Over 1 MiB compressed (incompressible padding), so its members are matched by other threads
  // while one decompresses; the same member content under two names, a nested archive, and the
  // archive committed to history, where a blob is reported once at its first provenance: that
  // must be the first name in archive order, whatever thread matched it.
  TempRepo repo;
  std::string tok = make_token(), other = make_token();
  py("import os, random\n"
     "r = random.Random(7)\n"
     "os.makedirs('tmp/deposit/pad', exist_ok=True)\n"
     "open('tmp/deposit/pad/noise.bin', 'wb').write(r.randbytes(3 << 20))\n"
     "for i in range(400):\n"
     "    d = 'tmp/deposit/m%03d' % (i // 50)\n"
     "    os.makedirs(d, exist_ok=True)\n"
     "    open('%s/f%03d.py' % (d, i), 'w').write('# zenodo upload %d\\n' % i + 'x = 1\\n' * "
     "2000)\n",
     repo.path());
  repo.write("tmp/deposit/a/first.env", token_assignment(tok));
  repo.write("tmp/deposit/z/second.env", token_assignment(tok));
  repo.write("tmp/inner/.zenodorc", "[ZENODO]\ntoken = " + other + "\n");
  sh("bsdtar -czf tmp/deposit/inner.tar.gz -C tmp inner\n"
     "cd tmp && bsdtar -czf ../data.tar.gz deposit/a deposit/m000 deposit/m001 deposit/m002 "
     "deposit/m003 deposit/pad deposit/inner.tar.gz deposit/m004 deposit/m005 deposit/m006 "
     "deposit/m007 deposit/z && cd .. && rm -r tmp",
     repo.path());
  REQUIRE(fs::file_size(repo / "data.tar.gz") > (1u << 20));
  repo.commit("Add the deposit");

  auto scan = [&](const std::string& jobs) {
    auto r = repo.zenolint({"scan", "--history-only", "--format", "json", "-j", jobs});
    INFO(r.out.substr(0, 2000) << r.err.substr(0, 2000));
    REQUIRE(r.status == 1);
    auto doc = json::parse(r.out);
    doc.erase("started");
    doc.erase("finished");
    doc.erase("duration_ms");
    return doc;
  };
  auto one = scan("1");
  auto paths = token_paths(one);
  std::sort(paths.begin(), paths.end());
  CHECK(paths == std::vector<std::string>{"data.tar.gz!deposit/a/first.env",
                                          "data.tar.gz!deposit/inner.tar.gz!inner/.zenodorc"});
  CHECK(one["stats"]["archives"] == 2);
  CHECK(one["stats"]["archive_members"] == 400 + 4 + 1);
  for (const auto& jobs : {"2", "4"}) {
    auto many = scan(jobs);
    INFO("-j " << jobs);
    CHECK(many["findings"] == one["findings"]);
    CHECK(many["stats"] == one["stats"]);
    CHECK(many["diagnostics"] == one["diagnostics"]);
  }
}

TEST_CASE("'!' and '%' in archive and member names are escaped in display paths", "[e2e][archive]")
{
  TempDir dir;
  std::string tok = make_token();
  write_file(dir / "src/we!rd%name.env", token_assignment(tok));
  sh("mkdir d && bsdtar -czf 'd/a!b.tar.gz' -C src 'we!rd%name.env'", dir.path());
  auto doc = scan_json_in(dir.path(), {"d"}, 1);
  // Read naively, "a!b.tar.gz!we!rd%name.env" would be three levels deep.
  CHECK(token_paths(doc) == std::vector<std::string>{"a%21b.tar.gz!we%21rd%25name.env"});
  for (const auto& f : doc["findings"]) {
    CHECK(f["archive"]["path"] == "a!b.tar.gz"); // JSON keeps the raw names
    CHECK(f["archive"]["members"] == json::array({"we!rd%name.env"}));
  }
  auto text = run_zenolint({"scan", "--brief", "--color", "never", dir / "d"});
  CHECK_THAT(text.out, Catch::StartsWith("a%21b.tar.gz!we%21rd%25name.env:1:14  zenodo/"));
}

TEST_CASE("a sparse member's holes are read as zeros: the token keeps its line", "[e2e][archive]")
{
  // 2,000 lines of text, a 64 KiB hole, then the token: bsdtar stores the file as a GNU sparse
  // entry (where the file system keeps the hole), whose blocks libarchive hands out with offsets.
  // The member must read back byte for byte, zeros in the hole, so the token is on line 2,002.
  TempDir dir;
  std::string tok = make_token();
  py("f = open('notes.txt', 'wb')\n"
     "f.write(b'x = 1\\n' * 2000)\n"
     "f.seek(12000 + 65536)\n"
     "f.write(b'\\nzenodo_token = \"" +
         tok + "\"\\n')\n",
     dir.path());
  sh("bsdtar -cf deposit.tar notes.txt && rm notes.txt", dir.path());
  auto doc = scan_json_in(dir.path(), {"deposit.tar"}, 1);
  REQUIRE(doc["findings"].size() == 1);
  const auto& f = doc["findings"][0];
  CHECK(f["path"] == "deposit.tar!notes.txt");
  CHECK(f["line"] == 2002);
  CHECK(doc["stats"]["bytes_scanned"] == 12000 + 65536 + 1 + 16 + 60 + 2);
}

TEST_CASE("libarchive is loaded only when an archive is read, libcurl only for --verify",
          "[e2e][archive][startup]")
{
  // The dynamic loader says which libraries it maps (LD_DEBUG=files, glibc): a scan of text
  // outside any repository loads none of libgit2, libarchive and libcurl, a scan that meets an
  // archive loads libarchive and still finds the token inside. ARCHITECTURE.md "The hook path is
  // latency-bound".
  TempDir dir;
  std::string tok = make_token();
  write_file(dir / "text/notes.txt", "nothing to see\n");
  write_file(dir / "src/one.txt", "export ZENODO_TOKEN=" + tok + "\n");
  sh("mkdir arch && bsdtar -czf arch/a.tar.gz -C src one.txt", dir.path());
  RunOptions o;
  o.cwd = dir.path();
  o.env["LD_DEBUG"] = "files";
  auto text = run_zenolint({"scan", "--format", "json", "text"}, o);
  REQUIRE(text.status == 0);
  CHECK(text.err.find("file=libre2") != std::string::npos); // LD_DEBUG output is there
  // A plain directory in no repository: libgit2 (and the CA bundle it parses) is not loaded;
  // nothing is hashed, so libcrypto is not either.
  CHECK(text.err.find("libgit2") == std::string::npos);
  CHECK(text.err.find("libcrypto") == std::string::npos);
  CHECK(text.err.find("libarchive") == std::string::npos);
  CHECK(text.err.find("libcurl") == std::string::npos);
  auto arch = run_zenolint({"scan", "--format", "json", "arch"}, o);
  REQUIRE(arch.status == 1);
  CHECK(arch.err.find("libarchive") != std::string::npos);
  CHECK(arch.err.find("libcurl") == std::string::npos);
  CHECK(arch.out.find("a.tar.gz!one.txt") != std::string::npos);
  CHECK(arch.err.find("libcrypto") != std::string::npos); // archives are hashed: opened then
}

namespace {

// A report without its times, to compare scans made with different --jobs.
json timeless(json doc)
{
  doc.erase("started");
  doc.erase("finished");
  doc.erase("duration_ms");
  return doc;
}

// data.tar.gz of over 1 MiB (incompressible padding first, then z/last.env holding `tok`: the token
// is in the archive's last stream block), so that it is streamed while its id is computed.
void large_archive(const std::string& dir, const std::string& tok)
{
  write_file(dir + "/src/z/last.env", token_assignment(tok));
  py("import os, random\n"
     "os.makedirs('src/a', exist_ok=True)\n"
     "open('src/a/noise.bin', 'wb').write(random.Random(5).randbytes(3 << 19))\n",
     dir);
  sh("bsdtar -czf data.tar.gz -C src a z && rm -r src", dir);
  REQUIRE(fs::file_size(fs::path(dir) / "data.tar.gz") > (1u << 20));
}

} // namespace

TEST_CASE("large archive files are streamed: identical copies opened once, same report for any -j",
          "[e2e][archive][stream]")
{
  // Two byte-identical copies of a large archive (read from their descriptors, their ids computed
  // while they are read), the same bytes as a member of a zip (compared with the file being
  // streamed), a truncated large archive, and a plain file after them all.
  TempDir dir;
  std::string tok = make_token();
  large_archive(dir.path(), tok);
  sh("mkdir -p deposit/a deposit/b deposit/c deposit/d deposit/e\n"
     "cp data.tar.gz deposit/a/data.tar.gz\n"
     "cp data.tar.gz deposit/b/copy.tar.gz\n"
     "zip -q -0 deposit/c/wrap.zip data.tar.gz\n"
     "python3 -c \"import random; open('other.bin', 'wb').write(random.Random(9).randbytes(3 << "
     "19))\"\n"
     "bsdtar -czf other.tar.gz other.bin\n"
     "head -c $(( $(stat -c %s other.tar.gz) / 2 )) other.tar.gz > deposit/d/broken.tar.gz\n",
     dir.path());
  write_file(dir / "deposit/e/ok.env", token_assignment(tok));

  auto one = timeless(scan_json_in(dir.path(), {"-j", "1", "deposit"}, 1));
  auto paths = token_paths(one);
  std::sort(paths.begin(), paths.end());
  CHECK(paths == std::vector<std::string>{"a/data.tar.gz!z/last.env", "b/copy.tar.gz!z/last.env",
                                          "c/wrap.zip!data.tar.gz!z/last.env", "e/ok.env"});
  // data.tar.gz once (its copy and the zip's member are sightings of it), wrap.zip, broken.tar.gz.
  CHECK(one["stats"]["archives"] == 3);
  CHECK(one["stats"]["blobs_deduplicated"] == 3); // copy.tar.gz, the zip's member, ok.env
  CHECK_THAT(diagnostics_of(one), Catch::Contains("d/broken.tar.gz"));
  CHECK_THAT(diagnostics_of(one), Catch::Contains("truncated"));
  // With threads to spare the large archives are read while hashed: the same report, however
  // the files fall to the threads.
  for (const auto& jobs : {"2", "4", "2", "4"}) {
    INFO("-j " << jobs);
    auto many = timeless(scan_json_in(dir.path(), {"-j", jobs, "deposit"}, 1));
    CHECK(many["findings"] == one["findings"]);
    CHECK(many["stats"] == one["stats"]);
    CHECK(many["diagnostics"] == one["diagnostics"]);
  }
}

TEST_CASE("a streamed archive with the bytes of a history blob is that blob, for any -j",
          "[e2e][archive][stream][history]")
{
  // Committed, then removed from the tree, and an untracked copy added elsewhere: the copy has no
  // id from the index, so it is read while hashed, and its id turns out to be the committed
  // blob's. Reported once at the working-tree path, with the commit that introduced it.
  TempRepo repo;
  std::string tok = make_token();
  large_archive(repo.path(), tok);
  repo.write("README.md", "data\n");
  std::string added = repo.commit("Add data archive");
  repo.git({"rm", "-q", "data.tar.gz"});
  repo.commit("Remove data archive");
  sh("mkdir upload && git cat-file blob " + added + ":data.tar.gz > upload/copy.tar.gz",
     repo.path());
  json one;
  for (const auto& jobs : {"1", "2", "4", "2"}) {
    INFO("-j " << jobs);
    auto r = repo.zenolint({"scan", "--format", "json", "-j", jobs});
    INFO(r.out.substr(0, 3000) << r.err.substr(0, 2000));
    REQUIRE(r.status == 1);
    auto doc = timeless(json::parse(r.out));
    if (one.is_null()) {
      one = doc;
      CHECK(token_paths(doc) == std::vector<std::string>{"upload/copy.tar.gz!z/last.env"});
      REQUIRE(doc["findings"].size() == 1);
      CHECK(doc["findings"][0]["source"] == "worktree");
      CHECK(doc["findings"][0]["introduced_by"]["commit"] == added);
      CHECK(doc["stats"]["archives"] == 1);
      continue;
    }
    CHECK(doc["findings"] == one["findings"]);
    CHECK(doc["stats"] == one["stats"]);
    CHECK(doc["diagnostics"] == one["diagnostics"]);
  }
}

TEST_CASE("files larger than the first read: binary ones settled by their head, the rest read "
          "whole",
          "[e2e][archive]")
{
  TempDir dir;
  std::string tok = make_token();
  // Each over 64 KiB (the first read): binary from its first bytes (not read on); text with a NUL
  // past the first 8000 bytes (text, as git judges it) and the token at its end; UTF-16LE with
  // the token at its end; a zip named .bin (an archive by content: read on and opened); and a
  // binary file named .zip that is not an archive and exceeds --max-file-size (too large).
  py("import io, os, zipfile\n"
     "os.makedirs('scan', exist_ok=True)\n"
     "tok = '" +
         tok +
         "'\n"
         "open('scan/blob.bin', 'wb').write(bytes(range(256)) * 500 + ('ZENODO_TOKEN=' + "
         "tok).encode())\n"
         "open('scan/late-nul.txt', 'wb').write(b'x' * 100000 + b'\\x00' + b'\\nZENODO_TOKEN=' + "
         "tok.encode() + b'\\n')\n"
         "open('scan/wide.txt', 'wb').write(('\\ufeff' + 'y' * 70000 + '\\nZENODO_TOKEN=' + tok + "
         "'\\n').encode('utf-16-le'))\n"
         "b = io.BytesIO()\n"
         "with zipfile.ZipFile(b, 'w', zipfile.ZIP_STORED) as z:\n"
         "    z.writestr('pad.bin', os.urandom(100000))\n"
         "    z.writestr('inner.env', 'ZENODO_TOKEN=' + tok + '\\n')\n"
         "open('scan/packed.bin', 'wb').write(b.getvalue())\n"
         "open('scan/fake.zip', 'wb').write(b'\\x00' * 300000)\n",
     dir.path());
  for (const char* jobs : {"1", "2"}) {
    INFO("jobs " << jobs);
    auto doc = scan_json_in(dir.path(),
                            {"--no-history", "-j", jobs, "--max-file-size", "200K", "scan"}, 1);
    CHECK(token_paths(doc) ==
          std::vector<std::string>{"late-nul.txt", "packed.bin!inner.env", "wide.txt"});
    CHECK(doc["stats"]["skipped"]["binary"] == 2);    // blob.bin, packed.bin!pad.bin
    CHECK(doc["stats"]["skipped"]["too_large"] == 1); // fake.zip
  }
}
