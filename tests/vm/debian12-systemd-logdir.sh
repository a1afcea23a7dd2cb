#!/bin/bash
# tests/vm/debian12-systemd-logdir.sh - Debian 12 with systemd: scenario 3b (a logdir chrony.service makes read-only), on its own guest.
# The scenarios are tests/vm/scenario.sh's (tests/vm/README).
VM_NAME=debian12-systemd-logdir VM_SUITE=bookworm VM_INIT=systemd VM_SCENARIOS="1 3b"
# shellcheck source=tests/vm/scenario.sh
. "$(cd "$(dirname "$0")" && pwd)/scenario.sh"
