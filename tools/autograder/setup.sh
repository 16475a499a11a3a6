#!/usr/bin/env bash
# Gradescope autograder setup: installs tcpgrade's build dependencies from the distribution's
# packages and builds tcpgrade from the source beside this script (the unzipped
# tools/autograder/package zip, /autograder/source on Gradescope).
#
# Images: Debian 12 and Ubuntu 24.04 have every package new enough. Ubuntu 22.04 (Gradescope's
# default base image) has CMake 3.22 and GCC 11, older than tcpgrade needs (CMake 3.25, a C++20
# compiler): there this script also installs g++-12 (an Ubuntu 22.04 package) and CMake from
# pip (python3-pip), which needs network access during setup. Prefer the Ubuntu 24.04 image.
#
# Environment (for tests, or a machine that is not Gradescope's):
#   AUTOGRADER_ROOT       the autograder's root (default /autograder)
#   TCPGRADE_SOURCE       the source tree (default $AUTOGRADER_ROOT/source)
#   TCPGRADE_SKIP_APT=1   install nothing (the packages are there already)
#   TCPGRADE_PREBUILT     a tcpgrade executable to use instead of building one
#   TCPGRADE_BUILD_JOBS   parallel compile jobs (default: the number of cores)
#   TCPGRADE_WERROR       ON to fail on compiler warnings (default OFF: a newer compiler's new
#                         warning must not break the autograder)
set -euo pipefail
root=${AUTOGRADER_ROOT:-/autograder}
source_dir=${TCPGRADE_SOURCE:-$root/source}
build_dir=$source_dir/build

version_at_least() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -1)" = "$2" ]; }

if [ "${TCPGRADE_SKIP_APT:-0}" != 1 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends build-essential g++ cmake pkg-config \
    libpcap-dev libyaml-cpp-dev libcli11-dev nlohmann-json3-dev libfmt-dev libpugixml-dev \
    libpcre2-dev >/dev/null
  # Ubuntu 22.04: GCC 11 and CMake 3.22 are too old.
  if ! version_at_least "$(g++ -dumpversion)" 12; then
    apt-get install -y -qq --no-install-recommends g++-12 >/dev/null
    export CXX=g++-12
  fi
  if ! version_at_least "$(cmake --version | head -1 | awk '{print $3}')" 3.25; then
    apt-get install -y -qq --no-install-recommends python3-pip >/dev/null
    pip3 install -q 'cmake>=3.25'
    hash -r
  fi
fi

mkdir -p "$build_dir"
if [ -n "${TCPGRADE_PREBUILT:-}" ]; then
  cp "$TCPGRADE_PREBUILT" "$build_dir/tcpgrade"
else
  cmake -S "$source_dir" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
    -DTCPGRADE_WERROR="${TCPGRADE_WERROR:-OFF}" >/dev/null
  cmake --build "$build_dir" -j "${TCPGRADE_BUILD_JOBS:-$(nproc)}" --target tcpgrade
fi
"$build_dir/tcpgrade" --version >/dev/null
echo "setup: $build_dir/tcpgrade is ready"
