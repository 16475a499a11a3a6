#!/usr/bin/env bash
# One hostile-input or fault case (label hostile): every limit passed with a small configured
# value, every way a submission could inject into what others read, every fault a grader meets
# unattended (a capture that shrinks while read, a full disk, SIGINT, a child that ignores
# SIGTERM). Each case asserts what tcpgrade does: a one-line error naming the file and the
# limit with exit 2, escaped output, nothing written outside the output folder, no process left.
# Usage: hostile_test.sh TCPGRADE SOURCE_DIR CASE
# Exit 0 pass, 1 fail, 77 skipped (a mount or capture not permitted here).
set -u
tcpgrade=$1 source=$2 case=$3
lab=$source/scenarios/http-lab
learn=$lab/LEARN.pcap
data=$source/tests/data
work=$(mktemp -d)
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "skipped: $*"; exit 77; }

# expect_error "MESSAGE" ARGS...: exit 2 and exactly one stderr line "tcpgrade: error: MESSAGE".
expect_error() {
  local want="tcpgrade: error: $1"; shift
  "$tcpgrade" "$@" >"$work/stdout" 2>"$work/stderr"
  local got=$?
  [ $got = 2 ] || { cat "$work/stderr"; fail "tcpgrade $* exited $got, expected 2"; }
  [ "$(cat "$work/stderr")" = "$want" ] ||
    fail "tcpgrade $*: stderr is '$(cat "$work/stderr")', expected '$want'"
}
# expect_exit CODE ARGS...
expect_exit() {
  local want=$1; shift
  "$tcpgrade" "$@" >"$work/stdout" 2>"$work/stderr"
  local got=$?
  [ $got = "$want" ] || { cat "$work/stderr"; fail "tcpgrade $* exited $got, expected $want"; }
}
# A long one-connection capture and a scenario of 1280 repeat slots: costly to align.
make_long() {
  python3 "$source/tests/support/make_long_capture.py" "$work/long.pcap" "${1:-50000}" ||
    fail "cannot write the long capture"
}
# seconds since $1 (from date +%s.%N)
elapsed() { python3 -c "import sys,time; print(time.time()-float(sys.argv[1]))" "$1"; }

case $case in
# ---- Limits ----------------------------------------------------------------------------------
limit_frames)
  expect_error "$learn: more than 5 frames (limit --max-frames)" \
    check "$lab/session.yaml" "$learn" --max-frames 5
  expect_error "$learn: more than 5 frames (limit --max-frames)" dump "$learn" --max-frames 5
  expect_error "$learn: more than 5 frames (limit --max-frames)" record "$learn" --max-frames 5
  expect_exit 0 check "$lab/session.yaml" "$learn" --max-frames 12
  expect_exit 0 dump "$learn" --max-frames 12
  ;;
limit_connections)
  two=$data/captures/two-connections.pcap
  expect_error "$two: more than 1 TCP connections (limit --max-connections)" \
    check "$lab/session.yaml" "$two" --max-connections 1
  expect_error "$two: more than 1 TCP connections (limit --max-connections)" \
    dump "$two" --summary --max-connections 1
  expect_exit 0 dump "$two" --summary --max-connections 2
  ;;
limit_stream_bytes)
  # LEARN.pcap's connection carries 78 + 185 + 33 = 296 payload bytes.
  expect_error "$learn: TCP stream 0 carries more than 295 payload bytes (limit --max-stream-bytes)" \
    check "$lab/session.yaml" "$learn" --max-stream-bytes 295
  expect_exit 0 check "$lab/session.yaml" "$learn" --max-stream-bytes 296
  ;;
limit_scenario_bytes)
  size=$(stat -c %s "$lab/session.yaml")
  expect_error "$lab/session.yaml: cannot load the scenario: it is $size bytes, more than 100 (limit --max-scenario-bytes)" \
    check "$lab/session.yaml" "$learn" --max-scenario-bytes 100
  expect_exit 2 lint "$lab/session.yaml" --max-scenario-bytes 100
  grep -q "(limit --max-scenario-bytes)" "$work/stderr" || fail "lint does not name --max-scenario-bytes"
  expect_exit 0 check "$lab/session.yaml" "$learn" --max-scenario-bytes "$size"
  ;;
limit_scenario_depth)
  expect_error "$lab/session.yaml:18:5: the YAML nests deeper than 2 levels (limit --max-scenario-depth)" \
    check "$lab/session.yaml" "$learn" --max-scenario-depth 2
  ;;
