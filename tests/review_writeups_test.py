#!/usr/bin/env python3
"""`tcpgrade review` on the write-ups of tests/data/writeups/: each line of EXPECTATIONS.tsv names
a write-up, the capture it is reviewed against, the exit code, the exact set of checks that must
not pass (`-`: none) and the root causes the report must name (`-`: none), and a word the hint of
each failed check must hold. A correct write-up raising any failure, or a mistake flagged on
another packet or not at all, fails the test.

Usage: review_writeups_test.py TCPGRADE SOURCE_DIR
"""
import json
import subprocess
import sys
from pathlib import Path


def main() -> int:
    tcpgrade, source = sys.argv[1], Path(sys.argv[2])
    manifest = source / "tests/data/writeups/EXPECTATIONS.tsv"
    problems = []
    cases = 0
    for line in manifest.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        writeup, capture, want_exit, failing, causes, hint_word = line.split("\t")
        cases += 1
        run = subprocess.run(
            [tcpgrade, "review", f"tests/data/writeups/{writeup}", capture, "--format", "json"],
            cwd=source, capture_output=True, text=True, timeout=60)
        where = f"{writeup} against {capture}"
        if str(run.returncode) != want_exit:
            problems.append(f"{where}: exit {run.returncode}, expected {want_exit}: {run.stderr}")
            continue
        report = json.loads(run.stdout)
        failed = {c["id"]: c for c in report["claims"] if c["status"] != "pass"}
        want = set() if failing == "-" else set(failing.split(","))
        if set(failed) != want:
            problems.append(f"{where}: not passed {sorted(failed)}, expected {sorted(want)}")
        got_causes = {c["id"] for c in report["root_causes"]}
        want_causes = set() if causes == "-" else set(causes.split(","))
        if got_causes != want_causes:
            problems.append(f"{where}: root causes {sorted(got_causes)}, expected {sorted(want_causes)}")
        if hint_word != "-":
            for check in failed.values():
                if hint_word not in check.get("hint", ""):
                    problems.append(f"{where}: {check['id']}'s hint lacks {hint_word!r}: {check.get('hint')}")
        checked = len(report["claims"])
        if checked < 5:
            problems.append(f"{where}: only {checked} checks: the write-up was hardly read")
    for p in problems:
        print(p)
    print(f"{cases} write-ups reviewed, {len(problems)} problems")
    return 1 if problems or cases == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
