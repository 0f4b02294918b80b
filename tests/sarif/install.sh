#!/usr/bin/env bash
# Installs the SARIF validators pinned in package-lock.json into tests/sarif/node_modules with
# `npm ci`. Idempotent and safe to run concurrently: a lock serialises installs, and a stamp skips
# the install when package-lock.json has not changed since the last one. scripts/test.sh and
# .ci/run run it once before the tests; the tests only ask `install.sh --check` (exit 0 when
# installed, 3 with a message saying what to run when not), so no test installs anything.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
command -v node >/dev/null || { echo "install.sh: node not found (scripts/setup.sh --test installs it)" >&2; exit 2; }
stamp="$here/node_modules/.zenolint-stamp"
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
installed() {
  [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]] && node -e "require('@microsoft/sarif-multitool')" 2>/dev/null
}
if [[ "${1:-}" == "--check" ]]; then
  installed && exit 0
  echo "the SARIF validators are not installed (or package-lock.json changed): run tests/sarif/install.sh (scripts/test.sh runs it before ctest)" >&2
  exit 3
fi
command -v npm >/dev/null || { echo "install.sh: npm not found (scripts/setup.sh --test installs it)" >&2; exit 2; }
exec 9>"$here/.install.lock"
flock 9
if installed; then
  exit 0
fi
echo "tests/sarif: installing SARIF validators with npm ci" >&2
npm ci --no-audit --no-fund --loglevel=error >&2
bin="$(node -p "require('@microsoft/sarif-multitool')")"
chmod u+x "$bin" # the package's postinstall does this; npm may skip install scripts
"$bin" --version >/dev/null
echo "$want" >"$stamp"
