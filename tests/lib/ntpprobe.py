#!/usr/bin/env python3
"""ntpprobe.py: send a bounded number of NTP packets to one test address and
count what comes back, byte for byte (tests/integration/drdos-proof.sh).

    ntpprobe.py KIND ADDR [--port N] [--count N] [--spread S] [--wait S]

KIND is one of
  time    NTPv4 client request (mode 3), 48 bytes
  mode6   control READVAR (mode 6), 12 bytes: what `ntpq -c rv` sends first
  mode7   private MON_GETLIST_1 (mode 7, implementation XNTPD), 48 bytes:
          the monlist request of CVE-2013-5211
  cmd     a chronyc command request (protocol 6, REQ_TRACKING), as chronyc
          sends it to UDP port 323

It sends COUNT packets evenly over SPREAD seconds from one socket, then
listens WAIT more seconds, and prints one line of KEY=VALUE words (lists
comma-separated, "-" when empty), easy to read from a shell:
  kind addr port sent replies served unsynced kod kod_codes icmp_refused
  request_bytes min_request_bytes reply_bytes max_reply_bytes
`served` counts mode 4 replies that are not Kiss-o'-Death (`unsynced`: those
of them with leap indicator 3, a server that is not synchronised); `kod`
counts replies with stratum 0 and a printable kiss code (e.g. RATE; the
distinct codes in kod_codes). `icmp_refused` counts ICMP errors (port
unreachable).

Safety: the destination must be a loopback address, or a private
10.0.0.0/8 address and then only from inside a network namespace an ntpwiz
test made (`ip netns add ntpwiz-...`); COUNT is at most 100 and the whole run
at most 15 s. Exit 0 when it ran, 2 on a usage error.
"""

import ipaddress
import os
import select
import socket
import struct
import sys
import time

MAX_COUNT = 100
MAX_SECONDS = 15.0
NTP_EPOCH_OFFSET = 2208988800


def time_request(seq):
    # LI 0, VN 4, mode 3; transmit timestamp unique per packet.
    now = time.time() + NTP_EPOCH_OFFSET
    secs = int(now)
    frac = (int((now - secs) * (1 << 32)) & 0xFFFFFF00) | (seq & 0xFF)
    return struct.pack("!BBbb11I", 0x23, 0, 6, -20, 0, 0, 0, 0, 0, 0, 0, 0, 0, secs, frac)


def mode6_readvar(seq):
    # LI 0, VN 2, mode 6; opcode 2 (READVAR); sequence; status, association,
    # offset and count all 0: 12 bytes, no data.
    return struct.pack("!BBHHHHH", 0x16, 0x02, seq & 0xFFFF, 0, 0, 0, 0)


def mode7_monlist(seq):
    # R 0, M 0, VN 2, mode 7; auth/seq 0; implementation 3 (XNTPD);
    # request 42 (MON_GETLIST_1); err/nitems 0; mbz/itemsize 0; 40 bytes
    # of data, as monlist scanners send it.
    del seq
    return struct.pack("!BBBBHH", 0x17, 0x00, 0x03, 0x2A, 0, 0) + bytes(40)


def chrony_cmd(seq):
    # chrony candm request header: version 6, type 1 (request), res1, res2,
    # command 33 (REQ_TRACKING), attempt, sequence, pad; padded to the size
    # of the reply so the server accepts it (chronyc does the same).
    hdr = struct.pack("!BBBBHHIII", 6, 1, 0, 0, 33, 0, seq, 0, 0)
    return hdr + bytes(100)


KINDS = {"time": time_request, "mode6": mode6_readvar, "mode7": mode7_monlist, "cmd": chrony_cmd}


def usage(msg):
    sys.stderr.write("ntpprobe.py: %s\n" % msg)
    sys.stderr.write("usage: ntpprobe.py time|mode6|mode7|cmd ADDR [--port N] [--count N] [--spread S] [--wait S]\n")
    sys.exit(2)


def in_test_netns():
    # A namespace an ntpwiz test made with `ip netns add ntpwiz-...`: ip
    # keeps it as /run/netns/NAME, the same nsfs inode as our own.
    try:
        me = os.stat("/proc/self/ns/net").st_ino
        return any(name.startswith("ntpwiz-") and os.stat("/run/netns/" + name).st_ino == me
                   for name in os.listdir("/run/netns"))
    except OSError:
        return False


