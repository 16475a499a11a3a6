#!/usr/bin/env bash
# The real-capture matrix: the HTTP lab captured for real on a private loopback, over servers,
# clients, capture tools, address families and kernel settings (one row per configuration,
# each in its own network namespace, so sysctls stay there), each capture graded against
# scenarios/http-lab/session.yaml, and a table printed: what was captured, the verdict, the
# root causes, and whether that is what the configuration must give (pass, or its deviation
# named as the first root cause).
#
# Usage: real_capture_matrix.sh TCPGRADE SOURCE_DIR [KEEP_DIR]
#   KEEP_DIR: keep every capture there (NAME.pcap / NAME.pcapng).
# Exit: 0 every row as expected, 1 a row was not, 77 skipped (not root, a tool missing, or no
# network namespace allowed).
set -u

port=8002
if [ "${1:-}" = --row ]; then
  # Inside a fresh namespace: one configuration. Args: OUT SERVER CLIENT TOOL FAMILY SYSCTL WWW
  out=$2 server=$3 client=$4 tool=$5 family=$6 sysctl=$7 www=$8
  ip link set lo up || exit 1
  case $sysctl in
  ts) echo 0 >/proc/sys/net/ipv4/tcp_timestamps ;;
  sack) echo 0 >/proc/sys/net/ipv4/tcp_sack ;;
  ws) echo 0 >/proc/sys/net/ipv4/tcp_window_scaling ;;
  esac
  address=127.0.0.1 host=127.0.0.1
  [ "$family" = 6 ] && address=::1 host='[::1]'
  url="http://$host:$port/"
  cd "$www" || exit 1
  case $server in
  http10) python3 -m http.server $port --bind $address >/dev/null 2>&1 & ;;
  http11) python3 -m http.server $port --bind $address --protocol HTTP/1.1 >/dev/null 2>&1 & ;;
  slow)  # thinks 0.3 s before answering
    python3 -c "
import http.server, socket, time
class H(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        time.sleep(0.3)
        super().do_GET()
class S(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6 if ':' in '$address' else socket.AF_INET
S(('$address', $port), H).serve_forever()" >/dev/null 2>&1 &
    ;;
  esac
  server_pid=$!
  for _ in $(seq 50); do ss -Hltn "sport = :$port" | grep -q . && break; sleep 0.1; done
  case $tool in
  lo) tcpdump --immediate-mode -i lo -U -w - "tcp port $port" >"$out" 2>/dev/null & ;;
  any) tcpdump --immediate-mode -i any -U -w - "tcp port $port" >"$out" 2>/dev/null & ;;
  nano) tcpdump --immediate-mode -i lo --time-stamp-precision=nano -U -w - "tcp port $port" \
    >"$out" 2>/dev/null & ;;
  dumpcap) dumpcap -q -i lo -f "tcp port $port" -w "$out" >/dev/null 2>&1 & ;;
  esac
  capture_pid=$!
  sleep 1  # the capture is running before the client starts
  case $client in
  curl) curl -s -o /dev/null "$url" ;;
  curl-close) curl -s -o /dev/null -H 'Connection: close' "$url" ;;
  wget) wget -q -O /dev/null "$url" ;;
  urllib) python3 -c "import urllib.request; urllib.request.urlopen('$url').read()" ;;
  esac
  sleep 1  # the teardown is captured before the capture stops
  kill -INT $capture_pid 2>/dev/null
  wait $capture_pid 2>/dev/null
  kill $server_pid 2>/dev/null
  wait $server_pid 2>/dev/null
  exit 0
fi

tcpgrade=$1 source=$2 keep=${3:-}
if [ "$EUID" != 0 ]; then echo "not root: skipped"; exit 77; fi
for tool in tcpdump python3 curl ss ip unshare; do
  command -v $tool >/dev/null 2>&1 || { echo "$tool not installed: skipped"; exit 77; }
