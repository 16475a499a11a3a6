#!/usr/bin/env bash
# One `tcpgrade live` case (label live). Each case makes real loopback traffic in a private
# network namespace, so cases may run in parallel (ctest -j2).
# Usage: live_test.sh TCPGRADE SOURCE_DIR CASE
# Exit 0 pass, 1 fail, 77 skipped (no permission to capture, or python3/curl missing).
set -u
tcpgrade=$1 source=$2 case=$3
lab=$source/scenarios/http-lab
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
skip_if_denied() { [ "$1" = 77 ] && { echo "no permission to capture: skipped"; exit 77; }; }
need() { command -v "$1" >/dev/null 2>&1 || { echo "$1 not installed: skipped"; exit 77; }; }
# Drops what differs between a live report and a check of its saved capture: the live notes.
same_reports() {
  python3 - "$1" "$2" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
a.pop("notes", None); b.pop("notes", None)
sys.exit(0 if a == b else 1)
PY
}

case $case in
builtin_handshake)
  "$tcpgrade" live "$lab/handshake.yaml" >"$work/out.txt" 2>&1
  got=$?; skip_if_denied $got
  [ $got = 0 ] || { cat "$work/out.txt"; fail "handshake.yaml exited $got"; }
  grep -q "isolated: a private network namespace" "$work/out.txt" || fail "no isolation note"
  # No live: section: the port and family the scenario grades (conversation: 8002, IPv6).
  grep -q "^note: live capture on 127.0.0.1 port 8002: " "$work/out.txt" ||
    { cat "$work/out.txt"; fail "not the scenario's server_port"; }
  "$tcpgrade" live "$lab/ipv6-handshake.yaml" --buffer-size 8192 >"$work/out.txt" 2>&1
  got=$?; skip_if_denied $got
  [ $got = 0 ] || { cat "$work/out.txt"; fail "ipv6-handshake.yaml exited $got"; }
  grep -q "^note: live capture on ::1 port 8002: " "$work/out.txt" ||
    { cat "$work/out.txt"; fail "not the scenario's family and port"; }
  "$tcpgrade" live "$lab/handshake.yaml" --buffer-size 1 >/dev/null 2>&1
  [ $? = 2 ] || fail "--buffer-size 1 (KiB) must be refused"
  ;;
builtin_session_recheck)
  "$tcpgrade" live "$lab/session.yaml" --save-capture "$work/live.pcap" --format json -o "$work/live.json"
  got=$?; skip_if_denied $got
  [ $got = 0 ] || { cat "$work/live.json"; fail "session.yaml exited $got"; }
  "$tcpgrade" check "$lab/session.yaml" "$work/live.pcap" --format json -o "$work/check.json" ||
    fail "the saved capture does not pass check"
  same_reports "$work/live.json" "$work/check.json" || fail "live and check of the saved capture differ"
  ;;
real_programs_ipv4 | real_programs_ipv6)
  need python3; need curl
  address=127.0.0.1; [ $case = real_programs_ipv6 ] && address=::1
  for scenario in handshake session; do
    "$tcpgrade" live "$lab/$scenario.yaml" --address $address \
      --server "python3 -m http.server {port} --bind {address}" \
      --client "curl -s http://{host}:{port}/" >"$work/out.txt" 2>&1
    got=$?; skip_if_denied $got
    [ $got = 0 ] || { cat "$work/out.txt"; fail "$scenario.yaml with python3 and curl on $address exited $got"; }
  done
  ;;
refused)
  "$tcpgrade" live "$lab/refused.yaml" >"$work/out.txt" 2>&1
  got=$?; skip_if_denied $got
  [ $got = 0 ] || { cat "$work/out.txt"; fail "refused.yaml exited $got with nothing listening"; }
  "$tcpgrade" live "$lab/session.yaml" --server none --format json -o "$work/session.json"
  got=$?
  [ $got = 1 ] || fail "session.yaml with no server exited $got, expected 1"
  grep -q '"connection-refused"' "$work/session.json" || fail "no connection-refused root cause"
  ;;
client_hangs)
  marker=97.$$  # a sleep only this test runs
  "$tcpgrade" live "$lab/session.yaml" --client "sleep $marker" --timeout 2 >"$work/out.txt" 2>"$work/err.txt"
  got=$?; skip_if_denied $got
  [ $got = 2 ] || fail "a hanging client gave exit $got, expected 2"
  grep -q "timeout after 2 s" "$work/err.txt" || { cat "$work/err.txt"; fail "stderr does not say timeout"; }
  grep -q "client: sleep $marker (killed by signal" "$work/out.txt" || { cat "$work/out.txt"; fail "the report does not show the client killed"; }
  sleep 0.2
  pgrep -f "sleep $marker" >/dev/null && fail "the client's process is still running"
  ;;
