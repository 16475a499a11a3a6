#!/usr/bin/env bash
# `review` on hostile write-ups: binary, empty, huge, 100,000 sections, missing, a directory, a
# FIFO, a hostile file name: exit 2 and one error line naming the file and the cause, never a
# crash or a hang; a write-up with a million-byte line is read within its limits.
# Usage: review_hostile_test.sh TCPGRADE SOURCE_DIR
set -u
tcpgrade=$1 source=$2
capture="$source/scenarios/http-lab/LEARN.pcap"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
expect_error() {  # NAME FILE WORD [OPTIONS...]: exit 2, one stderr line naming FILE and WORD
  local name=$1 file=$2 word=$3
  shift 3
  timeout 60 "$tcpgrade" review "$file" "$capture" "$@" >"$work/out" 2>"$work/err"
  local got=$?
  local lines
  lines=$(wc -l <"$work/err")
  if [ "$got" != 2 ] || [ "$lines" != 1 ] || ! grep -qF -- "$(basename "$file")" "$work/err" ||
    ! grep -qi -- "$word" "$work/err" || [ -s "$work/out" ]; then
    echo "FAIL $name: exit $got, stderr: $(head -c 300 "$work/err")"
    status=1
  else
    echo "ok   $name: $(cat "$work/err")"
  fi
}
head -c 4096 "$capture" >"$work/binary.md"
expect_error binary "$work/binary.md" "not a text file"
: >"$work/empty.md"
expect_error empty "$work/empty.md" "empty"
printf 'Packet 1: Seq=0\n' >"$work/huge.md"
head -c 5000000 /dev/zero | tr '\0' 'x' >>"$work/huge.md"
expect_error huge "$work/huge.md" "--max-writeup-bytes"
expect_error small-limit "$source/tests/data/writeups/learn-correct.md" "--max-writeup-bytes" \
  --max-writeup-bytes 100
python3 -c "
import sys
with open(sys.argv[1], 'w') as f:
    for i in range(1, 100001):
        f.write(f'Packet {i}: Seq=1\n')
" "$work/many.md"
expect_error many-sections "$work/many.md" "packet sections"
printf 'nothing about packets here\n' >"$work/prose.md"
expect_error no-sections "$work/prose.md" "no packet sections"
expect_error missing "$work/missing.md" "cannot read"
mkdir "$work/folder.md"
expect_error directory "$work/folder.md" "directory"
mkfifo "$work/fifo.md"
expect_error fifo "$work/fifo.md" "not a regular file"
# A hostile name stays one inert line: no raw escape byte reaches the terminal.
timeout 60 "$tcpgrade" review "$work/$(printf 'evil\033[31m\n.md')" "$capture" >"$work/out" 2>"$work/err"
got=$?
if [ "$got" != 2 ] || [ "$(wc -l <"$work/err")" != 1 ] || grep -q $'\033' "$work/err"; then
  echo "FAIL hostile name: exit $got, stderr: $(od -c "$work/err" | head -3)"
  status=1
else
  echo "ok   hostile name: $(cat "$work/err")"
fi
# A bounded report, not an error: one enormous line, read up to the line limit (exit 1: it
# describes one packet of the twelve).
{ printf 'Packet 1: Seq=0 '; head -c 1000000 /dev/zero | tr '\0' '['; printf '\n'; } >"$work/wide.md"
timeout 60 "$tcpgrade" review "$work/wide.md" "$capture" >"$work/out" 2>"$work/err"
got=$?
if [ "$got" != 1 ] || [ "$(wc -c <"$work/out")" -gt 20000 ]; then
  echo "FAIL wide line: exit $got, $(wc -c <"$work/out") bytes of report"
  status=1
else
  echo "ok   wide line: exit 1, $(wc -c <"$work/out") bytes"
fi
exit $status
