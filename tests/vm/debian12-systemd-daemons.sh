#!/bin/bash
# tests/vm/debian12-systemd-daemons.sh - Debian 12 (bookworm), systemd: NTPsec and OpenNTPD, scenarios 1n 6n 1o 6o (tests/vm/sc-daemons.sh).
VM_NAME=debian12-systemd-daemons VM_SUITE=bookworm VM_INIT=systemd VM_SCENARIOS="1n 6n 1o 6o"
# shellcheck source=tests/vm/scenario.sh
. "$(cd "$(dirname "$0")" && pwd)/scenario.sh"
