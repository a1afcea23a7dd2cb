# -*- coding: utf-8 -*-
# test_ntpwiz.py: the ntpwiz module run as Ansible runs it (a Python process
# given its arguments as JSON) against the REAL ntpwiz binary, always with
# root= a sandbox folder made here, never the host.
#
#   NTPWIZ=/path/to/ntpwiz NTPWIZ_SRCDIR=/path/to/tree python3 -m unittest \
#       discover -s tests/unit -t .   (from the collection; see tests/README)
#
# The stand-in service commands of the tree (tests/lib/standins) come first
# on PATH, so nothing here talks to the machine's init system.
#
# Copyright: 2026 ntpwiz developers. Licence: that of the ntpwiz tree (none
# chosen yet; see LICENSE here and debian/copyright).

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
COLLECTION = os.path.normpath(os.path.join(HERE, '..', '..', '..', '..'))
MODULE = os.path.join(COLLECTION, 'plugins', 'modules', 'ntpwiz.py')
SRCDIR = os.environ.get('NTPWIZ_SRCDIR') or os.path.normpath(os.path.join(COLLECTION, '..', '..', '..', '..', '..'))
NTPWIZ = os.environ.get('NTPWIZ') or os.path.join(SRCDIR, 'ntpwiz')
STANDINS = os.path.join(SRCDIR, 'tests', 'lib', 'standins')
ROOTS = os.path.join(SRCDIR, 'tests', 'data', 'roots')
CONF = '/etc/chrony/chrony.conf'

BAD_PROFILE = 'version = 1;\ndaemon = "chrony";\nservers = ( { host = "bad host"; } );\n'


def profile_text(policy='lan', options=''):
    return ('version = 1;\n'
            'daemon = "chrony";\n'
            'servers = ( { host = "192.0.2.1"; kind = "server"; iburst = true; },\n'
            '            { host = "192.0.2.2"; kind = "server"; iburst = true; } );\n'
            'leap = { mode = "step"; };\n'
            'restrict = { policy = "%s"; %s };\n'
            'options = { %s };\n'
            'apply = { backup = true; restart = true; stop_conflicting = true; install = false; };\n'
            % (policy, 'allow = ( "192.168.10.0/24" );' if policy == 'lan' else '', options))


def tree_state(root):
    """Every path under ROOT with its type, mode, link target and content hash."""
    state = []
    for d, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(dirs + files):
            p = os.path.join(d, name)
            st = os.lstat(p)
            rel = os.path.relpath(p, root)
            if os.path.islink(p):
                state.append((rel, 'l', os.readlink(p)))
            elif os.path.isfile(p):
                with open(p, 'rb') as f:
                    state.append((rel, oct(st.st_mode), hashlib.sha256(f.read()).hexdigest()))
            else:
                state.append((rel, oct(st.st_mode), ''))
    return state


def read(path):
    with open(path) as f:
        return f.read()


