#!/usr/bin/env bash
# review(explain(C), C) passes: the walkthrough `explain` writes of every capture it accepts,
# in markdown and text, reviewed against that capture, raises no failure (exit 0), and is read:
# at least a handful of checks per packet section.
# Usage: review_explain_roundtrip.sh TCPGRADE CAPTURE...
set -u
tcpgrade=$1
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0 reviewed=0
for capture in "$@"; do
  for format in markdown text; do
    "$tcpgrade" explain "$capture" --format "$format" -o "$work/walkthrough" 2>/dev/null || continue
    "$tcpgrade" review "$work/walkthrough" "$capture" --format json -o "$work/report.json"
    got=$?
    reviewed=$((reviewed + 1))
    if [ "$got" != 0 ]; then
      echo "FAIL: review(explain($capture, $format)) exits $got"
      "$tcpgrade" review "$work/walkthrough" "$capture" --brief | grep -B1 -A5 '✗' | head -40
      status=1
      continue
    fi
    python3 - "$work/report.json" "$capture" "$format" <<'PY' || status=1
import json, re, sys
report = json.load(open(sys.argv[1]))
checks = len(report["claims"])
sections = int(re.search(r"(\d+) packet section", report["notes"][0]).group(1))
if checks < 5 * sections:
    print(f"FAIL: review(explain({sys.argv[2]}, {sys.argv[3]})): {checks} checks for {sections} packets")
    sys.exit(1)
PY
  done
done
echo "$reviewed walkthroughs reviewed"
[ "$reviewed" -gt 0 ] || status=1
exit $status
