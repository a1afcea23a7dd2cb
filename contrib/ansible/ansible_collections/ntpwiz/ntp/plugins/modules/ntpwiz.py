#!/usr/bin/python
# -*- coding: utf-8 -*-
# ntpwiz.py: apply an ntpwiz profile on the target, with check and diff mode.
#
# The module runs ntpwiz on the target and reads only its --json output
# (and, for the diff, the file itself and `ntpwiz render`, which prints the
# exact bytes apply writes): never the human screens.
#
# Copyright: 2026 ntpwiz developers. Licence: that of the ntpwiz tree (none
# chosen yet; see LICENSE here and debian/copyright).

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: ntpwiz
short_description: Set up an NTP daemon from an ntpwiz profile
version_added: "0.1.0"
description:
  - Applies an ntpwiz profile on the target with C(ntpwiz apply --json).
    ntpwiz checks the file with the daemon's own checker, backs it up,
    writes it atomically, enables and restarts the daemon, verifies it
    answers and rolls back by itself when it does not.
  - The task is C(changed) exactly when ntpwiz changed (or, in check mode,
    would change) the configuration, the daemon's defaults file or its key
    file; a host that already matches the profile reports C(changed=false).
  - In check mode only C(ntpwiz check --json) runs (and C(ntpwiz render) for
    the diff); nothing on the target is written.
  - In diff mode the configuration file's change is returned as Ansible's
    C(before)/C(after) structure; the key file is never shown.
  - Failures carry ntpwiz's own messages (its JSON C(errors)) in C(msg) and
    its exit status in C(rc).
author:
  - ntpwiz developers (!UNKNOWN)
requirements:
  - ntpwiz on the target (C(/usr/sbin/ntpwiz) from the Debian package, or
    any path given in I(executable))
options:
  profile:
    description:
      - Path of the ntpwiz profile on the target (a libconfig file, see
        ntpwiz-profile(5)), for example C(/usr/share/ntpwiz/profiles/client.cfg).
      - Exactly one of I(profile) and I(profile_content) is required.
    type: path
  profile_content:
    description:
      - The text of the profile. It is written to a private temporary file on
        the target, validated and used by ntpwiz there, and removed after.
      - Exactly one of I(profile) and I(profile_content) is required.
    type: str
  root:
    description:
      - The system root ntpwiz works on (C(--root)), for example a mounted
        system, a chroot or a sandbox. Every path is read and written under it.
      - Omitted, ntpwiz works on the target itself.
      - Under a root the daemon is enabled for the next boot, not restarted,
        unless I(restart=true).
    type: path
  daemon:
    description:
      - Target this daemon instead of the one the profile names (C(--daemon)).
    type: str
    choices: [ntp, ntpsec, chrony, openntpd, timesyncd, auto]
  restart:
    description:
      - C(true) restarts the daemon after a change even under I(root)
        (C(--restart)); C(false) writes and enables but does not restart it
        (C(--no-restart)).
      - Omitted, the profile's C(apply.restart) decides (and under I(root),
        no restart).
      - Only a change restarts the daemon; an unchanged host is left alone.
    type: bool
  state:
    description:
      - C(present) applies the profile (in check mode, says whether it would).
      - C(checked) only checks, as check mode does, in any mode. Nothing is
        written, and C(changed) says whether applying would change the host.
    type: str
    choices: [present, checked]
    default: present
  verify_timeout:
    description:
      - Seconds the restarted daemon has to answer (C(--verify-timeout));
        ntpwiz's default is 15.
    type: int
  executable:
    description:
      - Path of the ntpwiz program on the target.
      - Omitted, C(ntpwiz) is looked up on the PATH and in C(/usr/sbin),
        C(/usr/local/sbin), C(/usr/local/bin) and C(/sbin).
    type: path