class ModuleTest(unittest.TestCase):
    """Each test gets a temp folder with sandbox roots and the module's own
    temp folder (what Ansible's remote tmp is)."""

    @classmethod
    def setUpClass(cls):
        if not os.access(NTPWIZ, os.X_OK):
            raise unittest.SkipTest('no ntpwiz binary at %s (build the tree first)' % NTPWIZ)

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='ntpwiz-ansible-test.')
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.modtmp = os.path.join(self.tmp, 'module-tmp')
        os.mkdir(self.modtmp)
        self.log = os.path.join(self.tmp, 'standin.log')
        open(self.log, 'w').close()

    # --- sandboxes -----------------------------------------------------------
    def debian_root(self, systemd=False):
        """A Debian 12 root with the stock chrony.conf (and, with systemd,
        systemd as init and stub daemon binaries, as apply-sandbox.sh does)."""
        root = tempfile.mkdtemp(prefix='root.', dir=self.tmp)
        os.makedirs(os.path.join(root, 'etc', 'chrony'))
        os.makedirs(os.path.join(root, 'var', 'log'))
        shutil.copy(os.path.join(ROOTS, 'debian12-os-release'), os.path.join(root, 'etc', 'os-release'))
        shutil.copy(os.path.join(ROOTS, 'debian12-chrony.conf'), root + CONF)
        if systemd:
            for f in ('lib/systemd/systemd', 'usr/sbin/chronyd', 'usr/sbin/ntpd'):
                p = os.path.join(root, f)
                os.makedirs(os.path.dirname(p), exist_ok=True)
                with open(p, 'w') as out:
                    out.write('#!/bin/sh\nexit 0\n')
                os.chmod(p, 0o755)
        return root

    def profile(self, text=None, name='site.cfg'):
        p = os.path.join(self.tmp, name)
        with open(p, 'w') as f:
            f.write(text if text is not None else profile_text())
        return p

    def render(self, profile, root, *extra):
        return subprocess.run([NTPWIZ, 'render', profile, '--root', root] + list(extra),
                              stdout=subprocess.PIPE, check=True, env=self.env()).stdout.decode()

    # --- running the module ----------------------------------------------------
    def env(self, path=None):
        env = dict(os.environ)
        env['PATH'] = path if path is not None else STANDINS + os.pathsep + os.environ.get('PATH', '')
        env['NTPWIZ_STANDIN_LOG'] = self.log
        env['LC_ALL'] = 'C.UTF-8'
        for k in list(env):
            if k.startswith('STANDIN_'):
                del env[k]
        return env

    def run_module(self, check=False, diff=False, path=None, **params):
        """Runs the module as Ansible does; returns its JSON result."""
        if 'executable' not in params:
            params['executable'] = NTPWIZ
        params = dict((k, v) for k, v in params.items() if v is not None)
        # every run works on a sandbox, never on this machine
        self.assertTrue(params.get('root', '').startswith(self.tmp), 'root must be a sandbox')
        args = dict(params)
        args.update(_ansible_check_mode=check, _ansible_diff=diff,
                    _ansible_tmpdir=self.modtmp, _ansible_remote_tmp=self.modtmp,
                    _ansible_keep_remote_files=False)
        argfile = os.path.join(self.tmp, 'args.json')
        with open(argfile, 'w') as f:
            json.dump({'ANSIBLE_MODULE_ARGS': args}, f)
        proc = subprocess.run([sys.executable, MODULE, argfile], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=self.env(path), timeout=120, check=False)
        out = proc.stdout.decode()
        try:
            result = json.loads(out[out.index('{'):])
        except ValueError:
            self.fail('the module printed no JSON (exit %d): %r %r' % (proc.returncode, out, proc.stderr))
        result['_exit'] = proc.returncode
        return result

    def assert_ok(self, r):
        self.assertFalse(r.get('failed'), r.get('msg'))
        self.assertEqual(r['_exit'], 0)

    def assert_failed(self, r):
        self.assertTrue(r.get('failed'), r)
        self.assertEqual(r['_exit'], 1)

    def step(self, r, name):
        found = [s for s in r.get('steps', []) if s['name'] == name]
        self.assertTrue(found, 'no step %s in %r' % (name, r.get('steps')))
        return found[0]

    def leftovers(self):
        return sorted(os.listdir(self.modtmp))


