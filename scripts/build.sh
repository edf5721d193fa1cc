#!/usr/bin/env bash
# Configures and builds twinrl with a CMake preset: release (default), asan or tsan.
# Usage: scripts/build.sh [preset] [ninja targets...]
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
shift || true
# One build at a time per checkout: two ninjas in one build tree corrupt it.
mkdir -p build
exec 9>build/.lock
flock 9
cmake --preset "$preset" >/dev/null
# nproc counts OMP_NUM_THREADS, which the sanitizer test runs set to 1 for LibTorch.
jobs=$(env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc)
cmake --build --preset "$preset" --parallel "$jobs" ${1:+--target "$@"}
