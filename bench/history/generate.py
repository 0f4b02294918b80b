#!/usr/bin/env python3
"""Deterministic generator of a large synthetic git repository for the history benchmark.

Writes a `git fast-import` stream: `--files` source-like text files that evolve over `--commits`
commits (each commit edits a few lines of 1-3 files, sometimes adds, renames or deletes a file),
on a main branch with periodic feature branches merged back, plus tags. A few Zenodo-token
assignments (generated from the seed, never stored in this script) are planted and later removed,
so they exist in history only. Same arguments => byte-identical repository.

  generate.py --commits 50000 --files 2000 --seed 1 | git -C REPO fast-import --quiet
"""
import argparse
import bisect
import random
import string
import sys

WORDS = ("upload deposit record file bucket metadata creator title version doi license community "
         "access token request response session client server config path name value index count "
         "result error status retry timeout payload header content buffer stream reader writer "
         "parser schema field entry item list map key data user account project draft publish").split()
KEYWORDS = ["if", "for", "while", "return", "def", "class", "import", "from", "with", "try"]
ALNUM = string.ascii_letters + string.digits


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def ident(self):
        r = self.r
        return "_".join(r.choice(WORDS) for _ in range(r.randint(1, 3)))

    def line(self):
        r = self.r
        kind = r.random()
        indent = "    " * r.randint(0, 3)
        if kind < 0.15:
            return indent + "# " + " ".join(r.choice(WORDS) for _ in range(r.randint(3, 12)))
        if kind < 0.30:
            return indent + "def %s(%s):" % (self.ident(), ", ".join(self.ident() for _ in range(r.randint(0, 3))))
        if kind < 0.45:
            return indent + "%s %s %s %d:" % (r.choice(KEYWORDS), self.ident(), r.choice(["in", "==", "<", "is"]),
                                              r.randint(0, 999))
        if kind < 0.55:
            return indent + "return %s(%s)" % (self.ident(), self.ident())
        if kind < 0.60:
            return ""
        return indent + "%s = %s(%s, %r)" % (self.ident(), self.ident(), self.ident(),
                                             " ".join(r.choice(WORDS) for _ in range(r.randint(1, 4))))

    def token(self):
        return "".join(self.r.choice(ALNUM) for _ in range(60))


