#!/usr/bin/env bash
# tcpgrade grade over a class that holds everything a grader meets: a good capture, a pcapng in
# a student folder, an empty file, an essay, a truncated capture, a capture that starts late,
# a refused connection, a folder without a file, a symlink out of the folder, and ids that try
# to escape the output folder or run as spreadsheet formulas. One row each, nothing outside
# the output folder, formula cells defused.
# Usage: grade_test.sh TCPGRADE SOURCE_DIR
set -u
tcpgrade=$1 source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
subs=$work/class/submissions
mkdir -p "$subs/carol" "$subs/dave" "$work/outside"
cp "$source/scenarios/http-lab/LEARN.pcap" "$subs/alice.pcap"
: >"$subs/bob.pcap"
echo "my essay" >"$subs/eve.txt"
head -c 500 "$source/scenarios/http-lab/LEARN.pcap" >"$subs/frank.pcap"
cp "$source/tests/data/captures/lab-lo.pcapng" "$subs/carol/capture.pcapng"
cp "$source/tests/data/captures/learn-late-start.pcap" "$subs/=HYPERLINK(\"x\").pcap"
cp "$source/tests/data/captures/lab-refused.pcap" "$subs/..%2f..%2fescape.pcap"
printf 'secret' >"$work/outside/secret.pcap"
ln -s "$work/outside/secret.pcap" "$subs/mallory.pcap"
before=$(find "$work" \( -path "$work/out" -o -name out-stdout.txt \) -prune -o -print | sort)

"$tcpgrade" grade "$source/scenarios/http-lab/session.yaml" "$subs" --out "$work/out" --jobs 2 >"$work/out-stdout.txt" 2>&1
got=$?
[ $got = 0 ] || { cat "$work/out-stdout.txt"; fail "grade exited $got"; }
after=$(find "$work" \( -path "$work/out" -o -name out-stdout.txt \) -prune -o -print | sort)
[ "$before" = "$after" ] || fail "grade wrote outside its output folder: $(diff <(echo "$before") <(echo "$after"))"
csv=$work/out/gradebook.csv
rows=$(($(wc -l <"$csv") - 1))
[ $rows = 9 ] || { cat "$csv"; fail "$rows rows for 9 submissions"; }
expect_row() {  # expect_row ID_PREFIX STATUS
  grep -q "^$1.*,$2," "$csv" || { cat "$csv"; fail "no row '$1...' with status $2"; }
}
expect_row alice pass
expect_row carol pass
expect_row bob error
expect_row eve error
expect_row frank fail
expect_row dave missing
expect_row mallory error
expect_row "\"'=HYPERLINK" fail
expect_row "..%2f..%2fescape" fail
grep -q "^=" "$csv" && fail "a cell starts with = (a spreadsheet would run it)"
grep -q "secret" "$work/out/reports/mallory.txt" && fail "the symlink was followed"
[ "$(ls "$work/out/reports" | wc -l)" = 27 ] || { ls "$work/out/reports"; fail "not three reports per student"; }
ls -a "$work/out" | grep -q tcpgrade-work && fail "work files left behind"
python3 -c "import json,sys; j=json.load(open(sys.argv[1])); assert len(j['submissions'])==9 and j['summary']['passed']==2, j['summary']" "$work/out/gradebook.json" ||
  fail "gradebook.json"
# A roster: ids mapped to files, a missing submission still gets its row.
printf 'id,file\nalice,submissions/alice.pcap\nzoe,submissions/zoe.pcap\nyann,\n' >"$work/class/roster.csv"
"$tcpgrade" grade "$source/scenarios/http-lab/session.yaml" "$work/class/roster.csv" --out "$work/out2" >/dev/null ||
  fail "grade with a roster"
grep -q "^zoe,.*,missing,no submission" "$work/out2/gradebook.csv" || { cat "$work/out2/gradebook.csv"; fail "no row for a missing submission"; }
grep -q "^yann,.*,missing,no submission" "$work/out2/gradebook.csv" || fail "no row for a roster line without a file"
# Every row counts: alice passes, zoe and yann count as 0 and the summary says so.
grep -q "mean 33.33 % over 3 submissions, 0 ungradable counted as 0, 2 missing counted as 0" "$work/out2/summary.txt" ||
  { cat "$work/out2/summary.txt"; fail "the mean does not count the missing rows"; }
# A submission that takes too long is stopped and gets an error row; the others theirs.
mkdir -p "$work/slow"
cp "$source/scenarios/http-lab/LEARN.pcap" "$work/slow/alice.pcap"
python3 "$source/tests/support/make_long_capture.py" "$work/slow/bob.pcap" 50000 || fail "long capture"
start=$(date +%s%N)
"$tcpgrade" grade "$source/tests/data/scenarios/many_repeats.yaml" "$work/slow" --out "$work/out3" \
  --jobs 2 --timeout 0.5 --check-timeout 600 --max-frames 100000000 >/dev/null || fail "grade with --timeout"
took_ms=$((($(date +%s%N) - start) / 1000000))
grep -q "^bob,.*,error,too slow: stopped after 0.5 s (--timeout)" "$work/out3/gradebook.csv" ||
  { cat "$work/out3/gradebook.csv"; fail "no --timeout row for bob"; }
