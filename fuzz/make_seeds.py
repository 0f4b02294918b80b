#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets: OUT/<target>/<name>, one small valid input each.

Packs and indexes are written by git itself in a throwaway repository; credential files and
matcher inputs carry fake tokens generated here, at build time (nothing token-shaped is committed).
Deterministic: a fixed random seed, fixed identities and dates.
"""
import argparse
import json
import os
import random
import shutil
import string
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

rng = random.Random(14)
ALNUM = string.ascii_letters + string.digits


def token():
    """A fake 60-character token with upper, lower and digits."""
    while True:
        t = "".join(rng.choice(ALNUM) for _ in range(60))
        if any(c.isupper() for c in t) and any(c.islower() for c in t) and any(
                c.isdigit() for c in t):
            return t


def put(out, target, name, data):
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data if isinstance(data, bytes) else data.encode())


class Repo:
    def __init__(self, path):
        self.path = path
        path.mkdir(parents=True)
        self.env = dict(os.environ)
        self.env.update({
            "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(path),
            "GIT_AUTHOR_NAME": "Fuzz", "GIT_AUTHOR_EMAIL": "fuzz@example.org",
            "GIT_COMMITTER_NAME": "Fuzz", "GIT_COMMITTER_EMAIL": "fuzz@example.org",
            "GIT_AUTHOR_DATE": "2020-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2020-01-01T00:00:00Z",
        })
        self.git("init", "-q", "-b", "main")

    def git(self, *args, check=True):
        return subprocess.run(["git", *args], cwd=self.path, env=self.env, check=check,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE).stdout

    def write(self, rel, text):
        p = self.path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)

    def commit(self, msg):
        self.git("add", "-A")
        self.git("commit", "-q", "-m", msg)


def pack_seeds(out, tmp):
    repo = Repo(tmp / "packrepo")
    lines = [f"line {i} of a text that changes a little in every commit\n" for i in range(60)]
    for n in range(8):
        lines[rng.randrange(len(lines))] = f"changed in commit {n}\n"
        repo.write("README.md", "".join(lines))
        repo.write(f"src/dir{n % 3}/file{n}.txt", "x" * (n * 7 + 1) + "\n")
        repo.write("docs/notes.txt", "".join(lines[: 10 + n]))
        repo.commit(f"commit {n}")
    repo.git("tag", "-a", "v1", "-m", "a tag")
    repo.git("repack", "-adq", "--window=10", "--depth=5")
    for i, idx in enumerate(sorted((repo.path / ".git/objects/pack").glob("*.idx"))):
        pack = idx.with_suffix(".pack")
        data = idx.read_bytes()
        put(out, "pack_reader", f"pack{i}", struct.pack("<I", len(data)) + data + pack.read_bytes())
    # Delta mode: 0xFFFFFFFF, base length, base, delta (git's copy/insert encoding).
    def varint(n):
        b = bytearray()
        while True:
            c = n & 0x7F
            n >>= 7
            b.append(c | (0x80 if n else 0))
            if not n:
                return bytes(b)
    base = b"".join(l.encode() for l in lines)
    insert = b"inserted text\n"
    result_len = 100 + len(insert) + 200
    delta = varint(len(base)) + varint(result_len)
    delta += bytes([0x80 | 0x10, 100])                      # copy 100 bytes from offset 0
    delta += bytes([len(insert)]) + insert                  # insert
    delta += bytes([0x80 | 0x01 | 0x10, 50, 200])          # copy 200 bytes from offset 50
    put(out, "pack_reader", "delta", struct.pack("<II", 0xFFFFFFFF, len(base)) + base + delta)


def index_seeds(out, tmp):
    repo = Repo(tmp / "indexrepo")
    for n in range(6):
        repo.write(f"a/b{n % 2}/c{n}.txt", f"content {n}\n")
    repo.write("top.txt", "top\n")
    repo.git("add", "-A")
    index = repo.path / ".git/index"
    put(out, "index_file", "v2-plain", index.read_bytes())
    repo.git("commit", "-q", "-m", "one")  # writes the cached-tree (TREE) extension
    put(out, "index_file", "v2-tree", index.read_bytes())
    repo.write("new.txt", "new\n")
    repo.git("add", "-N", "new.txt")  # intent-to-add needs version 3
    put(out, "index_file", "v3-intent", index.read_bytes())
    repo.git("update-index", "--index-version", "4")
    put(out, "index_file", "v4", index.read_bytes())
    repo.git("update-index", "--index-version", "2")
    # Conflict stages 1..3.
    repo.git("checkout", "-q", "-b", "side")
    repo.write("top.txt", "side\n")
    repo.commit("side")
    repo.git("checkout", "-q", "main")
    repo.write("top.txt", "main\n")
    repo.commit("main")
    repo.git("merge", "-q", "side", check=False)
    put(out, "index_file", "v2-conflict", index.read_bytes())


def credential_seeds(out):
    # Kind byte: 0 zenodorc, 1 zenodopy, 2 toml, 3 ini, 4 sniffed.
    files = {
        "zenodorc": (0, f"[ZENODO]\nMYTOKEN_ALL = {token()}\n\n[SANDBOX]\nMYTOKEN_ALL_SB = {token()}\n"),
        "zenodorc-mislabelled": (0, f"[ZENODO]\nMYTOKEN_SB = {token()}\nempty =\nx = <FIXME>\n"),
        "zenodopy": (1, f"ACCESS_TOKEN: {token()}\nACCESS_TOKEN-sandbox: {token()}\n"),
        "toml": (2, f'[tokens]\nsandbox = "{token()}"\nproduction = "{token()}"\n'),
        "ini": (3, f"; comment\r\n[zenodo:sandbox]\r\naccess_token = {token()}\r\n  continued\r\n"),
        "sniffed": (4, f'\ufeff[tool.zenodo]\ntoken = "{token()}" # note\n'),
    }
    for name, (kind, text) in files.items():
        put(out, "credential_file", name, bytes([kind]) + text.encode())


def rules_seeds(out, rules_dir):
    for f in sorted(Path(rules_dir).glob("*.json")):
        put(out, "rules_loader", f.name, f.read_bytes())
        doc = json.loads(f.read_text())
        # One file per rule as well: smaller inputs mutate better.
        for i, rule in enumerate(doc.get("rules", [])):
            put(out, "rules_loader", f"{f.stem}-{i}.json", json.dumps({"rules": [rule]}, indent=1))
    return


def matcher_seeds(out, rules_dir):
    def seed(name, data, repeat=0, path="config.ini", allow=1):
        p = path.encode()
        put(out, "matcher", name, bytes([allow, repeat, len(p)]) + p + data.encode())
    n = 0
    for f in sorted(Path(rules_dir).glob("*.json")):
        for rule in json.loads(f.read_text()).get("rules", []):
            for ex in rule.get("examples", [])[:2]:
                text = ex["text"] if isinstance(ex, dict) else ex
                seed(f"example{n}", text)
                n += 1
    # The quadratic shapes of issue 14: many matches in one file, many on one line (0.1-1 MB).
    seed("many-lines", f"export ZENODO_TOKEN={token()}\n", repeat=0xF7, path="env.sh")
    seed("one-line", f"ZENODO_TOKEN={token()}; ", repeat=0xF3, path="one.sh")
    seed("ini-sections", f"[zenodo]\ntoken = {token()}\n[other]\nx = 1\n", repeat=0xF5)
    seed("allow", f"zenodo_token = {token()}  # zenolint:allow\n", repeat=0xF0, path="a.py")


def ignore_seeds(out):
    seeds = {
        "simple": "# comment\nrules/\ndocs/**/example-*.txt\n/top.txt\n*.log\n\0rules/x.json\n"
                  "docs/a/b/example-1.txt\ntop.txt\nsub/top.txt\nx.log\n",
        "classes": "[a-c]?.txt\n\\*literal\nsrc/[!x]*\n" + "a" * 64 + "\n\0b1.txt\n*literal\nsrc/y\n",
        "deep-doublestar": "**/" * 12 + "nomatch\n\0" + "/".join(["d"] * 40) + "\n",
        "many-stars": "*a" * 12 + "\n\0" + "a" * 199 + "b\n",
        # git's ignore syntax (source/gitignore): negation, directory-only, anchoring, escapes,
        # trailing spaces, classes, a byte order mark and CRLF line ends.
        "gitignore": "\ufeffbuild/\r\n!build/keep\n/root.txt\n\\#hash\n\\!bang\n"
                     "trail\\ \n  \n[[:alpha:]][[:digit:]]\na/**/b\n**/logs/\nd/*.tmp\n"
                     "\0build/keep\nbuild/x\nroot.txt\nsub/root.txt\n#hash\n!bang\n"
                     "trail \nq1\na/x/y/b\nlogs/z\nd/e.tmp\n",
    }
    for name, text in seeds.items():
        put(out, "ignore_file", name, text)


def baseline_seeds(out):
    fp = "".join(rng.choice("0123456789abcdef") for _ in range(64))
    ok = {"zenolint_baseline": 1, "findings": [
        {"rule": "zenodo/assignment", "fingerprint": fp, "path": "a.sh", "occurrences": 2},
        {"rule": "config/loose-permissions", "fingerprint": fp.upper(), "path": "b", "occurrences": 1}]}
    put(out, "baseline", "valid", json.dumps(ok, indent=2))
    put(out, "baseline", "empty", json.dumps({"zenolint_baseline": 1, "findings": []}))
    bad = dict(ok)
    bad["findings"] = [{"rule": 3, "fingerprint": "xyz"}, {}]
    put(out, "baseline", "bad-entries", json.dumps(bad))
    put(out, "baseline", "version", '{"zenolint_baseline": 4294967297, "findings": []}')


def archive_seeds(out):
    """Small archives of each format with a fake token inside, one nested."""
    import bz2
    import gzip
    import io
    import lzma
    import tarfile
    import zipfile

    text = f"ZENODO_TOKEN={token()}\n".encode()

    def tar(mode):
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode=mode) as t:
            info = tarfile.TarInfo("project/.env")
            info.size = len(text)
            info.mtime = 0
            t.addfile(info, io.BytesIO(text))
            link = tarfile.TarInfo("project/up")
            link.type = tarfile.SYMTYPE
            link.linkname = "../../etc/passwd"
            t.addfile(link)
        return buf.getvalue()

    def zipped(members):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in members:
                z.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data)
        return buf.getvalue()

    put(out, "archive", "tar", tar("w"))
    put(out, "archive", "tar.gz", tar("w:gz"))
    put(out, "archive", "tar.bz2", tar("w:bz2"))
    put(out, "archive", "tar.xz", tar("w:xz"))
    put(out, "archive", "zip", zipped([("a/.env", text), ("../evil", b"x")]))
    put(out, "archive", "zip-nested", zipped([("inner.zip", zipped([("deep/.env", text)]))]))
    put(out, "archive", "gz", gzip.compress(text, mtime=0))
    put(out, "archive", "bz2", bz2.compress(text))
    put(out, "archive", "xz", lzma.compress(text))
    put(out, "archive", "bomb.gz", gzip.compress(b"\0" * (4 << 20), mtime=0))


def dictionaries(out):
    """libFuzzer dictionaries (OUT/TARGET.dict): the words a parser looks for, and numbers at the
    edges of the types it converts to, so mutations reach them in seconds."""
    numbers = ["0", "-1", "1e999", "-1e999", "1e-999", "4294967297", "18446744073709551616",
               "9223372036854775808", "-9223372036854775809", "0.5", "NaN", "1.0"]
    json_words = ["{", "}", "[", "]", ":", ",", "null", "true", "false", '""', '"\\u0000"',
                  '"\\ud800"', "\xff"] + numbers
    rule_fields = ["id", "name", "description", "severity", "pattern", "keywords", "context",
                   "section", "window", "min_entropy", "token_checks", "help", "references",
                   "tags", "precision", "examples", "negative_examples", "text", "instance",
                   "rules", "path", "error", "warning", "note", "production", "sandbox",
                   "(?P<secret>", "(?P<label>", "[A-Za-z0-9]{60}", ".*", "\\b",
                   "kind", "token", "credential-file", "message", "label_checks", "{instance}",
                   "{label}", "{reason}", "{name}", "{id}", "[{instance} ]", "{{", "]]"]
    baseline_fields = ["zenolint_baseline", "findings", "rule", "fingerprint", "path",
                       "occurrences"]
    def entry(w):
        body = ""
        for b in w.encode("latin-1"):
            c = chr(b)
            if c in '\\"' or not 32 <= b < 127:
                body += "\\x%02x" % b
            else:
                body += c
        return '"' + body + '"'

    def write(target, words):
        lines = []
        for w in words:
            lines.append(entry(w))
            if w.isidentifier():  # the word as a JSON key or string too
                lines.append(entry('"' + w + '"'))
        (out / f"{target}.dict").write_text("\n".join(lines) + "\n")

    write("rules_loader", json_words + rule_fields)
    write("baseline", json_words + baseline_fields)
    write("ignore_file", ["**/", "**", "*", "?", "[", "]", "[!", "[^", "\\", "/", "#", "a-z",
                          "\n", "\x00", "!", "[:alpha:]", "[:space:]", "\\ ", "\r\n"])
    write("credential_file", ["[ZENODO]", "[SANDBOX]", "[zenodo:sandbox]", "[tool.zenodo]",
                              "ACCESS_TOKEN", "ACCESS_TOKEN-sandbox", "=", ":", "\n", "\r\n",
                              "\"", "'", "#", ";", "\xef\xbb\xbf", "<FIXME>", "token_here"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rules", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    out = Path(args.out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="zenolint-seeds-") as t:
        tmp = Path(t)
        pack_seeds(out, tmp)
        index_seeds(out, tmp)
    credential_seeds(out)
    rules_seeds(out, args.rules)
    matcher_seeds(out, args.rules)
    ignore_seeds(out)
    baseline_seeds(out)
    archive_seeds(out)
    dictionaries(out)
    (out / ".stamp").write_text("")
    return 0


if __name__ == "__main__":
    sys.exit(main())