def data(out, payload):
    out.write(b"data %d\n" % len(payload))
    out.write(payload)
    out.write(b"\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--commits", type=int, default=50000)
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--lines", type=int, default=120, help="average initial lines per file")
    ap.add_argument("--tokens", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--tokens-out", help="write the planted tokens here, one per line")
    a = ap.parse_args()
    g = Gen(a.seed)
    r = g.r
    out = sys.stdout.buffer
    dirs = ["src/%s" % w for w in WORDS[:12]] + ["tests", "docs", "tools/%s" % WORDS[3], "lib/%s/%s" % (WORDS[5], WORDS[8])]
    files = {}
    paths = []  # sorted keys of `files`, kept up to date (choosing from a sorted list is deterministic)
    next_id = 0

    def add(path, lines):
        if path not in files:
            bisect.insort(paths, path)
        files[path] = lines

    def remove(path):
        if files.pop(path, None) is not None:
            paths.pop(bisect.bisect_left(paths, path))

    def new_path():
        nonlocal next_id
        next_id += 1
        return "%s/%s_%d.py" % (r.choice(dirs), r.choice(WORDS), next_id)

    for _ in range(a.files):
        add(new_path(), [g.line() for _ in range(r.randint(a.lines // 2, a.lines * 3 // 2))])

    plant_at = sorted(r.sample(range(a.commits // 10, a.commits - 10), a.tokens)) if a.tokens else []
    planted = []  # (path, remove_at)
    tokens = []
    ts = 1500000000
    branch, side_left = "main", 0
    mark = 0
    last = {"main": None}
    for c in range(a.commits):
        ts += r.randint(30, 5000)
        changes = dict(files) if c == 0 else {}  # the first commit adds every initial file
        deletes = []
        # Feature branches: every ~200 commits, 5-20 commits on a side branch, merged back.
        if branch == "main" and c % 200 == 199:
            branch, side_left = "feature/%d" % c, r.randint(5, 20)
            last[branch] = last["main"]
        for _ in range(r.choice((1, 1, 2, 2, 3))):
            path = r.choice(paths) if r.random() < 0.98 else None
            if path is None:
                path = new_path()
                add(path, [g.line() for _ in range(r.randint(20, a.lines))])
            lines = files[path]
            for _ in range(r.randint(1, 4)):
                op = r.random()
                pos = r.randint(0, max(0, len(lines) - 1))
                if op < 0.5 and lines:
                    lines[pos] = g.line()
                elif op < 0.85:
                    lines.insert(pos, g.line())
                elif len(lines) > 10:
                    del lines[pos]
            changes[path] = lines
        if r.random() < 0.01 and len(paths) > 10:  # rename
            old = r.choice(paths)
            new = new_path()
            content = files[old]
            remove(old)
            add(new, content)
            deletes.append(old)
            changes.pop(old, None)
            changes[new] = files[new]
        if plant_at and c == plant_at[0]:
            plant_at.pop(0)
            tok = g.token()
            tokens.append(tok)
            path = "config/deploy_%d.env" % c
            add(path, ["# deployment", "ZENODO_TOKEN=" + tok, "ZENODO_URL=https://zenodo.org/api"])
            changes[path] = files[path]
            planted.append((path, c + r.randint(1, 5)))
        for path, remove_at in list(planted):
            if c == remove_at:
                remove(path)
                changes.pop(path, None)
                deletes.append(path)
                planted.remove((path, remove_at))
        mark += 1
        out.write(b"commit refs/heads/%s\nmark :%d\n" % (branch.encode(), mark))
        who = r.choice(["Ada Author <ada@example.org>", "Bo Builder <bo@example.org>", "Cy Coder <cy@example.org>"])
        out.write(b"author %s %d +0100\ncommitter %s %d +0100\n" % (who.encode(), ts, who.encode(), ts))
        data(out, ("%s %s\n" % (r.choice(["Fix", "Add", "Update", "Refactor"]), g.ident())).encode())
        if last[branch] is not None:
            out.write(b"from :%d\n" % last[branch])
        merged = None
        if branch != "main":
            side_left -= 1
        for path in deletes:
            out.write(b"D %s\n" % path.encode())
        for path in sorted(changes):
            out.write(b"M 100644 inline %s\n" % path.encode())
            data(out, ("\n".join(changes[path]) + "\n").encode())
        out.write(b"\n")
        last[branch] = mark
        if branch != "main" and side_left <= 0:
            merged, branch = branch, "main"
            mark += 1
            ts += 60
            out.write(b"commit refs/heads/main\nmark :%d\n" % mark)
            out.write(b"author Ada Author <ada@example.org> %d +0100\ncommitter Ada Author <ada@example.org> %d +0100\n" % (ts, ts))
            data(out, ("Merge %s\n" % merged).encode())
            out.write(b"from :%d\nmerge :%d\n\n" % (last["main"] if last["main"] else last[merged], last[merged]))
            last["main"] = mark
            if r.random() < 0.3:
                out.write(b"reset refs/heads/%s\nfrom :%d\n\n" % (merged.encode(), last[merged]))
        if c % 5000 == 4999:
            out.write(b"reset refs/tags/v%d\nfrom :%d\n\n" % (c // 5000 + 1, last[branch]))
    out.write(b"reset refs/heads/main\nfrom :%d\n\n" % last["main"])
    if a.tokens_out:
        with open(a.tokens_out, "w") as f:
            f.write("\n".join(tokens) + "\n")


if __name__ == "__main__":
    main()