done
unshare -n true 2>/dev/null || { echo "cannot create a network namespace: skipped"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/www"
cp "$source/scenarios/http-lab/www/index.html" "$work/www/"
script=$(readlink -f -- "$0")
scenario=$source/scenarios/http-lab/session.yaml

# name server client tool family sysctl expected (pass, or the first root cause; a|b: either).
# -i any on the loopback drops frames at random: the first ones lost, a FIN or ACK inside
# (frames-not-captured), or the last ones (not-closed, with the -i any advice).
rows="
lab-way          http10 curl       lo      4 none pass
ipv6             http10 curl       lo      6 none pass
nanoseconds      http10 curl       nano    4 none pass
dumpcap-pcapng   http10 curl       dumpcap 4 none pass
slow-server      slow   curl       lo      4 none pass
curl-close       http10 curl-close lo      4 none pass
wget             http10 wget       lo      4 none pass
python-urllib    http10 urllib     lo      4 none pass
http11-server    http11 curl       lo      4 none http-version
any-interface    http10 curl       any     4 none pass|frames-not-captured|not-closed
any-ipv6         http10 curl       any     6 none pass|frames-not-captured|not-closed
timestamps-off   http10 curl       lo      4 ts   timestamps-off
sack-off         http10 curl       lo      4 sack sack-off
ws-off           http10 curl       lo      4 ws   window-scaling-off
ws-off-ipv6      http10 curl       lo      6 ws   window-scaling-off
wget-ts-off      http10 wget       lo      4 ts   timestamps-off
"
# Optional programs: their rows are left out where they are missing, the rest still run.
command -v dumpcap >/dev/null 2>&1 || rows=$(echo "$rows" | grep -v dumpcap)
command -v wget >/dev/null 2>&1 || rows=$(echo "$rows" | grep -v ' wget ')

failed=0
printf '%-16s %-7s %-10s %-8s %-4s %-5s %7s  %-7s %-11s %-44s %s\n' configuration server client \
  capture ipv sysctl frames verdict points "root causes" expected
while read -r name server client tool family sysctl expected; do
  [ -z "$name" ] && continue
  ext=pcap
  [ "$tool" = dumpcap ] && ext=pcapng
  out=$work/$name.$ext
  unshare -n bash "$script" --row "$out" "$server" "$client" "$tool" "$family" "$sysctl" \
    "$work/www" >/dev/null 2>&1
  [ -n "$keep" ] && mkdir -p "$keep" && cp "$out" "$keep/"
  json=$("$tcpgrade" check "$scenario" "$out" --format json 2>"$work/err")
  read -r verdict points frames causes < <(python3 -c '
import json, sys
try:
    r = json.loads(sys.argv[1])
except ValueError:
    print("error - 0 -"); sys.exit()
causes = ",".join(c["id"] for c in r.get("root_causes", [])) or "-"
verdict = "pass" if r["points"] == r["max_points"] and not any(
    k["status"] != "pass" for c in r.get("conversations", []) for k in c["checks"]) else "fail"
print(verdict, "%g/%g" % (round(r["points"], 2), r["max_points"]), r["capture_frames"], causes)
' "$json")
  first=${causes%%,*}
  ok=no
  for want in ${expected//|/ }; do
    if [ "$want" = pass ] && [ "$verdict" = pass ]; then ok=yes; fi
    if [ "$want" != pass ] && [ "$verdict" = fail ] && [ "$first" = "$want" ]; then ok=yes; fi
  done
  [ $ok = yes ] || failed=1
  printf '%-16s %-7s %-10s %-8s %-4s %-5s %7s  %-7s %-11s %-44s %s%s\n' "$name" "$server" \
    "$client" "$tool" "$family" "$sysctl" "$frames" "$verdict" "$points" "$causes" "$expected" \
    "$([ $ok = yes ] || echo '  <-- NOT AS EXPECTED')"
done <<<"$rows"
exit $failed
