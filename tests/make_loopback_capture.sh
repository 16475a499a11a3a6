#!/usr/bin/env bash
# Makes real loopback captures of the HTTP lab on this machine: `python3 -m http.server`
# serving the lab's 33-byte page, tcpdump on the loopback, one curl. Everything runs in a
# private network namespace (`unshare -n`, its own `lo`), so no other traffic or listener
# can interfere and the lab's port 8002 is always free.
#
# Files (in OUTDIR; names are fixed, the client port and timestamps are whatever happened):
#   lab-lo.pcap            -i lo: Ethernet, IPv4, microseconds (the lab's own command)
#   lab-lo-nano.pcap       the same with nanosecond timestamps
#   lab-lo.pcapng          pcapng, written by dumpcap (tcpdump 4.99 writes pcap only)
#   lab-any-sll.pcap       -i any -y LINUX_SLL (Linux cooked v1)
#   lab-any-sll2.pcap      -i any -y LINUX_SLL2 (Linux cooked v2, tcpdump 4.99's choice)
#   lab-lo-ipv6.pcap       server on ::1, curl http://[::1]:8002/
#   lab-lo-snap60.pcap     -s 60: frames cut after 60 bytes (SYNs keep MSS and SACK_PERM only)
#   lab-lo-keepalive.pcap  HTTP/1.1 server, two GETs on one connection (curl URL URL)
# A lab exchange is usually the document's 12 frames; real timing sometimes gives 13 (curl's
# FIN crosses the server's, so both are ACKed). Prints one line per file: path, frames, link.
#
# Usage: make_loopback_capture.sh OUTDIR
# Exit: 0 all made, 1 a capture failed, 2 usage, 77 skipped (not root, a tool missing, or no
# network namespace allowed).
# shellcheck disable=SC2317  # functions run through poll and trap look unreachable
set -u

port=8002
usage() { echo "usage: $0 OUTDIR" >&2; }

