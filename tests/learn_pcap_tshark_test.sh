#!/usr/bin/env bash
# Checks the rebuilt LEARN.pcap (tools/make_learn_pcap) against tshark, an independent decoder.
# The expected file holds tshark's summary line for each of the 12 frames. Frames 1-3 are the
# lab document's own lines word for word (tshark 4.0 only spaces them differently and writes
# "→" for "->"); frames 4-12 carry the values the document shows (frame length, flags, Seq,
# Ack, Len) in tshark's words. The expected file can hold no comment: the diff is exact.
# Usage: learn_pcap_tshark_test.sh LEARN.pcap EXPECTED.txt
# Exit: 0 same, 1 differs (the diff is printed), 2 usage or tshark error, 77 no tshark (skip).
set -u
if [ $# -ne 2 ]; then
  echo "usage: $0 LEARN.pcap EXPECTED.txt" >&2
  exit 2
fi
pcap=$1 expected=$2
if ! command -v tshark >/dev/null 2>&1; then
  echo "tshark not installed: skipped"
  exit 77
fi

# A private, empty configuration directory and explicit settings, so a developer's own
# Wireshark preferences (columns, time format, name resolution) cannot change the lines.
config=$(mktemp -d)
actual=$(mktemp)
errors=$(mktemp)
trap 'rm -rf "$config" "$actual" "$errors"' EXIT
columns='"No.","%m","Time","%t","Source","%s","Destination","%d","Protocol","%p","Length","%L","Info","%i"'
if ! HOME=$config XDG_CONFIG_HOME=$config tshark -n -t r -r "$pcap" \
    -o tcp.relative_sequence_numbers:TRUE -o "gui.column.format:$columns" \
    >"$actual" 2>"$errors"; then
  echo "tshark failed on $pcap:"
  grep -v '^Running as user' "$errors"
  exit 2
fi
if ! diff -u "$expected" "$actual"; then
  echo "tshark's reading of $pcap differs from $expected"
  exit 1
fi