interrupted)
  marker=96.$$
  "$tcpgrade" live "$lab/session.yaml" --client "sleep $marker" --timeout 60 >/dev/null 2>&1 &
  live=$!
  # ^sleep: the client itself, not tcpgrade, whose own command line holds "sleep $marker" too
  # (matching it sent SIGINT before tcpgrade had its handler: lost, under ASan's slow start).
  for _ in $(seq 100); do pgrep -f "^sleep $marker" >/dev/null && break; sleep 0.1; done
  pgrep -f "^sleep $marker" >/dev/null || { wait $live; skip_if_denied $?; fail "the client never started"; }
  kill -INT $live
  wait $live
  got=$?
  [ $got = 130 ] || fail "SIGINT gave exit $got, expected 130 (killed by SIGINT)"
  sleep 0.2
  pgrep -f "sleep $marker" >/dev/null && fail "a child survived SIGINT"
  ;;
busy_port)
  need python3
  # A listener on the host's loopback; with --no-isolation the port is busy.
  python3 -c 'import socket,sys,time; s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(); print(s.getsockname()[1], flush=True); time.sleep(30)' >"$work/port" &
  holder=$!
  for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
  port=$(cat "$work/port")
  "$tcpgrade" live "$lab/session.yaml" --no-isolation --port "$port" >/dev/null 2>"$work/err.txt"
  got=$?
  kill $holder 2>/dev/null
  skip_if_denied $got
  [ $got = 2 ] || fail "a busy port gave exit $got, expected 2"
  grep -q "port $port on 127.0.0.1 is busy" "$work/err.txt" || { cat "$work/err.txt"; fail "no busy-port message"; }
  ;;
unprivileged)
  # An ordinary user: without a namespace of its own it may not capture (exit 77 and why);
  # with an unprivileged user namespace (Debian's default) it captures on that private lo.
  [ "$EUID" = 0 ] && command -v setpriv >/dev/null || { echo "needs root and setpriv: skipped"; exit 77; }
  chmod 755 "$work"
  cp "$tcpgrade" "$work/tcpgrade" && cp -r "$lab" "$work/lab" && chmod -R a+rX "$work"
  as_nobody() { (cd / && setpriv --reuid=65534 --regid=65534 --clear-groups "$@"); }
  as_nobody "$work/tcpgrade" live "$work/lab/session.yaml" --no-isolation >"$work/out.txt" 2>"$work/err.txt"
  got=$?
  [ $got = 77 ] || { cat "$work/out.txt" "$work/err.txt"; fail "unprivileged on the host's lo exited $got, expected 77"; }
  grep -q "no permission to capture on lo" "$work/err.txt" || { cat "$work/err.txt"; fail "no explanation"; }
  [ "$(wc -l <"$work/err.txt")" = 1 ] || fail "the explanation is not one line"
  [ -s "$work/out.txt" ] && fail "a report was written although nothing was captured"
  as_nobody "$work/tcpgrade" live "$work/lab/session.yaml" >"$work/out.txt" 2>"$work/err.txt"
  got=$?
  if [ $got = 0 ]; then
    grep -q "isolated: a private network namespace" "$work/out.txt" || fail "no isolation note"
  else
    [ $got = 77 ] || { cat "$work/out.txt" "$work/err.txt"; fail "unprivileged live exited $got"; }
  fi
  ;;
kernel_drops)
  # A capture whose packets the kernel dropped is never graded: live captures again with twice
  # the buffer, and after three lossy captures says so in one error line, exit 2, no verdict.
  mkdir "$work/www"
  cp "$lab/www/index.html" "$work/www/"
  head -c 30000000 /dev/zero >"$work/www/big.bin"
  "$tcpgrade" live "$lab/handshake.yaml" --www "$work/www" --buffer-size 64 --timeout 30 \
    --client "curl -s -o /dev/null http://{host}:{port}/big.bin" >"$work/out.txt" 2>"$work/err.txt"
  got=$?; skip_if_denied $got
  [ $got = 2 ] || { cat "$work/out.txt" "$work/err.txt"; fail "lossy captures: exit $got, expected 2"; }
  [ -s "$work/out.txt" ] && { cat "$work/out.txt"; fail "a report was printed for lossy captures"; }
  grep -q "^tcpgrade: error: live: the kernel dropped packets in each of 3 captures ([0-9]* with a 64 KiB buffer, [0-9]* with a 128 KiB buffer, [0-9]* with a 256 KiB buffer): nothing was graded; run again, with a larger --buffer-size$" "$work/err.txt" ||
    { cat "$work/err.txt"; fail "not the one error line"; }
  ;;
