#!/usr/bin/env python3
"""wild_expect.py - compare what `ntpwiz import --json` made of a real
configuration file with the meaning its expectation file says it has
(format: tests/data/wild/README), and what `ntpwiz render` wrote.

  wild_expect.py import EXPECT IMPORT.json    the imported profile and notes
  wild_expect.py render EXPECT RENDERED.conf IMPORT.json RENDER.stderr
        the render-present/-absent lines, and no server in the rendered file
        that the source file does not name unless a note or warning names it
  wild_expect.py get EXPECT KEY               print one key's value(s)

Prints one line per difference and exits 1 when there is any, 0 otherwise.
Only what the expectation names is compared; keys of the profile this
script does not know are ignored, so the profile may grow.
"""
import json
import re
import sys


def read_expect(path):
    exp = {}
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if ":" not in line:
                sys.exit("%s:%d: expected KEY: VALUE" % (path, n))
            key, val = line.split(":", 1)
            exp.setdefault(key.strip(), []).append(val.strip())
    return exp


def one(exp, key, default=None):
    v = exp.get(key)
    return v[-1] if v else default


# server entries in the profile: { host = "X"; kind = "pool"; iburst = true; ... }
ENTRY = re.compile(r"\{([^{}]*)\}")
FIELD = re.compile(r'(\w+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]+);')


def profile_servers(text):
    m = re.search(r"servers\s*=\s*\((.*?)\)\s*;", text, re.S)
    if not m:
        return []
    out = []
    for e in ENTRY.findall(m.group(1)):
        f = {k: v.strip().strip('"') for k, v in FIELD.findall(e)}
        out.append(f)
    return out


def norm_profile_server(f, daemon):
    words = [f.get("kind", "server"), f.get("host", "?")]
    # OpenNTPD and timesyncd have no iburst: the model's flag means nothing there
    flags = ("prefer", "nts") if daemon in ("openntpd", "timesyncd") else ("iburst", "prefer", "nts")
    for flag in flags:
        if f.get(flag) == "true":
            words.append(flag)
    for num in ("minpoll", "maxpoll", "weight"):
        if num in f:
            words.append("%s=%s" % (num, f[num]))
    return " ".join(words)


def norm_expect_server(s, daemon):
    words = s.split()
    head, opts = words[:2], words[2:]
    if daemon in ("openntpd", "timesyncd"):
        opts = [o for o in opts if o != "iburst"]
    order = {"iburst": 0, "prefer": 1, "nts": 2, "minpoll": 3, "maxpoll": 4, "weight": 5}
    opts.sort(key=lambda o: order.get(o.split("=")[0], 9))
    return " ".join(head + opts)


def restrict_block(text):
    m = re.search(r"restrict\s*=\s*\{(.*?)\}\s*;", text, re.S)
    return m.group(1) if m else ""


def string_list(block, key):
    m = re.search(r"\b%s\s*=\s*\[(.*?)\]" % key, block, re.S)
    return sorted(re.findall(r'"([^"]*)"', m.group(1))) if m else []


def check_import(exp, data):
    bad = []
    daemon = one(exp, "daemon")
    text = data.get("profile", "")
    notes = data.get("notes", [])
    path = one(exp, "path")
    if not text:
        return ["import gave no profile: %s" % json.dumps(data.get("errors"))]
    # servers: every expected one, with its options; any other server the
    # profile holds must be named in a note (never invented silently)
    got = [norm_profile_server(f, daemon) for f in profile_servers(text)]
    want = [norm_expect_server(s, daemon) for s in exp.get("server", [])]
    for w in want:
        if w not in got:
            bad.append("server missing or changed: want %r, profile has %r" % (w, got))
    note_text = " ".join("%s %s" % (n.get("text", ""), n.get("reason", "")) for n in notes)
    for g in got:
        if g not in want:
            host = g.split()[1]
            wanted_hosts = [w.split()[1] for w in want]
            if host in wanted_hosts:
                continue  # reported above as changed
            if host not in note_text:
                bad.append("server %r is in the profile but not in the file, and no note names it" % g)
    # policy and networks
    block = restrict_block(text)
    pm = re.search(r'policy\s*=\s*"([^"]*)"', block)
    policy = pm.group(1) if pm else "?"
    want_policy = one(exp, "policy", "-")
    if want_policy != "-" and policy != want_policy:
        bad.append("policy: want %s, profile has %s" % (want_policy, policy))
    if "allow" in exp:
        want_allow = sorted(" ".join(exp["allow"]).split())
        if string_list(block, "allow") != want_allow:
            bad.append("allow: want %s, profile has %s" % (want_allow, string_list(block, "allow")))
    # leap
    lm = re.search(r'leap\s*=\s*\{[^}]*mode\s*=\s*"([^"]*)"', text)
    leap = lm.group(1) if lm else "?"
    want_leap = one(exp, "leap", "-")
    if want_leap != "-" and leap != want_leap:
        bad.append("leap: want %s, profile has %s" % (want_leap, leap))
    # lines that must be named in notes
    noted = {}
    for n in notes:
        if path and n.get("file") not in (path, ""):
            continue
        noted.setdefault(int(n.get("line", 0)), []).append(n.get("text", ""))
    for v in exp.get("noted", []):
        for ln in v.split():
            if int(ln) not in noted:
                bad.append("line %s is not named in any note" % ln)
    return bad


def rendered_hosts(lines):
    hosts = []
    for l in lines:
        w = l.split()
        if w[0] in ("server", "pool", "servers", "peer") and len(w) > 1:
            h = w[2] if w[1] in ("-4", "-6") and len(w) > 2 else w[1]
            if not h.startswith("127.127."):  # ntpd's reference clocks (refclocks)
                hosts.append(h)
        elif l.startswith("NTP=") or l.startswith("FallbackNTP="):
            hosts.extend(l.split("=", 1)[1].split())
    return hosts


def check_render(exp, rendered, said=""):
    bad = []
    lines = [l.strip() for l in rendered.splitlines() if l.strip() and not l.lstrip().startswith("#")]
    wanted = [s.split()[1] for s in exp.get("server", [])]
    for h in rendered_hosts(lines):
        if h not in wanted and h not in said:
            bad.append("the rendered file uses %r, which the source file does not name, and no note says so" % h)
    for want in exp.get("render-present", []):
        if not any(l == want or l.startswith(want + " ") for l in lines):
            bad.append("the rendered file lacks the directive %r" % want)
    for absent in exp.get("render-absent", []):
        hit = [l for l in lines if l == absent or l.startswith(absent + " ")]
        if hit:
            bad.append("the rendered file has %r, which changes the meaning" % hit[0])
    return bad


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    mode, exp = sys.argv[1], read_expect(sys.argv[2])
    if mode == "get":
        for v in exp.get(sys.argv[3], []):
            print(v)
        return 0
    with open(sys.argv[3], encoding="utf-8", errors="replace") as f:
        body = f.read()
    if mode == "import":
        try:
            data = json.loads(body)
        except ValueError as e:
            print("import --json is not JSON: %s" % e)
            return 1
        bad = check_import(exp, data)
    elif mode == "render":
        said = ""
        for extra in sys.argv[4:]:
            with open(extra, encoding="utf-8", errors="replace") as f:
                said += f.read()
        bad = check_render(exp, body, said)
    else:
        sys.exit(__doc__)
    for b in bad:
        print(b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
