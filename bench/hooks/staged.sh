#!/usr/bin/env bash
# Hook latency: `zenolint scan --staged` with one staged change in a repository of N tracked files
# (default 50,000), next to `git diff --cached --name-only` on the same repository, both timed
# in the same run with hyperfine (installed from Debian if missing). Usage:
#   bench/hooks/staged.sh [--files N] [--zenolint PATH] [--repo DIR] [--change FILE]
#                         [--baseline PATH]
# --repo: an existing repository (e.g. a git/git clone: `git clone -q --shared <git.git> DIR`);
# --change: the tracked file a line is appended to and staged (default: the generator's first
# file, or the first tracked file); --baseline: another zenolint binary timed in the same run
# (before/after numbers from one run on a noisy machine).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
files=50000
zenolint="$root/build/zenolint"
repo=""
change=""
baseline=""
while (($#)); do
  case "$1" in
  --files) files="$2"; shift 2 ;;
  --zenolint) zenolint="$2"; shift 2 ;;
  --repo) repo="$2"; shift 2 ;;
  --change) change="$2"; shift 2 ;;
  --baseline) baseline="$2"; shift 2 ;;
  *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
command -v hyperfine >/dev/null || apt-get install -y -qq hyperfine >/dev/null
if [[ -z "$repo" ]]; then
  repo="$(mktemp -d /tmp/zenolint-bench-hooks.XXXXXX)"
  echo "building a repository with $files tracked files in $repo" >&2
  git -C "$repo" init -q -b main
  # Deterministic content: files spread over 500 directories.
  python3 - "$repo" "$files" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    d = os.path.join(root, f"src/mod{i % 500:03d}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"file{i:06d}.py"), "w") as f:
        f.write(f"# module {i}\n" + "".join(f"value_{j} = {i * 31 + j}\n" for j in range(20)))
PY
  git -C "$repo" add -A
  GIT_AUTHOR_DATE=2020-01-01T00:00:00Z GIT_COMMITTER_DATE=2020-01-01T00:00:00Z \
    git -C "$repo" -c user.name=bench -c user.email=bench@example.org commit -q -m "bench tree"
fi
if [[ -z "$change" ]]; then
  change=src/mod000/file000000.py
  [[ -f "$repo/$change" ]] || change="$(git -C "$repo" ls-files | sed -n 1p)" # sed reads it all: no SIGPIPE
fi
echo "changed = 1" >>"$repo/$change"
git -C "$repo" add -- "$change"
tracked=$(git -C "$repo" ls-files | wc -l)
echo "tracked files: $tracked, staged changes: $(git -C "$repo" diff --cached --name-only | wc -l)"
cd "$repo"
commands=("git diff --cached --name-only" "$zenolint scan --staged --progress never --format json")
[[ -n "$baseline" ]] && commands+=("$baseline scan --staged --progress never --format json")
hyperfine -N --warmup 3 --runs 30 --export-json /tmp/zenolint-bench-hooks.json "${commands[@]}"
python3 - <<'PY'
import json
r = json.load(open("/tmp/zenolint-bench-hooks.json"))["results"]
git, zl = r[0]["mean"], r[1]["mean"]
print(f"git diff --cached --name-only: {git*1000:.1f} ms  (median {r[0]['median']*1000:.1f} ms)")
print(f"zenolint scan --staged:        {zl*1000:.1f} ms  (median {r[1]['median']*1000:.1f} ms)")
print(f"ratio zenolint/git: {zl/git:.2f}  (medians {r[1]['median']/r[0]['median']:.2f})")
if len(r) > 2:
    b = r[2]["mean"]
    print(f"baseline zenolint:             {b*1000:.1f} ms  (median {r[2]['median']*1000:.1f} ms)")
    print(f"ratio baseline/git: {b/git:.2f}  (medians {r[2]['median']/r[0]['median']:.2f})")
PY
