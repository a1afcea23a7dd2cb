#!/usr/bin/env python3
"""serialconsole.py - types into a guest's serial console as an operator would.

Usage: serialconsole.py SOCKET TRANSCRIPT SCRIPT

SOCKET is QEMU's chardev socket for the guest's ttyS0 (tests/vm/vmlib.sh:
$VM_WORK/serial.sock); SCRIPT (a file, "-" for stdin) says what to wait for
and what to type, one command per line, split like a shell line (shlex):

  expect SECONDS REGEX    waits until REGEX (Python re, MULTILINE) matches
                          what the console printed since the last match;
                          fails after SECONDS
  send TEXT               types TEXT and Enter (a carriage return, as a
                          terminal sends it)
  ctrl LETTER             types Ctrl-LETTER (ctrl D: end of input)
  answer SECONDS LOOP END TEXT
                          while the next thing printed matches LOOP (a
                          prompt waiting for an answer), types TEXT; stops
                          when END matches first (END is not consumed: the
                          next expect can match it); at most 40 answers
  # ...                   a comment

The console's output is written to TRANSCRIPT as it comes (carriage returns
dropped; TRANSCRIPT.raw keeps the bytes as received, escape sequences
included). What was waited for and typed, with seconds since the start, goes
to stdout. Exit 0 when the whole script ran; 1 at the first expect or answer
that timed out (the transcript then shows what the console said instead);
2 on a usage or connection error. Every wait is bounded; nothing else is
touched (Python 3 standard library only).
"""

import re
import select
import shlex
import socket
import sys
import time


class Console:
    def __init__(self, path, transcript):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        deadline = time.monotonic() + 30
        while True:
            try:
                self.sock.connect(path)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        self.text = ""  # everything printed, \r dropped
        self.pos = 0  # where the next expect starts looking
        self.t0 = time.monotonic()
        self.out = open(transcript, "w", encoding="utf-8")
        self.raw = open(transcript + ".raw", "wb")

    def log(self, msg):
        print("[%6.1fs] %s" % (time.monotonic() - self.t0, msg), flush=True)

    def _read(self, timeout):
        r, _, _ = select.select([self.sock], [], [], max(0.0, timeout))
        if not r:
            return False
        data = self.sock.recv(65536)
        if not data:
            raise EOFError("the console socket closed")
        self.raw.write(data)
        self.raw.flush()
        s = data.decode("utf-8", errors="replace").replace("\r", "")
        self.text += s
        self.out.write(s)
        self.out.flush()
        return True

    def wait(self, seconds, patterns):
        """Index and match of the first of patterns found after pos."""
        deadline = time.monotonic() + seconds
        while True:
            best = None
            for i, p in enumerate(patterns):
                m = p.search(self.text, self.pos)
                if m and (best is None or m.start() < best[1].start()):
                    best = (i, m)
            left = deadline - time.monotonic()
            # a match at the very end may be a line still arriving: it
            # counts once the console has been quiet for a moment
            if best and (best[1].end() < len(self.text) or not self._read(min(max(left, 0), 0.3))):
                return best
            if best:
                continue
            if left <= 0:
                return None
            self._read(min(left, 0.5))

    def type(self, data):
        # a few bytes at a time, as a person (or a serial line) types
        for i in range(0, len(data), 16):
            self.sock.sendall(data[i:i + 16])
            time.sleep(0.01)


def run(con, script):
    for n, line in enumerate(script.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        words = shlex.split(line)
        cmd, args = words[0], words[1:]
        if cmd == "expect" and len(args) == 2:
            t = time.monotonic()
            hit = con.wait(float(args[0]), [re.compile(args[1], re.M)])
            if not hit:
                con.log("TIMEOUT after %s s waiting for %r (script line %d)" % (args[0], args[1], n))
                return 1
            con.pos = hit[1].end()
            con.log("saw %r after %.1f s" % (hit[1].group(0)[-60:], time.monotonic() - t))
        elif cmd == "send" and len(args) == 1:
            con.log("type %r" % args[0])
            con.type(args[0].encode() + b"\r")
        elif cmd == "ctrl" and len(args) == 1 and len(args[0]) == 1:
            con.log("type Ctrl-%s" % args[0].upper())
            con.type(bytes([ord(args[0].upper()) & 0x1F]))
        elif cmd == "answer" and len(args) == 4:
            loop, end = re.compile(args[1], re.M), re.compile(args[2], re.M)
            for k in range(41):
                hit = con.wait(float(args[0]), [loop, end])
                if not hit:
                    con.log("TIMEOUT after %s s waiting for %r or %r (script line %d)"
                            % (args[0], args[1], args[2], n))
                    return 1
                if hit[0] == 1:
                    con.pos = hit[1].start()
                    con.log("answered %d prompt(s) with %r; now %r" % (k, args[3], hit[1].group(0)[-60:]))
                    break
                if k == 40:
                    con.log("more than 40 prompts matched %r (script line %d)" % (args[1], n))
                    return 1
                con.pos = hit[1].end()
                con.log("prompt %r: type %r" % (hit[1].group(0)[-60:], args[3]))
                con.type(args[3].encode() + b"\r")
        else:
            con.log("script line %d not understood: %s" % (n, line))
            return 2
    # what the console printed after the last match, for the transcript
    con.wait(1.0, [re.compile(r"(?!)")])
    return 0


def main(argv):
    if len(argv) != 4:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    script = sys.stdin.read() if argv[3] == "-" else open(argv[3], encoding="utf-8").read()
    try:
        con = Console(argv[1], argv[2])
    except OSError as e:
        print("serialconsole: cannot connect to %s: %s" % (argv[1], e), file=sys.stderr)
        return 2
    try:
        return run(con, script)
    except EOFError as e:
        con.log(str(e))
        return 1
    finally:
        con.sock.close()
        con.out.close()
        con.raw.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
