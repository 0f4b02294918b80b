#!/usr/bin/env bash
# History benchmark: in one run, times
#   (a) zenolint scan --history-only --format json          (what we ship)
#   (b) git cat-file --batch-all-objects --batch            (inflating every object: our floor)
#   (c) git log -p -U0 --full-history --all                 (the patch-walking approach)
#   (d) git cat-file --batch-all-objects --batch --unordered (inflating every object in pack order:
#       the lowest floor there is, single-threaded)
#   (e) (a) with ZENOLINT_NO_EXPOSURE=1: the same scan without the exposure work (the walk keeps no
#       graph, findings get no exposure), to measure what exposure costs
# and prints a/b, c/a, a/d, the exposure overhead (a/e - 1; best of 3 alternating runs each, in wall
# time and in CPU time, user + sys, which other load on a shared machine disturbs less),
# zenolint's peak RSS and CPU time, and where (a)'s time went (ZENOLINT_PHASES=1: start-up, rules,
# commits loaded, trees walked, blobs listed, blobs inflated and matched (CPU of each), findings,
# checks, report).
#
#   bench/history/run.sh                       # generate the synthetic repository (cached) and run
#   bench/history/run.sh --commits 20000 --files 5000
#   bench/history/run.sh /path/to/any/repo     # an existing repository (bare or not)
#   bench/history/run.sh --no-log --no-exposure /work/.mirror/git+git/repo
#                                              # skip (c) (minutes on git/git) and (e)
#   bench/history/run.sh --runs 3 REPO         # (a) and (d) alternated 3 times, each run printed
# Environment: ZENOLINT (binary, default ./build/zenolint), JOBS (default 2), BENCH_DIR (cache,
# default ./build/bench-history).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
zenolint=${ZENOLINT:-$root/build/zenolint}
jobs=${JOBS:-2}
bench_dir=${BENCH_DIR:-$root/build/bench-history}
commits=50000 files=12000 lines=60 seed=1 repo="" with_log=1 with_exposure=1 runs=1
while [ $# -gt 0 ]; do
  case "$1" in
    --commits) commits=$2; shift 2 ;;
    --files) files=$2; shift 2 ;;
    --lines) lines=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --no-log) with_log=0; shift ;;
    --no-exposure) with_exposure=0; shift ;;
    --runs) runs=$2; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) repo=$1; shift ;;
  esac
done

calc() { awk "BEGIN { print $1 }"; }

