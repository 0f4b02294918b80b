#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) into ./build-fuzz and runs each for SECONDS
# (default 60). Usage: scripts/fuzz.sh [SECONDS] [TARGET...]   (targets: see fuzz/CMakeLists.txt)
# A crash, sanitizer report, leak, timeout (-timeout per input) or out-of-memory (-rss_limit_mb)
# makes the script exit 1; the input that caused it is kept in build-fuzz/fuzz/artifacts/.
# Each target's corpus grows in build-fuzz/fuzz/corpus/TARGET across runs (seeds are regenerated
# at build time in build-fuzz/fuzz/seeds/TARGET, with a dictionary TARGET.dict for some).
# FUZZ_JOBS=N runs N targets at once (default 1).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
all=(pack_reader index_file credential_file rules_loader matcher ignore_file baseline archive)
targets=("$@")
((${#targets[@]})) || targets=("${all[@]}")

CXX=${FUZZ_CXX:-clang++} cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DZENOLINT_FUZZ=ON -DZENOLINT_BUILD_TESTS=OFF >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target fuzz_seeds "${targets[@]/#/fuzz_}"

dir=build-fuzz/fuzz
mkdir -p "$dir/artifacts" "$dir/logs"

# Per-input time limit (s). The matcher target builds contents of up to 2 MiB: linear matching of
# 1 MiB with a token on every line takes up to ~15 s under ASan/UBSan on a busy machine (a 2 MiB
# seed timed out at 23 s in a CI rehearsal under load, hence the wide margin), the
# quadratic matching of issue 14 took minutes.
declare -A timeout=([matcher]=150)

run_one() {
  local t=$1
  mkdir -p "$dir/corpus/$t"
  local log="$dir/logs/$t.log"
  local dict=()
  [[ -f "$dir/seeds/$t.dict" ]] && dict=(-dict="$dir/seeds/$t.dict")
  echo "fuzz: $t for ${seconds}s" >&2
  if "$dir/fuzz_$t" -max_total_time="$seconds" -timeout="${timeout[$t]:-10}" \
    -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 "${dict[@]}" \
    -artifact_prefix="$dir/artifacts/$t-" "$dir/corpus/$t" "$dir/seeds/$t" >"$log" 2>&1; then
    echo "fuzz: $t ok ($(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$') runs)" >&2
  else
    echo "fuzz: $t FAILED; last lines of $log:" >&2
    tail -n 40 "$log" >&2
    return 1
  fi
}

failed=0
jobs=${FUZZ_JOBS:-1}
pids=()
names=()
for t in "${targets[@]}"; do
  run_one "$t" &
  pids+=($!)
  names+=("$t")
  if ((${#pids[@]} >= jobs)); then
    wait "${pids[0]}" || failed=1
    pids=("${pids[@]:1}")
    names=("${names[@]:1}")
  fi
done
for p in "${pids[@]}"; do wait "$p" || failed=1; done
if ((failed)); then
  echo "fuzz: FAILED (inputs in $dir/artifacts/)" >&2
  exit 1
fi
echo "fuzz: all targets ran ${seconds}s without a report" >&2
