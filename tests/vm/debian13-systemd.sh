#!/bin/bash
# tests/vm/debian13-systemd.sh - the real-host tier on Debian 13 (trixie) with systemd: scenarios 1-4 and 5.
# The scenarios are tests/vm/scenario.sh's (tests/vm/README).
VM_NAME=debian13-systemd VM_SUITE=trixie VM_INIT=systemd VM_SCENARIOS="1 2 3 4 5"
# shellcheck source=tests/vm/scenario.sh
. "$(cd "$(dirname "$0")" && pwd)/scenario.sh"
