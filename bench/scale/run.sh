#!/usr/bin/env bash
# Many repositories: repositories per minute for a list of small generated repositories, one
# shard against two shards running at the same time, and the cost of merging the records.
# Usage: bench/scale/run.sh [ZENOLINT (default build/zenolint)] [REPOS (default 300)] [RUNS (3)]
# Prints each run and the best ratio; not a test (no thresholds), see docs/scale.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
zenolint=$(realpath "${1:-$here/../../build/zenolint}")
repos=${2:-300}
runs=${3:-3}
work=$(mktemp -d /tmp/zenolint-bench-scale.XXXXXX)
trap 'rm -rf "$work"' EXIT

echo "generating $repos repositories..." >&2
python3 "$here/make_repos.py" "$work/org" "$repos" >/dev/null
list=$work/org/repos.txt

now() { date +%s.%N; }
scan_shard() { # K N OUT
  "$zenolint" scan --repos "$list" --shard "$1/$2" --jobs 1 --format jsonl -o "$3" \
    --progress never 2>/dev/null || [[ $? == 1 ]]
}
best1=""
best2=""
for run in $(seq "$runs"); do
  t0=$(now)
  scan_shard 1 1 "$work/one.jsonl"
  t1=$(now)
  scan_shard 1 2 "$work/two-1.jsonl" &
  p1=$!
  scan_shard 2 2 "$work/two-2.jsonl" &
  p2=$!
  wait "$p1" "$p2"
  t2=$(now)
  one=$(echo "$t1 - $t0" | bc -l)
  two=$(echo "$t2 - $t1" | bc -l)
  printf 'run %d: 1 shard %.2f s (%.0f repos/min), 2 shards %.2f s (%.0f repos/min), speed-up %.2fx\n' \
    "$run" "$one" "$(echo "$repos * 60 / $one" | bc -l)" "$two" \
    "$(echo "$repos * 60 / $two" | bc -l)" "$(echo "$one / $two" | bc -l)"
  [[ -z $best1 ]] || (($(echo "$one < $best1" | bc -l))) && best1=$one
  [[ -z $best2 ]] || (($(echo "$two < $best2" | bc -l))) && best2=$two
done
records=$(cat "$work"/two-*.jsonl | wc -l)
bytes=$(cat "$work"/two-*.jsonl | wc -c)
echo "records: $records ($bytes bytes)"
for format in json sarif text; do
  t0=$(now)
  "$zenolint" merge "$work"/two-*.jsonl --format "$format" -o "$work/merged.$format" \
    2>/dev/null || [[ $? == 1 ]]
  t1=$(now)
  printf 'merge --format %s: %.3f s (%s bytes)\n' "$format" "$(echo "$t1 - $t0" | bc -l)" \
    "$(wc -c <"$work/merged.$format")"
done
printf 'best: 1 shard %.0f repos/min, 2 shards %.0f repos/min: %.2fx (2 cores, load %s)\n' \
  "$(echo "$repos * 60 / $best1" | bc -l)" "$(echo "$repos * 60 / $best2" | bc -l)" \
  "$(echo "$best1 / $best2" | bc -l)" "$(cut -d' ' -f1-3 /proc/loadavg)"
