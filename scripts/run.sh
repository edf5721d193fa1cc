#!/usr/bin/env bash
# The main job: installs what is missing, builds, and trains an agent from a
# YAML config into runs/<name>/, then evaluates it.
# Usage: scripts/run.sh [config.yaml] [--set key=value ...]
set -euo pipefail
cd "$(dirname "$0")/.."
config="${1:-configs/cartpole_ppo.yaml}"
shift || true
bash scripts/install_deps.sh
bash scripts/build.sh release
twinrl=build/release/cli/twinrl
name=$("$twinrl" config check "$config" "$@" | sed -n "s/.*ok (run '\([^']*\)'.*/\1/p")
if [ -e "runs/$name/checkpoints/latest.pt" ]; then
  echo "runs/$name already exists: resuming it (delete it to start over)"
  "$twinrl" resume "runs/$name"
else
  "$twinrl" train "$config" "$@"
fi
"$twinrl" eval "runs/$name" --episodes 20
