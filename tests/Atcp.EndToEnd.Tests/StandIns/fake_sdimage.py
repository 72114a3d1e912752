#!/usr/bin/env python3
"""Stand-in for tools/sdimage when testing tools/testbed itself: `build --out IMG --board-id I
--boards N --copies C DIR` writes a JSON "card" recording its arguments and DIR's file names."""
import argparse
import json
import os

p = argparse.ArgumentParser()
sub = p.add_subparsers(dest="command", required=True)
b = sub.add_parser("build")
b.add_argument("--out", required=True)
b.add_argument("--board-id", required=True)
b.add_argument("--boards", type=int, required=True)
b.add_argument("--copies", type=int, required=True)
b.add_argument("content")
a = p.parse_args()
with open(a.out, "w") as f:
    json.dump({"board_id": a.board_id, "boards": a.boards, "copies": a.copies,
               "files": sorted(os.listdir(a.content))}, f)
