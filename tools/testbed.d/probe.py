#!/usr/bin/env python3
"""Small network probes for the testbed, run inside a host with `tools/testbed exec <host>`.

  probe.py send   --interface eth0 --dst MAC [--ethertype 0x88b6] [--payload TEXT] [--count N]
  probe.py listen --interface eth0 [--ethertype 0x88b6] [--src MAC] [--count N] [--timeout S]
  probe.py flood  --interface eth0 --dst MAC --seconds S [--size 1514]
  probe.py rate   --interface eth0 [--ethertype 0x88b6] [--src MAC] [--timeout S] [--idle S]
  probe.py arp    --interface eth0 --target IP --sender-ip IP [--timeout S]
  probe.py sink   --listen IP:PORT [--timeout S]
  probe.py source --connect IP:PORT --seconds S

Frames use EtherType 0x88B6 (IEEE 802 local experimental 2) unless told otherwise, so nothing
else on the testbed takes them for its own. Receivers print "ready" once their socket is open
(so a caller can start the sender after it), then one JSON line per result.
"""
import argparse
import json
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
ETH_P_ARP = 0x0806
PROBE_ETHERTYPE = 0x88B6


def mac_bytes(text):
    return bytes(int(part, 16) for part in text.split(":"))


def mac_text(raw):
    return ":".join("%02x" % b for b in raw)


def ready():
    print("ready", flush=True)


def raw_socket(interface, ethertype=ETH_P_ALL):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ethertype))
    s.bind((interface, ethertype))
    return s


def own_mac(interface):
    with open("/sys/class/net/%s/address" % interface) as f:
        return mac_bytes(f.read().strip())


def frame(dst, src, ethertype, payload):
    body = struct.pack("!6s6sH", dst, src, ethertype) + payload
    return body + bytes(max(0, 60 - len(body)))  # pad to the Ethernet minimum (FCS excluded)


def cmd_send(a):
    s = raw_socket(a.interface, a.ethertype)
    src = mac_bytes(a.src) if a.src else own_mac(a.interface)
    for i in range(a.count):
        payload = a.payload.replace("{i}", str(i)).encode()
        s.send(frame(mac_bytes(a.dst), src, a.ethertype, payload))
    print(json.dumps({"sent": a.count}), flush=True)


def received(s, a, deadline):
    """Yields (src, dst, ethertype, payload, length) of incoming frames matching the filters."""
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return
        s.settimeout(left)
        try:
            data, addr = s.recvfrom(65535)
        except socket.timeout:
            return
        if addr[2] == socket.PACKET_OUTGOING or len(data) < 14:
            continue
        dst, src, etype = struct.unpack("!6s6sH", data[:14])
        if a.ethertype != ETH_P_ALL and etype != a.ethertype:
            continue
        if a.src and mac_text(src) != a.src.lower():
            continue
        yield mac_text(src), mac_text(dst), etype, data[14:], len(data)


def cmd_listen(a):
    s = raw_socket(a.interface, a.ethertype)
    ready()
    seen = 0
    for src, dst, etype, payload, _ in received(s, a, time.monotonic() + a.timeout):
        print(json.dumps({"src": src, "dst": dst, "ethertype": etype,
                          "payload": payload.rstrip(b"\0").decode("latin-1")}), flush=True)
        seen += 1
        if seen >= a.count:
            break
    print(json.dumps({"frames": seen}), flush=True)


def cmd_flood(a):
    s = raw_socket(a.interface, a.ethertype)
    data = frame(mac_bytes(a.dst), own_mac(a.interface), a.ethertype, bytes(a.size - 14))
    sent = dropped = 0
    end = time.monotonic() + a.seconds
    while time.monotonic() < end:
        try:
            s.send(data)  # blocks while the socket's send buffer is full (the qdisc holds frames)
            sent += 1
        except OSError:  # ENOBUFS: the qdisc's queue is full; a real NIC would stall the sender
            dropped += 1
            time.sleep(0.001)
    print(json.dumps({"sent": sent, "refused": dropped}), flush=True)


