#!/usr/bin/env bash
# `tcpgrade explain` on LEARN.pcap with hostile payload bytes (terminal escapes, C1 controls,
# HTML markup, a bidi override, bytes that are not UTF-8): the markdown and text walkthroughs
# hold nothing that drives a terminal, the HTML none of the markup live; with a hostile file
# name too.
# Usage: explain_hostile_output.sh TCPGRADE SOURCE_DIR
set -u
tcpgrade=$1 source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
evil="$work/evil"$'\x1b[2J\u202e'"<b>.pcap"
python3 "$source/tests/support/make_hostile_payload.py" "$source/scenarios/http-lab/LEARN.pcap" \
  "$evil" || { echo "FAIL: generator"; exit 1; }
failed=0
for format in markdown text html; do
  if ! "$tcpgrade" explain "$evil" --format "$format" -o "$work/out.$format" 2>"$work/err"; then
    echo "FAIL: explain --format $format exited non-zero:"; cat "$work/err"; failed=1; continue
  fi
  mode=$([ "$format" = html ] && echo html || echo terminal)
  python3 "$source/tests/support/check_output_safe.py" "$mode" "$work/out.$format" || failed=1
done
# The payload is really in the walkthrough, escaped: the test cannot pass on an empty file.
grep -qF '\x1b]0;owned' "$work/out.markdown" || { echo "FAIL: page not quoted"; failed=1; }
grep -qF '&lt;script&gt;x&lt;/script&gt;' "$work/out.html" || { echo "FAIL: html not escaped"; failed=1; }
exit $failed
