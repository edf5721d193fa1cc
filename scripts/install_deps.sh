#!/usr/bin/env bash
# Installs the Debian 12 packages twinrl needs, only those that are missing.
# Non-interactive; safe to run again. See DESIGN.md "Dependencies".
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config git clang-format
  clang libclang-rt-14-dev
  libtorch-dev libopenblas0-pthread libopenblas-dev
  libmujoco-dev libqhull-dev
  libbox2d-dev
  libyaml-cpp-dev
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  libcli11-dev libspdlog-dev libfmt-dev nlohmann-json3-dev
  libosmesa6-dev ffmpeg
  libonnx-dev libprotobuf-dev protobuf-compiler
  libceres-dev libnlopt-cxx-dev
  libgloo-dev
  chromium nodejs
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
# Debian's nodejs comes without npm; some nodejs builds bundle it.
command -v npm >/dev/null || missing+=(npm)

if [ ${#missing[@]} -eq 0 ]; then
  echo "install_deps: all ${#packages[@]} Debian packages present"
else
  echo "install_deps: installing ${#missing[@]} missing packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Node packages for the tests (onnxruntime-web; playwright-core drives the
# Debian chromium), pinned by package-lock.json.
if [ ! -d node_modules/onnxruntime-web ] || [ ! -d node_modules/playwright-core ]; then
  echo "install_deps: installing Node packages"
  npm ci --no-audit --no-fund --loglevel=error
fi
