#!/usr/bin/env python3
"""Stand-in for atcp-frontend when testing tools/testbed itself: takes the daemon's flags, counts
boards by the hello frames the stand-in boards broadcast (EtherType 0x88B6) on its interface, and
serves GET /status on the management address with engine.boardsUp, as the daemon does.
ATCP_FAKE_FRONTEND_SILENT=1 makes it serve nothing, as a daemon stuck at start-up would."""
import argparse
import http.server
import json
import os
import socket
import sys
import threading
import time

p = argparse.ArgumentParser()
for flag in ("--interface", "--service-ip", "--netmask", "--gateway", "--mgmt-listen", "--cluster-id", "--cluster-key-file"):
    p.add_argument(flag, required=True)
a = p.parse_args()
with open(a.cluster_key_file, "rb") as f:
    if len(f.read()) != 16:
        sys.exit("cluster key file is not 16 bytes")

boards = {}
lock = threading.Lock()


def listen():
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x88B6))
    s.bind((a.interface, 0x88B6))
    while True:
        data = s.recv(2048)
        words = data[14:].rstrip(b"\0").decode("latin-1").split()
        if len(words) == 2 and words[0] == "board-hello":
            with lock:
                boards[int(words[1])] = ":".join("%02x" % b for b in data[6:12])


class Status(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path != "/status":
            self.send_error(404)
            return
        with lock:
            known = dict(boards)
        body = json.dumps({
            "daemon": {"interface": a.interface, "serviceIp": a.service_ip, "clusterId": a.cluster_id, "argv": sys.argv[1:]},
            "engine": {"state": "running", "boardsUp": len(known), "boardsTotal": len(known)},
            "boards": [{"id": k, "macAddress": v} for k, v in sorted(known.items())],
        }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


if os.environ.get("ATCP_FAKE_FRONTEND_SILENT") == "1":
    print("fake front-end: silent, no management endpoint", flush=True)
    while True:
        time.sleep(60)
threading.Thread(target=listen, daemon=True).start()
host, port = a.mgmt_listen.rsplit(":", 1)
print("fake front-end on", a.interface, "management", a.mgmt_listen, flush=True)
http.server.ThreadingHTTPServer((host, int(port)), Status).serve_forever()
