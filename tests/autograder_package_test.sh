#!/usr/bin/env bash
# tools/autograder/package as an instructor uses it and Gradescope runs it: the http lab packaged
# with --points 10, unzipped into a fresh folder laid out as /autograder (AUTOGRADER_ROOT), set
# up (no apt; with `build`, tcpgrade is built from the unzipped source, else the CI's binary is
# copied in), then run_autograder on submissions a class hands in: a good capture, one named
# .txt beside an essay, a failing one, two captures, none. Each results.json is checked against
# Gradescope's schema (gradescope_schema_test.py's validator) and its grouping.
# Usage: autograder_package_test.sh SOURCE_DIR TCPGRADE [build]
set -u
source=$1 tcpgrade=$2 mode=${3:-prebuilt}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
lab=$source/scenarios/http-lab

# Usage errors: one line, exit 2.
TCPGRADE=$tcpgrade "$source/tools/autograder/package" --help | grep -q "^Usage: " || fail "--help"
TCPGRADE=$tcpgrade "$source/tools/autograder/package" "$work/none.yaml" -o "$work/x.zip" \
  2>"$work/err" && fail "a missing scenario was packaged"
[ $? -eq 2 ] && grep -q "none.yaml: no such scenario file" "$work/err" || fail "missing scenario: $(cat "$work/err")"
printf 'frames: [\n' >"$work/broken.yaml"
TCPGRADE=$tcpgrade "$source/tools/autograder/package" "$work/broken.yaml" -o "$work/x.zip" \
  2>"$work/err"
[ $? -eq 2 ] && grep -q "broken.yaml: the scenario does not load" "$work/err" || fail "broken scenario: $(cat "$work/err")"
TCPGRADE=$tcpgrade "$source/tools/autograder/package" "$lab/session.yaml" --points -3 2>"$work/err"
[ $? -eq 2 ] || fail "--points -3 accepted"

TCPGRADE=$tcpgrade "$source/tools/autograder/package" "$lab/session.yaml" --points 10 \
  --name "HTTP lab" -o "$work/autograder.zip" >/dev/null || fail "package exited $?"
listing=$(unzip -Z1 "$work/autograder.zip")
for member in setup.sh run_autograder autograder.conf CMakeLists.txt engine/cli/main.cc \
  autograder-scenario/session.yaml autograder-scenario/www/index.html; do
  grep -qx "$member" <<<"$listing" || fail "the zip lacks $member"
done
grep -Eq '(^|/)(\.git|build|CMakeFiles)/|CMakeCache\.txt' <<<"$listing" &&
  fail "the zip holds a build folder or .git: $(grep -E '(\.git|build|CMakeFiles)/|CMakeCache' <<<"$listing" | head -3)"

# A fresh /autograder: source/ holds the unzip; Gradescope copies run_autograder to the root.
root=$work/autograder
mkdir -p "$root/source" "$root/submission" "$root/results"
unzip -q "$work/autograder.zip" -d "$root/source"
if [ "$mode" = build ]; then
  # ccache (with the CI build's flags: -Werror) keeps this build short where CI built already.
  command -v ccache >/dev/null && export CMAKE_CXX_COMPILER_LAUNCHER=ccache CCACHE_BASEDIR=$root/source
  (cd "$root/source" && AUTOGRADER_ROOT=$root TCPGRADE_SKIP_APT=1 TCPGRADE_BUILD_JOBS=2 TCPGRADE_WERROR=ON \
    bash ./setup.sh >"$work/setup.log" 2>&1) || { tail -30 "$work/setup.log"; fail "setup.sh did not build"; }
else
  (cd "$root/source" && AUTOGRADER_ROOT=$root TCPGRADE_SKIP_APT=1 TCPGRADE_PREBUILT=$tcpgrade \
    bash ./setup.sh >"$work/setup.log" 2>&1) || { cat "$work/setup.log"; fail "setup.sh failed"; }
fi
cp "$root/source/run_autograder" "$root/run_autograder"

# Each case: the submission's files, then the expected score, max score and status of the run.
submit() {
  rm -rf "$root/submission" "$root/results/results.json"
  mkdir -p "$root/submission"
  for file in "$@"; do cp "$file" "$root/submission/"; done
  (cd "$root" && AUTOGRADER_ROOT=$root ./run_autograder >"$work/run.log" 2>&1) ||
    fail "run_autograder exited $?: $(cat "$work/run.log")"
  [ -s "$root/results/results.json" ] || fail "no results.json"
}
check_results() {  # what the results must be, as a Python expression over `r` and `tests`
  python3 - "$source/tests" "$root/results/results.json" "$1" <<'PY' || fail "$2"
import json, sys
sys.path.insert(0, sys.argv[1])
import gradescope_schema_test as g
schema = json.load(open(sys.argv[1] + "/data/gradescope-results.schema.json"))
r = json.load(open(sys.argv[2]))
tests = r["tests"]
errors = g.validate(r, schema)
if errors:
    sys.exit("schema: " + "; ".join(errors[:5]))
if abs(sum(t["score"] for t in tests) - r["score"]) > 1e-4:
    sys.exit(f"score {r['score']} is not the tests' sum")
if not eval(sys.argv[3]):
    sys.exit(f"not {sys.argv[3]}: score {r['score']}/{r['max_score']}, {len(tests)} tests: "
             + "; ".join(t["name"] for t in tests)[:600] + " | " + r["output"][:300])
PY
}

submit "$lab/LEARN.pcap"
check_results 'r["score"] == 10 and r["max_score"] == 10 and all(t["status"] == "passed" for t in tests)' \
  "the lab's own capture does not score 10/10"
# Grouped the way students read the lab: one test per expected frame or block, not per field.
check_results '5 <= len(tests) <= 20 and len({t["name"] for t in tests}) == len(tests)' \
  "tests are not grouped per frame"
check_results 'any(t["name"] == "syn (frame 1)" and "✓ flags" in t["output"] for t in tests)' \
  "no SYN test listing its checks"

cp "$lab/LEARN.pcap" "$work/LEARN.txt"
echo "My answers: the handshake is frames 1-3." >"$work/answers.txt"
submit "$work/LEARN.txt" "$work/answers.txt"
check_results 'r["score"] == 10 and "LEARN.txt" in r["output"]' \
  "a capture named .txt beside an essay is not graded"

submit "$source/tests/data/captures/learn-fin-to-rst.pcap"
check_results '0 < r["score"] < 10 and any(t["status"] == "failed" and "✗" in t["output"] for t in tests)' \
  "a failing capture is not failed by a group naming its check"

cp "$lab/LEARN.pcap" "$work/second.pcapng"
submit "$lab/LEARN.pcap" "$work/second.pcapng"
check_results 'r["score"] == 0 and r["max_score"] == 10 and "2 capture files" in r["output"] and "LEARN.pcap, second.pcapng" in r["output"]' \
  "two captures are not an error naming them"

submit
check_results 'r["score"] == 0 and "no submission" in r["output"]' "an empty submission"

submit "$work/answers.txt"
check_results 'r["score"] == 0 and "answers.txt" in r["output"]' "an essay alone"
echo "pass: packaged ($mode), unzipped into a fresh /autograder, 6 submissions graded"
