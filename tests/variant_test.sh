#!/usr/bin/env bash
# Per-student lab variants (params:) from the command line: `variant` prints a student's values
# and commands, the same every time; `check` grades a capture against the student's own lab, so
# a real capture made for student s042 (tests/data/captures/variant-s042.pcap, made by
# `tcpgrade live scenarios/http-lab/variant.yaml --student s042 --variant-secret
# tests/data/variant-secret.txt`) passes for s042 and fails for anyone else, and the bundled
# lab still passes with the defaults; `grade --variant-secret` grades each student on their own
# lab and names whose lab a copied capture is.
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

# A class graded with the secret: each student on their own lab. s043 handed in s042's
# capture: another-students-lab names s042; s045's values come from the roster's param:
# columns (the bundled lab's), so LEARN.pcap passes for s045 and, handed in by s044 too, is
# named as s045's lab.
class=$work/class
mkdir -p "$class"
cp "$capture" "$class/s042.pcap"
cp "$capture" "$class/s043.pcap"
cp "$source/scenarios/http-lab/LEARN.pcap" "$class/s044.pcap"
cp "$source/scenarios/http-lab/LEARN.pcap" "$class/s045.pcap"
printf 'id,name,param:port,param:path,param:page\ns042,A,,,\ns043,B,,,\ns044,C,,,\ns045,D,8002,/,TCP HANDSHAKE Learning\n' \
  >"$work/roster.csv"
"$tcpgrade" grade "$lab" "$class" --out "$work/grades" --variant-secret "$secret" \
  --roster "$work/roster.csv" >"$work/grade.txt" 2>"$work/grade.err" || fail "grade exit $?"
python3 - "$work/grades/gradebook.csv" <<'PY' || fail "variant gradebook"
import csv, sys
rows = {r["id"]: r for r in csv.DictReader(open(sys.argv[1]))}
assert rows["s042"]["status"] == "pass", rows["s042"]
assert rows["s045"]["status"] == "pass", rows["s045"]
for id in ("s043", "s044"):
    assert rows[id]["status"] == "fail", rows[id]
    assert rows[id]["reason"] == "The capture is another student's lab", rows[id]
PY
grep -q "the port of s042's lab variant; s043's lab uses port 8380" "$work/grades/reports/s043.txt" ||
  fail "s043's report does not name s042"
grep -q "the port of s045's lab variant" "$work/grades/reports/s044.txt" ||
  fail "s044's report does not name s045"
grep -q "graded on s043's lab variant: port=8380, path=/lab.html, page=Acknowledgements" \
  "$work/grades/reports/s043.txt" || fail "s043's report does not say its variant"
# Without the secret, a note says everyone is graded on the defaults.
"$tcpgrade" grade "$lab" "$class" --out "$work/plain" >/dev/null 2>"$work/plain.err" ||
  fail "plain grade exit $?"
grep -q 'declares params: but no --variant-secret' "$work/plain.err" || fail "no defaults note"
# A secret for a scenario without params: is a usage error.
"$tcpgrade" grade "$source/scenarios/http-lab/session.yaml" "$class" --out "$work/x" \
  --variant-secret "$secret" >/dev/null 2>"$work/err"
[ $? = 2 ] && grep -q 'declares no params:' "$work/err" || fail "secret without params:"

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