def allowed(addr):
    ip = ipaddress.ip_address(addr)
    if ip.is_loopback:
        return True
    return ip.version == 4 and ip in ipaddress.ip_network("10.0.0.0/8") and in_test_netns()


def main(argv):
    if len(argv) < 2 or argv[0] not in KINDS:
        usage("need KIND and ADDR")
    kind, addr = argv[0], argv[1]
    opts = {"--port": None, "--count": "1", "--spread": "0", "--wait": "1.5"}
    rest = argv[2:]
    while rest:
        if rest[0] not in opts or len(rest) < 2:
            usage("unknown or incomplete option %r" % rest[0])
        opts[rest[0]] = rest[1]
        rest = rest[2:]
    try:
        if not allowed(addr):
            usage("%s is not loopback, nor a 10.0.0.0/8 address seen from an ntpwiz-* "
                  "test network namespace; refusing to send" % addr)
        port = int(opts["--port"] or (323 if kind == "cmd" else 123))
        count = int(opts["--count"])
        spread = float(opts["--spread"])
        wait = float(opts["--wait"])
    except ValueError as e:
        usage(str(e))
    if not 1 <= count <= MAX_COUNT:
        usage("--count must be 1..%d" % MAX_COUNT)
    if spread < 0 or wait < 0 or spread + wait > MAX_SECONDS:
        usage("--spread + --wait must be 0..%g seconds" % MAX_SECONDS)

    make = KINDS[kind]
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.connect((addr, port))  # connected: only that peer's replies, and ICMP errors
    except OSError as e:
        sys.stderr.write("ntpprobe.py: cannot reach %s: %s\n" % (addr, e.strerror))
        count = 0  # nothing sent: sent=0 says so
    result = {"kind": kind, "addr": addr, "port": port, "sent": 0, "request_bytes": [],
              "replies": 0, "reply_bytes": [], "max_reply_bytes": 0, "kod": 0,
              "kod_codes": [], "served": 0, "unsynced": 0, "icmp_refused": 0}

    def take(data):
        result["replies"] += 1
        result["reply_bytes"].append(len(data))
        result["max_reply_bytes"] = max(result["max_reply_bytes"], len(data))
        if kind == "time" and len(data) >= 48 and data[0] & 7 == 4:
            code = data[12:16]
            # INIT and STEP are what an unsynchronised server sends, not a
            # refusal (RFC 5905 7.4); RATE, DENY, RSTR... are.
            if data[1] == 0 and all(0x20 < b < 0x7F for b in code) and code not in (b"INIT", b"STEP"):
                result["kod"] += 1
                result["kod_codes"].append(code.decode("ascii"))
            else:
                result["served"] += 1
                if data[0] >> 6 == 3:
                    result["unsynced"] += 1

    def drain(until):
        while True:
            left = until - time.monotonic()
            if left <= 0:
                return
            r, _, _ = select.select([sock], [], [], left)
            if not r:
                return
            try:
                take(sock.recv(65536))
            except ConnectionRefusedError:
                result["icmp_refused"] += 1
            except OSError:
                result["icmp_refused"] += 1

    start = time.monotonic()
    step = spread / count if count > 1 else 0
    for i in range(count):
        pkt = make(i + 1)
        try:
            sock.send(pkt)
            result["sent"] += 1
            result["request_bytes"].append(len(pkt))
        except OSError:
            result["icmp_refused"] += 1
        drain(start + step * (i + 1))
    drain(time.monotonic() + wait)
    sock.close()
    result["min_request_bytes"] = min(result["request_bytes"], default=0)
    result["kod_codes"] = sorted(set(result["kod_codes"]))
    words = []
    for key in ("kind", "addr", "port", "sent", "replies", "served", "unsynced", "kod",
                "kod_codes", "icmp_refused", "request_bytes", "min_request_bytes",
                "reply_bytes", "max_reply_bytes"):
        v = result[key]
        if isinstance(v, list):
            v = ",".join(str(x) for x in v) or "-"
        words.append("%s=%s" % (key, v))
    sys.stdout.write(" ".join(words) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
