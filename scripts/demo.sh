#!/usr/bin/env bash
# Sets up, builds, and runs `zenolint scan` on a throwaway demo repository holding a freshly
# generated fake Zenodo token. Exits 0 when the demonstration worked: zenolint found the planted
# token (a real scan of that repository exits 1, the status CI gates on); 1 when it did not.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh"
ZENOLINT_BUILD_TARGET=zenolint "$root/scripts/build.sh"

demo="$(mktemp -d /tmp/zenolint-demo.XXXXXX)"
token="$(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom 2>/dev/null | head -c 60 || true)"
git -C "$demo" init -q -b main
git -C "$demo" config user.name "Demo User"
git -C "$demo" config user.email "demo@example.org"
cat >"$demo/upload.sh" <<SH
#!/bin/sh
# Upload a dataset to Zenodo.
export ZENODO_TOKEN=$token
curl -H "Authorization: Bearer \$ZENODO_TOKEN" https://zenodo.org/api/deposit/depositions
SH
printf 'data/\n' >"$demo/.gitignore"
git -C "$demo" add -A && git -C "$demo" commit -q -m "Add upload script"
echo
echo "\$ zenolint scan $demo"
set +e
"$root/build/zenolint" scan "$demo"
status=$?
set -e
echo
if [[ $status -eq 1 ]]; then
  echo "demo OK: zenolint found the planted token and exited 1, as a scan with findings does"
  echo "(0: no findings, 1: findings, 2: error); the demo repository is in $demo"
  exit 0
fi
echo "demo FAILED: zenolint exited $status, expected 1 (the planted token); see $demo" >&2
exit 1
