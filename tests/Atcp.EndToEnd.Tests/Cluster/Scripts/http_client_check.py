#!/usr/bin/env python3
"""Python's http.client against the cluster: GETs on one persistent connection (each body checked
by SHA-256 and length), then HEADs on the same connection, then a Range GET. Prints one JSON line.

    http_client_check.py HOST PATH:LENGTH:SHA256 [PATH:LENGTH:SHA256 ...]
"""
import hashlib
import http.client
import json
import sys


def main():
    host = sys.argv[1]
    objects = [arg.rsplit(":", 2) for arg in sys.argv[2:]]
    conn = http.client.HTTPConnection(host, 80, timeout=60)
    conn.connect()
    local_port = conn.sock.getsockname()[1]
    ports = set()
    gets, heads = [], []
    for path, length, sha in objects:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        ports.add(conn.sock.getsockname()[1] if conn.sock else -1)
        gets.append({
            "path": path, "status": response.status, "length": len(body), "expected_length": int(length),
            "sha_ok": hashlib.sha256(body).hexdigest() == sha,
            "content_length": response.getheader("Content-Length"), "connection": response.getheader("Connection"),
        })
    for path, length, sha in objects:
        conn.request("HEAD", path)
        response = conn.getresponse()
        body = response.read()  # http.client reads no body for HEAD; an empty read confirms none was sent
        ports.add(conn.sock.getsockname()[1] if conn.sock else -1)
        heads.append({
            "path": path, "status": response.status, "body_length": len(body),
            "content_length": response.getheader("Content-Length"), "accept_ranges": response.getheader("Accept-Ranges"),
        })
    # A range of the last object, still on the same connection.
    path, length, _ = objects[-1]
    first, last = int(length) // 3, int(length) // 3 + 999
    conn.request("GET", path, headers={"Range": "bytes=%d-%d" % (first, last)})
    response = conn.getresponse()
    part = response.read()
    ports.add(conn.sock.getsockname()[1] if conn.sock else -1)
    ranged = {"path": path, "status": response.status, "first": first, "length": len(part),
              "sha256": hashlib.sha256(part).hexdigest(), "content_range": response.getheader("Content-Range")}
    conn.close()
    print(json.dumps({"local_port": local_port, "ports": sorted(ports), "gets": gets, "heads": heads, "range": ranged}))


if __name__ == "__main__":
    main()
