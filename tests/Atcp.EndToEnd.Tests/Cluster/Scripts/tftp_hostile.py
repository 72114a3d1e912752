#!/usr/bin/env python3
"""Hostile TFTP datagrams to a server's port 69, one socket (one client TID) per case.

    tftp_hostile.py SERVER EXISTING_FILE

Prints one JSON line: {"cases": [{"case", "opcode", "error", "message", "from_port"}...],
"random": {"sent", "answered", "non_error_answers"}}. "opcode" is the first reply's opcode (null:
no reply within 0.6 s). A transfer that a case starts (DATA or OACK in reply) is ended with an
ERROR from the client, so nothing lingers.
"""
import json
import random
import socket
import struct
import sys

SERVER, EXISTING = sys.argv[1], sys.argv[2].encode()
WAIT = 0.6


def rrq(name, mode=b"octet", *options, opcode=1):
    body = struct.pack("!H", opcode) + name + b"\0" + mode + b"\0"
    for o in options:
        body += o + b"\0"
    return body


CASES = [
    ("empty datagram", b""),
    ("one byte", b"\x00"),
    ("opcode 0", b"\x00\x00file\x00octet\x00"),
    ("opcode 9", b"\x00\x09" + b"junk" * 10),
    ("opcode 65535", b"\xff\xff\x00\x01"),
    ("unterminated filename", b"\x00\x01" + EXISTING),
    ("unterminated mode", b"\x00\x01" + EXISTING + b"\x00octet"),
    ("empty filename", rrq(b"")),
    ("control character in the name", rrq(b"bad\x01name")),
    ("invalid UTF-8 name", rrq(b"\xff\xfe")),
    ("missing file", rrq(b"no/such/file.bin")),
    ("netascii", rrq(EXISTING, b"netascii")),
    ("unknown mode", rrq(EXISTING, b"binary!")),
    ("write request", rrq(EXISTING, b"octet", opcode=2)),
    ("only unknown options", rrq(EXISTING, b"octet", b"frobnicate", b"yes", b"x-y", b"1")),
    ("huge blksize", rrq(EXISTING, b"octet", b"blksize", b"99999999999999999999999999")),
    ("blksize too small", rrq(EXISTING, b"octet", b"blksize", b"4")),
    ("blksize not a number", rrq(EXISTING, b"octet", b"blksize", b"0x200")),
    ("option without value", rrq(EXISTING, b"octet", b"blksize")),
    ("option twice", rrq(EXISTING, b"octet", b"tsize", b"0", b"tsize", b"0")),
    ("windowsize 0", rrq(EXISTING, b"octet", b"windowsize", b"0")),
    ("request over 512 bytes", rrq(EXISTING, b"octet", b"x-pad", b"p" * 600)),
    ("DATA to port 69", b"\x00\x03\x00\x01hello"),
    ("ACK to port 69", b"\x00\x04\x00\x01"),
    ("OACK to port 69", b"\x00\x06blksize\x00512\x00"),
    ("ERROR to port 69", b"\x00\x05\x00\x01nope\x00"),
]


def exchange(payload):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(WAIT)
    try:
        s.sendto(payload, (SERVER, 69))
        try:
            data, (_, port) = s.recvfrom(70000)
        except socket.timeout:
            return {"opcode": None, "error": None, "message": None, "from_port": None}
        opcode = struct.unpack("!H", data[:2])[0] if len(data) >= 2 else None
        out = {"opcode": opcode, "error": None, "message": None, "from_port": port}
        if opcode == 5 and len(data) >= 4:
            out["error"] = struct.unpack("!H", data[2:4])[0]
            out["message"] = data[4:].split(b"\0")[0].decode("utf-8", "replace")
        if opcode == 6:
            out["message"] = data[2:].replace(b"\0", b" ").decode("utf-8", "replace").strip()
        if opcode in (3, 6):  # a transfer started: end it as a client would
            s.sendto(b"\x00\x05\x00\x00cancelled by the test\x00", (SERVER, port))
        return out
    finally:
        s.close()


def main():
    results = []
    for name, payload in CASES:
        r = exchange(payload)
        r["case"] = name
        results.append(r)
    rng = random.Random(1350)
    sent = answered = non_error = 0
    for _ in range(100):
        n = rng.randrange(0, 80)
        payload = bytes(rng.randrange(256) for _ in range(n))
        if rng.random() < 0.5 and n >= 2:  # half of them look like requests
            payload = b"\x00" + bytes([rng.choice([1, 2])]) + payload[2:]
        r = exchange(payload)
        sent += 1
        if r["opcode"] is not None:
            answered += 1
            if r["opcode"] not in (5, 3, 6):
                non_error += 1
    print(json.dumps({"cases": results, "random": {"sent": sent, "answered": answered, "non_error_answers": non_error}}))


if __name__ == "__main__":
    main()
