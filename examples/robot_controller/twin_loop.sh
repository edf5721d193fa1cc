#!/usr/bin/env bash
# The robot twin's loop, end to end: controller -> logs -> calibrated twin ->
# policy -> controller (twins/README.md, "Arm twins").
#   1. The "real" arm (the hidden truth of --truth) runs the shipped policy and
#      an excitation, each logged by the robot controller.
#   2. `twinrl twin calibrate` identifies its physics from the excitation log,
#      the policy's log held out.
#   3. `twinrl train` on the calibrated twin, which draws the fitted
#      parameters per episode from their intervals (twin.randomize_from_fit).
#   4. `twinrl export` of the trained policy (TorchScript).
#   5. The export runs on the "real" arm in the controller.
# Usage: examples/robot_controller/twin_loop.sh [--out DIR] [--truth FILE]
#          [--steps TRAINING_STEPS] [--episodes EPISODES] [--excitation-episodes N]
# TWINRL and ROBOT_CONTROLLER name the programs (default: build/release).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out=twin_loop
truth="$root/examples/robot_controller/real_arm.yaml"
steps=300000
episodes=20
excitation_episodes=15  # 60 s at 25 Hz
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --truth) truth="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    --episodes) episodes="$2"; shift 2 ;;
    --excitation-episodes) excitation_episodes="$2"; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "twin_loop.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
twinrl="${TWINRL:-$root/build/release/cli/twinrl}"
controller="${ROBOT_CONTROLLER:-$root/build/release/examples/robot_controller/robot_controller}"
for program in "$twinrl" "$controller"; do
  [ -x "$program" ] || { echo "twin_loop.sh: $program is missing: bash scripts/build.sh release twinrl robot_controller" >&2; exit 1; }
done
twin="$root/configs/twins/arm_reach.yaml"
mkdir -p "$out/logs"

echo "== 1. the real arm, logged: the shipped policy and an excitation"
"$controller" --config "$twin" --c-header --episodes "$episodes" --speedup 0 \
  --robot-params "$truth" --log "$out/logs/policy.csv" | grep -E "^(success|mean return)"
"$controller" --config "$twin" --excitation steps --episodes "$excitation_episodes" --speedup 0 \
  --robot-params "$truth" --log "$out/logs/excitation.csv" > /dev/null

echo "== 2. calibrate the twin from the logs"
"$twinrl" twin calibrate "$twin" --set 'twin.logs.heldout=[policy.csv]' --logs "$out/logs" \
  --out "$out/arm_calibrated.yaml" --truth "$truth"

echo "== 3. train on the calibrated twin ($steps steps)"
"$twinrl" train "$out/arm_calibrated.yaml" --runs-dir "$out/runs" \
  --set agent.total_steps="$steps" --set agent.checkpoint_every="$steps"
run="$out/runs/arm_reach_twin_calibrated"

echo "== 4. export the policy"
"$twinrl" export "$run" --format torchscript --out "$out/export"

echo "== 5. the exported policy on the real arm"
"$controller" --config "$twin" --torchscript "$out/export/policy.pt" \
  --episodes "$episodes" --speedup 0 --robot-params "$truth" | grep -E "^(success|mean return|final)"
