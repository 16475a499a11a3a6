#!/usr/bin/env python3
"""Writes a pcap of N SYN-only connections (each its own client address and port, none ever
answered): the most connections a capture of its size can open, for the --max-connections and
--max-memory limits. Usage: make_syn_flood.py OUT.pcap N"""
import struct
import sys

path, count = sys.argv[1], int(sys.argv[2])
with open(path, "wb") as out:
    out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    ethernet = b"\x00" * 12 + b"\x08\x00"
    for i in range(count):
        ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 40, 0, 0x4000, 64, 6, 0,
                         bytes([10, (i >> 16) & 255, (i >> 8) & 255, i & 255]), bytes([10, 255, 0, 1]))
        tcp = struct.pack(">HHIIBBHHH", 1024 + i % 60000, 8002, i, 0, 5 << 4, 0x02, 65535, 0, 0)
        frame = ethernet + ip + tcp
        out.write(struct.pack("<IIII", 1700000000 + i // 1000000, i % 1000000, len(frame), len(frame)))
        out.write(frame)
