#!/bin/bash
# tests/vm/lean.sh - the real-host tier's lean scenario, part of `make check`
# (issue 14): one Debian 12 systemd guest, scenarios 1 (seed flow -> chrony),
# 2 (reboot), 3 (rollback for real) and 4 (rescue flow with --root).
# Skips (exit 77) without root, qemu, /dev/net/tun or a loop device; with CI
# set, that fails the run instead. The image is built when missing (cached
# outside the tree). Timings: tests/vm/README. `make check-vm` runs the rest.
VM_NAME=debian12-systemd-lean VM_SUITE=bookworm VM_INIT=systemd VM_SCENARIOS="1 2 3 4"
# shellcheck source=tests/vm/scenario.sh
. "$(cd "$(dirname "$0")" && pwd)/scenario.sh"
