#!/usr/bin/env bash
# Cost of the config/tracked-credential-file history walk (every commit reachable from any ref,
# each unique tree read once), as a ratio against a working-tree-only scan of the same repository
# measured in the same run. Usage: bench/config_history_walk.sh [BUILD_DIR] [COMMITS] [FILES]
set -euo pipefail
build=${1:-build}
commits=${2:-5000}
files=${3:-2000}
bin=$(cd "$build" && pwd)/zenolint
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
git init -q repo && cd repo
# fast-import: FILES files in 50 directories, then COMMITS commits changing one file each.
{
  mark=1
  echo "commit refs/heads/main"
  echo "committer B <b@example.org> 1577836800 +0000"
  echo "data 4"; echo "init"
  for ((i = 0; i < files; i++)); do
    echo "M 100644 inline d$((i % 50))/f$i.txt"; echo "data 8"; printf 'file%04d' "$i"; echo
  done
  for ((c = 1; c < commits; c++)); do
    echo "commit refs/heads/main"
    echo "committer B <b@example.org> $((1577836800 + c)) +0000"
    echo "data 6"; echo "commit"
    echo "M 100644 inline d$((c % 50))/f$((c % files)).txt"; echo "data 8"; printf 'v%07d' "$c"; echo
  done
} | git fast-import --quiet
git checkout -q main
best() { # best of 3 wall-clock seconds
  local b=999
  for _ in 1 2 3; do
    local s e
    s=$(date +%s.%N); "$@" >/dev/null || true; e=$(date +%s.%N)
    b=$(echo "$b $s $e" | awk '{t=$3-$2; print (t<$1)?t:$1}')
  done
  echo "$b"
}
base=$(best "$bin" scan --no-history .)
full=$(best "$bin" scan .)
git_objects=$(best git rev-list --all --objects)
echo "commits=$commits files=$files"
echo "worktree only (baseline): ${base}s"
echo "worktree + credential-file history walk: ${full}s"
echo "git rev-list --all --objects (reads every tree too): ${git_objects}s"
echo "ratio scan/worktree-only: $(echo "$full $base" | awk '{printf "%.2f", $1/$2}')x"
echo "walk cost / git rev-list: $(echo "$full $base $git_objects" | awk '{printf "%.2f", ($1-$2)/$3}')x"
