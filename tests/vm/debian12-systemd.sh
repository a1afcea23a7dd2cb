#!/bin/bash
# tests/vm/debian12-systemd.sh - the real-host tier on Debian 12 (bookworm) with systemd: scenarios 1-4, 3c and 5 (the lean scenario: 1-4).
# The scenarios are tests/vm/scenario.sh's (tests/vm/README).
VM_NAME=debian12-systemd VM_SUITE=bookworm VM_INIT=systemd VM_SCENARIOS="1 2 3 4 3c 5"
# shellcheck source=tests/vm/scenario.sh
. "$(cd "$(dirname "$0")" && pwd)/scenario.sh"
