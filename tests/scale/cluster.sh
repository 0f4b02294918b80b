#!/usr/bin/env bash
# Runs `zenolint scan --repos` shards on the engines docs/scale.md describes, for real, and checks
# that their merged report is exactly the report of one process scanning the whole list:
#   1. GNU parallel: N shards as parallel processes;
#   2. Slurm: a job array of N tasks on a single-node Slurm (slurmctld + slurmd + munged) that
#      this script starts on 127.0.0.1 with its own configuration, key and state in a temp dir,
#      and stops on exit.
# Every step is time-bounded; a missing tool or a daemon that does not come up fails the test
# (exit 1) with the reason and the daemon logs: nothing is skipped.
# Usage: tests/scale/cluster.sh ZENOLINT_BINARY [REPOS (default 24)] [SHARDS (default 3)]
set -euo pipefail

zenolint=$(realpath "${1:?usage: cluster.sh ZENOLINT_BINARY [REPOS] [SHARDS]}")
repos=${2:-24}
shards=${3:-3}
here=$(cd "$(dirname "$0")" && pwd)

fail() {
  echo "cluster.sh: FAIL: $*" >&2
  exit 1
}
for tool in git parallel munged slurmctld slurmd sbatch squeue scontrol sinfo python3 timeout; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/setup.sh --test installs it)"
done

work=$(mktemp -d /tmp/zenolint-cluster.XXXXXX)
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if ((status != 0)) && [[ -d $work/slurm ]]; then
    for log in "$work"/slurm/*.log "$work"/munge/munged.log; do
      [[ -f $log ]] && { echo "--- $log" >&2; tail -n 30 "$log" >&2; }
    done
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT INT TERM

# The organisation: generated repositories (some tokens in HEAD, some only in history).
python3 "$here/../../bench/scale/make_repos.py" "$work/org" "$repos" >/dev/null
list=$work/org/repos.txt

echo "cluster.sh: single process over $repos repositories" >&2
"$zenolint" scan --repos "$list" --format json -o "$work/single.json" --progress never \
  || [[ $? == 1 ]] || fail "single-process scan failed"

same_as_single() { # records... : merge them and compare with the single-process report
  local out=$work/merged-$RANDOM.json
  "$zenolint" merge "$@" --format json -o "$out" || [[ $? == 1 ]] ||
    fail "merge failed"
  python3 - "$work/single.json" "$out" <<'PY' || fail "merged report differs from the single-process report"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert a == b, "reports differ"
assert a["summary"]["repositories"] > 0 and a["findings"], "nothing was scanned"
print("cluster.sh: merged report identical:", a["summary"], file=sys.stderr)
PY
}

# 1. GNU parallel.
echo "cluster.sh: GNU parallel, $shards shards" >&2
mkdir -p "$work/parallel"
timeout 600 parallel --will-cite --halt now,fail=1 -j "$shards" \
  "'$zenolint' scan --repos '$list' --shard {}/$shards --format jsonl -o '$work/parallel/shard-{}.jsonl' --progress never || test \$? = 1" \
  ::: $(seq "$shards") || fail "GNU parallel shards failed"
same_as_single "$work"/parallel/shard-*.jsonl

# 2. Slurm job array on a single node started here.
echo "cluster.sh: starting munged, slurmctld and slurmd on 127.0.0.1" >&2
mkdir -p "$work/munge" "$work/slurm/state" "$work/slurm/spool" "$work/slurm/out"
chmod 700 "$work/munge"
dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
chmod 600 "$work/munge/munge.key"
munged --force --foreground --key-file="$work/munge/munge.key" --socket="$work/munge/munge.socket" \
  --pid-file="$work/munge/munged.pid" --log-file="$work/munge/munged.log" \
  --seed-file="$work/munge/munged.seed" 2>>"$work/munge/munged.stderr" &
pids+=($!)
for _ in $(seq 100); do [[ -S $work/munge/munge.socket ]] && break; sleep 0.1; done
[[ -S $work/munge/munge.socket ]] || fail "munged did not create its socket"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
ctl_port=$(free_port)
d_port=$(free_port)
node=$(hostname -s)
cpus=$(nproc)
user=$(id -un)
export SLURM_CONF=$work/slurm/slurm.conf
cat >"$SLURM_CONF" <<CONF
ClusterName=zenolinttest
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctl_port
SlurmdPort=$d_port
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
AuthInfo=socket=$work/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$work/slurm/state
SlurmdSpoolDir=$work/slurm/spool
SlurmctldPidFile=$work/slurm/slurmctld.pid
SlurmdPidFile=$work/slurm/slurmd.pid
SlurmctldLogFile=$work/slurm/slurmctld.log
SlurmdLogFile=$work/slurm/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
SchedulerType=sched/builtin
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=local Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -D -i -f "$SLURM_CONF" 2>>"$work/slurm/slurmctld.stderr" &
pids+=($!)
slurmd -D -f "$SLURM_CONF" 2>>"$work/slurm/slurmd.stderr" &
pids+=($!)
up=""
for _ in $(seq 300); do
  if state=$(sinfo -h -N -o '%T' 2>/dev/null) && [[ $state == idle* ]]; then up=1; break; fi
  sleep 0.2
done
[[ -n $up ]] || fail "the Slurm node did not become idle within 60 s (state: ${state:-none})"
echo "cluster.sh: Slurm is up ($(sinfo -h -o '%P %D %T')); submitting a $shards-task job array" >&2

job=$(sbatch --parsable --array=1-"$shards" --cpus-per-task=1 --time=10 \
  --output="$work/slurm/out/%A_%a.out" --chdir="$work" --export=ALL <<JOB
#!/bin/bash
"$zenolint" scan --repos "$list" --shard "\$SLURM_ARRAY_TASK_ID/\$SLURM_ARRAY_TASK_COUNT" \
  --format jsonl -o "$work/slurm/out/shard-\$SLURM_ARRAY_TASK_ID.jsonl" --progress never
status=\$?
# 1: findings (the gate is the merge); anything else failed the task.
[ \$status = 0 ] || [ \$status = 1 ]
JOB
) || fail "sbatch refused the job array"
echo "cluster.sh: job $job submitted" >&2
done_ok=""
for _ in $(seq 1500); do
  if [[ -z $(squeue -h -j "$job" 2>/dev/null) ]]; then done_ok=1; break; fi
  sleep 0.2
done
[[ -n $done_ok ]] || fail "job array $job did not finish within 300 s"
states=$(scontrol show job "$job" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | sort | uniq -c || true)
n_files=$(ls "$work"/slurm/out/shard-*.jsonl 2>/dev/null | wc -l)
((n_files == shards)) || {
  cat "$work"/slurm/out/*.out >&2 2>/dev/null || true
  fail "expected $shards shard files from the job array, found $n_files (states: $states)"
}
same_as_single "$work"/slurm/out/shard-*.jsonl
echo "cluster.sh: PASS (GNU parallel and a Slurm job array, $shards shards, $repos repositories)" >&2
