#!/usr/bin/env python3
"""ntp-responder.py: a tiny NTPv4 server for tests and benchmarks.

Answers client requests (mode 3) on every --bind ADDRESS (port 123, or
ADDRESS:PORT / [V6]:PORT) the way a server at --stratum would, with its
clock shifted by --offset seconds, with --delay-ms of round trip added (a
stand-in for network latency, since netem is not available here): each
request is held half of it before it is timestamped and answered, and the
reply half of it before it leaves, so the delay shows up as a symmetric
round trip, not as server processing time or offset. The receive timestamp
is the kernel's (SO_TIMESTAMPNS), so a responder that the scheduler holds
back under load still answers with the time the request arrived: without
it, its offset was off by half of that wait (3 ms in a CI run). Exits after --lifetime
seconds whatever happens (bounded), or on SIGTERM. Prints "ready" on stdout
once every socket is bound.

Only for addresses inside a test's own network namespace or loopback.
"""
import argparse
import heapq
import select
import signal
import socket
import struct
import sys
import time

NTP_UNIX = 2208988800


SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)  # Linux; = SCM_TIMESTAMPNS


def ntp_now(offset):
    return ntp_at(time.time_ns(), offset)


def ntp_at(unix_ns, offset):
    ns = unix_ns + int(round(offset * 1e9))
    sec, frac_ns = divmod(ns, 1_000_000_000)
    return ((sec + NTP_UNIX) & 0xFFFFFFFF) << 32 | (frac_ns << 32) // 1_000_000_000


def parse_bind(s):
    if s.startswith("["):
        host, _, port = s[1:].partition("]")
        port = port[1:] if port.startswith(":") else "123"
        return socket.AF_INET6, host, int(port)
    if s.count(":") == 1:
        host, port = s.split(":")
        return socket.AF_INET, host, int(port)
    if ":" in s:
        return socket.AF_INET6, s, 123
    return socket.AF_INET, s, 123


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bind", action="append", required=True)
    ap.add_argument("--stratum", type=int, default=2)
    ap.add_argument("--offset", type=float, default=0.0)
    ap.add_argument("--delay-ms", type=float, default=0.0)
    ap.add_argument("--lifetime", type=float, default=60.0)
    a = ap.parse_args()

    socks = []
    for b in a.bind:
        fam, host, port = parse_bind(b)
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.bind((host, port))
        s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        s.setblocking(False)
        socks.append(s)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("ready", flush=True)

    end = time.monotonic() + a.lifetime
    queue = []  # (due, seq, sock, peer, (request, t2) or None, reply or None)
    seq = 0
    while True:
        now = time.monotonic()
        if now >= end:
            return 0
        wait = end - now
        if queue:
            wait = max(0.0, min(wait, queue[0][0] - now))
        ready, _, _ = select.select(socks, [], [], wait)
        for s in ready:
            try:
                data, anc, _, peer = s.recvmsg(512, socket.CMSG_SPACE(16))
            except BlockingIOError:
                continue
            if len(data) < 48 or data[0] & 7 != 3:
                continue
            arrived_ns = time.time_ns()
            for level, kind, payload in anc:
                if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(payload) >= 16:
                    sec, nsec = struct.unpack("qq", payload[:16])
                    arrived_ns = sec * 1_000_000_000 + nsec
            half = a.delay_ms / 2000.0
            # t2: when the request "reaches" the server, half the round trip after the kernel got it
            t2 = ntp_at(arrived_ns + int(half * 1e9), a.offset)
            heapq.heappush(queue, (time.monotonic() + half, seq, s, peer, (data, t2), None))
            seq += 1
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            due, _, s, peer, req, out = heapq.heappop(queue)
            if out is not None:  # the reply's half of the round trip is over
                try:
                    s.sendto(out, peer)
                except OSError:
                    pass
                continue
            req, t2 = req
            version = (req[0] >> 3) & 7
            ref = t2 - (1 << 32)  # synchronised a second ago
            reply = struct.pack(
                "!BBbbIII QQQQ".replace(" ", ""),
                (0 << 6) | (version << 3) | 4,
                a.stratum,
                6,
                -20,
                0x00000100,  # root delay ~3.9 ms
                0x00000200,  # root dispersion ~7.8 ms
                0x7F7F0101 if a.stratum > 1 else 0x4C4F434C,  # 127.127.1.1 / "LOCL"
                ref,
                struct.unpack("!Q", req[40:48])[0],  # origin = their transmit
                t2,
                ntp_now(a.offset),
            )
            if a.delay_ms > 0:  # the reply's half of the round trip starts at t3
                heapq.heappush(queue, (time.monotonic() + a.delay_ms / 2000.0, seq, s, peer, None, reply))
                seq += 1
                continue
            try:
                s.sendto(reply, peer)
            except OSError:
                pass


if __name__ == "__main__":
    sys.exit(main())