limit_yaml_nodes)
  expect_error "$data/scenarios/billion_laughs.yaml:8:45: alias *a4 expands the YAML beyond 1000000 nodes (limit --max-yaml-nodes); aliases that repeat each other like this are refused" \
    check "$data/scenarios/billion_laughs.yaml" "$learn"
  expect_exit 2 check "$lab/session.yaml" "$learn" --max-yaml-nodes 10
  grep -q "the YAML has more than 10 nodes (limit --max-yaml-nodes)" "$work/stderr" ||
    fail "no --max-yaml-nodes error: $(cat "$work/stderr")"
  ;;
limit_check_timeout)
  make_long
  start=$(date +%s.%N)
  expect_error "$work/long.pcap: the check took longer than 0.5 s (limit --check-timeout)" \
    check "$data/scenarios/many_repeats.yaml" "$work/long.pcap" --check-timeout 0.5
  took=$(elapsed "$start")
  python3 -c "import sys; sys.exit(float(sys.argv[1]) > 5)" "$took" || fail "stopped after $took s"
  [ -s "$work/stdout" ] && fail "a report was written past the deadline"
  ;;
limit_memory)
  make_long
  expect_error "$work/long.pcap: out of memory: needs more than 100 MiB (limit --max-memory)" \
    check "$data/scenarios/many_repeats.yaml" "$work/long.pcap" --max-memory 100 --check-timeout 600
  ;;
limit_grade_child)
  # grade hands its limits to each submission's child: an error row naming the limit.
  mkdir -p "$work/subs"
  cp "$learn" "$work/subs/alice.pcap"
  make_long
  cp "$work/long.pcap" "$work/subs/bob.pcap"
  cp "$data/scenarios/many_repeats.yaml" "$work/many.yaml"
  expect_exit 0 grade "$work/many.yaml" "$work/subs" --out "$work/out" --max-frames 100000000 \
    --check-timeout 0.5 --timeout 60
  grep -q '^bob,.*,error,.*the check took longer than 0.5 s (limit --check-timeout)' "$work/out/gradebook.csv" ||
    { cat "$work/out/gradebook.csv"; fail "no --check-timeout row for bob"; }
  expect_exit 0 grade "$lab/session.yaml" "$work/subs" --out "$work/out2" --max-frames 5
  grep -q '^alice,.*,error,.*more than 5 frames (limit --max-frames)' "$work/out2/gradebook.csv" ||
    { cat "$work/out2/gradebook.csv"; fail "no --max-frames row for alice"; }
  expect_exit 0 grade "$lab/session.yaml" "$work/subs" --out "$work/out3" --max-stream-bytes 10
  grep -q '^alice,.*,error,.*(limit --max-stream-bytes)' "$work/out3/gradebook.csv" ||
    { cat "$work/out3/gradebook.csv"; fail "no --max-stream-bytes row for alice"; }
  expect_exit 2 grade "$lab/session.yaml" "$work/subs" --out "$work/out4" --max-yaml-nodes 10
  grep -q "(limit --max-yaml-nodes)" "$work/stderr" || fail "grade does not name --max-yaml-nodes"
  ;;
limit_live)
  "$tcpgrade" live "$lab/session.yaml" --max-frames 5 >"$work/stdout" 2>"$work/stderr"
  got=$?
  [ $got = 77 ] && skip "no permission to capture"
  [ $got = 2 ] || { cat "$work/stderr"; fail "live --max-frames 5 exited $got"; }
  grep -q "more than 5 frames (limit --max-frames)" "$work/stderr" || fail "live: $(cat "$work/stderr")"
  ;;
limits_in_help)
  for command in dump check record live grade; do
    "$tcpgrade" $command --help >"$work/help" 2>&1 || fail "$command --help"
    for option in --max-frames --max-connections --max-memory; do
      grep -q -- "$option" "$work/help" || fail "$command --help does not list $option"
    done
  done
  for command in check live grade lint; do
    "$tcpgrade" $command --help >"$work/help" 2>&1
    for option in --max-scenario-bytes --max-scenario-depth --max-yaml-nodes; do
      grep -q -- "$option" "$work/help" || fail "$command --help does not list $option"
    done
  done
  for command in check live grade; do
    "$tcpgrade" $command --help | grep -A1 -- "--check-timeout" | grep -q "(default 20)" ||
      fail "$command --help: no --check-timeout with its default"
  done
  "$tcpgrade" check --help | grep -A1 -- "--max-frames" | grep -q "(default 10000000)" ||
    fail "check --help: no --max-frames default"
  expect_exit 2 check "$lab/session.yaml" "$learn" --max-frames 0
  expect_exit 2 check "$lab/session.yaml" "$learn" --max-frames lots
  ;;
*)
  fail "unknown case $case"
  ;;
esac
echo "pass: $case"
