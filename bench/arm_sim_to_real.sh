#!/usr/bin/env bash
# Sim-to-real on the arm's push task (issue 16 goal; bench/RESULTS.md "Arm
# twin"): PPO trained on (a) the nominal twin, (b) the twin calibrated from the
# real arm's logs and randomized within the fitted intervals, (c) the truth
# itself, each exported and run by the robot controller on the "real" arm
# (configs/twins/data/arm_push_truth.yaml) for the same seeded episodes.
# The real arm's logs: 60 s of excitation (fitted) and the nominal policy's
# episodes (held out).
# Usage: bench/arm_sim_to_real.sh [out=/tmp/arm_sim_to_real] [steps=600000]
#          [episodes=100] [seed=1]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-/tmp/arm_sim_to_real}"
steps="${2:-600000}"
episodes="${3:-100}"
seed="${4:-1}"
twinrl="$root/build/release/cli/twinrl"
controller="$root/build/release/examples/robot_controller/robot_controller"
twin="$root/configs/twins/arm_push.yaml"
truth="$root/configs/twins/data/arm_push_truth.yaml"
mkdir -p "$out/logs"
train() {  # name config [--set ...]; a finished run of the same name is reused
  local name="$1" config="$2"
  shift 2
  if [ -f "$out/export/$name/policy.pt" ]; then
    echo "(reusing $out/runs/$name)"
    return
  fi
  "$twinrl" train "$config" --runs-dir "$out/runs" --set name="$name" --set seed="$seed" \
    --set agent.total_steps="$steps" --set agent.checkpoint_every=100000 "$@" | tail -n 1
  "$twinrl" export "$out/runs/$name" --format torchscript --out "$out/export/$name" > /dev/null
}
on_real_arm() {  # name [controller options]
  local name="$1"
  shift
  "$controller" --config "$twin" --torchscript "$out/export/$name/policy.pt" --episodes "$episodes" \
    --speedup 0 --seed 7 --robot-params "$truth" "$@" | grep -E "^success"
}

echo "== the real arm's excitation, logged"
[ -f "$out/logs/excitation.csv" ] || "$controller" --config "$twin" --excitation steps --episodes 15 --speedup 0 \
  --robot-params "$truth" --log "$out/logs/excitation.csv" > /dev/null
echo "== (a) trained on the nominal twin"
train push_nominal "$twin"
echo "(a) on the nominal twin: $("$controller" --config "$twin" --torchscript \
  "$out/export/push_nominal/policy.pt" --episodes "$episodes" --speedup 0 --seed 7 | grep -E '^success')"
echo "(a) on the real arm (logged): $(on_real_arm push_nominal --log "$out/logs/policy.csv")"
echo "== calibration from the real arm's logs"
"$twinrl" twin calibrate "$twin" --logs "$out/logs" --out "$out/arm_push_calibrated.yaml" \
  --truth "$truth" | grep -E "^(calibrated|  )"
echo "== (b) trained on the calibrated, randomized twin"
train push_calibrated "$out/arm_push_calibrated.yaml"
echo "(b) on the real arm: $(on_real_arm push_calibrated)"
echo "== (c) trained on the truth"
sets=()
while IFS=': ' read -r name value; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  sets+=(--set "env.params.$name=$value")
done < "$truth"
train push_truth "$twin" "${sets[@]}"
echo "(c) on the real arm: $(on_real_arm push_truth)"
