#!/usr/bin/env python3
"""Writes LEARN.pcap with hostile payload bytes of the same lengths (so the capture stays
well-formed): the response's status line and the page become terminal escape sequences (OSC
title, clear screen, C1 CSI, BEL), HTML markup, a bidirectional override and bytes that are not
UTF-8. Usage: make_hostile_payload.py LEARN.pcap OUT.pcap"""
import sys


def replace(data, old, new):
    assert data.count(old) == 1, old
    new = (new + b"A" * len(old))[:len(old)]
    return data.replace(old, new)


data = open(sys.argv[1], "rb").read()
data = replace(data, b"HTTP/1.0 200 OK", b"\x1b[31m<img\x9b\xc2\x9b\x07&\"'\xff")
data = replace(data, b"<h1>TCP HANDSHAKE Learning</h1>\n",
               b"\x1b]0;owned\x07\x1b[2J<script>x</script>\xe2\x80\xae\xc2\x9b\r")
open(sys.argv[2], "wb").write(data)
