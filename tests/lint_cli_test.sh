#!/usr/bin/env bash
# tcpgrade lint on the command line (issue 14): each good file's line gives its fixed maximum;
# warnings go to stderr and exit 0, --werror makes them exit 1, errors exit 2.
# Usage: lint_cli_test.sh TCPGRADE SOURCE_DIR
set -uo pipefail
tcpgrade=$1
source_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
expect() {  # NAME WANT_EXIT GOT_EXIT
  if [ "$2" != "$3" ]; then
    echo "FAIL: $1: exit $3, expected $2" >&2
    failures=$((failures + 1))
  fi
}
contains() {  # NAME FILE TEXT
  if ! grep -qF -- "$3" "$2"; then
    echo "FAIL: $1: $2 lacks: $3" >&2
    sed 's/^/    /' "$2" >&2
    failures=$((failures + 1))
  fi
}

printf 'scenario: w\nframes:\n  - {id: syn, flags: [SYN], seq: next, points: 2}\n' >"$work/warned.yaml"
printf 'scenario: e\nframes:\n  - {id: syn, flag: [SYN]}\n' >"$work/bad.yaml"

"$tcpgrade" lint "$source_dir/scenarios/http-lab/session.yaml" >"$work/out" 2>"$work/err"
expect "a shipped scenario" 0 $?
contains "a shipped scenario" "$work/out" "session.yaml: ok (9 frames, 2 streams, 0 claims, max 14 points)"

"$tcpgrade" lint "$work/warned.yaml" >"$work/out" 2>"$work/err"
expect "warnings" 0 $?
contains "warnings" "$work/out" "warned.yaml: ok, 1 warning (1 frame, 0 streams, 0 claims, max 2 points)"
contains "warnings" "$work/err" "warned.yaml:3:34: warning: seq: next on a SYN in frame 'syn'"

"$tcpgrade" lint --werror "$work/warned.yaml" >"$work/out" 2>"$work/err"
expect "--werror" 1 $?
contains "--werror" "$work/out" "warned.yaml: 1 warning (--werror)"

"$tcpgrade" lint --werror "$work/warned.yaml" "$work/bad.yaml" >"$work/out" 2>"$work/err"
expect "an error beats a warning" 2 $?
contains "an error beats a warning" "$work/err" "bad.yaml:3:15: unknown key 'flag' in frame 'syn'; did you mean 'flags'?"

"$tcpgrade" lint --help >"$work/out" 2>&1
expect "--help" 0 $?
contains "--help" "$work/out" "--werror"

[ "$failures" = 0 ] && echo "lint_cli_test: all passed"
exit $((failures > 0))
