#!/usr/bin/env python3
"""Readiness probe for the local Kafka broker (stdlib only, no client library).

    python3 deploy/kafka/probe.py [HOST] [PORT] [--timeout SECONDS] [--quiet]

Connects to HOST:PORT, sends ApiVersions (v0) and then a Metadata request
(v4, all topics, no auto-creation) over the plain Kafka wire protocol and
checks that the broker lists itself. Exit status 0 = broker answers metadata
requests, 1 = not (yet). Used by kafka.sh for `start`, `wait` and `status`;
a JVM-based admin command would cost seconds of JVM start-up per try.
"""

from __future__ import annotations

import argparse
import socket
import struct
import sys

API_METADATA = 3
API_VERSIONS = 18
CLIENT_ID = b"boyin-probe"


class ProbeError(Exception):
    pass


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ProbeError("connection closed by broker")
        buf += chunk
    return bytes(buf)


def _request(sock: socket.socket, api_key: int, api_version: int, corr: int, body: bytes) -> bytes:
    # Request header v1: api_key, api_version, correlation_id, client_id.
    header = struct.pack(">hhih", api_key, api_version, corr, len(CLIENT_ID)) + CLIENT_ID
    msg = header + body
    sock.sendall(struct.pack(">i", len(msg)) + msg)
    (size,) = struct.unpack(">i", _recv_exact(sock, 4))
    resp = _recv_exact(sock, size)
    (got_corr,) = struct.unpack(">i", resp[:4])
    if got_corr != corr:
        raise ProbeError(f"correlation id mismatch ({got_corr} != {corr})")
    return resp[4:]  # response header v0 is just the correlation id


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def _take(self, fmt: str):
        (v,) = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += struct.calcsize(fmt)
        return v

    def i16(self) -> int:
        return self._take(">h")

    def i32(self) -> int:
        return self._take(">i")

    def string(self) -> str | None:
        n = self.i16()
        if n < 0:
            return None
        s = self.data[self.pos : self.pos + n].decode()
        self.pos += n
        return s


def probe(host: str, port: int, timeout: float) -> str:
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.settimeout(timeout)

        # ApiVersions v0: empty body; tells us the broker speaks Metadata v4.
        r = _Reader(_request(sock, API_VERSIONS, 0, 1, b""))
        err = r.i16()
        if err:
            raise ProbeError(f"ApiVersions error code {err}")
        versions = {}
        for _ in range(r.i32()):
            key, lo, hi = r.i16(), r.i16(), r.i16()
            versions[key] = (lo, hi)
        lo, hi = versions.get(API_METADATA, (99, -1))
        if not lo <= 4 <= hi:
            raise ProbeError(f"broker does not support Metadata v4 (range {lo}..{hi})")

        # Metadata v4: topics = null (all), allow_auto_topic_creation = false.
        r = _Reader(_request(sock, API_METADATA, 4, 2, struct.pack(">ib", -1, 0)))
        r.i32()  # throttle_time_ms
        brokers = []
        for _ in range(r.i32()):
            node_id, bhost, bport, _rack = r.i32(), r.string(), r.i32(), r.string()
            brokers.append((node_id, bhost, bport))
        cluster_id = r.string()
        controller_id = r.i32()
        n_topics = r.i32()
        if not brokers:
            raise ProbeError("metadata lists no live broker yet")
        return f"cluster {cluster_id}, brokers {brokers}, controller {controller_id}, {n_topics} topic(s)"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("host", nargs="?", default="127.0.0.1")
    ap.add_argument("port", nargs="?", type=int, default=19092)
    ap.add_argument("--timeout", type=float, default=3.0)
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    try:
        info = probe(args.host, args.port, args.timeout)
    except (OSError, ProbeError, struct.error, UnicodeDecodeError) as e:
        if not args.quiet:
            print(f"not ready: {args.host}:{args.port}: {e}", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"ready: {args.host}:{args.port}: {info}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
