#!/usr/bin/env python3
"""Checks that report files cannot be turned against their reader (tests/hostile_test.sh).
Usage: check_output_safe.py MODE FILE...   MODE is one of
  terminal  valid UTF-8; no C0 control but newline and tab, no DEL, no C1 control (U+0080-U+009F),
            no bidirectional override: nothing that can drive a terminal or spoof a name
  utf8      valid UTF-8 (JSON may carry C1 controls escaped or raw: it is data for tools)
  xml       parses as XML
  json      parses as JSON (a .jsonl file: every line)
  html      valid UTF-8 and none of the markup the hostile tests inject (<script>x, <img, <b>&)
            left live
Exit 0 when every file passes; else 1 with the first offence per file."""
import json
import re
import sys
import xml.dom.minidom

BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def check(mode, path):
    data = open(path, "rb").read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return f"not UTF-8: {error}"
    if mode == "terminal":
        for i, ch in enumerate(text):
            code = ord(ch)
            if (code < 0x20 and ch not in "\n\t") or code == 0x7F or 0x80 <= code <= 0x9F or BIDI.match(ch):
                return f"control character U+{code:04X} at offset {i}: {text[max(0, i - 30):i + 10]!r}"
    elif mode == "xml":
        try:
            xml.dom.minidom.parseString(data)
        except Exception as error:  # noqa: BLE001 - any parse failure is the finding
            return f"not well-formed XML: {error}"
    elif mode == "json":
        try:
            if path.endswith(".jsonl"):
                for line in text.splitlines():
                    json.loads(line)
            else:
                json.loads(text)
        except ValueError as error:
            return f"not JSON: {error}"
    elif mode == "html":
        for tag in ("<script>x", "<img", "<b>&"):
            if tag in text.lower():
                return f"live markup {tag} from the capture"
    return None


def main():
    mode, paths = sys.argv[1], sys.argv[2:]
    bad = 0
    for path in paths:
        problem = check(mode, path)
        if problem:
            print(f"{path}: {mode}: {problem}")
            bad += 1
    sys.exit(1 if bad else 0)


main()
