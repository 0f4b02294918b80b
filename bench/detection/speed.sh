#!/usr/bin/env bash
# Matcher speed on a large tree without tokens: `zenolint scan --no-history` against
# `rg -i` searching the rules' keywords (the cheapest possible prefilter), same files, same run.
# Prints both times (best of N) and the ratio zenolint / rg.
#   bench/detection/speed.sh [path/to/zenolint] [tree] [runs]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../../build/zenolint}
tree=${2:-}
runs=${3:-3}
[ -x "$bin" ] || { echo "speed: no zenolint binary at $bin (build first)" >&2; exit 2; }
if ! command -v rg >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y -qq ripgrep >/dev/null; else sudo apt-get install -y -qq ripgrep >/dev/null; fi
fi
command -v jq >/dev/null || { echo "speed: needs jq" >&2; exit 2; }

if [ -z "$tree" ]; then
  # A large tree without tokens: system headers and the Python standard library, copied so that
  # both tools see exactly the same regular files (no symlinks, no .gitignore).
  tree=$(mktemp -d)
  trap 'rm -rf "$tree"' EXIT
  cp -r --dereference /usr/include "$tree/include" 2>/dev/null || true
  for p in /usr/lib/python3.*; do cp -r "$p" "$tree/$(basename "$p")" 2>/dev/null || true; done
fi

mapfile -t keywords < <("$bin" rules list --json | jq -r '.[].keywords[]' | sort -u)
rg_args=(-i -l --no-ignore --hidden -F)
for k in "${keywords[@]}"; do rg_args+=(-e "$k"); done

best() { # best wall time in seconds of "$@" over $runs runs, then its mean CPU time (user + sys)
  local b="" cpu=0
  for _ in $(seq "$runs"); do
    local s e t
    s=$(date +%s.%N)
    t=$( { TIMEFORMAT='%U %S'; time "$@" >/dev/null 2>&1 || true; } 2>&1 )
    e=$(date +%s.%N)
    b=$(echo "$s $e ${b:-1e9}" | awk '{d=$2-$1; print (d<$3)?d:$3}')
    cpu=$(echo "$t $cpu" | awk '{print $1 + $2 + $3}')
  done
  echo "$b $(echo "$cpu $runs" | awk '{printf "%.3f", $1 / $2}')"
}

# Warm the page cache once, so both tools read from memory.
rg "${rg_args[@]}" "$tree" >/dev/null 2>&1 || true
files=$(find "$tree" -type f | wc -l)
mb=$(du -sm "$tree" | cut -f1)
findings=$("$bin" scan --no-history --format json "$tree" 2>/dev/null | jq '.findings | length' || true)
read -r t_zl c_zl < <(best "$bin" scan --no-history --format json "$tree")
read -r t_rg c_rg < <(best rg "${rg_args[@]}" "$tree")
echo "tree: $tree ($files files, $mb MB), keywords: ${keywords[*]}"
echo "zenolint scan --no-history: ${t_zl}s, cpu ${c_zl}s ($findings findings)"
echo "rg -i (keywords):           ${t_rg}s, cpu ${c_rg}s"
awk -v a="$c_zl" -v b="$c_rg" 'BEGIN { printf "cpu ratio zenolint/rg: %.2f\n", a / b }'
awk -v a="$t_zl" -v b="$t_rg" 'BEGIN { printf "ratio zenolint/rg: %.2f\n", a / b }'
