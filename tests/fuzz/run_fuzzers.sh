#!/usr/bin/env bash
# Runs each libFuzzer target of a build made with -DTCPGRADE_FUZZ=ON for a fixed time, from a
# seed corpus assembled here (tests/data, the shipped scenarios, tests/fuzz/corpus, every
# regression in tests/data/fuzz-regressions and ../shared/corpus when present), with the
# target's dictionary. Builds nothing. Prints per target: executions, exec/s, corpus size,
# findings. Any crash, leak, timeout or out-of-memory is a finding: its input is kept under
# BUILD_DIR/fuzz-findings/TARGET/ and the script exits 1 (add the file to
# tests/data/fuzz-regressions/TARGET/ once the engine is fixed, so CTest replays it forever).
# Usage: run_fuzzers.sh BUILD_DIR SECONDS_PER_TARGET [TARGET...]   (default: every target)
# Environment: TCPGRADE_FUZZ_CORPUS=DIR keeps each target's growing corpus in DIR/TARGET
# between runs (default: a temporary copy, removed at the end).
set -euo pipefail
build=$(cd "$1" && pwd) seconds=$2
shift 2
targets=("$@")
((${#targets[@]})) || targets=(capture scenario scenario_capture)
source=$(cd "$(dirname "$0")/../.." && pwd)
here=$source/tests/fuzz
shared=$source/../shared/corpus
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dict_of() { case $1 in capture) echo capture.dict ;; *) echo scenario.dict ;; esac; }
max_len_of() { case $1 in capture) echo 16384 ;; *) echo 32768 ;; esac; }

copy_seeds() {  # copy_seeds DIR FILE... (missing files and folders are skipped)
  local dir=$1 file
  shift
  for file in "$@"; do [ -f "$file" ] && cp "$file" "$dir/$(basename "$file")"; done
  return 0
}

assemble_seeds() {  # assemble_seeds TARGET DIR
  local target=$1 dir=$2
  copy_seeds "$dir" "$here/corpus/$target"/* "$source/tests/data/fuzz-regressions/$target"/*
  case $target in
    capture)
      copy_seeds "$dir" "$source/scenarios/http-lab/LEARN.pcap" "$source/tests/data/captures"/*
      [ -d "$shared" ] && copy_seeds "$dir" "$shared/wellformed"/* "$shared/malformed"/* ;;
    scenario)
      copy_seeds "$dir" "$source/scenarios"/*/*.yaml "$source/tests/data/scenarios"/*.yaml ;;
    scenario_capture)
      local yaml capture
      for yaml in "$source/scenarios/http-lab"/*.yaml; do
        for capture in "$source/scenarios/http-lab/LEARN.pcap" "$source/tests/data/captures"/{lab-lo.pcap,lab-refused.pcap,lab-lo-keepalive.pcap,two-connections.pcap,lab-lo-ipv6.pcap}; do
          { cat "$yaml"; printf '\n#capture\n'; cat "$capture"; } \
            >"$dir/$(basename "$yaml" .yaml)+$(basename "$capture")"
        done
      done ;;
  esac
}

status=0
summary=$(printf '%-18s %8s %12s %9s %8s %9s\n' target seeds executions exec/s corpus findings)
for target in "${targets[@]}"; do
  binary=$build/tests/fuzz/fuzz_$target
  [ -x "$binary" ] || { echo "run_fuzzers: error: $binary: not built (-DTCPGRADE_FUZZ=ON)" >&2; exit 2; }
  seeds=$work/$target.seeds artifacts=$work/$target.artifacts log=$work/$target.log
  mkdir -p "$seeds" "$artifacts"
  assemble_seeds "$target" "$seeds"
  corpus=$seeds
  if [ -n "${TCPGRADE_FUZZ_CORPUS:-}" ]; then
    corpus=$TCPGRADE_FUZZ_CORPUS/$target
    mkdir -p "$corpus"
  fi
  seed_count=$(find "$seeds" -type f | wc -l)
  echo "run_fuzzers: $target for $seconds s from $seed_count seeds"
  # -timeout: an input graded for more than 30 s under ASan is a hang (a scenario of 400
  # frames with repeat: {max: 64} takes 7 s on a loaded 2-core machine: slow, bounded by the
  # limits, not a hang); -rss_limit_mb and -malloc_limit_mb: a capture or scenario that makes
  # the engine take gigabytes is a finding.
  fuzzer_status=0
  (cd "$work" && ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=0 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$binary" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -malloc_limit_mb=2048 \
      -max_len="$(max_len_of "$target")" -dict="$here/$(dict_of "$target")" \
      -artifact_prefix="$artifacts/" -print_final_stats=1 -close_fd_mask=1 \
      "$corpus" $([ "$corpus" != "$seeds" ] && echo "$seeds") >"$log" 2>&1) || fuzzer_status=$?
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  corpus_size=$(find "$corpus" -type f | wc -l)
  findings=$(find "$artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
    -o -name 'oom-*' \) | wc -l)
  if ((fuzzer_status != 0 || findings != 0)); then
    status=1
    kept=$build/fuzz-findings/$target
    mkdir -p "$kept"
    cp "$artifacts"/* "$kept"/ 2>/dev/null || true
    cp "$log" "$kept/fuzzer.log"
    echo "run_fuzzers: FAIL: $target: fuzzer exit $fuzzer_status, $findings finding(s), kept in $kept"
    grep -E -A25 '^==[0-9]+==ERROR|runtime error:|^==[0-9]+== ERROR|deadly signal|Timeout|out-of-memory|uncaught' \
      "$log" | head -60 || true
  fi
  summary+=$(printf '\n%-18s %8s %12s %9s %8s %9s' "$target" "$seed_count" "${executions:-?}" \
    "${speed:-?}" "$corpus_size" "$findings")
done
echo "$summary"
exit $status
