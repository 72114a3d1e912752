#!/usr/bin/env python3
"""Stand-in for atcp-vboard when testing tools/testbed itself: checks its card (made by
fake_sdimage.py for this board), writes its console file, and broadcasts "board-hello <id>"
(EtherType 0x88B6) from its interface every 200 ms until stopped. ATCP_FAKE_VBOARD_FAIL=1 makes it
report a bad card and exit, as a board that cannot start would."""
import argparse
import json
import os
import socket
import struct
import sys
import time

p = argparse.ArgumentParser()
for flag in ("--interface", "--board-id", "--disk", "--cluster-id", "--cluster-key-file", "--console"):
    p.add_argument(flag, required=True)
p.add_argument("--cd")
a = p.parse_args()
if os.environ.get("ATCP_FAKE_VBOARD_FAIL") == "1":
    sys.exit("board %s: disk image unreadable: %s" % (a.board_id, a.disk))
with open(a.disk) as f:
    card = json.load(f)
if card["board_id"] != a.board_id:
    sys.exit("card is for board %s, not %s" % (card["board_id"], a.board_id))
with open(a.console, "w") as f:
    f.write("board %s up on %s\n" % (a.board_id, a.interface))
print("fake board", a.board_id, "on", a.interface, flush=True)

s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x88B6))
s.bind((a.interface, 0x88B6))
with open("/sys/class/net/%s/address" % a.interface) as f:
    mac = bytes(int(x, 16) for x in f.read().strip().split(":"))
frame = struct.pack("!6s6sH", b"\xff" * 6, mac, 0x88B6) + ("board-hello %s" % a.board_id).encode()
frame += bytes(max(0, 60 - len(frame)))
while True:
    s.send(frame)
    time.sleep(0.2)
