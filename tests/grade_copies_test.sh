#!/usr/bin/env bash
# Copy detection in tcpgrade grade, on real captures: one lab run copied every way a student
# would disguise it (another name, pcapng, nanoseconds, shifted in time, frames cut at either
# end, renamed .txt), a second run copied once, an essay handed in twice, and 20 independently
# made captures of the labs. Every copy must be in its source's group, with evidence, in the
# gradebooks, the summary and its reports; no independent capture may be flagged; no grade
# may change. Exit 77 (skipped) without editcap.
# Usage: grade_copies_test.sh TCPGRADE SOURCE_DIR
set -u
tcpgrade=$1 source=$2
command -v editcap >/dev/null || { echo "SKIP: editcap is missing"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
caps=$source/tests/data/captures subs=$work/class
mkdir -p "$subs"
lab=$caps/lab-lo.pcap  # 12 frames
cp "$lab" "$subs/alice.pcap"
cp "$lab" "$subs/bob.pcap"                                              # a byte copy
editcap -F pcapng "$lab" "$subs/carol.pcapng" || fail editcap pcapng   # re-encoded
editcap -F nsecpcap "$lab" "$subs/dave.pcap" || fail editcap nsecpcap  # nanoseconds
editcap -t 3600 "$lab" "$subs/erin.pcap" || fail editcap -t            # an hour later
editcap "$lab" "$subs/frank.pcap" 1-2 || fail editcap delete           # the handshake cut
editcap -r "$lab" "$subs/gina.pcap" 2-10 || fail editcap keep          # both ends cut
editcap -t -60 -F pcapng "$lab" "$subs/hank.txt" || fail editcap txt   # disguised as text
cp "$caps/matrix-wget.pcap" "$subs/wget-run.pcap"
editcap -F nsecpcap "$caps/matrix-wget.pcap" "$subs/kim.pcap" || fail editcap kim
echo "my essay about TCP" >"$subs/ivan.txt"
echo "my essay about TCP" >"$subs/judy.txt"
echo "another essay" >"$subs/lena.txt"
# Independent runs: separate captures of the labs, each its own client port, ISNs and TSvals.
independent=(lab-lo.pcapng lab-lo-keepalive.pcap lab-lo-sack-off.pcap lab-lo-timestamps-off.pcap
  lab-lo-window-scaling-off.pcap lab-any-sll.pcap lab-any-sll2.pcap lab-lo-snap60.pcap
  matrix-curl-close.pcap matrix-dumpcap.pcapng matrix-http11-server.pcap matrix-nanoseconds.pcap
  matrix-python-urllib.pcap matrix-slow-server.pcap bulk-lo.pcap)
n=0
for f in "${independent[@]}"; do
  n=$((n + 1))
  cp "$caps/$f" "$subs/run$n.${f##*.}"
done
for lab_dir in keepalive-lab refused-lab; do
  for f in "$source/scenarios/$lab_dir/tests"/lo-*.pcap; do
    n=$((n + 1))
    cp "$f" "$subs/run$n.pcap"
  done
done
[ $n -ge 20 ] || fail "only $n independent captures"

"$tcpgrade" grade "$source/scenarios/http-lab/session.yaml" "$subs" --out "$work/out" --jobs 2 \
  >"$work/stdout.txt" 2>&1
got=$?
[ $got = 0 ] || { cat "$work/stdout.txt"; fail "grade exited $got"; }
out=$work/out
head -1 "$out/gradebook.csv" | grep -q ',report,copy_group,copied_with,copy_evidence' ||
  fail "gradebook.csv header: $(head -1 "$out/gradebook.csv")"

python3 - "$out" "$n" <<'PY' || fail "copy groups (above)"
import csv, json, sys
out, n = sys.argv[1], int(sys.argv[2])
j = json.load(open(f"{out}/gradebook.json"))
rows = {r["id"]: r for r in j["submissions"]}
expected = [sorted(["alice", "bob", "carol", "dave", "erin", "frank", "gina", "hank"]),
            sorted(["wget-run", "kim"]), sorted(["ivan", "judy"])]
groups = sorted(sorted(g["ids"]) for g in j["copy_groups"])
assert groups == sorted(expected), f"groups {groups}, expected {sorted(expected)}"
for g in j["copy_groups"]:
    assert g["evidence"], f"group {g['group']} has no evidence"
    for member in g["ids"]:
        r = rows[member]
        assert r["copy_group"] == g["group"], (member, r["copy_group"])
        assert sorted(r["copied_with"]) == sorted(set(g["ids"]) - {member}), (member, r)
        assert r["copy_evidence"], f"{member}: no evidence in its row"
flagged = {m for g in expected for m in g}
for rid, r in rows.items():
    if rid not in flagged:
        assert r["copy_group"] is None and r["copied_with"] == [] and r["copy_evidence"] == "", \
            f"{rid} is flagged: {r['copy_evidence']}"
assert sum(1 for rid in rows if rid.startswith("run")) == n
# The evidence says what ties them: the byte copy is byte-identical, the disguised ones share
# the lab's conversation.
assert "byte-identical to alice" in rows["bob"]["copy_evidence"], rows["bob"]
assert "byte-identical to ivan" in rows["judy"]["copy_evidence"], rows["judy"]
for disguised in ["carol", "dave", "erin", "frank", "gina", "hank"]:
    assert "segments of 127.0.0.1:44394" in rows[disguised]["copy_evidence"], rows[disguised]
# Grades are not changed: every whole copy scores what the original does.
for copy in ["bob", "carol", "dave", "erin", "hank"]:
    assert (rows[copy]["status"], rows[copy]["score"]) == (rows["alice"]["status"], rows["alice"]["score"]), \
        (copy, rows[copy]["score"], rows["alice"]["score"])
assert rows["alice"]["status"] == "pass", rows["alice"]
# The CSV says the same, in the columns after `report`.
with open(f"{out}/gradebook.csv", newline="") as f:
    table = {r["id"]: r for r in csv.DictReader(f)}
assert table["bob"]["copy_group"] == str(rows["bob"]["copy_group"]), table["bob"]
assert set(table["bob"]["copied_with"].split(";")) == set(rows["bob"]["copied_with"]), table["bob"]
assert table["run1"]["copy_group"] == "" and table["run1"]["copied_with"] == "", table["run1"]
# Each report concerned names its group; the others do not.
for rid in ["bob", "hank", "judy"]:
    report = json.load(open(f"{out}/reports/{rid}.json"))
    assert report["copy"]["group"] == rows[rid]["copy_group"], (rid, report.get("copy"))
assert "copy" not in json.load(open(f"{out}/reports/run1.json"))
PY
grep -q "^copy: group [0-9]* with .*alice" "$out/reports/bob.txt" || fail "bob.txt names no group"
grep -q "^copy:" "$out/reports/run1.txt" && fail "run1.txt is flagged"
grep -q "^Copied captures" "$out/summary.txt" || fail "summary.txt has no Copied captures section"
grep -q "hank shares\|with hank" "$out/summary.txt" || fail "summary.txt gives no evidence for hank"
grep -q "^Copied captures" "$work/stdout.txt" || fail "the printed summary has no Copied captures"
echo "ok: 3 copy groups over $((n + 13)) submissions, $n independent captures unflagged"
