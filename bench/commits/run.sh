#!/usr/bin/env bash
# Commit parsing: the history walk's own header scan over git_odb_read vs libgit2's
# git_commit_lookup, on every commit of a repository (default: the bench/history repository).
#
#   bench/commits/run.sh [REPO]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
repo=${1:-$(ls -d "$root"/build/bench-history/repo-*.git 2>/dev/null | head -1)}
[ -n "$repo" ] || { echo "give a repository, or run bench/history/run.sh first" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
g++ -std=c++20 -O2 "$here/commit_parse.cpp" -o "$work/commit_parse" $(pkg-config --cflags --libs libgit2)
git -C "$repo" rev-list --all >"$work/ids"
echo "repository: $repo"
"$work/commit_parse" "$repo" <"$work/ids"
