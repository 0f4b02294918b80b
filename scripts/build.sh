#!/usr/bin/env bash
# Configures and builds zenolint into ./build. Extra arguments go to cmake's configure step;
# ZENOLINT_BUILD_TARGET=zenolint builds only the binary (what the demo needs).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build build -j "$(nproc)" ${ZENOLINT_BUILD_TARGET:+--target "$ZENOLINT_BUILD_TARGET"}
