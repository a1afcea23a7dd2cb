#!/bin/bash
# ansible-module.sh: the Ansible module's unit tests (issue 17 section 2).
# contrib/ansible/ansible_collections/ntpwiz/ntp/tests/unit runs the module
# the way Ansible does (a Python process given its arguments as JSON) against
# this tree's ntpwiz binary, always with root= a sandbox folder it makes
# (changed then unchanged, check mode writes nothing, diff mode's
# before/after, failures' msg and rc). Each unittest case is one check here.
#
# Safety: every module run has root= a temp folder, with the stand-in
# systemctl/chronyc first on PATH (tests/lib/standins); as root the script
# runs with the host's / read-only (hostguard.sh).
# Variables set here are read inside the condition strings expect() evals.
# shellcheck disable=SC2034,SC2016
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/hostguard.sh
. "$srcdir/tests/lib/hostguard.sh"
hostguard_enter "$@"
# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"

# the Python that has ansible-core (Debian's is /usr/bin/python3; a pyenv or
# venv python3 first on PATH may lack it)
py=
for p in python3 /usr/bin/python3; do
	if command -v "$p" >/dev/null && "$p" -c 'import ansible.module_utils.basic' 2>/dev/null; then
		py=$(command -v "$p")
		break
	fi
done
[ -n "$py" ] || skip_or_fail "no python3 with ansible-core (Debian: ansible-core)"

coll=$srcdir/contrib/ansible/ansible_collections/ntpwiz/ntp
export NTPWIZ NTPWIZ_SRCDIR=$srcdir PYTHONDONTWRITEBYTECODE=1 HOME=$T_TMP
(cd "$coll/tests/unit/plugins/modules" &&
	"$py" -m unittest -v test_ntpwiz) >"$T_TMP/unittest.out" 2>&1
rc=$?
# "test_x (test_ntpwiz.Class.test_x) ... ok" -> one check per case
while IFS= read -r line; do
	case $line in
	*' ... ok') ok "${line% ... ok}" ;;
	*' ... skipped '*) echo "ok - ${line} (skipped)" ;;
	*' ... FAIL' | *' ... ERROR') not_ok "$line" ;;
	esac
done <"$T_TMP/unittest.out"
expect "unittest exits 0" '[ "$rc" = 0 ]' || cat "$T_TMP/unittest.out"
expect "unittest ran every case (at least 20)" \
	'grep -Eq "^Ran ([2-9][0-9]|[1-9][0-9]{2,}) tests" "$T_TMP/unittest.out"'
finish
