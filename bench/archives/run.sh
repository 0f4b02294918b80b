#!/usr/bin/env bash
# Archive scanning throughput: `zenolint scan ARCHIVE` next to `bsdtar -xOf ARCHIVE > /dev/null`
# (libarchive-tools; extracting every member to a pipe is the floor for reading an archive), on
# a tar.gz and a zip of the same generated deposit (default ~320 MB: text files like code and CSV,
# and incompressible binary data), built in the same run. Prints wall time, peak RSS and the
# ratio zenolint/bsdtar per format (target <= 1.5). Usage:
#   bench/archives/run.sh [--mb N] [--zenolint PATH] [--runs N] [--dir DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
mb=320
runs=3
zenolint="$root/build/zenolint"
dir=""
while (($#)); do
  case "$1" in
  --mb) mb="$2"; shift 2 ;;
  --zenolint) zenolint="$2"; shift 2 ;;
  --runs) runs="$2"; shift 2 ;;
  --dir) dir="$2"; shift 2 ;;
  *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
command -v bsdtar >/dev/null || apt-get install -y -qq libarchive-tools >/dev/null
command -v zip >/dev/null || apt-get install -y -qq zip >/dev/null
if [[ -z "$dir" ]]; then
  dir="$(mktemp -d /tmp/zenolint-bench-archives.XXXXXX)"
  trap 'rm -rf "$dir"' EXIT
fi
if [[ -f "$dir/.complete-$mb" ]]; then
  echo "reusing the ~${mb} MB deposit in $dir" >&2
else
echo "generating a ~${mb} MB deposit in $dir" >&2
rm -rf "$dir/deposit" "$dir/deposit.tar.gz" "$dir/deposit.zip"
python3 - "$dir/deposit" "$mb" <<'PY'
import os, random, sys
root, mb = sys.argv[1], int(sys.argv[2])
rng = random.Random(13)
text_bytes = mb * 3 // 4 << 20   # three quarters text (code, CSV, notes)
bin_bytes = mb // 4 << 20        # one quarter incompressible binary (images, HDF5...)
words = ["sample", "value", "import", "numpy", "return", "zenodo", "record", "doi", "data",
         "temperature", "pressure", "def", "class", "self", "result", "analysis", "upload"]
written, i = 0, 0
while written < text_bytes:
    d = os.path.join(root, f"data/run{i % 40:02d}")
    os.makedirs(d, exist_ok=True)
    if i % 3 == 0:
        lines = [",".join(f"{rng.random():.6f}" for _ in range(8)) for _ in range(2000)]
        name = f"table{i:05d}.csv"
    else:
        lines = [" ".join(rng.choice(words) for _ in range(10)) for _ in range(1500)]
        name = f"module{i:05d}.py"
    body = ("\n".join(lines) + "\n").encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(body)
    written += len(body)
    i += 1
os.makedirs(os.path.join(root, "blobs"), exist_ok=True)
for j in range(bin_bytes // (4 << 20)):
    with open(os.path.join(root, f"blobs/image{j:03d}.bin"), "wb") as f:
        f.write(rng.randbytes(4 << 20))
PY
(cd "$dir" && bsdtar -czf deposit.tar.gz deposit && zip -qr deposit.zip deposit)
touch "$dir/.complete-$mb"
fi
ls -l "$dir"/deposit.tar.gz "$dir"/deposit.zip >&2
python3 - "$zenolint" "$dir" "$runs" <<'PY'
import os, subprocess, sys, time
zenolint, d, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])

def measure(argv):
    best, rss, cpu = None, 0, None
    for _ in range(runs):
        t = time.perf_counter()
        with open(os.devnull, "wb") as null:
            p = subprocess.Popen(argv, stdout=null, stderr=subprocess.PIPE)
            _, status, usage = os.wait4(p.pid, 0)
            err = p.stderr.read().decode(errors="replace")
            p.stderr.close()
        wall = time.perf_counter() - t
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            sys.exit(f"{argv} failed ({code}): {err}")
        best = wall if best is None else min(best, wall)
        used = usage.ru_utime + usage.ru_stime
        cpu = used if cpu is None else min(cpu, used)
        rss = max(rss, usage.ru_maxrss)
    return best, rss / 1024, cpu

# The machine may be shared: wall times are best of `runs`, CPU times (user + system, all threads)
# are printed too, since they move less with the load. Runs alternate between the tools.

for name in ["deposit.tar.gz", "deposit.zip"]:
    path = os.path.join(d, name)
    size = os.path.getsize(path) / 2**20
    base, base_rss, base_cpu = measure(["bsdtar", "-xOf", path])
    zl, zl_rss, zl_cpu = measure([zenolint, "scan", "--progress", "never", "--format", "json",
                                  "--max-archive-bytes", "4G", path])
    out = subprocess.run([zenolint, "scan", "--progress", "never", "--max-archive-bytes", "4G",
                          path], capture_output=True, text=True).stdout.strip().splitlines()[-1]
    print(f"{name} ({size:.0f} MiB): bsdtar -xOf {base:.2f} s (peak RSS {base_rss:.0f} MiB), "
          f"zenolint scan {zl:.2f} s (peak RSS {zl_rss:.0f} MiB), ratio zenolint/bsdtar {zl/base:.2f}")
    print(f"  CPU: bsdtar {base_cpu:.2f} s, zenolint {zl_cpu:.2f} s (ratio {zl_cpu/base_cpu:.2f}); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"  {out}")
PY