grep -q "^alice,.*,fail," "$work/out3/gradebook.csv" || fail "alice lost her row to the slow submission"
[ $took_ms -lt 10000 ] || fail "the slow submission was stopped after $took_ms ms, not 0.5 s"
[ "$(ls "$work/out3/reports" | wc -l)" = 6 ] || { ls "$work/out3/reports"; fail "partial reports left"; }
# A row larger than a pipe's buffer (64 KiB): 1500 expected frames missing from each capture,
# 1505 failed checks, about 100 KiB of result per child, two children at once.
mkdir -p "$work/big"
cp "$source/scenarios/http-lab/LEARN.pcap" "$work/big/alice.pcap"
cp "$source/scenarios/http-lab/LEARN.pcap" "$work/big/bob.pcap"
{
  echo "scenario: many-failures"
  echo "frames:"
  for i in $(seq -w 1 1500); do
    echo "  - {id: expected-frame-that-this-capture-does-not-hold-$i, dir: client->server, flags: [SYN], points: 1}"
  done
} >"$work/many-failures.yaml"
"$tcpgrade" grade "$work/many-failures.yaml" "$work/big" --out "$work/out4" --jobs 2 --timeout 60 >/dev/null ||
  fail "grade with rows larger than a pipe's buffer"
python3 - "$work/out4/gradebook.json" <<'PY' || fail "a row larger than 64 KiB was lost"
import json, sys
rows = json.load(open(sys.argv[1]))["submissions"]
assert [r["status"] for r in rows] == ["fail", "fail"], rows
for r in rows:
    assert len(r["failed_checks"]) == 1505, (r["id"], len(r["failed_checks"]))
    assert r["failed_checks"][-1].startswith("frame.expected-frame-that-this-capture-does-not-hold-"), r["failed_checks"][-5:]
    assert len(json.dumps(r)) > 65536, len(json.dumps(r))
PY
# --out among the students' files is refused (exit 2, one line) before anything is written:
# the submissions folder, a folder inside it, a symlink to either; for a roster, its folder
# or a folder holding a file it names. Nothing of the students' is deleted or added.
class=$work/out-class
mkdir -p "$class/subs"
cp "$source/scenarios/http-lab/LEARN.pcap" "$class/subs/alice.pcap"
cp "$source/scenarios/http-lab/LEARN.pcap" "$class/subs/bob.tmp.1.pcap"
echo "a student's own gradebook" >"$class/subs/gradebook.csv"
ln -s subs "$class/link"
printf 'id,file
alice,subs/alice.pcap
' >"$class/roster.csv"
listing() { (cd "$class" && find . -exec stat -c '%n %s %Y' {} + | sort); }
students=$(listing)
refused() {  # refused SUBMISSIONS OUT
  "$tcpgrade" grade "$source/scenarios/http-lab/session.yaml" "$1" --out "$2" >"$work/stdout" 2>"$work/stderr"
  local got=$?
  [ $got = 2 ] || fail "grade $1 --out $2 exited $got, expected 2"
  [ "$(wc -l <"$work/stderr")" = 1 ] && grep -q "^tcpgrade: error: $2: --out " "$work/stderr" ||
    fail "grade $1 --out $2: stderr is '$(cat "$work/stderr")'"
  [ "$(listing)" = "$students" ] ||
    fail "grade $1 --out $2 changed the students' files: $(diff <(echo "$students") <(listing))"
}
refused "$class/subs" "$class/subs"
refused "$class/subs" "$class/subs/"
refused "$class/subs" "$class/subs/grades"
refused "$class/subs" "$class/link"
refused "$class/subs" "$class/link/grades"
refused "$class/link" "$class/subs"
refused "$class/roster.csv" "$class"
refused "$class/roster.csv" "$class/subs"
refused "$class/roster.csv" "$class/link"
# Elsewhere, only grade's own leftovers are cleared: a file that merely looks temporary stays.
mkdir -p "$work/out5/reports"
echo keep >"$work/out5/bob.tmp.1.pcap"
echo keep >"$work/out5/notes.tmp.2"
echo keep >"$work/out5/reports/notes.tmp.3"
echo stale >"$work/out5/gradebook.csv.tmp.12345"
echo stale >"$work/out5/reports/alice.txt.tmp.12345"
"$tcpgrade" grade "$source/scenarios/http-lab/session.yaml" "$class/subs" --out "$work/out5" >/dev/null ||
  fail "grade into a folder holding other files"
for kept in bob.tmp.1.pcap notes.tmp.2 reports/notes.tmp.3; do
  [ -e "$work/out5/$kept" ] || fail "grade deleted $kept, a file it did not write"
done
for stale in gradebook.csv.tmp.12345 reports/alice.txt.tmp.12345; do
  [ -e "$work/out5/$stale" ] && fail "grade left its own leftover $stale"
done
"$tcpgrade" grade "$source/scenarios/http-lab/session.yaml" "$class/roster.csv" --out "$class/grades" >/dev/null ||
  fail "grade with a roster into a folder beside the submissions"
echo "pass: 9 submissions, 9 rows; roster with missing submissions; --timeout; rows over 64 KiB;" \
  "--out among the students' files refused"
