#!/usr/bin/env python3
"""promcheck.py: checks a file in the Prometheus text exposition format
(version 0.0.4), for the tests when promtool cannot be had.

Usage: promcheck.py [FILE]   (stdin without FILE)
       promcheck.py --dump [FILE]   also print each sample as
                                    NAME{sorted labels} VALUE, one a line

Checks what Prometheus' text parser refuses and what `promtool check
metrics` lints: line syntax (metric and label names, escapes in label
values, float values, optional integer timestamp), # TYPE at most once per
family and before its samples, # HELP at most once, a family's lines
together, no duplicate series, every family with HELP and TYPE, counters
ending _total and nothing else, no non-base units in names, a final
newline. Exit 0 clean, 1 with one line per problem on stderr.
"""
import re
import sys

NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
FLOAT = re.compile(r"[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|Inf|NaN)")
TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}
SUFFIXES = ("_bucket", "_count", "_sum", "_total", "_created")
NON_BASE_UNITS = ("milliseconds", "microseconds", "nanoseconds", "minutes", "hours", "days",
                  "kilobytes", "megabytes", "gigabytes", "millis", "percent", "celsius")


def family_of(name, types):
    if name in types:
        return name
    for s in SUFFIXES:
        if name.endswith(s) and name[: -len(s)] in types:
            return name[: -len(s)]
    return name


def parse_labels(text, pos, line_no, problems):
    """text[pos] == '{'; returns (labels, position after '}')"""
    labels = {}
    pos += 1
    while True:
        while pos < len(text) and text[pos] == " ":
            pos += 1
        if pos < len(text) and text[pos] == "}":
            return labels, pos + 1
        m = LABEL.match(text, pos)
        if not m:
            problems.append(f"line {line_no}: bad label name at column {pos + 1}")
            return None, pos
        name = m.group(0)
        if name.startswith("__"):
            problems.append(f"line {line_no}: label name {name} is reserved")
        pos = m.end()
        if text[pos:pos + 2] != '="':
            problems.append(f"line {line_no}: label {name}: expected =\"")
            return None, pos
        pos += 2
        value = []
        while True:
            if pos >= len(text):
                problems.append(f"line {line_no}: label {name}: unterminated value")
                return None, pos
            c = text[pos]
            if c == "\\":
                nxt = text[pos + 1:pos + 2]
                if nxt not in ("\\", '"', "n"):
                    problems.append(f"line {line_no}: label {name}: bad escape \\{nxt}")
                    return None, pos
                value.append("\n" if nxt == "n" else nxt)
                pos += 2
            elif c == '"':
                pos += 1
                break
            else:
                value.append(c)
                pos += 1
        if name in labels:
            problems.append(f"line {line_no}: label {name} twice")
        labels[name] = "".join(value)
        if pos < len(text) and text[pos] == ",":
            pos += 1
        elif pos < len(text) and text[pos] == "}":
            return labels, pos + 1
        else:
            problems.append(f"line {line_no}: expected , or }} after label {name}")
            return None, pos


def check(text):
    problems, samples = [], []
    types, helps, closed, seen = {}, {}, set(), set()
    current = None
    if text and not text.endswith("\n"):
        problems.append("the last line has no newline")
    lines = text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")
    for line_no, line in enumerate(lines if text else [], 1):
        if line == "":
            problems.append(f"line {line_no}: empty line")
            continue
        if line.startswith("#"):
            parts = line.split(" ", 3)
            if len(parts) >= 3 and parts[1] in ("HELP", "TYPE"):
                name = parts[2]
                if not NAME.fullmatch(name):
                    problems.append(f"line {line_no}: bad metric name {name!r}")
                    continue
                if name != current:
                    if name in closed:
                        problems.append(f"line {line_no}: {name}: its lines are not together")
                    if current:
                        closed.add(current)
                    current = name
                if parts[1] == "TYPE":
                    t = parts[3] if len(parts) == 4 else ""
                    if t not in TYPES:
                        problems.append(f"line {line_no}: {name}: unknown type {t!r}")
                    if name in types:
                        problems.append(f"line {line_no}: {name}: second TYPE line")
                    if any(s[0] == name for s in samples):
                        problems.append(f"line {line_no}: {name}: TYPE after its samples")
                    types[name] = t
                else:
                    if name in helps:
                        problems.append(f"line {line_no}: {name}: second HELP line")
                    h = parts[3] if len(parts) == 4 else ""
                    if re.search(r"\\[^\\n]", h):
                        problems.append(f"line {line_no}: {name}: bad escape in HELP")
                    helps[name] = h
            continue
        m = NAME.match(line)
        if not m:
            problems.append(f"line {line_no}: no metric name")
            continue
        name, pos, labels = m.group(0), m.end(), {}
        if pos < len(line) and line[pos] == "{":
            labels, pos = parse_labels(line, pos, line_no, problems)
            if labels is None:
                continue
        rest = line[pos:].split(" ")
        if len(rest) < 2 or rest[0] != "":
            problems.append(f"line {line_no}: {name}: expected a space and a value")
            continue
        rest = [r for r in rest[1:] if r != ""]
        if not rest or len(rest) > 2 or not FLOAT.fullmatch(rest[0]) or (
                len(rest) == 2 and not re.fullmatch(r"-?\d+", rest[1])):
            problems.append(f"line {line_no}: {name}: bad value or timestamp {' '.join(rest)!r}")
            continue
        fam = family_of(name, types)
        if fam != current:
            if fam in closed:
                problems.append(f"line {line_no}: {fam}: its lines are not together")
            if current:
                closed.add(current)
            current = fam
        key = (name, tuple(sorted(labels.items())))
        if key in seen:
            problems.append(f"line {line_no}: {name}: duplicate series {dict(labels)}")
        seen.add(key)
        samples.append((name, labels, rest[0]))
    families = {family_of(s[0], types) for s in samples}
    for fam in sorted(families):
        if fam not in helps:
            problems.append(f"{fam}: no HELP line")
        if fam not in types:
            problems.append(f"{fam}: no TYPE line")
        t = types.get(fam)
        if t == "counter" and not fam.endswith("_total"):
            problems.append(f"{fam}: counter names end in _total")
        if t != "counter" and fam.endswith("_total"):
            problems.append(f"{fam}: only counter names end in _total")
        for unit in NON_BASE_UNITS:
            if re.search(r"(^|_)" + unit + r"(_|$)", fam):
                problems.append(f"{fam}: use base units (seconds, bytes), not {unit}")
    return problems, samples


def main(argv):
    dump = "--dump" in argv
    args = [a for a in argv if a != "--dump"]
    text = open(args[0], encoding="utf-8").read() if args else sys.stdin.read()
    problems, samples = check(text)
    for p in problems:
        print(p, file=sys.stderr)
    if dump:
        for name, labels, value in samples:
            lab = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
            print(f"{name}{{{lab}}} {value}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