class TestApply(ModuleTest):
    def test_changed_then_unchanged(self):
        root, prof = self.debian_root(), self.profile()
        expected = self.render(prof, root)
        r = self.run_module(profile=prof, root=root)
        self.assert_ok(r)
        self.assertIs(r['changed'], True)
        self.assertEqual(r['rc'], 0)
        self.assertEqual(r['path'], CONF)
        self.assertEqual(r['daemon'], 'chrony')
        self.assertEqual(self.step(r, 'write')['result'], 'ok')
        self.assertEqual(read(root + CONF), expected, 'the file is what the profile renders')
        self.assertTrue(r['backup'].startswith('/var/backups/ntpwiz/etc_chrony_chrony.conf.'))
        self.assertEqual(read(root + r['backup']), read(os.path.join(ROOTS, 'debian12-chrony.conf')))
        self.assertEqual(r['cmd'][:4], [NTPWIZ, 'apply', prof, '--json'])
        self.assertNotIn('diff', r, 'no diff without diff mode')

        before = tree_state(root)
        r = self.run_module(profile=prof, root=root)
        self.assert_ok(r)
        self.assertIs(r['changed'], False, 'an unchanged host reports changed=false')
        self.assertEqual(r['backup'], '')
        self.assertEqual(self.step(r, 'write')['result'], 'skipped')
        self.assertEqual(tree_state(root), before, 'the second run wrote nothing')

    def test_profile_content_is_used_and_removed(self):
        root = self.debian_root()
        text = profile_text(policy='client-only')
        expected = self.render(self.profile(text), root)
        r = self.run_module(profile_content=text, root=root)
        self.assert_ok(r)
        self.assertIs(r['changed'], True)
        self.assertEqual(read(root + CONF), expected)
        self.assertEqual(self.leftovers(), [], 'the temporary profile is removed')
        r = self.run_module(profile_content=text, root=root)
        self.assert_ok(r)
        self.assertIs(r['changed'], False)
        self.assertEqual(self.leftovers(), [])

    def test_daemon_override(self):
        root, prof = self.debian_root(), self.profile()
        r = self.run_module(profile=prof, root=root, daemon='ntpsec')
        self.assert_ok(r)
        self.assertIs(r['changed'], True)
        self.assertEqual(r['daemon'], 'ntpsec')
        self.assertEqual(r['path'], '/etc/ntpsec/ntp.conf')
        self.assertIn('--daemon', r['cmd'])
        self.assertEqual(read(root + '/etc/ntpsec/ntp.conf'), self.render(prof, root, '--daemon', 'ntpsec'))
        self.assertEqual(read(root + CONF), read(os.path.join(ROOTS, 'debian12-chrony.conf')),
                         "chrony's file is left alone")

    def test_restart_false_and_enable_under_systemd_root(self):
        root, prof = self.debian_root(systemd=True), self.profile()
        r = self.run_module(profile=prof, root=root, restart=False)
        self.assert_ok(r)
        self.assertIn('--no-restart', r['cmd'])
        self.assertIs(r['restarted'], False)
        self.assertEqual(self.step(r, 'restart')['result'], 'skipped')
        self.assertIn('as asked', self.step(r, 'restart')['detail'])
        self.assertEqual(self.step(r, 'enable')['result'], 'ok')
        self.assertTrue(os.path.islink(root + '/etc/systemd/system/multi-user.target.wants/chrony.service'),
                        'enabled inside the root')
        with open(self.log) as f:
            self.assertNotIn('restart', f.read(), 'no restart was asked of the init system')

    def test_verify_timeout_is_passed(self):
        root, prof = self.debian_root(), self.profile()
        r = self.run_module(profile=prof, root=root, verify_timeout=7)
        self.assert_ok(r)
        i = r['cmd'].index('--verify-timeout')
        self.assertEqual(r['cmd'][i + 1], '7')


class TestCheckMode(ModuleTest):
    def test_check_mode_writes_nothing_and_says_changed(self):
        root, prof = self.debian_root(systemd=True), self.profile()
        before = tree_state(root)
        r = self.run_module(check=True, profile=prof, root=root, restart=True)
        self.assert_ok(r)
        self.assertIs(r['changed'], True, 'a change is due')
        self.assertEqual(r['rc'], 2, "ntpwiz check's exit status: apply would change the host")
        self.assertIs(r.get('failed'), False, 'Ansible fails a task with rc 2 unless failed=false is said')
        self.assertEqual(r['command'], 'check')
        self.assertEqual(r['cmd'][1], 'check')
        self.assertNotIn('--restart', r['cmd'], 'check takes no restart option')
        self.assertEqual(tree_state(root), before, 'check mode wrote nothing')
        with open(self.log) as f:
            self.assertEqual(f.read(), '', 'check mode ran no service command')

    def test_check_mode_unchanged_host(self):
        root, prof = self.debian_root(), self.profile()
        self.assert_ok(self.run_module(profile=prof, root=root))
        before = tree_state(root)
        r = self.run_module(check=True, profile=prof, root=root)
        self.assert_ok(r)
        self.assertIs(r['changed'], False)
        self.assertEqual(r['rc'], 0)
        self.assertEqual(tree_state(root), before)

    def test_state_checked_never_applies(self):
        root, prof = self.debian_root(), self.profile()
        before = tree_state(root)
        r = self.run_module(profile=prof, root=root, state='checked')
        self.assert_ok(r)
        self.assertIs(r['changed'], True)
        self.assertEqual(r['command'], 'check')
        self.assertEqual(tree_state(root), before, 'state=checked wrote nothing')

    def test_check_mode_profile_content_removed(self):
        root = self.debian_root()
        r = self.run_module(check=True, profile_content=profile_text(), root=root)
        self.assert_ok(r)
        self.assertIs(r['changed'], True)
        self.assertEqual(self.leftovers(), [])


