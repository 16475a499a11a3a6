#!/usr/bin/env bash
# Every file of a corpus directory through `dump` (all formats) and `check` (the lab scenario):
# each run must exit 0, 1 or 2 (never a crash, a sanitizer abort or a hang) within a time
# bound, and every exit 2 must come with a one-line error on stderr that names the file.
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
echo "$runs runs over $(find "$corpus" -maxdepth 1 -type f | wc -l) files"
exit $failed
