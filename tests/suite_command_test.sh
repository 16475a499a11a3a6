#!/usr/bin/env bash
# `tcpgrade test`: the shipped suites pass; a suite with wrong expectations fails naming each
# case and why; an invalid suite is exit 2; -k, -x, -q, -o and the JUnit format.
# Usage: suite_command_test.sh TCPGRADE SOURCE_DIR
set -u
tcpgrade=$1 source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cd "$source"

"$tcpgrade" test scenarios --color never >"$work/out" 2>"$work/err" || { cat "$work/out" "$work/err"; fail "the shipped suites"; }
grep -q '^== [0-9]* passed in ' "$work/out" || fail "no summary line: $(tail -1 "$work/out")"

"$tcpgrade" test tests/data/suites/wrong.suite.yaml --color never >"$work/out" 2>"$work/err"
[ $? = 1 ] || fail "a suite with wrong expectations must exit 1"
grep -q '^  FAILED  session.yaml: good run said to fail - expected fail; got pass, 14/14 points$' "$work/out" || { cat "$work/out"; fail "the first failing case"; }
grep -q '^          expected the capture to fail; every check passed$' "$work/out" || fail "why the first case failed"
grep -q '^          expected root cause wrong-port; the report names file-cut-short$' "$work/out" || fail "why the second case failed"
grep -q '^  PASSED  session.yaml: good run - expected pass; got pass' "$work/out" || fail "the passing case"
grep -q '^== 2 failed, 1 passed in ' "$work/out" || fail "the summary"
grep -q "case at tests/data/suites/wrong.suite.yaml:5:5; run: tcpgrade check scenarios/http-lab/session.yaml scenarios/http-lab/LEARN.pcap" "$work/out" || fail "where the case is and how to rerun it"

"$tcpgrade" test tests/data/suites/wrong.suite.yaml -x -q --color never >"$work/out"
[ $? = 1 ] || fail "-x"
[ "$(grep -c FAILED "$work/out")" = 1 ] || fail "-x must stop at the first failing case"
grep -q PASSED "$work/out" && fail "-q lists passing cases"

"$tcpgrade" test tests/data/suites/wrong.suite.yaml -k "good run" --color never >"$work/out"
[ $? = 1 ] || fail "-k"
grep -q '1 failed, 1 passed' "$work/out" || fail "-k selects by name: $(tail -1 "$work/out")"
"$tcpgrade" test tests/data/suites/wrong.suite.yaml -k nothing-like-this >"$work/out" 2>"$work/err"
[ $? = 2 ] || fail "-k selecting nothing must exit 2"
grep -q "no case matches -k 'nothing-like-this' (3 deselected)" "$work/err" || fail "the -k error"

"$tcpgrade" test tests/data/suites/invalid.suite.yaml >"$work/out" 2>"$work/err"
[ $? = 2 ] || fail "an invalid suite must exit 2"
grep -q "invalid.suite.yaml:4:48: expect in case #1: expected pass, fail or error; got 'maybe'" "$work/err" || { cat "$work/err"; fail "the invalid suite's error"; }
"$tcpgrade" test "$work/none.yaml" >"$work/out" 2>"$work/err"
[ $? = 2 ] || fail "a missing suite must exit 2"

"$tcpgrade" test tests/data/suites/wrong.suite.yaml --format junit -o "$work/junit.xml" >"$work/out"
[ $? = 1 ] || fail "junit exit"
[ -s "$work/out" ] && fail "-o must leave stdout empty"
python3 - "$work/junit.xml" <<'PY' || fail "the JUnit XML"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites" and root.get("tests") == "3" and root.get("failures") == "2", root.attrib
cases = root.findall("./testsuite/testcase")
assert len(cases) == 3 and len([c for c in cases if c.find("failure") is not None]) == 2
PY
"$tcpgrade" test tests/data/suites/wrong.suite.yaml --format json >"$work/out.json"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['failed']==2 and d['passed']==1, d" "$work/out.json" || fail "the JSON results"
echo "ok"
