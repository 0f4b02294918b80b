#!/usr/bin/env bash
# Sets up (including test-only packages), builds, and runs the whole test suite through ctest.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh" --test
"$root/scripts/build.sh"
# SARIF validators (Microsoft's SARIF multitool, ajv) pinned in tests/sarif/package-lock.json.
"$root/tests/sarif/install.sh"
cd "$root/build"
ctest --output-on-failure -j "$(nproc)"
