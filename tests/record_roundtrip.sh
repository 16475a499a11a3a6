#!/usr/bin/env bash
# `tcpgrade record` then `tcpgrade check` of the same capture must pass, portable and strict,
# for every test capture; the portable recording of LEARN.pcap must also pass on a real
# loopback capture of the lab, and the strict one must not.
# Usage: record_roundtrip.sh TCPGRADE SOURCE_DIR
set -u
tcpgrade=$1 source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
for capture in "$source"/scenarios/http-lab/LEARN.pcap "$source"/tests/data/captures/*; do
  for mode in portable strict; do
    flag=$([ $mode = strict ] && echo --strict)
    if ! "$tcpgrade" record "$capture" $flag -o "$work/s.yaml"; then
      echo "FAIL: record $mode $capture"; failed=1; continue
    fi
    "$tcpgrade" lint "$work/s.yaml" >/dev/null || { echo "FAIL: lint of the $mode recording of $capture"; failed=1; }
    if ! "$tcpgrade" check "$work/s.yaml" "$capture" >"$work/report.txt"; then
      echo "FAIL: $capture does not pass its own $mode recording:"; cat "$work/report.txt"; failed=1
    fi
  done
done
"$tcpgrade" record "$source/scenarios/http-lab/LEARN.pcap" -o "$work/portable.yaml"
"$tcpgrade" check "$work/portable.yaml" "$source/tests/data/captures/lab-lo.pcap" >/dev/null ||
  { echo "FAIL: the portable recording of LEARN.pcap rejects a real capture of the lab"; failed=1; }
"$tcpgrade" record "$source/scenarios/http-lab/LEARN.pcap" --strict -o "$work/strict.yaml"
"$tcpgrade" check "$work/strict.yaml" "$source/tests/data/captures/lab-lo.pcap" >/dev/null
[ $? -eq 1 ] || { echo "FAIL: the strict recording of LEARN.pcap accepts another capture"; failed=1; }
# A recording is a scenario to hand out: it passes fresh captures of its lab, keeps the server
# port (a capture of another port fails with wrong-port, unless --any-port), and its sentences
# quote no byte count the portable Len no longer checks.
for lab in keepalive refused; do
  tests="$source/scenarios/$lab-lab/tests"
  "$tcpgrade" record "$tests/lo-1.pcap" -o "$work/$lab.yaml"
  for fresh in lo-2 lo-3 any; do
    [ $lab = keepalive ] && [ $fresh = any ] && continue  # -i any lost frames there
    "$tcpgrade" check "$work/$lab.yaml" "$tests/$fresh.pcap" >/dev/null ||
      { echo "FAIL: the recording of $lab lo-1 rejects the fresh capture $fresh"; failed=1; }
  done
  "$tcpgrade" check "$work/$lab.yaml" "$tests/wrong-port.pcap" --format json >"$work/wrong.json"
  [ $? -eq 1 ] && grep -q '"id": "wrong-port"' "$work/wrong.json" ||
    { echo "FAIL: the recording of $lab accepts a capture of port 8080"; failed=1; }
  "$tcpgrade" record "$tests/lo-1.pcap" --any-port -o "$work/$lab-any.yaml"
  "$tcpgrade" check "$work/$lab-any.yaml" "$tests/wrong-port.pcap" >/dev/null ||
    { echo "FAIL: the --any-port recording of $lab rejects port 8080"; failed=1; }
  grep -E 'teaches: ".*(bytes|Ack=)' "$work/$lab.yaml" &&
    { echo "FAIL: the portable recording of $lab quotes values it does not check"; failed=1; }
done
# A long transfer is recorded as one transfer block and the close as one teardown block, not
# a line per segment: the recording of one bulk run passes other runs and fails a cut one.
bulk="$source/scenarios/bulk-lab/tests"
"$tcpgrade" record "$bulk/lo.pcap" -o "$work/bulk.yaml"
grep -q '{transfer: {id: download, dir: server->client' "$work/bulk.yaml" &&
  grep -q '{teardown: {id: close' "$work/bulk.yaml" ||
  { echo "FAIL: the bulk recording has no transfer and teardown blocks"; failed=1; }
[ "$(grep -c '^  - ' "$work/bulk.yaml")" -le 12 ] ||
  { echo "FAIL: the bulk recording lists $(grep -c '^  - ' "$work/bulk.yaml") entries"; failed=1; }
for fresh in window-update-before-fin late-retransmission-rst; do
  "$tcpgrade" check "$work/bulk.yaml" "$bulk/$fresh.pcap" >/dev/null ||
    { echo "FAIL: the bulk recording rejects the good run $fresh"; failed=1; }
done
for broken in cut20 lost-segment ws-off; do
  "$tcpgrade" check "$work/bulk.yaml" "$bulk/$broken.pcap" >/dev/null
  [ $? -eq 1 ] || { echo "FAIL: the bulk recording accepts $broken"; failed=1; }
done
[ $failed -eq 0 ] && echo "all recordings pass on their own capture"
exit $failed
