#!/usr/bin/env bash
# The HTML report in headless Chromium: it renders (a screenshot is written), and the page logs
# no console error, for a capture with a hostile file name and a failing check.
# Usage: html_report_test.sh TCPGRADE SOURCE_DIR OUT_DIR
# Exit 0 pass, 1 fail, 77 Chromium absent (skipped).
set -u
tcpgrade=$1 source=$2 out=$3
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "chromium not installed: skipped"; exit 77; }
rm -rf "$out"; mkdir -p "$out"
capture="$out/<img src=x onerror=alert(1)>.pcap"
cp "$source/tests/data/captures/learn-fin-to-rst.pcap" "$capture"
"$tcpgrade" check "$source/tests/data/scenarios/session-frames.yaml" "$capture" --format html -o "$out/report.html"
[ $? = 1 ] || { echo "FAIL: check did not exit 1"; exit 1; }
grep -q "<img" "$out/report.html" && { echo "FAIL: an unescaped <img in the page"; exit 1; }
"$browser" --headless --no-sandbox --disable-gpu --window-size=1100,1600 \
  --enable-logging=stderr --v=0 --screenshot="$out/report.png" "file://$out/report.html" \
  >"$out/chromium.log" 2>&1
[ -s "$out/report.png" ] || { echo "FAIL: no screenshot"; cat "$out/chromium.log"; exit 1; }
if grep -E "CONSOLE|Uncaught|Refused to" "$out/chromium.log"; then
  echo "FAIL: the page logged errors"; exit 1
fi
# The ladder diagram as the browser built it: two lifelines, one arrow per frame (10 captured)
# (the frame-by-frame session, whose teardown frames are rows of their own)
# and per missing frame (server-fin and client-fin, drawn dashed).
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --user-data-dir="$out/profile" --dump-dom "file://$out/report.html" >"$out/dom.html" 2>/dev/null
lines=$(grep -o "<line " "$out/dom.html" | wc -l)
dashed=$(grep -o "<line [^>]*stroke-dasharray" "$out/dom.html" | wc -l)
[ "$lines" = 14 ] || { echo "FAIL: the ladder has $lines lines, expected 2 lifelines + 12 arrows"; exit 1; }
[ "$dashed" = 2 ] || { echo "FAIL: $dashed dashed arrows, expected 2 (the missing FINs)"; exit 1; }
echo "rendered: $out/report.png ($(stat -c %s "$out/report.png") bytes), no console errors"
