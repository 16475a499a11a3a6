#!/usr/bin/env bash
# grade with write-ups (issue 16): each student's write-up reviewed against their own capture,
# one gradebook row per student with both scores (CSV columns after percent, a "writeup" object
# in JSON, reports/writeups/, the class page, the LMS exports, shards and merge). Missing,
# ambiguous and hostile write-ups (binary, huge, a symlink outside) give their own cells, never a
# crash or a lost row; the capture's score never depends on the write-up.
# Usage: grade_writeups_test.sh TCPGRADE SOURCE_DIR
set -u
tcpgrade=$1 source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
wu=$source/tests/data/writeups caps=$source/tests/data/captures
learn=$source/scenarios/http-lab/LEARN.pcap scenario=$source/scenarios/http-lab/session.yaml
subs=$work/class
student() {  # ID CAPTURE [WRITEUP NAME]...
  local id=$1 capture=$2
  shift 2
  mkdir -p "$subs/$id"
  cp "$capture" "$subs/$id/"
  while [ $# -ge 2 ]; do cp "$1" "$subs/$id/$2"; shift 2; done
}
student alice "$learn" "$wu/learn-correct.md" writeup.md
student bob "$learn" "$wu/mistake-wrong-ack.md" answers.md
student carol "$learn"
student dave "$learn" "$wu/learn-correct.md" a.md "$wu/mistake-wrong-ack.md" b.txt
student erin "$learn"
head -c 20000 /dev/urandom >"$subs/erin/writeup.md"
student frank "$learn"
python3 -c 'import sys; open(sys.argv[1], "w").write("### Packet 1\n" + "x" * (5 << 20))' \
  "$subs/frank/writeup.md"
student gina "$learn"
echo "the instructor's key" >"$work/secret.md"
ln -s "$work/secret.md" "$subs/gina/writeup.md"
# hank's README.md (how he captured) is set aside: his write-up is writeup.md.
student hank "$caps/lab-lo.pcap" "$wu/lab-lo-correct-table.md" writeup.md
echo "I captured with tcpdump -i lo." >"$subs/hank/README.md"
student ivan "$caps/lab-refused.pcap" "$wu/refused-correct.txt" writeup.txt
# A write-up with a hostile name: reviewed, and its name never reaches a terminal raw.
student kim "$learn" "$wu/learn-correct.md" $'=cmd|calc\e[2J\n.md'
# A FIFO named as a write-up is no file to read: never opened, so nothing blocks.
student lee "$learn"
mkfifo "$subs/lee/writeup.md"
# A flat submission: ID.md beside ID.pcap.
cp "$learn" "$subs/judy.pcap"
cp "$wu/mistake-phase-misnamed.md" "$subs/judy.md"

grade() { "$tcpgrade" grade "$scenario" "$@" >"$work/stdout" 2>"$work/stderr"; }
timeout 120 "$tcpgrade" grade "$scenario" "$subs" --out "$work/out" --jobs 2 --lms canvas --lms moodle --lms blackboard \
  >"$work/stdout" 2>"$work/stderr" ||
  { cat "$work/stdout" "$work/stderr"; fail "grade exited $?"; }
csv=$work/out/gradebook.csv
head -1 "$csv" | tr -d '\r' | grep -qx \
  'id,file,score,max,status,reason,report,copy_group,copied_with,copy_evidence,percent,writeup_file,writeup_score,writeup_max,writeup_percent,writeup_status,writeup_reason,writeup_report' ||
  fail "the header: $(head -1 "$csv")"
[ "$(wc -l <"$csv")" = 13 ] || fail "$(wc -l <"$csv") lines for 12 students"
grep -q '^lee,.*,missing,no write-up handed in,$' <(tr -d '\r' <"$csv") ||
  fail "lee: $(grep '^lee' "$csv")"
grep -q $'\e' "$csv" "$work/out/summary.txt" "$work/out/stdout" 2>/dev/null && fail "an escape byte"
grep -q '^kim,.*,pass,,reports/writeups/kim.txt' "$csv" || fail "kim: $(grep '^kim' "$csv")"

# Each row's two scores and statuses, read by column name (Python's csv module).
python3 - "$csv" "$work/out/gradebook.json" <<'PY' || fail "the gradebook rows"
import csv, json, sys
rows = {r["id"]: r for r in csv.DictReader(open(sys.argv[1], newline=""))}
book = {s["id"]: s for s in json.load(open(sys.argv[2]))["submissions"]}
def expect(cond, what):
    if not cond:
        print("FAIL:", what); sys.exit(1)
want = {  # id: capture status, write-up status, a word of the write-up's reason
    "alice": ("pass", "pass", ""), "bob": ("pass", "fail", "packet 5: ack: the write-up says 78, the capture holds 79"),
    "carol": ("pass", "missing", "no write-up handed in"),
    "dave": ("pass", "error", "2 write-ups in the folder (a.md, b.txt); hand in one"),
    "erin": ("pass", "error", "writeup.md"), "frank": ("pass", "error", "too large"),
    "gina": ("pass", "error", "a symlink that leads outside the submissions folder"),
    "hank": (None, "pass", ""), "ivan": (None, "pass", ""),
    "judy": ("pass", "fail", "handshake"),
}
for id, (capture, status, word) in want.items():
    r, j = rows[id], book[id]
    if capture: expect(r["status"] == capture, f"{id}: capture {r['status']}: {r['reason']}")
    expect(r["writeup_status"] == status, f"{id}: write-up {r['writeup_status']}: {r['writeup_reason']}")
    expect(word in r["writeup_reason"], f"{id}: write-up reason {r['writeup_reason']!r} lacks {word!r}")
    w = j["writeup"]
    expect(w["status"] == status and w["reason"] == r["writeup_reason"], f"{id}: JSON {w}")
    expect(abs(float(r["writeup_score"]) - w["score"]) < 0.01, f"{id}: score CSV/JSON")
    expect(abs(float(r["writeup_max"]) - w["max"]) < 0.01, f"{id}: max CSV/JSON")
    if status == "pass":
        expect(w["max"] > 0 and w["score"] == w["max"], f"{id}: a passing write-up scored {w}")
        expect(r["writeup_percent"] == "100", f"{id}: percent {r['writeup_percent']}")
    if status == "fail":
        expect(0 < w["score"] < w["max"], f"{id}: a failing write-up scored {w}")
    if status in ("missing", "error"):
        expect(w["score"] == 0, f"{id}: {status} scored {w['score']}")
# The capture's score is its own: alice (correct write-up) and bob (wrong) share the capture.
expect(rows["alice"]["score"] == rows["bob"]["score"] == rows["erin"]["score"], "capture scores differ")
expect(rows["alice"]["writeup_file"].endswith("alice/writeup.md"), rows["alice"]["writeup_file"])
expect(rows["hank"]["writeup_file"].endswith("hank/writeup.md"), "hank: " + rows["hank"]["writeup_file"])
expect(rows["judy"]["writeup_file"].endswith("judy.md"), rows["judy"]["writeup_file"])
expect(rows["alice"]["writeup_report"] == "reports/writeups/alice.txt", rows["alice"]["writeup_report"])
expect(rows["carol"]["writeup_report"] == "", "carol has no write-up report")
PY
grep -q "instructor's key" -r "$work/out" && fail "the symlinked write-up was read"
for ext in txt json html; do
  [ -s "$work/out/reports/writeups/alice.$ext" ] || fail "no reports/writeups/alice.$ext"
  [ -s "$work/out/reports/alice.$ext" ] || fail "no reports/alice.$ext"
done
grep -q "review.packet5.ack" "$work/out/reports/writeups/bob.txt" || fail "bob's write-up report"
grep -q 'data-key="writeup"' "$work/out/summary.html" || fail "no write-up column on the class page"
grep -q 'href="reports/writeups/bob.html"' "$work/out/summary.html" || fail "no link to bob's review"
head -2 "$work/out/canvas.csv" | tr -d '\r' | tail -1 | grep -q ',100$' ||
  fail "canvas: $(head -2 "$work/out/canvas.csv")"
head -1 "$work/out/canvas.csv" | grep -q 'write-up' || fail "canvas: no write-up column"
tr -d '\r' <"$work/out/moodle.csv" | grep -q '^alice,alice,,14,,100,$' ||
  fail "moodle: $(grep alice "$work/out/moodle.csv")"
tr -d '\r' <"$work/out/moodle.csv" | grep -q '^carol,carol,,14,,0,no write-up handed in$' ||
  fail "moodle: $(grep carol "$work/out/moodle.csv")"
head -1 "$work/out/blackboard.csv" | grep -q 'write-up"' || fail "blackboard: no write-up column"

# Shards: the whole class decides that write-ups are graded, and the merge equals one run.
for k in 1 2 3; do
  grade "$subs" --out "$work/shard$k" --shard "$k/3" --jobs 2 ||
    { cat "$work/stderr"; fail "shard $k/3 exited $?"; }
done
"$tcpgrade" gradebook merge "$work/shard1" "$work/shard2" "$work/shard3" -o "$work/merged" \
  --lms canvas --lms moodle --lms blackboard >/dev/null 2>"$work/stderr" ||
  { cat "$work/stderr"; fail "merge exited $?"; }
for file in gradebook.csv gradebook.json summary.txt summary.html canvas.csv moodle.csv \
  blackboard.csv reports/writeups/bob.txt reports/writeups/dave.json; do
  cmp -s "$work/out/$file" "$work/merged/$file" || fail "merged $file differs from one run"
done

# --writeups ignore: the gradebook of before write-ups; require: the columns for a class
# without any, every row missing.
grade "$subs" --out "$work/ignored" --writeups ignore || fail "--writeups ignore exited $?"
head -1 "$work/ignored/gradebook.csv" | grep -q writeup && fail "--writeups ignore kept the columns"
[ -d "$work/ignored/reports/writeups" ] && fail "--writeups ignore wrote write-up reports"
mkdir -p "$work/plain"
cp "$learn" "$work/plain/zoe.pcap"
grade "$work/plain" --out "$work/plain-out" || fail "a class without write-ups exited $?"
head -1 "$work/plain-out/gradebook.csv" | grep -q writeup && fail "columns without write-ups"
grade "$work/plain" --out "$work/required" --writeups require || fail "--writeups require exited $?"
grep -q '^zoe,.*,missing,no write-up handed in,$' <(tr -d '\r' <"$work/required/gradebook.csv") ||
  fail "require: $(cat "$work/required/gradebook.csv")"
grade "$work/plain" --out "$work/x" --writeups sometimes && fail "a bad --writeups was accepted"
"$tcpgrade" grade --help | grep -q -- "--writeups" || fail "--writeups not in grade --help"

# A roster's writeup column.
printf 'id,file,writeup\nalice,alice/LEARN.pcap,alice/writeup.md\nbob,bob/LEARN.pcap,\n' \
  >"$subs/roster.csv"
grade "$subs/roster.csv" --out "$work/roster-out" || fail "the roster class exited $?"
python3 - "$work/roster-out/gradebook.json" <<'PY' || fail "roster write-ups"
import json, sys
book = {s["id"]: s for s in json.load(open(sys.argv[1]))["submissions"]}
assert book["alice"]["writeup"]["status"] == "pass", book["alice"]
assert book["bob"]["writeup"]["status"] == "missing", book["bob"]
PY
echo "pass: write-ups graded beside captures"
