#!/usr/bin/env python3
"""One mutation test: derive a broken capture from a good one with tools/mutate_capture, check it
against a scenario, and assert the exact set of failed check ids, the root cause ids and that
the report's explanation holds a specific hint.

Usage: mutation_check.py TCPGRADE MUTATE_CAPTURE SOURCE_DIR NAME  (one line of
tests/data/mutations.tsv, found by NAME: name, capture, mutation, scenario, exit, failed ids,
root causes, hint). Exit 0 pass, 1 fail, 2 usage.
"""
import json
import os
import subprocess
import sys
import tempfile


def manifest_line(source, name):
    with open(os.path.join(source, "tests", "data", "mutations.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            fields = line.rstrip("\n").split("\t")
            if fields[0] == name:
                return fields
    return None


def split_ids(text):
    return sorted(x for x in text.split(",") if x and x != "-")


def main():
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    tcpgrade, mutate, source, name = sys.argv[1:]
    fields = manifest_line(source, name)
    if not fields or len(fields) != 8:
        print(f"{name}: no such line (8 fields) in tests/data/mutations.tsv", file=sys.stderr)
        return 2
    _, capture, mutation, scenario, want_exit, want_failed, want_causes, hint = fields
    with tempfile.TemporaryDirectory() as work:
        mutated = os.path.join(work, name + ".pcap")
        made = subprocess.run([mutate, os.path.join(source, capture), mutated, mutation])
        if made.returncode != 0:
            print(f"mutate_capture {mutation} failed ({made.returncode})")
            return 1
        run = subprocess.run([tcpgrade, "check", os.path.join(source, scenario), mutated,
                              "--format", "json"], capture_output=True, text=True)
    ok = True
    if str(run.returncode) != want_exit:
        print(f"exit {run.returncode}, expected {want_exit}; stderr: {run.stderr.strip()}")
        ok = False
    if run.returncode not in (0, 1):
        return 1
    report = json.loads(run.stdout)
    checks = [c for conv in report["conversations"] for c in conv["checks"]] + report["claims"]
    failed = sorted(c["id"] for c in checks if c["status"] != "pass")
    causes = sorted(c["id"] for c in report["root_causes"])
    if failed != split_ids(want_failed):
        print(f"failed checks: {','.join(failed) or '-'}\n      expected: {','.join(split_ids(want_failed)) or '-'}")
        ok = False
    if causes != split_ids(want_causes):
        print(f"root causes: {','.join(causes) or '-'}\n    expected: {','.join(split_ids(want_causes)) or '-'}")
        ok = False
    text = " ".join([c.get("hint", "") for c in checks] +
                    [c["explanation"] for c in report["root_causes"]])
    if hint not in text:
        print(f"no explanation mentions {hint!r}")
        ok = False
    if not failed and not causes:
        print("the mutation went unnoticed: no check failed and no root cause was found")
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