class TestDiffMode(ModuleTest):
    def test_diff_in_check_mode(self):
        root, prof = self.debian_root(), self.profile()
        stock = read(root + CONF)
        expected = self.render(prof, root)
        before = tree_state(root)
        r = self.run_module(check=True, diff=True, profile=prof, root=root)
        self.assert_ok(r)
        self.assertIs(r['changed'], True)
        d = r['diff']
        self.assertEqual(d['before'], stock)
        self.assertEqual(d['after'], expected)
        self.assertEqual(d['before_header'], CONF)
        self.assertEqual(d['after_header'], CONF)
        self.assertEqual(tree_state(root), before, 'check and diff mode wrote nothing')

    def test_diff_when_applying(self):
        root, prof = self.debian_root(), self.profile()
        stock = read(root + CONF)
        r = self.run_module(diff=True, profile=prof, root=root)
        self.assert_ok(r)
        self.assertIs(r['changed'], True)
        self.assertEqual(r['diff']['before'], stock)
        self.assertEqual(r['diff']['after'], read(root + CONF))
        self.assertNotEqual(r['diff']['before'], r['diff']['after'])
        r = self.run_module(diff=True, profile=prof, root=root)
        self.assert_ok(r)
        self.assertIs(r['changed'], False)
        self.assertEqual(r['diff']['before'], r['diff']['after'], 'unchanged: an empty diff')

    def test_diff_of_an_absent_file(self):
        root, prof = self.debian_root(), self.profile()
        os.unlink(root + CONF)
        r = self.run_module(check=True, diff=True, profile=prof, root=root)
        self.assert_ok(r)
        self.assertEqual(r['diff']['before'], '')
        self.assertEqual(r['diff']['before_header'], CONF + ' (absent)')
        self.assertEqual(r['diff']['after'], self.render(prof, root))

    def test_diff_reads_through_links_as_inside_the_root(self):
        # /etc/chrony is an absolute link: it means ROOT/srv/chrony, never
        # the host's /srv/chrony (ntpwiz resolves it the same way)
        root, prof = self.debian_root(), self.profile()
        os.makedirs(root + '/srv')
        shutil.move(root + '/etc/chrony', root + '/srv/chrony')
        os.symlink('/srv/chrony', root + '/etc/chrony')
        stock = read(os.path.join(ROOTS, 'debian12-chrony.conf'))
        r = self.run_module(check=True, diff=True, profile=prof, root=root)
        self.assert_ok(r)
        self.assertEqual(r['diff']['before'], stock)
        # a relative link climbing out of the root stops at the root
        outside = tempfile.mkdtemp(prefix='outside.', dir=self.tmp)
        os.makedirs(outside + '/etc/chrony')
        with open(outside + CONF, 'w') as f:
            f.write('server escaped.example iburst\n')
        os.unlink(root + '/etc/chrony')
        up = '../' * (root.count('/') + 1)
        os.symlink(up + outside.lstrip('/') + '/etc/chrony', root + '/etc/chrony')
        r = self.run_module(check=True, diff=True, profile=prof, root=root)
        self.assert_ok(r)
        self.assertNotIn('escaped', r['diff']['before'])
        self.assertEqual(r['diff']['before'], '', 'ROOT/../../etc/chrony is ROOT/etc/chrony: absent')

    def test_diff_after_a_changed_profile(self):
        root, prof = self.debian_root(), self.profile()
        self.assert_ok(self.run_module(profile=prof, root=root))
        old = read(root + CONF)
        self.profile(profile_text(policy='public'))
        r = self.run_module(check=True, diff=True, profile=prof, root=root)
        self.assert_ok(r)
        self.assertIs(r['changed'], True)
        self.assertEqual(r['diff']['before'], old)
        self.assertIn('allow all', r['diff']['after'])
        self.assertNotIn('allow all', r['diff']['before'])
        self.assertEqual(read(root + CONF), old)


