#!/usr/bin/env bash
# Makes real loopback captures of the bulk lab (scenarios/bulk-lab): `python3 -m http.server`
# serving a 2 MiB big.bin (make_big_bin.py), tcpdump on the loopback with snap length 96 (the
# headers only: a 2 MiB transfer is then some 10 KB of capture), one `curl -o /dev/null`.
# Everything runs in a private network namespace (`unshare -n`), so port 8002 is always free.
#
# Usage: make_bulk_capture.sh OUTFILE [ws-off]
#   ws-off: window scaling off in the namespace (net.ipv4.tcp_window_scaling=0), as another
#   machine's defaults would have it.
# BULK_SNAP=N: the snap length (default 96; 0 keeps whole frames).
# Exit: 0 made, 1 the capture failed, 2 usage, 77 skipped (not root, a tool missing).
set -u
port=8002
if [ $# -lt 1 ] || [ $# -gt 3 ]; then
  echo "usage: $0 OUTFILE [ws-off]" >&2
  exit 2
fi
if [ "${1:-}" != --inside-namespace ]; then
  if [ "$EUID" != 0 ]; then echo "not root: skipped"; exit 77; fi
  for tool in tcpdump python3 curl ip unshare; do
    command -v "$tool" >/dev/null 2>&1 || { echo "$tool not installed: skipped"; exit 77; }
  done
  out=$(readlink -f -- "$1") || exit 2
  exec unshare -n -- bash "$(readlink -f -- "$0")" --inside-namespace "$out" "${2:-}"
fi
out=$2
mode=${3:-}
here=$(dirname -- "$(readlink -f -- "$0")")
work=$(mktemp -d "${TMPDIR:-/tmp}/bulk.XXXXXX") || exit 1
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  rm -rf -- "$work"
}
trap cleanup EXIT
ip link set lo up || exit 1
if [ "$mode" = ws-off ]; then echo 0 >/proc/sys/net/ipv4/tcp_window_scaling || exit 1; fi
python3 "$here/../scenarios/bulk-lab/make_big_bin.py" "$work/www/big.bin" || exit 1
(cd "$work/www" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
pids+=($!)
for _ in $(seq 50); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 0.1
done
tcpdump --immediate-mode -i lo -U -s "${BULK_SNAP:-96}" -w - "tcp port $port" >"$work/cap.pcap" 2>/dev/null &
tcpdump_pid=$!
pids+=($tcpdump_pid)
sleep 1
curl -s -o /dev/null "http://127.0.0.1:$port/big.bin" || exit 1
sleep 1
kill -INT "$tcpdump_pid"
wait "$tcpdump_pid" 2>/dev/null
cp -- "$work/cap.pcap" "$out" || exit 1
echo "$out: $(tcpdump -nn -r "$out" 2>/dev/null | wc -l) frames"
