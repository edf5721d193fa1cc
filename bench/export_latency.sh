#!/usr/bin/env bash
# Inference latency per action of every export format (median and p99, batch
# 1) for the CartPole PPO policy, a 4-64-64-2 MLP: trains it, exports it, and
# times the C header (float and int8, gcc -O3), TorchScript (torch::jit::load,
# one thread) and ONNX (onnxruntime-web under Node).
# Usage: bench/export_latency.sh   (after scripts/build.sh release)
set -euo pipefail
cd "$(dirname "$0")/.."
build=build/release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$build/cli/twinrl" train configs/cartpole_ppo.yaml --runs-dir "$work" --set name=policy >/dev/null
for format in torchscript onnx c; do
  "$build/cli/twinrl" export "$work/policy" --format "$format" --out "$work/export" >/dev/null
done
"$build/cli/twinrl" export "$work/policy" --format c --int8 --out "$work/export" >/dev/null

for header in policy policy_int8; do
  gcc -std=c99 -O3 -Wall -Werror -Ibench -DPOLICY_HEADER="\"$work/export/$header.h\"" \
    -o "$work/${header}_latency" bench/c_policy_latency.c -lm
  "$work/${header}_latency" "c header ($header.h)"
done
"$build/bench/torchscript_latency" "$work/export/policy.pt" 4
node bench/onnx_latency.mjs "$work/export/policy.onnx" 4
