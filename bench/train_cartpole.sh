#!/usr/bin/env bash
# Training benchmark: PPO and DQN on CartPole, 3 seeds each. For each run:
# the first step at which the mean return of the last 20 episodes reaches 475,
# the wall-clock of the whole run, and its training speed.
# Usage: bench/train_cartpole.sh [build/release/cli/twinrl]
set -euo pipefail
cd "$(dirname "$0")/.."
twinrl="${1:-build/release/cli/twinrl}"
runs=$(mktemp -d)
trap 'rm -rf "$runs"' EXIT

echo "| algorithm | seed | steps to 475 | total steps | wall-clock (s) | steps/s |"
echo "|---|---:|---:|---:|---:|---:|"
for algorithm in ppo dqn; do
  for seed in 1 2 3; do
    start=$EPOCHREALTIME
    "$twinrl" train "configs/cartpole_$algorithm.yaml" --runs-dir "$runs" --set "seed=$seed" \
      --set "name=${algorithm}_$seed" >/dev/null
    end=$EPOCHREALTIME
    awk -F, -v algorithm="$algorithm" -v seed="$seed" -v seconds="$(awk "BEGIN { print $end - $start }")" '
      NR == 1 { for (i = 1; i <= NF; ++i) column[$i] = i; next }
      { step = $1; r = $column["episode_return"]
        if (hit == "" && r != "" && r + 0 >= 475) hit = step }
      END { printf "| %s | %d | %s | %d | %.1f | %.0f |\n", algorithm, seed,
            (hit == "" ? "not reached" : hit), step, seconds, step / seconds }
    ' "$runs/${algorithm}_$seed/metrics.csv"
  done
done
