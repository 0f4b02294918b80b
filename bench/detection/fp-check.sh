#!/usr/bin/env bash
# Real-world false-positive check: scans text nobody on this project wrote (system headers,
# package documentation, the Python standard library) with the default rules and prints the
# number of findings per tree (target: 0). Findings are listed redacted, by file and rule.
#   bench/detection/fp-check.sh [path/to/zenolint] [tree...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../../build/zenolint}
shift || true
if [ $# -gt 0 ]; then trees=("$@"); else trees=(/usr/include /usr/share/doc /usr/lib/python3*); fi
command -v jq >/dev/null || { echo "fp-check: needs jq (apt-get install jq)" >&2; exit 2; }
[ -x "$bin" ] || { echo "fp-check: no zenolint binary at $bin (build first)" >&2; exit 2; }

total=0
files_total=0
bytes_total=0
for t in "${trees[@]}"; do
  [ -d "$t" ] || continue
  out=$(mktemp)
  set +e
  "$bin" scan --no-history --format json --max-file-size 50M "$t" >"$out" 2>/dev/null
  rc=$?
  set -e
  if [ "$rc" -ge 2 ]; then echo "fp-check: zenolint failed on $t (exit $rc)" >&2; rm -f "$out"; exit 2; fi
  n=$(jq '.findings | length' "$out")
  files=$(jq '.stats.files' "$out")
  bytes=$(jq '.stats.bytes_scanned' "$out")
  printf '%-28s %8s files %10s MB  %s findings\n' "$t" "$files" "$((bytes / 1048576))" "$n"
  jq -r '.findings[] | "    \(.path):\(.line)  \(.rule)  \(.instance)  \(.secret)"' "$out"
  total=$((total + n))
  files_total=$((files_total + files))
  bytes_total=$((bytes_total + bytes))
  rm -f "$out"
done
echo "fp-check: $total findings in $files_total files ($((bytes_total / 1048576)) MB) (target 0)"