scenario_commands)
  # A scenario's live: commands are its author's code: lint shows them, live runs them only
  # with --allow-commands; --server and --client are the user's own and replace them.
  cat >"$work/cmd.yaml" <<EOF
scenario: runs-a-command
live: {client: "touch $work/RAN #\e]0;t\a"}
rest: ignore
frames:
  - {id: syn, dir: client->server, flags: [SYN]}
  - {id: syn-ack, dir: server->client, flags: [SYN, ACK]}
  - {id: ack, dir: client->server, flags: [ACK]}
EOF
  shown="touch $work/RAN #\\x1b]0;t\\x07"
  "$tcpgrade" lint "$work/cmd.yaml" >"$work/lint.txt" 2>&1 || { cat "$work/lint.txt"; fail "lint"; }
  note="note: live: client shell command (run only by tcpgrade live --allow-commands): $shown"
  grep -qxF "$work/cmd.yaml: $note" "$work/lint.txt" ||
    { cat -v "$work/lint.txt"; fail "lint does not show the command"; }
  "$tcpgrade" live "$work/cmd.yaml" >"$work/out.txt" 2>"$work/err.txt"
  got=$?
  [ -e "$work/RAN" ] && fail "the scenario's command ran without --allow-commands"
  [ $got = 2 ] || { cat "$work/err.txt"; fail "without --allow-commands: exit $got, expected 2"; }
  [ -s "$work/out.txt" ] && fail "a report was written"
  want="tcpgrade: error: $work/cmd.yaml: its live: section runs shell commands (client '$shown');"
  want="$want review them, then pass --allow-commands to run them (or replace them with"
  want="$want --server/--client)"
  [ "$(cat "$work/err.txt")" = "$want" ] || { cat -v "$work/err.txt"; fail "not the one-line error"; }
  # The bundled keepalive.yaml names a server and a client; its other scenarios name none.
  "$tcpgrade" live "$lab/keepalive.yaml" >/dev/null 2>"$work/err.txt"
  [ $? = 2 ] && grep -q "(server 'python3 -c .*, client 'curl -s http" "$work/err.txt" ||
    { cat "$work/err.txt"; fail "keepalive.yaml ran without --allow-commands"; }
  "$tcpgrade" live "$lab/ipv6-handshake.yaml" >"$work/out.txt" 2>&1
  got=$?; skip_if_denied $got
  [ $got = 0 ] || { cat "$work/out.txt"; fail "ipv6-handshake.yaml (no command) exited $got"; }
  # No www/ beside the scenario: the built-in server's missing web root is named, not a 404.
  "$tcpgrade" live "$work/cmd.yaml" --client builtin >"$work/out.txt" 2>"$work/err.txt"
  got=$?
  [ $got = 2 ] || { cat "$work/out.txt"; fail "a missing web root: exit $got, expected 2"; }
  want="tcpgrade: error: the built-in server's web root $work/www does not exist; give one with"
  [ "$(cat "$work/err.txt")" = "$want --www or the scenario's live: www:" ] ||
    { cat "$work/err.txt"; fail "the missing web root's error"; }
  "$tcpgrade" live "$work/cmd.yaml" --client builtin --www "$lab/www" >"$work/out.txt" 2>&1
  got=$?
  [ $got = 0 ] || { cat "$work/out.txt"; fail "--client builtin instead of the scenario's: exit $got"; }
  [ -e "$work/RAN" ] && fail "the scenario's command ran though --client replaced it"
  "$tcpgrade" live "$work/cmd.yaml" --allow-commands --www "$lab/www" --timeout 5 >"$work/out.txt" 2>&1
  [ -e "$work/RAN" ] || { cat "$work/out.txt"; fail "the command did not run with --allow-commands"; }
  ;;
*)
  echo "unknown case $case" >&2
  exit 2
  ;;
esac
echo "pass: $case"
