#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test in Release; then the
# tests of the threaded runtime, the config parser and the envs again under
# AddressSanitizer + UBSan and under ThreadSanitizer; then each parser of user
# files under libFuzzer for 15 seconds (scripts/fuzz.sh runs them longer).
# Usage: scripts/test.sh [release|asan|tsan|fuzz ...]   (default: all four)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh

# Sanitizer builds take minutes each on two cores: they build these targets only.
asan_targets=(core_tests config_tests env_registry_tests warehouse_tests supply_chain_tests lander_tests amr_tests arm_tests
  rollout_tests twin_fit_tests agent_kernel_tests)
tsan_targets=(core_tests)

run_executables() {
  local preset="$1"
  shift
  bash scripts/build.sh "$preset" "$@"
  for target in "$@"; do
    echo "== $preset: $target"
    "build/$preset/tests/$target"
  done
}

presets=("$@")
[ ${#presets[@]} -gt 0 ] || presets=(release asan tsan fuzz)
for preset in "${presets[@]}"; do
  case "$preset" in
    release)
      echo "== release: build and run every test"
      bash scripts/build.sh release
      ctest --preset release --parallel "$(nproc)"
      ;;
    asan)
      # LibTorch's OpenMP pool is not instrumented: keep torch on the calling thread.
      OMP_NUM_THREADS=1 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
      UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        run_executables asan "${asan_targets[@]}"
      ;;
    tsan)
      OMP_NUM_THREADS=1 TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
        run_executables tsan "${tsan_targets[@]}"
      ;;
    fuzz)
      bash scripts/fuzz.sh 15
      ;;
    *)
      echo "unknown preset '$preset' (release, asan, tsan, fuzz)" >&2
      exit 2
      ;;
  esac
done
