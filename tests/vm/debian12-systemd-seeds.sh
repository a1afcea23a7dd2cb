#!/bin/bash
# tests/vm/debian12-systemd-seeds.sh - the seeds' ntp.org ntpd + ntpdate on Debian 12 with systemd: scenarios ntp1-ntp4 (tests/vm/sc-ntporg.sh; packages from tests/vm/ntporg-deb.sh).
VM_NAME=debian12-systemd-seeds VM_SUITE=bookworm VM_INIT=systemd VM_SCENARIOS="ntp1 ntp2 ntp3 ntp4"
# shellcheck source=tests/vm/scenario.sh
. "$(cd "$(dirname "$0")" && pwd)/scenario.sh"
