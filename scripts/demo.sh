#!/usr/bin/env bash
# Sets up, builds, and runs `zenolint scan` on a throwaway demo repository holding a freshly
# generated fake Zenodo token. Exits with zenolint's status (1: it found the token).
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
echo "(exit status $status; the demo repository is in $demo)"
exit "$status"
