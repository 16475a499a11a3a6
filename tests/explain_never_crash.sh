#!/usr/bin/env bash
# `tcpgrade explain` on every file of the given folders, in every format: exit 0 or 2 only
# (never a crash, a sanitizer abort or a hang), an exit 2 with a one-line error naming the
# file, and no control byte of the capture in the markdown or text output.
# Usage: explain_never_crash.sh TCPGRADE DIR... [SECONDS_PER_RUN via LIMIT]
# Exit 0 pass, 1 a file misbehaved, 77 no folder exists (skipped).
set -u
tcpgrade=$1
shift
limit=${LIMIT:-20}
failed=0 runs=0 present=0
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
for dir in "$@"; do
  [ -d "$dir" ] || continue
  present=1
  for file in "$dir"/*; do
    [ -f "$file" ] || continue
    case "$file" in *.yaml|*.md|*.txt|*.tsv) continue ;; esac
    for format in markdown text html; do
      runs=$((runs + 1))
      timeout "$limit" "$tcpgrade" explain "$file" --format "$format" >"$out" 2>"$err"
      got=$?
      case "$got" in
        0)
          if [ "$format" != html ] && LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$out"; then
            echo "FAIL: explain --format $format $file: a control byte in the output"; failed=1
          fi ;;
        2)
          if [ "$(wc -l <"$err")" != 1 ] || ! grep -qF "$(basename "$file")" "$err"; then
            echo "FAIL: explain $file exited 2 without one line naming it:"; cat "$err"; failed=1
          fi ;;
        *) echo "FAIL: explain --format $format $file exited $got"; head -5 "$err"; failed=1 ;;
      esac
      if grep -qE "Sanitizer|runtime error:" "$err"; then
        echo "FAIL: explain $file: a sanitizer report"; head -20 "$err"; failed=1
      fi
    done
  done
done
[ "$present" = 1 ] || { echo "no folder present: skipped"; exit 77; }
echo "$runs runs"
exit $failed
