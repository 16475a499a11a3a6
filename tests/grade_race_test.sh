#!/usr/bin/env bash
# tcpgrade grade while students swap their files under it: 20 of 200 submissions are replaced,
# over and over with one rename each (as `mv -T` does), by a symlink to a capture outside the
# class whose payload says TOPSECRET, and back. Grading goes on for about 3 s of runs. No
# report may ever hold TOPSECRET: a swapped file is refused ("the submission changed while
# grading"), never followed. The test fails when the swap never caught grade in between.
# Usage: grade_race_test.sh TCPGRADE SOURCE_DIR
set -u
tcpgrade=$1 source=$2
work=$(mktemp -d)
swapper=""
cleanup() {
  [ -n "$swapper" ] && kill "$swapper" 2>/dev/null && wait "$swapper" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
learn=$source/scenarios/http-lab/LEARN.pcap
subs=$work/class
mkdir -p "$subs" "$work/outside" "$work/swap"
# The lab capture with its status line made a secret: a report of it quotes the payload.
python3 - "$learn" "$work/outside/secret.pcap" <<'PY' || fail "cannot write the secret capture"
import sys
data = open(sys.argv[1], "rb").read()
assert b"HTTP/1.0 200 OK" in data
open(sys.argv[2], "wb").write(data.replace(b"HTTP/1.0 200 OK", b"TOPSECRET 200 O"))
PY
cp "$learn" "$work/swap/real.pcap"
for i in $(seq -w 1 180); do cp "$learn" "$subs/s$i.pcap"; done
victims=()
for i in $(seq -w 1 20); do cp "$learn" "$subs/v$i.pcap"; victims+=("$subs/v$i.pcap"); done

# Every victim becomes the symlink, then every victim a hard link of the real capture again:
# each is a symlink half of the time.
python3 - "$work/swap" "$work/outside/secret.pcap" "${victims[@]}" <<'PY' &
import os, sys
swap, secret, victims = sys.argv[1], sys.argv[2], sys.argv[3:]
link, copy = os.path.join(swap, "link"), os.path.join(swap, "copy")
while True:
    for victim in victims:
        os.symlink(secret, link)
        os.rename(link, victim)
    for victim in victims:
        os.link(os.path.join(swap, "real.pcap"), copy)
        os.rename(copy, victim)
PY
swapper=$!

# About 3 s of runs, longer (up to 60 s on a busy machine) until a swap was caught.
runs=0 caught=0
start=$(date +%s)
while [ $runs = 0 ] || { [ $caught = 0 ] && [ $(($(date +%s) - start)) -lt 60 ]; } ||
  [ $(($(date +%s) - start)) -lt 3 ]; do
  runs=$((runs + 1))
  out=$work/out$runs
  "$tcpgrade" grade "$source/scenarios/http-lab/session.yaml" "$subs" --out "$out" --jobs 4 \
    >"$work/stdout" 2>"$work/stderr" || { cat "$work/stderr"; fail "grade exited $?"; }
  leaked=$(grep -rl TOPSECRET "$out" | head -3)
  [ -z "$leaked" ] || fail "run $runs read a file outside the class through a symlink:" $leaked
  python3 - "$out/gradebook.csv" <<'PY' || fail "run $runs: unexpected rows"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert len(rows) == 200, len(rows)
allowed = {
    "a symlink that leads outside the submissions folder: not followed",  # a symlink when listed
    "the submission changed while grading (a symlink appeared): not read",  # when opened
}
for row in rows:
    if row["id"].startswith("s") or row["status"] != "error":
        assert row["status"] == "pass", row
    else:
        assert row["reason"] in allowed, row
PY
  n=$(grep -c "changed while grading" "$out/gradebook.csv")
  caught=$((caught + n))
  rm -rf "$out"
done
echo "$runs runs, $caught submissions swapped between the listing and the open: all refused"
[ $caught -gt 0 ] || fail "no swap ever fell between the listing and the open: the test tests nothing"
echo "pass: no report holds a file outside the class"
