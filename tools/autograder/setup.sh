#!/usr/bin/env bash
# Gradescope autograder setup (Ubuntu/Debian image): installs tcpgrade's build dependencies and
# builds it. Zip the tcpgrade repository with this file as setup.sh at the zip's root, or keep
# the repository in /autograder/source and call this script from the root setup.sh.
set -euo pipefail
source_dir=${TCPGRADE_SOURCE:-/autograder/source}
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends build-essential cmake pkg-config libpcap-dev \
  libyaml-cpp-dev libcli11-dev nlohmann-json3-dev libfmt-dev libpugixml-dev libpcre2-dev \
  libgtest-dev >/dev/null
cmake -S "$source_dir" -B "$source_dir/build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build "$source_dir/build" -j "$(nproc)" --target tcpgrade
