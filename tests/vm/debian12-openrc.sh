#!/bin/bash
# tests/vm/debian12-openrc.sh - the real-host tier on Debian 12 (bookworm) with OpenRC (sysvinit-core's init, openrc as its rc): scenarios 1, 2 and 4 (3 needs systemd's drop-ins).
# The scenarios are tests/vm/scenario.sh's (tests/vm/README).
VM_NAME=debian12-openrc VM_SUITE=bookworm VM_INIT=openrc VM_SCENARIOS="1 2 4"
# shellcheck source=tests/vm/scenario.sh
. "$(cd "$(dirname "$0")" && pwd)/scenario.sh"
