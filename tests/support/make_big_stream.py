#!/usr/bin/env python3
"""Writes a pcap (raw IPv4) of one TCP connection on port 8002 whose server sends N bytes of
one letter in 1400-byte segments, each acknowledged: a large response for the regex budget.
Usage: make_big_stream.py OUT.pcap N [LETTER]"""
import os
import struct
import sys

args = sys.argv[1:]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_long_capture import segment  # noqa: E402

out_path, size = args[0], int(args[1])
letter = (args[2] if len(args) > 2 else "a").encode()
client = server = bytes([127, 0, 0, 1])
cs, ss = 1000, 5000
frames = [segment(client, server, 40000, 8002, cs, 0, 0x02)]
cs += 1
frames.append(segment(server, client, 8002, 40000, ss, cs, 0x12))
ss += 1
frames.append(segment(client, server, 40000, 8002, cs, ss, 0x10))
while size > 0:
    payload = letter * min(1400, size)
    size -= len(payload)
    frames.append(segment(server, client, 8002, 40000, ss, cs, 0x18, payload))
    ss += len(payload)
    frames.append(segment(client, server, 40000, 8002, cs, ss, 0x10))
with open(out_path, "wb") as out:
    out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 101))
    for i, frame in enumerate(frames):
        out.write(struct.pack("<IIII", 1700000000, i, len(frame), len(frame)) + frame)
