#!/bin/bash
# tests/vm/debian13-systemd-daemons.sh - Debian 13 (trixie), systemd: NTPsec and OpenNTPD, scenarios 1n 6n 1o 6o (tests/vm/sc-daemons.sh).
VM_NAME=debian13-systemd-daemons VM_SUITE=trixie VM_INIT=systemd VM_SCENARIOS="1n 6n 1o 6o"
# shellcheck source=tests/vm/scenario.sh
. "$(cd "$(dirname "$0")" && pwd)/scenario.sh"
