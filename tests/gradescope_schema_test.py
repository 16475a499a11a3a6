#!/usr/bin/env python3
"""`tcpgrade check --format gradescope` against Gradescope's documented results.json schema
(tests/data/gradescope-results.schema.json): a passing, a failing, a partly unverifiable and an
unreadable submission, and a scenario with hidden checks. Beyond the schema, Gradescope needs
the score to be the sum the tests show and a score per test within its max_score.

The validator covers the JSON Schema keywords the schema file uses (type, enum, required,
properties, additionalProperties, items, minimum), so the test needs no Python package.
Usage: gradescope_schema_test.py TCPGRADE SOURCE_DIR. Exit 0 pass, 1 fail.
"""
import json
import os
import subprocess
import sys
import tempfile

TYPES = {"object": dict, "array": list, "string": str, "boolean": bool}


def type_ok(value, name):
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, TYPES[name])


def validate(value, schema, where="$"):
    errors = []
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(type_ok(value, n) for n in names):
            return [f"{where}: {value!r} is not of type {schema['type']}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: {value!r} is not one of {schema['enum']}")
    if "minimum" in schema and type_ok(value, "number") and value < schema["minimum"]:
        errors.append(f"{where}: {value} is below {schema['minimum']}")
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                errors.append(f"{where}: '{key}' is required")
        props = schema.get("properties", {})
        for key, item in value.items():
            if key in props:
                errors += validate(item, props[key], f"{where}.{key}")
            elif schema.get("additionalProperties") is False:
                errors.append(f"{where}: '{key}' is not a documented key")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            errors += validate(item, schema["items"], f"{where}[{i}]")
    return errors


def main():
    tcpgrade, source = sys.argv[1], sys.argv[2]
    schema = json.load(open(os.path.join(source, "tests/data/gradescope-results.schema.json")))
    lab = os.path.join(source, "scenarios/http-lab")
    captures = os.path.join(source, "tests/data/captures")
    work = tempfile.mkdtemp()
    essay = os.path.join(work, "essay.pcap")
    with open(essay, "w") as f:
        f.write("my essay\n")
    hidden = os.path.join(work, "hidden.yaml")
    with open(os.path.join(lab, "handshake.yaml")) as f:
        text = f.read()
    with open(hidden, "w") as f:  # the same scenario with its checks hidden from students
        f.write(text.replace("frames:", "visibility: hidden\nframes:", 1))
    cases = [  # scenario, capture, exit code
        (os.path.join(lab, "session.yaml"), os.path.join(lab, "LEARN.pcap"), 0),
        (os.path.join(lab, "session.yaml"), os.path.join(captures, "learn-fin-to-rst.pcap"), 1),
        (os.path.join(lab, "handshake.yaml"), os.path.join(captures, "lab-lo-snap60.pcap"), 1),
        (os.path.join(lab, "document.yaml"), os.path.join(lab, "LEARN.pcap"), 1),
        (os.path.join(lab, "session.yaml"), essay, 2),
        (hidden, os.path.join(lab, "LEARN.pcap"), 0),
    ]
    failures = 0
    for scenario, capture, want in cases:
        name = f"{os.path.basename(scenario)} on {os.path.basename(capture)}"
        run = subprocess.run([tcpgrade, "check", scenario, capture, "--format", "gradescope"],
                             capture_output=True, text=True)
        problems = []
        if run.returncode != want:
            problems.append(f"exit {run.returncode}, expected {want}: {run.stderr.strip()}")
        try:
            results = json.loads(run.stdout)
        except ValueError as error:
            problems.append(f"not JSON: {error}")
            results = None
        if results is not None:
            problems += validate(results, schema)
            tests = results.get("tests", [])
            if not tests:
                problems.append("no tests")
            total = sum(t.get("score", 0) for t in tests)
            if abs(total - results.get("score", total)) > 1e-3:
                problems.append(f"score {results.get('score')} is not the tests' sum {total}")
            for t in tests:
                if t.get("score", 0) > t.get("max_score", float("inf")) + 1e-9:
                    problems.append(f"test {t.get('name')}: score above max_score")
            if want == 0 and any(t.get("status") != "passed" for t in tests):
                problems.append("a passing submission has a failed test")
            if want == 1 and all(t.get("status") == "passed" for t in tests):
                problems.append("a failing submission has no failed test")
            if scenario == hidden and any(t.get("visibility") != "hidden" for t in tests):
                problems.append("visibility: hidden did not reach every test")
        print(f"{'ok  ' if not problems else 'FAIL'} {name}: {len(results.get('tests', [])) if results else 0} tests")
        for p in problems[:10]:
            print(f"     {p}")
        failures += bool(problems)
    print(f"{len(cases) - failures} of {len(cases)} results.json files match Gradescope's schema")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