def cmd_rate(a):
    s = raw_socket(a.interface, a.ethertype)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    ready()
    first = last = None
    frames = size = 0
    deadline = time.monotonic() + a.timeout
    while True:
        end = deadline if last is None else min(deadline, last + a.idle)
        got = False
        for _, _, _, _, length in received(s, a, end):
            now = time.monotonic()
            if first is None:
                first = now
            else:
                size += length  # bytes after the first frame, over the time since it
            last = now
            frames += 1
            got = True
            break
        if not got:
            break
    seconds = (last - first) if frames > 1 else 0.0
    mbit = size * 8 / seconds / 1e6 if seconds > 0 else 0.0
    print(json.dumps({"frames": frames, "seconds": round(seconds, 3), "mbit": round(mbit, 3)}), flush=True)


def cmd_arp(a):
    s = raw_socket(a.interface, ETH_P_ARP)
    src = own_mac(a.interface)
    request = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, src, socket.inet_aton(a.sender_ip),
                          bytes(6), socket.inet_aton(a.target))
    ready()
    s.send(frame(b"\xff" * 6, src, ETH_P_ARP, request))
    answers = []
    a.src = None
    a.ethertype = ETH_P_ARP
    for frame_src, _, _, payload, _ in received(s, a, time.monotonic() + a.timeout):
        if len(payload) < 28:
            continue
        op, sha, spa = struct.unpack("!6xH6s4s", payload[:18])
        if op == 2 and socket.inet_ntoa(spa) == a.target:
            answers.append({"from": frame_src, "mac": mac_text(sha)})
    print(json.dumps({"replies": answers}), flush=True)


def endpoint(text):
    host, port = text.rsplit(":", 1)
    return host, int(port)


def cmd_sink(a):
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(endpoint(a.listen))
    server.listen(1)
    server.settimeout(a.timeout)
    ready()
    conn, _ = server.accept()
    conn.settimeout(a.timeout)
    first = last = None
    size = 0
    while True:
        chunk = conn.recv(1 << 16)
        if not chunk:
            break
        now = time.monotonic()
        if first is None:
            first = now
        else:
            size += len(chunk)
        last = now
    seconds = (last - first) if first is not None else 0.0
    mbit = size * 8 / seconds / 1e6 if seconds > 0 else 0.0
    print(json.dumps({"bytes": size, "seconds": round(seconds, 3), "mbit": round(mbit, 3)}), flush=True)


def cmd_source(a):
    conn = socket.create_connection(endpoint(a.connect), timeout=10)
    block = bytes(1 << 16)
    sent = 0
    end = time.monotonic() + a.seconds
    while time.monotonic() < end:
        sent += conn.send(block)
    conn.close()
    print(json.dumps({"bytes": sent}), flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)

    def ethertype(text):
        return int(text, 0)

    def with_interface(q):
        q.add_argument("--interface", default="eth0")
        q.add_argument("--ethertype", type=ethertype, default=PROBE_ETHERTYPE)

    q = sub.add_parser("send"); with_interface(q)
    q.add_argument("--dst", required=True); q.add_argument("--src")
    q.add_argument("--payload", default="atcp testbed probe {i}"); q.add_argument("--count", type=int, default=1)
    q = sub.add_parser("listen"); with_interface(q)
    q.add_argument("--src"); q.add_argument("--count", type=int, default=1); q.add_argument("--timeout", type=float, default=5)
    q = sub.add_parser("flood"); with_interface(q)
    q.add_argument("--dst", required=True); q.add_argument("--seconds", type=float, required=True)
    q.add_argument("--size", type=int, default=1514)
    q = sub.add_parser("rate"); with_interface(q)
    q.add_argument("--src"); q.add_argument("--timeout", type=float, default=10); q.add_argument("--idle", type=float, default=1)
    q = sub.add_parser("arp"); q.add_argument("--interface", default="eth0")
    q.add_argument("--target", required=True); q.add_argument("--sender-ip", required=True)
    q.add_argument("--timeout", type=float, default=1)
    q = sub.add_parser("sink"); q.add_argument("--listen", required=True); q.add_argument("--timeout", type=float, default=10)
    q = sub.add_parser("source"); q.add_argument("--connect", required=True); q.add_argument("--seconds", type=float, required=True)

    a = p.parse_args()
    {"send": cmd_send, "listen": cmd_listen, "flood": cmd_flood, "rate": cmd_rate, "arp": cmd_arp,
     "sink": cmd_sink, "source": cmd_source}[a.command](a)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
