#!/usr/bin/env bash
# The main job: installs what is missing, builds, checks the config and runs it.
# Until training lands this is the CartPole throughput benchmark of the runner.
# Usage: scripts/run.sh [config.yaml]
set -euo pipefail
cd "$(dirname "$0")/.."
config="${1:-configs/cartpole_bench.yaml}"
bash scripts/install_deps.sh
bash scripts/build.sh release
twinrl=build/release/cli/twinrl
"$twinrl" config check "$config"
"$twinrl" bench CartPole --num-envs 256 --threads 2 --steps 20000000
