#!/usr/bin/env bash
# One explain golden: runs `tcpgrade explain` on a capture (with a scenario unless -) from
# expected/explain/MANIFEST.tsv and diffs the walkthrough with the golden file; the exit code
# must match too.
# Usage: explain_golden_check.sh TCPGRADE SOURCE_DIR NAME CAPTURE SCENARIO FORMAT EXIT OPTIONS
# OPTIONS: more arguments for explain, split at spaces (e.g. "--stream 1"), or - for none.
set -u
tcpgrade=$1 source_dir=$2 name=$3 capture=$4 scenario=$5 format=$6 want_exit=$7 options=${8:--}
cd "$source_dir" || exit 2
case "$format" in markdown) extension=md ;; html) extension=html ;; *) extension=txt ;; esac
golden="expected/explain/$name.$extension"
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
args=(explain "$capture" --format "$format")
[ "$scenario" = - ] || args+=(--scenario "$scenario")
if [ "$options" != - ]; then read -ra more <<<"$options"; args+=("${more[@]}"); fi
"$tcpgrade" "${args[@]}" >"$actual"
got_exit=$?
status=0
if [ "$got_exit" != "$want_exit" ]; then
  echo "exit code $got_exit, expected $want_exit"
  status=1
fi
if ! diff -u "$golden" "$actual"; then
  echo "walkthrough differs from $golden (tools/update-explain-expected regenerates it when the change is meant)"
  status=1
fi
exit $status
