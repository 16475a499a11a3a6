#!/usr/bin/env bash
# Every file of a corpus directory through `dump` (all formats) and `check` (the lab scenario):
# each run must exit 0, 1 or 2 (never a crash, a sanitizer abort or a hang) within a time
# bound, and every exit 2 must come with a one-line error on stderr that names the file.
# Then the whole folder through `grade` as one class: exit 0, one row per file, and no row
# for a grading process that died, hung or gave no result (there a crash or a sanitizer
# report would hide), nothing from a sanitizer on stderr.
# Usage: corpus_never_crash.sh TCPGRADE SOURCE_DIR CORPUS_DIR [SECONDS_PER_RUN]
# Exit 0 pass, 1 a file misbehaved, 77 the corpus is absent (skipped).
set -u
tcpgrade=$1 source=$2 corpus=$3 limit=${4:-20}
if [ ! -d "$corpus" ]; then
  echo "corpus $corpus absent: skipped"
  exit 77
fi
failed=0 runs=0
err=$(mktemp)
trap 'rm -f "$err"' EXIT
run() {  # run ALLOWED_EXITS FILE ARGS...
  local allowed=$1 file=$2
  shift 2
  runs=$((runs + 1))
  timeout "$limit" "$tcpgrade" "$@" >/dev/null 2>"$err"
  local got=$?
  case " $allowed " in
    *" $got "*) ;;
    *) echo "FAIL: tcpgrade $* exited $got (allowed: $allowed)"; head -5 "$err"; failed=1; return ;;
  esac
  if [ "$got" = 2 ]; then
    if [ "$(grep -c . "$err")" -lt 1 ] || ! grep -qF "$(basename "$file")" "$err"; then
      echo "FAIL: tcpgrade $* exited 2 without naming $(basename "$file") on stderr:"; cat "$err"; failed=1
    fi
  fi
}
for file in "$corpus"/*; do
  [ -f "$file" ] || continue
  for format in text tsv jsonl; do run "0 2" "$file" dump --format "$format" "$file"; done
  run "0 2" "$file" dump --summary "$file"
  run "0 1 2" "$file" check "$source/scenarios/http-lab/session.yaml" "$file"
  run "0 1 2" "$file" check "$source/scenarios/http-lab/document.yaml" "$file" --format json
done
# grade: each file graded in its own child, whose crash would only be an error row.
out=$(mktemp -d)
trap 'rm -f "$err"; rm -rf "$out"' EXIT
files=$(find "$corpus" -maxdepth 1 -type f | wc -l)
runs=$((runs + 1))
timeout $((limit * 4 + files * 2)) "$tcpgrade" grade "$source/scenarios/http-lab/session.yaml" "$corpus" \
  --out "$out/grades" --jobs 2 --timeout "$limit" >/dev/null 2>"$err"
got=$?
if [ "$got" != 0 ]; then
  echo "FAIL: tcpgrade grade over $corpus exited $got"; head -20 "$err"; failed=1
else
  rows=$(($(wc -l <"$out/grades/gradebook.csv") - 1))
  [ "$rows" = "$files" ] || { echo "FAIL: grade wrote $rows rows for $files files"; failed=1; }
  if grep -E "grading process (died|gave no result)|too slow: stopped" "$out/grades/gradebook.csv"; then
    echo "FAIL: grade: a grading process crashed or hung (rows above)"; failed=1
  fi
fi
if grep -E "Sanitizer|runtime error:" "$err"; then
  echo "FAIL: grade: a sanitizer report on stderr"; head -40 "$err"; failed=1
fi
echo "$runs runs over $(find "$corpus" -maxdepth 1 -type f | wc -l) files"
exit $failed
