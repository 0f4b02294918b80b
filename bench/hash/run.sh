#!/usr/bin/env bash
# Hash benchmark: the hand-written SHA-1 and SHA-256 zenolint used before it moved to OpenSSL EVP
# (taken from git history, commit below), OpenSSL EVP and libgit2's git_odb_hash (SHA1DC) on the
# same data in one run (g++ -O2), best of ROUNDS; prints MB/s and ratios.
#
#   bench/hash/run.sh [MIB [ROUNDS]]     # default 64 MiB, 3 rounds
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
old=3614b44 # last main commit with src/core/sha1.cpp and sha256.cpp
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/core"
for f in sha1.hpp sha1.cpp sha256.hpp sha256.cpp; do
  git -C "$root" show "$old:src/core/$f" >"$work/core/$f"
done
g++ -std=c++20 -O2 -I "$work" "$here/hash_speed.cpp" "$work/core/sha1.cpp" "$work/core/sha256.cpp" \
  -o "$work/hash_speed" $(pkg-config --cflags --libs libcrypto libgit2)
"$work/hash_speed" "${1:-64}" "${2:-3}"
