#!/usr/bin/python3
# ansible-test-offline.py: run `ansible-test sanity` without the network.
#
# ansible-test (ansible-core 2.14) runs each sanity test that needs Python
# packages (validate-modules, ansible-doc, yamllint, pep8, pylint, import,
# runtime-metadata) in a virtual environment of its own, which it fills with
# pip from PyPI at pinned versions: with no network that stops at "does not
# have pip available". This wrapper hands those tests one virtual
# environment made with --system-site-packages instead, so they run with the
# distribution's packages (Debian 12: python3-yaml, python3-jinja2,
# python3-voluptuous, yamllint, pycodestyle, pylint), not the pinned ones.
# Everything else is ansible-test as is; the arguments are ansible-test's.
#
#   ANSIBLE_TEST_OFFLINE_VENV=DIR  where the environment is made (required;
#                                  a temp folder; made once, reused)
#
# Run it with the Python that has ansible-core (Debian: /usr/bin/python3).

import os
import subprocess

from ansible_test._internal import main as cli_main
from ansible_test._internal.host_configs import VirtualPythonConfig
import ansible_test._internal.commands.sanity as sanity

VENV = os.environ['ANSIBLE_TEST_OFFLINE_VENV']


def offline_virtualenv(args, python, name, coverage=False, minimize=False):
    """Stands in for create_sanity_virtualenv: the same environment for every
    test, from the system's packages, nothing installed."""
    del args, name, coverage, minimize
    py = os.path.join(VENV, 'bin', 'python')
    if not os.path.exists(py):
        subprocess.run([python.path, '-m', 'venv', '--system-site-packages', '--without-pip', VENV],
                       check=True)
        # what ansible-test records of a new environment: has PyYAML libyaml?
        sanity.write_json_file(os.path.join(VENV, 'meta.yaml.json'), sanity.yamlcheck(VirtualPythonConfig(
            version=python.version, path=py)))
    return VirtualPythonConfig(version=python.version, path=py)


def patch():
    # the sanity package and the tests that imported the function by name
    import ansible_test._internal.commands.sanity.mypy as mypy_test
    import_test = __import__('ansible_test._internal.commands.sanity.import', fromlist=['x'])
    for mod in (sanity, mypy_test, import_test):
        mod.create_sanity_virtualenv = offline_virtualenv


if __name__ == '__main__':
    patch()
    cli_main()  # reads sys.argv itself
