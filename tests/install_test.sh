#!/usr/bin/env bash
# cmake --install into a temporary prefix, then the example instructor project finds the
# package and its CTest tests pass (including one that expects a failed check).
# Usage: install_test.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1 source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$source/tests/instructor_project" -B "$work/course" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
ctest --test-dir "$work/course" --output-on-failure
[ "$(ctest --test-dir "$work/course" -N | grep -c 'Test #')" = 5 ]
