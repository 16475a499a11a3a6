#!/usr/bin/env bash
# --brief on check and grade (issue 14): the text report shows the scenario's teaches: sentences
# under a frame's mismatches by default, and not with --brief; the instructor's hint: stays.
# Usage: check_brief_test.sh TCPGRADE SOURCE_DIR
set -uo pipefail
tcpgrade=$1
source_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
scenario=$source_dir/tests/data/scenarios/refused-hints.yaml
capture=$source_dir/tests/data/captures/lab-lo.pcap

"$tcpgrade" check "$scenario" "$capture" >"$work/full.txt"
[ $? = 1 ] || fail "check: exit code"
"$tcpgrade" check --brief "$scenario" "$capture" >"$work/brief.txt"
[ $? = 1 ] || fail "check --brief: exit code"
grep -q "teaches:  Nobody listens on the port" "$work/full.txt" || fail "check: no teaches: line"
grep -q "teaches:" "$work/brief.txt" && fail "check --brief: a teaches: line"
grep -q "hint:     Stop the server before you run curl" "$work/brief.txt" ||
  fail "check --brief: the hint is gone"
# Nothing else differs.
diff <(grep -v "teaches:" "$work/full.txt") "$work/brief.txt" >/dev/null || fail "check --brief: more than teaches: differs"

mkdir -p "$work/class"
cp "$capture" "$work/class/alice.pcap"
"$tcpgrade" grade --brief "$scenario" "$work/class" --out "$work/grades" >/dev/null 2>&1
rc=$?
[ "$rc" = 0 ] || [ "$rc" = 1 ] || fail "grade --brief: exit code $rc"
[ -f "$work/grades/reports/alice.txt" ] || fail "grade --brief: no report"
grep -q "teaches:" "$work/grades/reports/alice.txt" && fail "grade --brief: a teaches: line"
grep -q "hint:" "$work/grades/reports/alice.txt" || fail "grade --brief: no hint"
"$tcpgrade" grade "$scenario" "$work/class" --out "$work/grades-full" >/dev/null 2>&1
grep -q "teaches:" "$work/grades-full/reports/alice.txt" || fail "grade: no teaches: line"

[ "$failures" = 0 ] && echo "check_brief_test: all passed"
exit $((failures > 0))
