#!/usr/bin/env bash
# One golden test: runs `tcpgrade check` on a scenario × capture pair from expected/MANIFEST.tsv
# and diffs the report with the golden file. The exit code must match too.
# Usage: golden_check.sh TCPGRADE SOURCE_DIR NAME SCENARIO CAPTURE FORMAT EXIT
set -u
tcpgrade=$1 source_dir=$2 name=$3 scenario=$4 capture=$5 format=$6 want_exit=$7
cd "$source_dir" || exit 2
extension=$([ "$format" = json ] && echo json || echo txt)
golden="expected/$name.$extension"
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
"$tcpgrade" check "$scenario" "$capture" --format "$format" --color never >"$actual"
got_exit=$?
status=0
if [ "$got_exit" != "$want_exit" ]; then
  echo "exit code $got_exit, expected $want_exit"
  status=1
fi
if ! diff -u "$golden" "$actual"; then
  echo "report differs from $golden (tools/update-expected regenerates it when the change is meant)"
  status=1
fi
exit $status