notes:
  - Check mode and diff mode are supported. The I(state=checked) run and
    check mode never write on the target (ntpwiz's C(check) is a dry run).
  - The diff's C(after) is C(ntpwiz render) in check mode and the written
    file after an apply; C(before) is the file as it was (empty when absent).
  - Needs C(become) to change the real system; with I(root) pointing at a
    directory the user may write, it does not.
  - The manual pages ntpwiz(8) and ntpwiz-profile(5) on the target describe
    the commands and the profile format.
attributes:
  check_mode:
    description: Runs C(ntpwiz check) only and writes nothing; says whether apply would change the host.
    support: full
  diff_mode:
    description: Returns the configuration file before and after (in check mode, as it would be written).
    support: full
'''

EXAMPLES = r'''
- name: Apply the site profile copied earlier
  ntpwiz.ntp.ntpwiz:
    profile: /etc/ntpwiz/site.cfg

- name: Apply a profile given inline, chrony, without restarting the daemon
  ntpwiz.ntp.ntpwiz:
    profile_content: |
      version = 1;
      daemon = "chrony";
      servers = (
        { host = "ntp1.example.org"; kind = "server"; iburst = true; },
        { host = "ntp2.example.org"; kind = "server"; iburst = true; }
      );
      restrict = { policy = "lan"; allow = ( "192.168.10.0/24" ); };
    restart: false

- name: Only find out whether the host matches the profile
  ntpwiz.ntp.ntpwiz:
    profile: /usr/share/ntpwiz/profiles/client.cfg
    state: checked
  register: ntp_check

- name: Set up a mounted system image (enabled for its next boot)
  ntpwiz.ntp.ntpwiz:
    profile: /etc/ntpwiz/site.cfg
    root: /mnt/image
'''

RETURN = r'''
changed:
  description: Whether ntpwiz changed (check mode and I(state=checked) - would change) the host.
  returned: always
  type: bool
  sample: true
rc:
  description: ntpwiz's exit status (check - 0 matches, 2 would change; apply - 0 done; 1 error).
  returned: always
  type: int
  sample: 0
cmd:
  description: The ntpwiz command line that decided the result.
  returned: always
  type: list
  elements: str
  sample: [/usr/sbin/ntpwiz, apply, /etc/ntpwiz/site.cfg, --json]
command:
  description: The ntpwiz command that ran, C(apply) or C(check).
  returned: when ntpwiz printed its JSON
  type: str
  sample: apply
daemon:
  description: The daemon ntpwiz configured (or would configure).
  returned: when ntpwiz printed its JSON
  type: str
  sample: chrony
path:
  description: The configuration file, as a path on the target system (under I(root) when given).
  returned: when ntpwiz printed its JSON
  type: str
  sample: /etc/chrony/chrony.conf
backup:
  description: The backup ntpwiz made of the old file; empty when none was made.
  returned: when ntpwiz printed its JSON
  type: str
  sample: /var/backups/ntpwiz/etc_chrony_chrony.conf.20261208T004851Z
service:
  description: The daemon's service name.
  returned: when ntpwiz printed its JSON
  type: str
  sample: chrony
restarted:
  description: Whether the daemon was restarted.
  returned: when ntpwiz printed its JSON
  type: bool
  sample: false
verified:
  description: Whether the restarted daemon answered.
  returned: when ntpwiz printed its JSON
  type: bool
  sample: false
synchronised:
  description: Whether the restarted daemon also followed a source within the verify bound.
  returned: when ntpwiz printed its JSON
  type: bool
  sample: false
rolled_back:
  description: Whether ntpwiz put the old file back after a failure.
  returned: when ntpwiz printed its JSON
  type: bool
  sample: false
defaults_path:
  description: The daemon's defaults file ntpwiz keeps start options in; empty for none.
  returned: when ntpwiz printed its JSON
  type: str
  sample: ""
defaults_changed:
  description: Whether that defaults file changed (or would change).
  returned: when ntpwiz printed its JSON
  type: bool
  sample: false
steps:
  description: What ntpwiz did, step by step, as in its JSON.
  returned: when ntpwiz printed its JSON
  type: list
  elements: dict
  contains:
    name:
      description: The step (check, backup, write, enable, restart, verify, ...).
      type: str
    result:
      description: ok, skipped or failed.
      type: str
    detail:
      description: What happened, in ntpwiz's words.
      type: str
  sample: [{name: write, result: ok, detail: "/etc/chrony/chrony.conf (872 bytes)"}]
errors:
  description: ntpwiz's errors (also joined into I(msg) on failure).
  returned: when ntpwiz printed its JSON
  type: list
  elements: dict
  contains:
    where:
      description: The file and line, field or option the error is about.
      type: str
    message:
      description: The error.
      type: str
  sample: []
ntpwiz:
  description: ntpwiz's whole JSON object, as it printed it.
  returned: when ntpwiz printed its JSON
  type: dict
  sample: {command: check, changed: false, path: /etc/chrony/chrony.conf}
diff:
  description: In diff mode, the configuration file before and after (the key file is never shown).
  returned: in diff mode, when ntpwiz named the file
  type: dict
  contains:
    before:
      description: The file as it was; empty when it did not exist.
      type: str
    after:
      description: The file as written (check mode - as it would be written).
      type: str
    before_header:
      description: The file's path on the target system.
      type: str
    after_header:
      description: The file's path on the target system.
      type: str
  sample:
    before_header: /etc/chrony/chrony.conf
    after_header: /etc/chrony/chrony.conf
    before: "pool 2.debian.pool.ntp.org iburst\n"
    after: "pool 0.pool.ntp.org iburst\n"
stdout:
  description: ntpwiz's standard output.
  returned: on failure
  type: str
  sample: ""
stderr:
  description: ntpwiz's standard error (its human messages).
  returned: on failure
  type: str
  sample: ""
'''

import json
import os
import shutil
import tempfile

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_native, to_text

SEARCH_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/local/bin', '/sbin']
REPORT_KEYS = ('command', 'daemon', 'path', 'backup', 'service', 'restarted',
               'verified', 'synchronised', 'rolled_back', 'defaults_path',
               'defaults_changed', 'steps', 'errors')
MAX_LINKS = 40


def under_root(root, path):
    """The host path of PATH inside ROOT, symlinks followed as they would be
    with ROOT as /: an absolute link starts again at ROOT, never outside."""
    if not root or root == '/':
        return path
    parts = [p for p in path.split('/') if p]
    done = root.rstrip('/') or '/'
    hops = 0
    while parts:
        part = parts.pop(0)
        if part == '.':
            continue
        if part == '..':
            if len(done) > len(root.rstrip('/')):
                done = os.path.dirname(done)
            continue
        cand = os.path.join(done, part)
        if os.path.islink(cand):
            hops += 1
            if hops > MAX_LINKS:
                return cand
            target = os.readlink(cand)
            if target.startswith('/'):
                done = root.rstrip('/') or '/'
            parts = [p for p in target.split('/') if p] + parts
            continue
        done = cand
    return done


def read_text(filename):
    """The file's text, or None when it does not exist."""
    try:
        with open(filename, 'rb') as f:
            return to_text(f.read(), errors='surrogate_or_replace')
    except (IOError, OSError):
        return None


def error_lines(report, replace_from=None, replace_to=None):
    """ntpwiz's errors as "where: message" lines."""
    lines = []
    for e in report.get('errors') or []:
        where = e.get('where') or ''
        msg = e.get('message') or ''
        line = '%s: %s' % (where, msg) if where else msg
        if replace_from:
            line = line.replace(replace_from, replace_to)
        lines.append(line)
    return lines


class Ntpwiz(object):
    def __init__(self, module):
        self.module = module
        p = module.params
        self.bin = self.find_binary(p['executable'])
        self.tmpdir = None
        self.profile = p['profile']
        if p['profile_content'] is not None:
            self.tmpdir = tempfile.mkdtemp(prefix='ntpwiz-profile-', dir=module.tmpdir)
            self.profile = os.path.join(self.tmpdir, 'profile.cfg')
            with open(self.profile, 'w') as f:
                f.write(p['profile_content'])
        self.common = []
        if p['root']:
            self.common += ['--root', p['root']]
        if p['daemon']:
            self.common += ['--daemon', p['daemon']]

    def find_binary(self, executable):
        if executable:
            if not (os.path.isfile(executable) and os.access(executable, os.X_OK)):
                self.module.fail_json(msg='ntpwiz not found: %s is not an executable file '
                                          '(option executable)' % executable, rc=127)
            return executable
        found = self.module.get_bin_path('ntpwiz', required=False, opt_dirs=SEARCH_DIRS)
        if not found:
            self.module.fail_json(msg='ntpwiz not found on the target (looked on the PATH and in %s); '
                                      'install it (Debian: the ntpwiz package) or set the option '
                                      'executable' % ', '.join(SEARCH_DIRS), rc=127)
        return found

    def cleanup(self):
        if self.tmpdir:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            self.tmpdir = None

    def fail(self, msg, **kw):
        self.cleanup()
        self.module.fail_json(msg=msg, **kw)

    def run_json(self, verb, extra=None):
        """Runs `ntpwiz VERB PROFILE --json ...`: (rc, report or None, out, err, cmd)."""
        cmd = [self.bin, verb, self.profile, '--json'] + self.common + (extra or [])
        rc, out, err = self.module.run_command(cmd, environ_update={'LC_ALL': 'C.UTF-8'})
        report = None
        try:
            report = json.loads(out)
            if not isinstance(report, dict):
                report = None
        except ValueError:
            report = None
        return rc, report, out, err, cmd

    def failed(self, rc, report, out, err, cmd):
        """fail_json with ntpwiz's own messages."""
        shown = self.profile if self.tmpdir else None
        lines = error_lines(report or {}, shown, 'profile_content')
        if not lines:
            text = to_native(err or out).strip()
            if shown:
                text = text.replace(shown, 'profile_content')
            lines = [text or 'ntpwiz %s failed with exit status %d' % (cmd[1], rc)]
        result = dict(rc=rc, cmd=cmd, stdout=out, stderr=err, changed=False)
        if report:
            result.update(self.result_of(report))
            # an apply that wrote and could not put the old file back did change the host
            result['changed'] = bool(report.get('changed'))
        self.fail('; '.join(lines), **result)

    @staticmethod
    def result_of(report):
        r = dict((k, report.get(k)) for k in REPORT_KEYS if k in report)
        r['ntpwiz'] = report
        return r

    def warn(self, report):
        for line in error_lines({'errors': report.get('warnings') or []}):
            self.module.warn('ntpwiz: %s' % line)

    def render(self):
        """The exact text ntpwiz would write (None when render fails)."""
        cmd = [self.bin, 'render', self.profile] + self.common
        rc, out, dummy = self.module.run_command(cmd, environ_update={'LC_ALL': 'C.UTF-8'})
        return out if rc == 0 else None

    def diff(self, path, before, after):
        if after is None:
            after = ''
        return dict(before=before if before is not None else '', after=after,
                    before_header=path if before is not None else '%s (absent)' % path,
                    after_header=path)

    def run(self):
        m = self.module
        p = m.params
        dry = m.check_mode or p['state'] == 'checked'
        want_diff = m._diff

        # check: a dry run of apply; in diff mode also the path to read before applying
        before = None
        root = p['root']
        if dry or want_diff:
            rc, report, out, err, cmd = self.run_json('check')
            if rc not in (0, 2) or report is None:
                self.failed(rc, report, out, err, cmd)
            path = report.get('path') or ''
            if path:
                before = read_text(under_root(root, path))
            if dry:
                # rc 2 (would change) is a success: without failed=False,
                # Ansible takes any rc but 0 for a failure
                result = dict(changed=bool(report.get('changed')), rc=rc, cmd=cmd, failed=False)
                result.update(self.result_of(report))
                self.warn(report)
                if want_diff and path:
                    after = self.render() if report.get('changed') else before
                    result['diff'] = self.diff(path, before, after)
                self.cleanup()
                m.exit_json(**result)

        extra = []
        if p['restart'] is True:
            extra.append('--restart')
        elif p['restart'] is False:
            extra.append('--no-restart')
        if p['verify_timeout'] is not None:
            extra += ['--verify-timeout', str(p['verify_timeout'])]
        rc, report, out, err, cmd = self.run_json('apply', extra)
        if rc != 0 or report is None:
            self.failed(rc, report, out, err, cmd)
        result = dict(changed=bool(report.get('changed')), rc=rc, cmd=cmd)
        result.update(self.result_of(report))
        self.warn(report)
        path = report.get('path') or ''
        if want_diff and path:
            result['diff'] = self.diff(path, before, read_text(under_root(root, path)))
        self.cleanup()
        m.exit_json(**result)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            profile=dict(type='path'),
            profile_content=dict(type='str'),
            root=dict(type='path'),
            daemon=dict(type='str', choices=['ntp', 'ntpsec', 'chrony', 'openntpd', 'timesyncd', 'auto']),
            restart=dict(type='bool'),
            state=dict(type='str', default='present', choices=['present', 'checked']),
            verify_timeout=dict(type='int'),
            executable=dict(type='path'),
        ),
        required_one_of=[('profile', 'profile_content')],
        mutually_exclusive=[('profile', 'profile_content')],
        supports_check_mode=True,
    )
    Ntpwiz(module).run()


if __name__ == '__main__':
    main()
