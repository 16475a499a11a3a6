#!/usr/bin/env bash
# grade --shard K/N and tcpgrade gradebook merge: a class graded in 4 shards, merged, equals the
# single run byte for byte: gradebook.csv, gradebook.json, summary.txt, the LMS exports and
# every report, with a copied capture caught across two shards and a roster student who
# handed nothing in. Then the merges and shards that must be refused, each with exit 2 and
# one line naming the cause.
# Usage: grade_shard_test.sh TCPGRADE SOURCE_DIR
set -u
tcpgrade=$1 source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
caps=$source/tests/data/captures subs=$work/class scenario=$source/scenarios/http-lab/session.yaml
mkdir -p "$subs/folder-student"
n=0
for f in lab-lo.pcap lab-lo.pcapng lab-lo-keepalive.pcap lab-lo-sack-off.pcap lab-any-sll.pcap \
  lab-lo-snap60.pcap learn-late-start.pcap learn-cut-short.pcap lab-refused.pcap \
  matrix-wget.pcap matrix-curl-close.pcap two-connections.pcap learn-port-8080.pcap; do
  n=$((n + 1))
  cp "$caps/$f" "$subs/s$n.${f##*.}"
done
cp "$caps/lab-lo-ipv6.pcap" "$subs/folder-student/capture.pcap"
echo "an essay" >"$subs/essay.txt"
: >"$subs/empty.pcap"
# alice's capture copied by a student whose id falls in another shard than hers.
cp "$caps/matrix-python-urllib.pcap" "$subs/alice.pcap"
copier=$(python3 - <<'PY'
def fnv(s):
    h = 14695981039346656037
    for c in s.encode():
        h = ((h ^ c) * 1099511628211) % 2**64
    return h
print(next(f"copier{i}" for i in range(100) if fnv(f"copier{i}") % 4 != fnv("alice") % 4))
PY
)
cp "$subs/alice.pcap" "$subs/$copier.pcap"
printf 'id,name,email,sis_user_id\nalice,Alice A,alice@uni.edu,S100\nzed,Zed Z,zed@uni.edu,S999\ns1,"One, S",s1@uni.edu,S1\n' >"$work/roster.csv"
lms=(--lms canvas --lms moodle --lms blackboard --lms-assignment "TCP lab" --lms-assignment-id 77)

"$tcpgrade" grade "$scenario" "$subs" --roster "$work/roster.csv" "${lms[@]}" --out "$work/single" \
  --jobs 2 >"$work/single.txt" 2>&1 || { cat "$work/single.txt"; fail "the single run"; }
for k in 1 2 3 4; do
  "$tcpgrade" grade "$scenario" "$subs" --roster "$work/roster.csv" --shard "$k/4" \
    --out "$work/shard$k" --jobs 2 >"$work/shard$k.txt" 2>&1 || { cat "$work/shard$k.txt"; fail "shard $k/4"; }
  [ -f "$work/shard$k/shard-$k-of-4.json" ] || fail "shard $k wrote no shard file"
  [ -e "$work/shard$k/gradebook.csv" ] && fail "a shard wrote a gradebook of its share"
done
"$tcpgrade" gradebook merge "$work"/shard{3,1,4,2} -o "$work/merged" --roster "$work/roster.csv" "${lms[@]}" \
  >"$work/merge.txt" 2>&1 || { cat "$work/merge.txt"; fail "gradebook merge"; }

for f in gradebook.csv gradebook.json summary.txt canvas.csv moodle.csv blackboard.csv; do
  cmp "$work/single/$f" "$work/merged/$f" || { diff "$work/single/$f" "$work/merged/$f" | head -20; fail "merged $f differs"; }
done
diff -r "$work/single/reports" "$work/merged/reports" >/dev/null || fail "merged reports differ"
rows=$(($(wc -l <"$work/single/gradebook.csv") - 1))
[ "$rows" = 19 ] || fail "$rows rows for 18 submissions and one missing student"
grep -q '^zed,,0,14,missing,"no submission' "$work/merged/gradebook.csv" || { cat "$work/merged/gradebook.csv"; fail "no missing row for zed"; }
grep -q '^Points Possible,,,,,14' "$work/merged/canvas.csv" || fail "canvas.csv: no Points Possible row"
grep -q '^Zed Z,,S999,,,0' "$work/merged/canvas.csv" || fail "canvas.csv: zed not at 0"

python3 - "$work" "$copier" <<'PY' || fail "the copy across shards (above)"
import json, sys, glob
work, copier = sys.argv[1], sys.argv[2]
shard_of = {}
for path in glob.glob(f"{work}/shard*/shard-*-of-4.json"):
    shard = json.load(open(path))
    for row in shard["rows"]:
        shard_of[row["id"]] = shard["shard"]["index"]
assert shard_of["alice"] != shard_of[copier], "the copy is not across shards"
assert len(shard_of) == 19 and all(1 <= k <= 4 for k in shard_of.values()), shard_of
rows = {r["id"]: r for r in json.load(open(f"{work}/merged/gradebook.json"))["submissions"]}
assert rows["alice"]["copied_with"] == [copier], rows["alice"]
assert rows[copier]["copy_group"] == rows["alice"]["copy_group"] is not None
summary = json.load(open(f"{work}/merged/gradebook.json"))["summary"]
assert summary["missing"] == 1 and summary["submissions"] == 19, summary
PY
grep -q "copy:" "$work/merged/reports/$copier.txt" || fail "the copier's report has no copy note"

# Refused: one line on stderr naming the cause, exit 2.
refused() {  # refused EXPECTED_TEXT ARGS...
  local expected=$1
  shift
  "$tcpgrade" "$@" >"$work/out.txt" 2>"$work/err.txt"
  local got=$?
  [ $got = 2 ] || { cat "$work/out.txt" "$work/err.txt"; fail "exit $got, not 2: $*"; }
  [ "$(wc -l <"$work/err.txt")" = 1 ] || { cat "$work/err.txt"; fail "not one line: $*"; }
  grep -qF -- "$expected" "$work/err.txt" || { cat "$work/err.txt"; fail "no '$expected': $*"; }
}
refused "shard 4/4 missing" gradebook merge "$work"/shard{1,2,3} -o "$work/m2"
refused "given twice" gradebook merge "$work"/shard{1,2,3,3} -o "$work/m3"
refused "is the shard folder or lies inside it" gradebook merge "$work"/shard{1,2,3,4} -o "$work/shard1"
refused "no shard file" gradebook merge "$work/single" -o "$work/m4"
refused "--shard 5/4: expected K/N" grade "$scenario" "$subs" --shard 5/4 --out "$work/m5"
refused "--lms with --shard" grade "$scenario" "$subs" --shard 1/4 --lms canvas --out "$work/m6"
refused "names no id column" grade "$scenario" "$subs" --roster "$scenario" --out "$work/m7"
"$tcpgrade" gradebook merge --help >/dev/null || fail "gradebook merge --help"
echo "pass: 4 shards merged == the single run (gradebook, summary, LMS exports, reports); a copy across shards caught; 7 refusals"