[ -x "$zenolint" ] || { echo "build zenolint first (./scripts/build.sh) or set ZENOLINT" >&2; exit 2; }
if [ ! -x /usr/bin/time ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get install -y -qq time >/dev/null
fi

if [ -z "$repo" ]; then
  repo=$bench_dir/repo-c$commits-f$files-l$lines-s$seed.git
  if [ ! -f "$repo/.complete" ]; then
    rm -rf "$repo"; mkdir -p "$repo"
    git -C "$repo" init -q --bare
    echo "generating $repo ..." >&2
    start=$(date +%s.%N)
    python3 "$here/generate.py" --commits "$commits" --files "$files" --lines "$lines" --seed "$seed" \
      --tokens-out "$repo/planted-tokens" | git -C "$repo" fast-import --quiet
    git -C "$repo" repack -a -d -q   # one pack with ordinary delta chains, like a cloned repository
    echo "generated in $(calc "$(date +%s.%N) - $start") s" >&2
    touch "$repo/.complete"
  fi
fi
git -C "$repo" rev-parse --git-dir >/dev/null

objects=$(git -C "$repo" count-objects -v | awk '/^(count|in-pack):/ {n += $2} END {print n}')
blobs=$(git -C "$repo" cat-file --batch-all-objects --batch-check='%(objecttype)' | grep -c '^blob$' || true)
ncommits=$(git -C "$repo" rev-list --all | wc -l)
content=$(git -C "$repo" cat-file --batch-all-objects --batch-check='%(objecttype) %(objectsize)' |
          awk '$1 == "blob" {s += $2} END {printf "%.0f", s / 1048576}')
echo "repository: $repo"
echo "objects: $objects, blobs: $blobs, commits: $ncommits, blob content: ${content} MiB, jobs: $jobs, cores: $(nproc)"

# Warm the page cache so that every command reads from memory.
git -C "$repo" cat-file --batch-all-objects --batch --unordered >/dev/null

seconds() { # runs "$@", prints wall seconds
  local s e; s=$(date +%s.%N); "$@"; e=$(date +%s.%N); calc "$e - $s"
}
tv=$(mktemp)
a_start=$(date +%s.%N)
set +e
phases=$(mktemp)
ZENOLINT_PHASES=1 /usr/bin/time -v -o "$tv" "$zenolint" scan --history-only --format json --progress never \
  -j "$jobs" "$repo" 2>"$phases" >/dev/null
rc=$?
set -e
a=$(calc "$(date +%s.%N) - $a_start")
[ $rc -le 1 ] || { echo "zenolint failed (exit $rc)" >&2; cat "$tv" >&2; exit 1; }
rss_kib=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tv")
b=$(seconds sh -c "git -C '$repo' cat-file --batch-all-objects --batch >/dev/null")
c=0
[ "$with_log" = 1 ] && c=$(seconds sh -c "git -C '$repo' log -p -U0 --full-history --all >/dev/null")
lt=$(mktemp) # the loops' own timings; $tv keeps (a)'s
cpu_of() { tail -n 1 "$1" | awk '{print $2 + $3}'; } # time(1) may first say the exit status
# (a) and (d) alternated, each with wall, CPU (user + sys) and peak RSS: the same-run ratio a/d
# in wall time and in CPU time (less disturbed by other load on a shared machine).
d=0 d_cpu=0
for run in $(seq 1 "$runs"); do
  /usr/bin/time -f '%e %U %S %M' -o "$lt" sh -c "git -C '$repo' cat-file --batch-all-objects --batch --unordered >/dev/null"
  rd=$(tail -n 1 "$lt" | awk '{print $1}') rd_cpu=$(cpu_of "$lt")
  [ "$run" = 1 ] && d=$rd d_cpu=$rd_cpu
  if [ "$run" -gt 1 ] || [ "$runs" -gt 1 ]; then
    /usr/bin/time -f '%e %U %S %M' -o "$lt" "$zenolint" scan --history-only --format json --progress never -j "$jobs" "$repo" >/dev/null || true
    ra=$(tail -n 1 "$lt" | awk '{print $1}') ra_cpu=$(cpu_of "$lt") ra_rss=$(tail -n 1 "$lt" | awk '{print $4}')
    printf 'run %d: a %.2f s (CPU %.2f s, peak RSS %d MiB), d %.2f s (CPU %.2f s): a/d = %.2f wall, %.2f CPU\n' \
      "$run" "$ra" "$ra_cpu" $((ra_rss / 1024)) "$rd" "$rd_cpu" "$(calc "$ra / $rd")" "$(calc "$ra_cpu / $rd_cpu")"
  fi
done
# Exposure overhead: alternate with and without, best of three each (the machine is shared), in
# wall time and in CPU time (user + sys: less sensitive to other load on a shared machine).
with_best=0 without_best=0 with_cpu=0 without_cpu=0
for _ in $( [ "$with_exposure" = 1 ] && echo 1 2 3); do
  /usr/bin/time -f '%e %U %S' -o "$lt" "$zenolint" scan --history-only --format json --progress never -j "$jobs" "$repo" >/dev/null || true
  t=$(tail -n 1 "$lt" | awk '{print $1}') c2=$(cpu_of "$lt")
  with_best=$(calc "($with_best == 0 || $t < $with_best) ? $t : $with_best")
  with_cpu=$(calc "($with_cpu == 0 || $c2 < $with_cpu) ? $c2 : $with_cpu")
  ZENOLINT_NO_EXPOSURE=1 /usr/bin/time -f '%e %U %S' -o "$lt" "$zenolint" scan --history-only --format json --progress never -j "$jobs" "$repo" >/dev/null || true
  t=$(tail -n 1 "$lt" | awk '{print $1}') c2=$(cpu_of "$lt")
  without_best=$(calc "($without_best == 0 || $t < $without_best) ? $t : $without_best")
  without_cpu=$(calc "($without_cpu == 0 || $c2 < $without_cpu) ? $c2 : $without_cpu")
done
rm -f "$lt"
findings=$("$zenolint" scan --history-only --format json --progress never -j "$jobs" "$repo" |
           python3 -c 'import json,sys; print(len(json.load(sys.stdin)["findings"]))' || true)

user_sys=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u + s}' "$tv")
printf '(a) zenolint scan --history-only : %8.2f s  (%s findings, CPU %.2f s, peak RSS %d MiB)\n' "$a" "$findings" "$user_sys" $((rss_kib / 1024))
printf '(b) git cat-file --batch-all     : %8.2f s\n' "$b"
[ "$with_log" = 1 ] && printf '(c) git log -p -U0 --all         : %8.2f s\n' "$c"
printf '(d) git cat-file ... --unordered : %8.2f s  (CPU %.2f s)\n' "$d" "$d_cpu"
printf 'a/b = %.2f  (target <= 1.0)\n' "$(calc "$a / $b")"
[ "$with_log" = 1 ] && printf 'c/a = %.1f  (withdrawn target, for reference)\n' "$(calc "$c / $a")"
printf 'a/d = %.2f wall, %.2f CPU  (target <= 0.7 wall, two cores; issue 17)\n' "$(calc "$a / $d")" "$(calc "$user_sys / $d_cpu")"
if [ "$with_exposure" = 1 ]; then
  printf '(e) without exposure (best of 3): %8.2f s, with (best of 3): %.2f s\n' "$without_best" "$with_best"
  printf 'exposure overhead = %.1f %% wall, %.1f %% CPU (user+sys: %.2f s with, %.2f s without)  (target <= 10 %%)\n' \
    "$(calc "($with_best / $without_best - 1) * 100")" "$(calc "($with_cpu / $without_cpu - 1) * 100")" "$with_cpu" "$without_cpu"
fi
printf 'peak RSS = %d MiB  (target <= 512 MiB on git/git)\n' $((rss_kib / 1024))
echo "phases of (a) (ZENOLINT_PHASES: wall since start, process CPU of all threads):"
grep '^zenolint phase:' "$phases" || true
echo "(a) CPU (user + system): $user_sys s; load average $(cut -d' ' -f1 /proc/loadavg)"
rm -f "$phases" "$tv"
