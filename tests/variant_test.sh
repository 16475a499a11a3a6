#!/usr/bin/env bash
# Per-student lab variants (params:) from the command line: `variant` prints a student's values
# and commands, the same every time; `check` grades a capture against the student's own lab, so
# a real capture made for student s042 (tests/data/captures/variant-s042.pcap, made by
# `tcpgrade live scenarios/http-lab/variant.yaml --student s042 --variant-secret
# tests/data/variant-secret.txt`) passes for s042 and fails for anyone else, and the bundled
# lab still passes with the defaults.
# Usage: variant_test.sh TCPGRADE SOURCE_DIR
set -u
tcpgrade=$1 source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
lab=$source/scenarios/http-lab/variant.yaml
secret=$source/tests/data/variant-secret.txt
capture=$source/tests/data/captures/variant-s042.pcap

"$tcpgrade" variant "$lab" --student s042 --variant-secret "$secret" >"$work/s042.txt" ||
  fail "variant exit $?"
grep -q '^  port  8701 ' "$work/s042.txt" || fail "s042's port: $(cat "$work/s042.txt")"
grep -q 'curl -s -o /dev/null http://127.0.0.1:8701/lab.html' "$work/s042.txt" ||
  fail "s042's client command"
grep -q 'sudo tcpdump -i lo -w LEARN.pcap tcp port 8701' "$work/s042.txt" || fail "capture command"
"$tcpgrade" variant "$lab" --student s042 --variant-secret "$secret" | cmp -s - "$work/s042.txt" ||
  fail "variant is not deterministic"
"$tcpgrade" variant "$lab" --student s042 --variant-secret "$secret" --format json >"$work/s042.json"
python3 -c "
import json, sys
v = json.load(open('$work/s042.json'))
assert v['params'] == {'port': '8701', 'path': '/lab.html', 'page': 'Port Numbers'}, v
" || fail "variant json"
"$tcpgrade" variant "$lab" --student s043 --variant-secret "$secret" | grep -q '^  port  8701 ' &&
  fail "s043 got s042's port"

# The student's own capture passes for them, fails for another student (wrong port), and the
# values given outright do the same as the secret.
"$tcpgrade" check "$lab" "$capture" --student s042 --variant-secret "$secret" >"$work/own.txt" ||
  fail "s042's own capture: exit $? $(head -20 "$work/own.txt")"
"$tcpgrade" check "$lab" "$capture" --param port=8701 --param path=/lab.html \
  --param 'page=Port Numbers' >/dev/null || fail "--param values"
"$tcpgrade" check "$lab" "$capture" --student s043 --variant-secret "$secret" >"$work/other.txt"
[ $? = 1 ] || fail "s042's capture graded for s043 should fail"
grep -q '\[wrong-port\]' "$work/other.txt" || fail "no wrong-port for s043"
# The bundled lab is the default variant.
"$tcpgrade" check "$lab" "$source/scenarios/http-lab/LEARN.pcap" >/dev/null || fail "defaults"
# Another page at the right port: the stream check names the page it wanted.
"$tcpgrade" check "$lab" "$capture" --param port=8701 --param path=/lab.html \
  --param 'page=Sliding Windows' >"$work/page.txt"
[ $? = 1 ] || fail "a wrong page should fail"
grep -q '<h1>Sliding Windows</h1>' "$work/page.txt" || fail "the expected page is not named"

# Usage errors: exit 2, one line on stderr.
for args in "--student s042" "--variant-secret $secret" "--param port" \
  "--param prot=1 --param port=8701" "--student s1 --variant-secret /nonexistent"; do
  # shellcheck disable=SC2086
  "$tcpgrade" check "$lab" "$capture" $args >/dev/null 2>"$work/err"
  code=$?
  [ $code = 2 ] || fail "check $args: exit $code"
  [ "$(wc -l <"$work/err")" = 1 ] || fail "check $args: $(cat "$work/err")"
done
: >"$work/empty-secret"
"$tcpgrade" variant "$lab" --student s1 --variant-secret "$work/empty-secret" 2>"$work/err"
[ $? = 2 ] && grep -q 'the variant secret is empty' "$work/err" || fail "empty secret"
echo "variant: ok"