class TestFailure(ModuleTest):
    def test_bad_profile_content(self):
        root = self.debian_root()
        before = tree_state(root)
        for check in (False, True):
            r = self.run_module(check=check, profile_content=BAD_PROFILE, root=root)
            self.assert_failed(r)
            self.assertEqual(r['rc'], 1)
            self.assertIn('servers[0].host', r['msg'])
            self.assertIn('whitespace', r['msg'])
            self.assertIn('profile_content:3', r['msg'], 'the temp file is named as profile_content')
            self.assertNotIn(self.modtmp, r['msg'])
            self.assertIs(r['changed'], False)
            self.assertEqual(self.leftovers(), [], 'the temporary profile is removed on failure too')
        self.assertEqual(tree_state(root), before)

    def test_bad_profile_path(self):
        root = self.debian_root()
        prof = self.profile(BAD_PROFILE, name='bad.cfg')
        r = self.run_module(profile=prof, root=root)
        self.assert_failed(r)
        self.assertEqual(r['rc'], 1)
        self.assertEqual(r['msg'], '%s:3: servers[0].host: contains whitespace, which would add '
                                   'options to the directive' % prof)
        self.assertEqual(r['errors'][0]['where'], prof + ':3')

    def test_missing_profile(self):
        root = self.debian_root()
        r = self.run_module(profile=os.path.join(self.tmp, 'none.cfg'), root=root)
        self.assert_failed(r)
        self.assertEqual(r['rc'], 1)
        self.assertIn('cannot read the profile', r['msg'])

    def test_apply_refused_by_preflight(self):
        # Debian 12's chrony.service makes /srv read-only: check passes (a dry
        # run), apply refuses before writing anything (apply-sandbox.sh)
        root = self.debian_root(systemd=True)
        prof = self.profile(profile_text(options='logdir = "/srv/chrony-log";'))
        before = tree_state(root)
        r = self.run_module(profile=prof, root=root)
        self.assert_failed(r)
        self.assertEqual(r['rc'], 1)
        self.assertIn('options.logdir', r['msg'])
        self.assertIn('/srv/chrony-log', r['msg'])
        self.assertIs(r['changed'], False)
        self.assertEqual(self.step(r, 'preflight')['result'], 'failed')
        self.assertEqual(tree_state(root), before, 'refused before anything was written')

    def test_missing_root(self):
        r = self.run_module(profile=self.profile(), root=os.path.join(self.tmp, 'no-such-root'))
        self.assert_failed(r)
        self.assertEqual(r['rc'], 1)
        self.assertIn('no-such-root', r['msg'])
        self.assertIn('No such file or directory', r['msg'])

    def test_missing_executable(self):
        root = self.debian_root()
        r = self.run_module(profile=self.profile(), root=root, executable=os.path.join(self.tmp, 'ntpwiz'))
        self.assert_failed(r)
        self.assertIn('ntpwiz not found', r['msg'])
        self.assertEqual(r['rc'], 127)

    def test_ntpwiz_not_on_path(self):
        for d in ('/usr/sbin', '/usr/local/sbin', '/usr/local/bin', '/sbin'):
            if os.path.exists(os.path.join(d, 'ntpwiz')):
                self.skipTest('an ntpwiz is installed in %s' % d)
        root = self.debian_root()
        empty = os.path.join(self.tmp, 'empty-bin')
        os.mkdir(empty)
        r = self.run_module(profile=self.profile(), root=root, executable=None, path=empty)
        self.assert_failed(r)
        self.assertIn('ntpwiz not found on the target', r['msg'])
        self.assertIn('executable', r['msg'])

    def test_profile_and_content_exclusive(self):
        root = self.debian_root()
        r = self.run_module(profile=self.profile(), profile_content=profile_text(), root=root)
        self.assert_failed(r)
        self.assertIn('mutually exclusive', r['msg'])
        r = self.run_module(root=root)
        self.assert_failed(r)
        self.assertIn('one of the following is required', r['msg'])


if __name__ == '__main__':
    unittest.main()
