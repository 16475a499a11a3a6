#!/usr/bin/env bash
# Real captures of the lab on this machine (tests/make_loopback_capture.sh: python3 http.server,
# curl, tcpdump in a private network namespace), then: tcpgrade decodes each exactly as tshark
# does, and each passes the lab scenarios a correct capture must pass.
# Usage: live_loopback_test.sh TCPGRADE SOURCE_DIR WORK_DIR
# Exit: 0 pass, 1 a check failed, 77 skipped (not root, a tool missing, no namespace).
set -u
if [ $# -ne 3 ]; then
  echo "usage: $0 TCPGRADE SOURCE_DIR WORK_DIR" >&2
  exit 2
fi
tcpgrade=$1 source=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
bash "$source/tests/make_loopback_capture.sh" "$work"
status=$?
[ $status -eq 0 ] || exit $status

failed=0
expect() {  # expect EXIT SCENARIO CAPTURE
  "$tcpgrade" check "$source/scenarios/http-lab/$2.yaml" "$work/$3" >"$work/$3.$2.txt" 2>&1
  local got=$?
  if [ $got -ne "$1" ]; then
    echo "FAIL: check $2.yaml $3 exited $got, expected $1:"
    cat "$work/$3.$2.txt"
    failed=1
  else
    echo "ok: check $2.yaml $3 exited $got"
  fi
}
for capture in lab-lo.pcap lab-lo-nano.pcap lab-lo.pcapng lab-any-sll.pcap lab-any-sll2.pcap \
               lab-lo-ipv6.pcap lab-lo-keepalive.pcap; do
  expect 0 handshake "$capture"
done
for capture in lab-lo.pcap lab-lo-nano.pcap lab-lo.pcapng lab-any-sll.pcap lab-any-sll2.pcap \
               lab-lo-ipv6.pcap; do
  expect 0 session "$capture"
done
expect 0 keepalive lab-lo-keepalive.pcap
expect 1 keepalive lab-lo.pcap            # one request only
expect 1 session lab-lo-keepalive.pcap    # two requests where the lab makes one
expect 0 ipv6-handshake lab-lo-ipv6.pcap
expect 1 ipv6-handshake lab-lo.pcap       # IPv4: no connection of the scenario's family
# A snap length of 60 cuts the SYN's options: the handshake cannot be fully verified.
expect 1 handshake lab-lo-snap60.pcap
grep -q "snap" "$work/lab-lo-snap60.pcap.handshake.txt" || { echo "FAIL: snap60 report names no snap length"; failed=1; }

if command -v tshark >/dev/null 2>&1; then
  python3 "$source/tests/tshark_diff.py" --tcpgrade "$tcpgrade" --strict-analysis "$work" || failed=1
else
  echo "tshark not installed: decoding not compared"
fi
exit $failed
