#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: the Release suite,
# then the suite again under AddressSanitizer + UBSan and ThreadSanitizer.
# Usage: scripts/test.sh [release|asan|tsan ...]   (default: all three)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh

presets=("$@")
[ ${#presets[@]} -gt 0 ] || presets=(release asan tsan)
for preset in "${presets[@]}"; do
  echo "== $preset: build"
  bash scripts/build.sh "$preset"
  echo "== $preset: test"
  # Sanitizer runs: fail on the first report; torch's own OpenMP pool is not instrumented.
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
  OMP_NUM_THREADS=1 \
    ctest --preset "$preset" --parallel "$(nproc)"
done