inside=no
if [ $# -eq 2 ] && [ "$1" = --inside-namespace ]; then
  inside=yes
  shift
fi
if [ $# -ne 1 ] || [ -z "$1" ]; then
  usage
  exit 2
fi

# Outside the namespace: checks, then run this script again inside a fresh one.
if [ $inside = no ]; then
  if [ "$EUID" != 0 ]; then
    echo "not root: skipped (tcpdump needs root; see shared/README.md)"
    exit 77
  fi
  for tool in tcpdump python3 curl ss ip unshare; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "$tool not installed: skipped"
      exit 77
    fi
  done
  if ! unshare -n true 2>/dev/null; then
    echo "cannot create a network namespace (unshare -n): skipped"
    exit 77
  fi
  mkdir -p -- "$1" || exit 2
  outdir=$(cd -- "$1" && pwd) || exit 2
  script=$(readlink -f -- "$0")
  exec unshare -n -- bash "$script" --inside-namespace "$outdir"
fi

# Inside the namespace from here on.
outdir=$1
here=$(dirname -- "$(readlink -f -- "$0")")
work=$(mktemp -d "${TMPDIR:-/tmp}/loopback.XXXXXX") || exit 1
children=()

cleanup() {
  local pid
  for pid in "${children[@]}"; do
    kill -TERM "$pid" 2>/dev/null
  done
  for pid in "${children[@]}"; do
    wait "$pid" 2>/dev/null
  done
  rm -rf -- "$work"
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 1' INT TERM HUP

if ! ip link set lo up; then
  echo "cannot bring up lo in the namespace" >&2
  exit 1
fi

mkdir -p "$work/www"
page=$here/../scenarios/http-lab/www/index.html
if [ -f "$page" ]; then
  cp -- "$page" "$work/www/index.html"
else
  printf '<h1>TCP HANDSHAKE Learning</h1>\n\n' >"$work/www/index.html"
fi

# poll TENTHS COMMAND...: runs COMMAND every 0.1 s until it succeeds, at most TENTHS times.
poll() {
  local tries=$1
  shift
  while ((tries-- > 0)); do
    "$@" && return 0
    sleep 0.1
  done
  return 1
}

listening() { ss -Hltn "sport = :$port" | grep -q .; }
log_says() { grep -q -- "$2" "$1" 2>/dev/null; }
not_running() { ! kill -0 "$1" 2>/dev/null; }

# stop PID SIGNAL: signals a child, waits at most 5 s for it, then kills it.
stop() {
  local pid=$1 signal=$2
  kill "-$signal" "$pid" 2>/dev/null
  if ! poll 50 not_running "$pid"; then
    kill -KILL "$pid" 2>/dev/null
  fi
  wait "$pid" 2>/dev/null
  local kept=() other
  for other in "${children[@]}"; do
    [ "$other" != "$pid" ] && kept+=("$other")
  done
  children=("${kept[@]}")
}

failures=0
made=()

# capture FILE BIND HTTP_VERSION REQUESTS CAPTURER ARGS...
# The server listens on BIND; curl fetches its page REQUESTS times on one command line (one
# connection when the server speaks HTTP/1.1). CAPTURER is tcpdump or dumpcap; ARGS are its
# options before the filter and -w.
capture() {
  local file=$1 bind=$2 version=$3 requests=$4 capturer=$5
  shift 5
  local log=$work/$file.log
  rm -f -- "$outdir/$file"

  python3 -m http.server "$port" --bind "$bind" --protocol "$version" \
    --directory "$work/www" >"$work/server.log" 2>&1 &
  local server=$!
  children+=("$server")
  if ! poll 100 listening; then
    echo "$file: http.server did not listen on port $port: $(tail -n 1 "$work/server.log")" >&2
    stop "$server" TERM
    return 1
  fi

  local ready settle
  if [ "$capturer" = tcpdump ]; then
    # -Z root: Debian's tcpdump drops to user tcpdump, who may not write in OUTDIR.
    # -B: in immediate mode libpcap gives each packet a ring slot as big as the snap length
    # (256 KiB on -i any); the default 2 MiB ring then overflows within one lab exchange,
    # since -i any also sees each loopback packet a second time, as outgoing.
    tcpdump "$@" -U --immediate-mode -B 32768 -Z root -w "$outdir/$file" "tcp port $port" \
      2>"$log" &
    ready="listening on"
    settle=0.5
  else
    # dumpcap has no immediate mode: it delivers packets on a timeout, so wait longer.
    dumpcap "$@" -B 32 -f "tcp port $port" -w "$outdir/$file" 2>"$log" &
    ready="Capturing on"
    settle=1.5
  fi
  local capturer_pid=$!
  children+=("$capturer_pid")
  if ! poll 100 log_says "$log" "$ready"; then
    echo "$file: $capturer did not start: $(tail -n 1 "$log")" >&2
    stop "$capturer_pid" KILL
    stop "$server" TERM
    return 1
  fi

  local status=0 expected=$work/expected.html url urls=()
  url="http://$bind:$port/"
  [[ $bind == *:* ]] && url="http://[$bind]:$port/"
  : >"$expected"
  while ((${#urls[@]} < requests)); do
    urls+=("$url")
    cat "$work/www/index.html" >>"$expected"
  done
  if ! curl -s -g --noproxy '*' --max-time 10 "${urls[@]}" >"$work/body"; then
    echo "$file: curl failed" >&2
    status=1
  elif ! cmp -s "$work/body" "$expected"; then
    echo "$file: curl did not receive the page" >&2
    status=1
  fi

  # The teardown's last ACK follows curl's exit at once on lo; leave it time to be written.
  sleep "$settle"
  stop "$capturer_pid" INT
  stop "$server" TERM
  if [ ! -s "$outdir/$file" ]; then
    echo "$file: no capture written: $(tail -n 1 "$log")" >&2
    return 1
  fi
  # tcpdump: "N packets dropped by kernel"; dumpcap: "received/dropped on interface ...: R/D".
  local dropped
  dropped=$(sed -n -e 's/^\([0-9]*\) packets\{0,1\} dropped by kernel.*/\1/p' \
    -e "s|^Packets received/dropped on interface .*: [0-9]*/\\([0-9]*\\).*|\\1|p" "$log")
  if [ "$dropped" != 0 ]; then
    echo "$file: the capture dropped packets (${dropped:-count not reported}): see $capturer" >&2
    status=1
  fi
  local frames
  frames=$(tcpdump -r "$outdir/$file" 2>/dev/null | wc -l)
  local link
  link=$(tcpdump -r "$outdir/$file" -c 1 2>&1 >/dev/null | sed -n 's/.*link-type \([^ ]*\).*/\1/p')
  chmod 644 "$outdir/$file"  # dumpcap creates its files 0600
  made+=("$outdir/$file	$frames frames	$link")
  return $status
}

v4=127.0.0.1
capture lab-lo.pcap $v4 HTTP/1.0 1 tcpdump -i lo || ((failures++))
capture lab-lo-nano.pcap $v4 HTTP/1.0 1 tcpdump -i lo --time-stamp-precision=nano || ((failures++))
if command -v dumpcap >/dev/null 2>&1; then
  capture lab-lo.pcapng $v4 HTTP/1.0 1 dumpcap -i lo -n || ((failures++))
else
  echo "lab-lo.pcapng: dumpcap not installed (tcpdump 4.99 cannot write pcapng): not made" >&2
fi
capture lab-any-sll.pcap $v4 HTTP/1.0 1 tcpdump -i any -y LINUX_SLL || ((failures++))
capture lab-any-sll2.pcap $v4 HTTP/1.0 1 tcpdump -i any -y LINUX_SLL2 || ((failures++))
capture lab-lo-ipv6.pcap ::1 HTTP/1.0 1 tcpdump -i lo || ((failures++))
capture lab-lo-snap60.pcap $v4 HTTP/1.0 1 tcpdump -i lo -s 60 || ((failures++))
capture lab-lo-keepalive.pcap $v4 HTTP/1.1 2 tcpdump -i lo || ((failures++))

for line in "${made[@]}"; do
  printf '%s\n' "$line"
done
if ((failures > 0)); then
  echo "$failures capture(s) failed" >&2
  exit 1
fi
exit 0
