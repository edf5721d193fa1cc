#!/usr/bin/env bash
# What recording and viewing cost, per env: the time of `twinrl eval` with
# and without --record (same episodes, so their ratio is the recording's
# overhead), the rollout's size per step, and the time and size of the HTML
# player and of an MP4 of one episode.
# Usage: bench/viewer_cost.sh   (after scripts/build.sh release)
set -euo pipefail
cd "$(dirname "$0")/.."
twinrl="$PWD/build/release/cli/twinrl"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

seconds() {  # wall-clock seconds of a command, its output dropped
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { print b - a }'
}

printf "| env (config, policy) | episodes | eval s | eval --record s | ratio | steps | bytes/step | view s | html MB | mp4 s | mp4 frames/s |\n"
printf "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
while read -r config policy episodes; do
  source="$OLDPWD/configs/$config.yaml"
  plain=$(seconds "$twinrl" eval "$source" --policy "$policy" --episodes "$episodes")
  recorded=$(seconds "$twinrl" eval "$source" --policy "$policy" --episodes "$episodes" \
    --record "$episodes")
  rollout="runs/$config/rollouts/eval_$policy.jsonl"
  steps=$(grep -c '"type":"step"' "$rollout")
  bytes=$(stat -c %s "$rollout")
  view=$(seconds "$twinrl" view "$rollout" --out page.html)
  html=$(stat -c %s page.html)
  mp4=$(seconds "$twinrl" view "$rollout" --mp4 episode.mp4)
  frames=$(ffprobe -v error -count_frames -select_streams v:0 \
    -show_entries stream=nb_read_frames -of csv=p=0 episode.mp4)
  awk -v c="$config, $policy" -v e="$episodes" -v p="$plain" -v r="$recorded" -v s="$steps" \
    -v b="$bytes" -v v="$view" -v h="$html" -v m="$mp4" -v f="$frames" 'BEGIN {
      printf "| %s | %d | %.2f | %.2f | %.2f | %d | %d | %.2f | %.1f | %.2f | %.0f |\n",
        c, e, p, r, r / p, s, b / s, v, h / 1e6, m, f / m }'
done <<'ENVS'
cartpole_ppo random 20
warehouse_tiny_ppo heuristic 4
warehouse_small_ppo heuristic 2
inventory_network_ppo base_stock 10
lander_ppo pd_controller 10
amr_ppo planner 2
arm_reach_ppo scripted 4
ENVS
