#!/usr/bin/env bash
# One golden `review` report: a line of expected/review/MANIFEST.tsv (name, write-up, capture,
# format, exit) run and diffed with expected/review/NAME.EXT; the exit code must match too.
# Usage: review_golden_check.sh TCPGRADE SOURCE_DIR NAME WRITEUP CAPTURE FORMAT EXIT
set -u
tcpgrade=$1 source_dir=$2 name=$3 writeup=$4 capture=$5 format=$6 want_exit=$7
cd "$source_dir" || exit 2
case "$format" in json) extension=json ;; markdown) extension=md ;; *) extension=txt ;; esac
golden="expected/review/$name.$extension"
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
"$tcpgrade" review "$writeup" "$capture" --format "$format" --color never >"$actual"
got_exit=$?
status=0
if [ "$got_exit" != "$want_exit" ]; then
  echo "exit code $got_exit, expected $want_exit"
  status=1
fi
if ! diff -u "$golden" "$actual"; then
  echo "report differs from $golden (tools/update-review-expected regenerates it when the change is meant)"
  status=1
fi
exit $status
