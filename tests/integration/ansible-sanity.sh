#!/bin/bash
# ansible-sanity.sh: `ansible-test sanity` on the ntpwiz.ntp collection
# (contrib/ansible/ansible_collections/ntpwiz/ntp), offline.
#
# ansible-test fills a virtual environment per sanity test from PyPI; with
# no network those tests stop before running. tests/lib/ansible-test-offline.py
# gives them one environment that sees the distribution's packages instead
# (python3-yaml, python3-jinja2, python3-voluptuous, yamllint, pycodestyle,
# pylint; autogen.sh installs them), so every sanity test of ansible-core
# 2.14 runs: one check per test, plus the tests that must have run.
# The collection is copied to a temp folder first: ansible-test writes its
# tests/output there, and HOME (~/.ansible/test) is the temp folder too.
# Variables set here are read inside the condition strings expect() evals.
# shellcheck disable=SC2034,SC2016
: "${srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
# shellcheck source=tests/lib/testlib.sh
. "$srcdir/tests/lib/testlib.sh"

command -v ansible-test >/dev/null || skip_or_fail "ansible-test not installed (Debian: ansible-core)"
py=
for p in python3 /usr/bin/python3; do
	if command -v "$p" >/dev/null && "$p" -c 'import ansible_test._internal' 2>/dev/null; then
		py=$(command -v "$p")
		break
	fi
done
[ -n "$py" ] || skip_or_fail "no python3 with ansible-test (Debian: ansible-core)"
for m in yaml:python3-yaml jinja2:python3-jinja2 voluptuous:python3-voluptuous \
	yamllint:yamllint pycodestyle:pycodestyle pylint:pylint; do
	"$py" -c "import ${m%%:*}" 2>/dev/null || skip_or_fail "Python module ${m%%:*} missing (Debian: ${m#*:})"
done
ver=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')

coll=$T_TMP/ansible_collections/ntpwiz/ntp
mkdir -p "$(dirname "$coll")"
cp -r "$srcdir/contrib/ansible/ansible_collections/ntpwiz/ntp" "$coll"
rm -rf "$coll/tests/output"
find "$coll" -name __pycache__ -prune -exec rm -rf {} +

(cd "$coll" && HOME=$T_TMP ANSIBLE_TEST_OFFLINE_VENV=$T_TMP/venv LC_ALL=C.UTF-8 \
	"$py" "$srcdir/tests/lib/ansible-test-offline.py" sanity --python "$ver" --color no) \
	>"$T_TMP/sanity.out" 2>&1
rc=$?

# "Running sanity test "NAME"..." then that test's ERROR lines, if any
awk '/^Running sanity test "/ { if (t) print t, e; split($0, a, "\""); t = a[2]; e = 0; next }
	/^ERROR: / { e++ } END { if (t) print t, e }' "$T_TMP/sanity.out" >"$T_TMP/tests"
while read -r name errors; do
	if [ "$errors" = 0 ]; then ok "ansible-test sanity $name"; else not_ok "ansible-test sanity $name ($errors errors)"; fi
done <"$T_TMP/tests"
expect "ansible-test sanity exits 0" '[ "$rc" = 0 ]' || cat "$T_TMP/sanity.out"
for t in validate-modules ansible-doc yamllint pep8 pylint import compile runtime-metadata shebang; do
	expect "ansible-test sanity ran $t" 'grep -q "^$t " "$T_TMP/tests"'
done
finish
