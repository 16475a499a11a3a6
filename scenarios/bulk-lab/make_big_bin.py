#!/usr/bin/env python3
"""Writes the bulk lab's big.bin: 2 MiB (2,097,152 bytes), the same bytes on every machine.

The bytes are SHA-256 blocks of a counter, so the file does not compress and a transfer of it
is a real 2 MiB. Usage: make_big_bin.py [PATH]   (default: www/big.bin beside this script)
"""
import hashlib
import os
import sys

SIZE = 2 * 1024 * 1024


def main() -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "www", "big.bin")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    chunks = []
    for counter in range(SIZE // 32):
        chunks.append(hashlib.sha256(counter.to_bytes(8, "big")).digest())
    with open(path + ".tmp", "wb") as out:
        out.write(b"".join(chunks))
    os.replace(path + ".tmp", path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
