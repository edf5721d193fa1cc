#!/usr/bin/env bash
# Builds the libFuzzer targets of the parsers (tests/fuzz/, the fuzz preset:
# clang with AddressSanitizer and UBSan) and runs each on a copy of its seed
# corpus (tests/fuzz/corpus/<target>/, made from the repository's own files).
# Usage: scripts/fuzz.sh [seconds per target=20] [target ...]
#        scripts/fuzz.sh runs=10000000 fuzz_csv     # a number of executions instead
# A crash, leak, UBSan report or hang (a single input over FUZZ_TIMEOUT
# seconds, 10 by default; raise it for a long run at low priority beside a
# build, where a starved input can stand still that long) stops with exit 1
# and the reproducer in build/fuzz/findings/.
set -euo pipefail
cd "$(dirname "$0")/.."
budget="${1:-20}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_config fuzz_csv fuzz_warehouse_map fuzz_rollout fuzz_checkpoint_frame)
bash scripts/build.sh fuzz "${targets[@]}"

# Seeds: what users' files look like.
seeds() {
  local target="$1" dir="$2"
  case "$target" in
    fuzz_config) cp configs/*.yaml configs/twins/*.yaml "$dir"/ ;;
    fuzz_csv) for log in configs/twins/data/retailer_logs/*.csv; do
        head -n 40 "$log" > "$dir/$(basename "$log")"
      done ;;
    fuzz_warehouse_map) sed -n '/map: |/,/^  [a-z]/p' configs/*.yaml configs/twins/*.yaml \
      | grep -v ':' | sed 's/^ *//' > "$dir/maps.txt" || true
      printf 'x.g\n...\nc..\n' > "$dir/tiny.txt" ;;
    fuzz_rollout) find tests/fuzz/corpus -name '*.jsonl' -exec cp {} "$dir"/ \; ;;
    fuzz_checkpoint_frame) printf 'twinrl-checkpoint\n1 5 1d5d8d1b\nhello' > "$dir/frame" ;;
  esac
}

mkdir -p build/fuzz/findings
status=0
for target in "${targets[@]}"; do
  corpus=$(mktemp -d)
  seeds "$target" "$corpus"
  if [[ "$budget" == runs=* ]]; then limit="-${budget}"; else limit="-max_total_time=${budget}"; fi
  echo "== fuzz: $target ($limit)"
  log="build/fuzz/findings/$target.log"
  if ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "build/fuzz/tests/fuzz/$target" "$limit" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 -max_len=8192 \
    -print_final_stats=1 -artifact_prefix="build/fuzz/findings/$target-" "$corpus" > "$log" 2>&1; then
    grep -E "^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::average_exec_per_sec)" "$log" || true
  else
    echo "fuzz: $target found a problem (reproducer and log in build/fuzz/findings/):"
    grep -E "ERROR|SUMMARY|deadly signal|Test unit written|runtime error" "$log" | head -20
    status=1
  fi
  rm -rf "$corpus"
done
exit $status
