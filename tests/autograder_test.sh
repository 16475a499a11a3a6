#!/usr/bin/env bash
# tools/autograder/run_autograder as Gradescope runs it: results.json for a good capture, and
# for a submission without any capture (score 0 and the reason).
# Usage: autograder_test.sh SOURCE_DIR BUILD_TCPGRADE
set -u
source=$1 tcpgrade=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/source/build" "$work/submission"
ln -s "$tcpgrade" "$work/source/build/tcpgrade"
ln -s "$source/scenarios" "$work/source/scenarios"
run() { TCPGRADE_SOURCE=$work/source SUBMISSION_DIR=$work/submission RESULTS_FILE=$work/results.json \
          "$source/tools/autograder/run_autograder" >/dev/null 2>&1; }
score() { python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(j["score"], j["max_score"], len(j["tests"]))' "$work/results.json"; }
cp "$source/scenarios/http-lab/LEARN.pcap" "$work/submission/LEARN.pcap"
run || { echo "FAIL: run_autograder exited $?"; exit 1; }
[ "$(score)" = "14.0 14.0 11" ] || { echo "FAIL: good capture scored $(score)"; exit 1; }
rm "$work/submission/LEARN.pcap"; echo "essay" >"$work/submission/answer.txt"
run || { echo "FAIL: run_autograder exited $? without a capture"; exit 1; }
[ "$(score)" = "0 14.0 1" ] || { echo "FAIL: no capture scored $(score)"; exit 1; }
echo "pass: results.json for a good capture and for none"
