#!/usr/bin/env python3
"""Writes a pcap (raw IPv4) of one TCP connection on port 8002: SYN, SYN-ACK, ACK, then N
one-byte data segments from the client, each acknowledged. Small on disk, costly to align
against a scenario with many repeat slots: the hostile tests use it for --check-timeout and
--max-memory. Usage: make_long_capture.py OUT.pcap N"""
import struct
import sys


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def segment(src, dst, sport, dport, seq, ack, flags, payload=b""):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload
    pseudo = struct.pack("!4s4sBBH", src, dst, 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", checksum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0x4000, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return ip + tcp


def main():
    out, count = sys.argv[1], int(sys.argv[2])
    client, server = bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1])
    c, s = 1000, 5000
    SYN, ACK, PSH = 0x02, 0x10, 0x08
    frames = [segment(client, server, 40000, 8002, c, 0, SYN),
              segment(server, client, 8002, 40000, s, c + 1, SYN | ACK),
              segment(client, server, 40000, 8002, c + 1, s + 1, ACK)]
    seq = c + 1
    for _ in range(count):
        frames.append(segment(client, server, 40000, 8002, seq, s + 1, PSH | ACK, b"x"))
        seq += 1
        frames.append(segment(server, client, 8002, 40000, s + 1, seq, ACK))
    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 101))  # LINKTYPE_RAW
        for i, frame in enumerate(frames):
            f.write(struct.pack("<IIII", 1000 + i // 1000, (i % 1000) * 1000, len(frame), len(frame)))
            f.write(frame)


if __name__ == "__main__":  # make_big_stream.py imports segment()
    main()
