/*
 * test_apply: the apply engine against the fake system: which commands
 * run and in what order, what is written, backed up and rolled back. The
 * same behaviour on real files and a real chronyd is in
 * tests/integration/apply*.sh.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apply.h"
#include "fake_sysops.h"
#include "sysops.h"
#include "testhelp.h"

#define CONF "/etc/chrony/chrony.conf"
#define OLD "pool old.example iburst\n"

static struct setup S;
static struct detect_info H;
static struct apply_opts O;
static struct apply_report R;
static struct errlist E;

/* A Debian host running systemd with chrony installed and enabled. */
static void fx_setup(void)
{
	struct server srv;

	fake_sysops_reset();
	sysops_set_root("/");
	fake_sysops_put(1, "/etc/os-release", "ID=debian\n");
	fake_sysops_put_mode(1, CONF, OLD, 0640, 0, 108);
	model_init(&S);
	model_server_init(&srv);
	strcpy(srv.host, "2.debian.pool.ntp.org");
	srv.kind = SERVER_KIND_POOL;
	errlist_init(&E);
	ck_assert_int_eq(model_add_server(&S, &srv, "servers[0]", &E), 0);
	S.daemon = DAEMON_CHRONY;
	memset(&H, 0, sizeof(H));
	distro_parse_os_release("ID=debian\n", &H.distro);
	H.init = INIT_SYSTEMD;
	H.pkg = PKG_APT;
	for (int d = 1; d < DAEMON_COUNT; d++)
		H.daemons[d].backend = backend_find((enum daemon_id)d);
	H.daemons[DAEMON_CHRONY].installed = true;
	H.daemons[DAEMON_CHRONY].enabled = true;
	memset(&O, 0, sizeof(O));
	O.verify_timeout_ms = 1000;
	fake_sysops_on_exec("chronyd -p -f", 0, "", "");
	fake_sysops_on_exec("systemctl", 0, "", "");
	fake_sysops_on_exec("chronyc -n -c sources", 0,
	                    "^,*,192.0.2.1,2,6,377,1,0.001,0.001,0.01\n", "");
}

static void fx_teardown(void)
{
	errlist_free(&E);
}

static const char *rendered(void)
{
	static struct strbuf sb;
	struct errlist e;

	struct target_facts t;

	strbuf_free(&sb);
	errlist_init(&e);
	/* apply renders for what is on the target, as read from it */
	target_init(&t);
	target_read(&t, &backend_chrony, &H);
	ck_assert_int_eq(backend_render_for(&backend_chrony, &S, FAMILY_DEBIAN, &t, &sb, &e), 0);
	errlist_free(&e);
	return strbuf_str(&sb);
}

static int run(void)
{
	errlist_free(&E);
	return apply_run(&S, &backend_chrony, &H, &O, &R, &E);
}

static const struct apply_step *find_step(const char *name)
{
	for (size_t i = 0; i < R.nsteps; i++)
		if (strcmp(R.steps[i].name, name) == 0)
			return &R.steps[i];
	return NULL;
}

START_TEST(writes_backs_up_restarts_verifies)
{
	ck_assert_int_eq(run(), 0);
	ck_assert(R.changed && R.restarted && R.verified && !R.rolled_back);
	ck_assert_str_eq(fake_sysops_get(1, CONF, NULL), rendered());
	/* the backup holds the old bytes, named after the path and the UTC time */
	ck_assert_str_eq(R.backup, "/var/backups/ntpwiz/etc_chrony_chrony.conf.20261118T110640Z");
	ck_assert_str_eq(fake_sysops_get(1, R.backup, NULL), OLD);
	/* the checker saw the file, then the init system did its part, in order */
	const char *log = fake_sysops_exec_log();
	const char *p = strstr(log, "chronyd -p -f ");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(p = strstr(p, "systemctl enable chrony\n"));
	ck_assert_ptr_nonnull(p = strstr(p, "systemctl restart chrony\n"));
	ck_assert_ptr_nonnull(strstr(p, "chronyc -n -c sources"));
	ck_assert_int_eq(find_step("verify")->result, STEP_OK);
}
END_TEST

START_TEST(keeps_mode_and_owner)
{
	struct sysops_stat st;

	ck_assert_int_eq(run(), 0);
	ck_assert_int_eq(sysops_stat_root(CONF, &st), 0);
	ck_assert_int_eq(st.mode, 0640);
	ck_assert_int_eq(st.gid, 108);
}
END_TEST

START_TEST(unchanged_does_nothing)
{
	ck_assert_int_eq(run(), 0);
	size_t writes = fake_sysops_write_count();
	fake_sysops_reset_exec_log();
	ck_assert_int_eq(run(), 0);
	ck_assert(!R.changed && !R.restarted);
	ck_assert_uint_eq(fake_sysops_write_count(), writes);
	ck_assert_str_eq(fake_sysops_exec_log(), "");
	ck_assert_str_eq(R.backup, "");
}
END_TEST

START_TEST(check_is_dry)
{
	O.dry_run = true;
	ck_assert_int_eq(run(), 0);
	ck_assert(R.changed);
	ck_assert_str_eq(fake_sysops_get(1, CONF, NULL), OLD);
	ck_assert_uint_eq(fake_sysops_write_count(), 0);
	ck_assert_ptr_null(strstr(fake_sysops_exec_log(), "systemctl"));
}
END_TEST

START_TEST(checker_refusal_writes_nothing)
{
	fake_sysops_reset_exec_script();
	fake_sysops_on_exec("chronyd -p -f", 1, "",
	                    "Fatal error : Invalid directive at line 3 in file /tmp/x\n");
	ck_assert_int_eq(run(), -1);
	ck_assert_str_eq(fake_sysops_get(1, CONF, NULL), OLD);
	ck_assert_uint_eq(fake_sysops_write_count(), 0);
	ck_assert_ptr_nonnull(strstr(E.v[0].message, "Invalid directive at line 3"));
	ck_assert(!R.changed); /* the report must not claim a change */
}
END_TEST

/* OpenNTPD's checker reports success on stderr (DAEMONS.md, observed). */
START_TEST(openntpd_checker_output)
{
	static const struct {
		int status;
		const char *err;
		enum apply_step_result want;
	} cases[] = {
	    {0, "configuration OK\n", STEP_OK},
	    {0, "constraint configured without libtls support\nconfiguration OK\n", STEP_OK},
	    {1, "/tmp/x.conf:2: syntax error\n", STEP_FAILED},
	    {0, "something else\nconfiguration OK\n", STEP_FAILED},
	    {0, "", STEP_FAILED},
	};

	O.restart = APPLY_RESTART_NO;
	H.daemons[DAEMON_OPENNTPD].installed = true;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fake_sysops_reset_exec_script();
		fake_sysops_on_exec("openntpd -n -f", cases[i].status, "", cases[i].err);
		fake_sysops_on_exec("systemctl", 0, "", "");
		fake_sysops_put(1, "/etc/openntpd/ntpd.conf", "servers old.example\n");
		errlist_free(&E);
		int rc = apply_run(&S, &backend_openntpd, &H, &O, &R, &E);
		ck_assert_msg(find_step("check")->result == cases[i].want, "case %zu: %s", i,
		              find_step("check")->detail);
		ck_assert_int_eq(rc, cases[i].want == STEP_OK ? 0 : -1);
	}
}
END_TEST

START_TEST(missing_checker_is_skipped)
{
	fake_sysops_reset_exec_script();
	fake_sysops_on_exec("systemctl", 0, "", "");
	fake_sysops_on_exec("chronyc", 0, "^,*,x,2,6,377,1,0,0,0\n", "");
	ck_assert_int_eq(run(), 0);
	ck_assert_int_eq(find_step("check")->result, STEP_SKIPPED);
	ck_assert_ptr_nonnull(strstr(find_step("check")->detail, "chronyd not found"));
}
END_TEST

START_TEST(failed_restart_rolls_back)
{
	fake_sysops_reset_exec_script();
	fake_sysops_on_exec("chronyd -p -f", 0, "", "");
	fake_sysops_on_exec("systemctl restart chrony", 1, "",
	                    "Job for chrony.service failed because the control process exited.\n");
	fake_sysops_on_exec("systemctl", 0, "", "");
	ck_assert_int_eq(run(), -1);
	ck_assert(R.rolled_back && !R.changed);
	ck_assert_str_eq(fake_sysops_get(1, CONF, NULL), OLD);
	ck_assert_int_eq(find_step("restart")->result, STEP_FAILED);
	ck_assert_ptr_nonnull(
	    strstr(find_step("restart")->detail, "Job for chrony.service failed"));
	/* restarted again on the old file */
	const char *log = fake_sysops_exec_log();
	const char *first = strstr(log, "systemctl restart chrony");
	ck_assert_ptr_nonnull(first);
	ck_assert_ptr_nonnull(strstr(first + 1, "systemctl restart chrony"));
}
END_TEST

START_TEST(silent_daemon_rolls_back)
{
	fake_sysops_reset_exec_script();
	fake_sysops_on_exec("chronyd -p -f", 0, "", "");
	fake_sysops_on_exec("systemctl", 0, "", "");
	fake_sysops_on_exec("chronyc", 1, "506 Cannot talk to daemon\n", "");
	ck_assert_int_eq(run(), -1);
	ck_assert(R.rolled_back && !R.verified);
	ck_assert_str_eq(fake_sysops_get(1, CONF, NULL), OLD);
	ck_assert_ptr_nonnull(strstr(find_step("verify")->detail, "506 Cannot talk to daemon"));
}
END_TEST

START_TEST(new_file_rolled_back_is_removed)
{
	fake_sysops_reset();
	fake_sysops_mkdir(1, "/etc");
	fake_sysops_on_exec("systemctl restart", 1, "", "failed\n");
	fake_sysops_on_exec("systemctl", 0, "", "");
	ck_assert_int_eq(run(), -1);
	ck_assert_ptr_null(fake_sysops_get(1, CONF, NULL));
	ck_assert_ptr_nonnull(strstr(R.backup, ".absent"));
	/* the folder it made stays: it is harmless and may hold other files */
	ck_assert_int_eq(find_step("mkdir")->result, STEP_OK);
}
END_TEST

/* A first file for a daemon that was not enabled: when its restart fails,
 * the file goes and the daemon this run enabled is stopped and disabled
 * again (a daemon with no file fails at every start), not restarted. */
START_TEST(new_file_rolled_back_disables_the_daemon_it_enabled)
{
	sysops_unlink_root(CONF);
	H.daemons[DAEMON_CHRONY].enabled = false;
	fake_sysops_reset_exec_script();
	fake_sysops_on_exec("chronyd -p -f", 0, "", "");
	fake_sysops_on_exec("systemctl restart", 1, "", "failed\n");
	fake_sysops_on_exec("systemctl", 0, "", "");
	ck_assert_int_eq(run(), -1);
	ck_assert_ptr_null(fake_sysops_get(1, CONF, NULL));
	const char *p = strstr(fake_sysops_exec_log(), "systemctl restart chrony\n");
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p, "systemctl restart chrony\nsystemctl stop chrony\nsystemctl disable "
	                    "chrony\n");
}
END_TEST

START_TEST(symlink_refused)
{
	fake_sysops_reset();
	fake_sysops_put(1, "/srv/elsewhere.conf", "keep me\n");
	fake_sysops_mkdir(1, "/etc/chrony");
	fake_sysops_symlink(1, CONF, "/srv/elsewhere.conf");
	ck_assert_int_eq(run(), -1);
	ck_assert_ptr_nonnull(strstr(E.v[0].message, "symbolic link"));
	ck_assert_str_eq(fake_sysops_get(1, "/srv/elsewhere.conf", NULL), "keep me\n");
	ck_assert_uint_eq(fake_sysops_write_count(), 0);
}
END_TEST

START_TEST(write_failure_keeps_old_bytes)
{
	fake_sysops_fail("write", CONF, ENOSPC);
	ck_assert_int_eq(run(), -1);
	ck_assert_str_eq(fake_sysops_get(1, CONF, NULL), OLD);
	ck_assert_ptr_nonnull(strstr(E.v[E.n - 1].message, "No space left on device"));
	ck_assert_ptr_null(strstr(fake_sysops_exec_log(), "systemctl"));
}
END_TEST

START_TEST(needs_root_on_the_host)
{
	fake_sysops_set_euid(1000);
	ck_assert_int_eq(run(), -1);
	ck_assert_ptr_nonnull(strstr(E.v[0].message, "needs root"));
	ck_assert_uint_eq(fake_sysops_write_count(), 0);
}
END_TEST

START_TEST(conflicting_daemon_stopped_and_restored_on_failure)
{
	H.daemons[DAEMON_TIMESYNCD].installed = true;
	H.daemons[DAEMON_TIMESYNCD].enabled = true;
	H.daemons[DAEMON_TIMESYNCD].running = true;
	ck_assert_int_eq(run(), 0);
	const char *log = fake_sysops_exec_log();
	const char *p = strstr(log, "systemctl stop systemd-timesyncd\n");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(p = strstr(p, "systemctl disable systemd-timesyncd\n"));
	ck_assert_ptr_nonnull(strstr(p, "systemctl restart chrony\n"));

	/* the same when the restart fails: timesyncd comes back */
	fake_sysops_put(1, CONF, OLD);
	fake_sysops_reset_exec_log();
	fake_sysops_reset_exec_script();
	fake_sysops_on_exec("systemctl restart chrony", 1, "", "no\n");
	fake_sysops_on_exec("systemctl", 0, "", "");
	ck_assert_int_eq(run(), -1);
	log = fake_sysops_exec_log();
	ck_assert_ptr_nonnull(p = strstr(log, "systemctl enable systemd-timesyncd\n"));
	ck_assert_ptr_nonnull(strstr(p, "systemctl start systemd-timesyncd\n"));

	/* and nothing of it when the profile says not to */
	fake_sysops_put(1, CONF, OLD);
	fake_sysops_reset_exec_log();
	fake_sysops_reset_exec_script();
	fake_sysops_on_exec("systemctl", 0, "", "");
	fake_sysops_on_exec("chronyc", 0, "^,*,x,2,6,377,1,0,0,0\n", "");
	S.apply.stop_conflicting = false;
	ck_assert_int_eq(run(), 0);
	ck_assert_ptr_null(strstr(fake_sysops_exec_log(), "timesyncd"));
}
END_TEST

START_TEST(no_restart_option)
{
	O.restart = APPLY_RESTART_NO;
	ck_assert_int_eq(run(), 0);
	ck_assert(!R.restarted);
	ck_assert_ptr_null(strstr(fake_sysops_exec_log(), "restart"));
	ck_assert_ptr_nonnull(strstr(fake_sysops_exec_log(), "systemctl enable chrony"));
}
END_TEST

START_TEST(under_root_enables_for_next_boot)
{
	char dir[] = "/tmp/ntpwiz-apply-XXXXXX", opt[64];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(sysops_set_root(dir), 0);
	H.daemons[DAEMON_TIMESYNCD].enabled = true;
	ck_assert_int_eq(run(), 0);
	snprintf(opt, sizeof(opt), "systemctl --root=%s enable chrony", dir);
	ck_assert_ptr_nonnull(strstr(fake_sysops_exec_log(), opt));
	snprintf(opt, sizeof(opt), "systemctl --root=%s disable systemd-timesyncd", dir);
	ck_assert_ptr_nonnull(strstr(fake_sysops_exec_log(), opt));
	ck_assert_ptr_null(strstr(fake_sysops_exec_log(), "restart"));
	ck_assert_ptr_null(strstr(fake_sysops_exec_log(), "stop"));
	/* --restart asks for it anyway */
	fake_sysops_put(1, CONF, OLD);
	fake_sysops_reset_exec_log();
	O.restart = APPLY_RESTART_YES;
	ck_assert_int_eq(run(), 0);
	ck_assert_ptr_nonnull(strstr(fake_sysops_exec_log(), "systemctl restart chrony"));
	sysops_set_root("/");
	rmdir(dir);
}
END_TEST

/* Issue 14, D4: on a live runit host the service is enabled with the link
 * Debian's runit-helper makes, not "skipped: inside the target system". */
START_TEST(runit_host_enables_with_the_runsvdir_link)
{
	struct sysops_stat st;
	const struct apply_step *en;

	H.init = INIT_RUNIT;
	H.daemons[DAEMON_CHRONY].enabled = false;
	fake_sysops_mkdir(1, "/etc/sv/chrony");
	fake_sysops_mkdir(1, "/etc/runit/runsvdir/default");
	fake_sysops_on_exec("sv", 0, "", "");
	ck_assert_int_eq(run(), 0);
	en = find_step("enable");
	ck_assert_ptr_nonnull(en);
	ck_assert_int_eq(en->result, STEP_OK);
	ck_assert_str_eq(en->detail, "ln -s /etc/sv/chrony /etc/runit/runsvdir/default/chrony");
	ck_assert_int_eq(sysops_stat_root("/etc/runit/runsvdir/default/chrony", &st), 0);
	ck_assert(st.exists && st.is_link);
	ck_assert_ptr_nonnull(strstr(fake_sysops_exec_log(), "sv restart chrony\n"));
	/* enabled already: nothing to do, still ok */
	fake_sysops_put(1, CONF, OLD);
	ck_assert_int_eq(run(), 0);
	ck_assert_int_eq(find_step("enable")->result, STEP_OK);
}
END_TEST

START_TEST(backups_are_kept_and_pruned)
{
	char prev[MODEL_PATH_MAX] = "";

	O.restart = APPLY_RESTART_NO;
	for (int i = 0; i < 12; i++) {
		char text[64];
		snprintf(text, sizeof(text), "pool old%d.example iburst\n", i);
		fake_sysops_put(1, CONF, text);
		ck_assert_int_eq(run(), 0);
		/* the same second twice: a new name, never an overwrite */
		ck_assert_str_ne(R.backup, prev);
		ck_assert_str_eq(fake_sysops_get(1, R.backup, NULL), text);
		snprintf(prev, sizeof(prev), "%s", R.backup);
	}
	char **names;
	size_t n;
	ck_assert_int_eq(sysops_list_root_dir(APPLY_BACKUP_DIR, &names, &n), 0);
	/* each backup has its record (changes.BACKUP); a pruned one's goes with it */
	size_t records = 0;
	for (size_t i = 0; i < n; i++)
		if (strncmp(names[i], CHANGES_PREFIX, strlen(CHANGES_PREFIX)) == 0) {
			records++;
			snprintf(prev, sizeof(prev), "%s/%s", APPLY_BACKUP_DIR,
			         names[i] + strlen(CHANGES_PREFIX));
			ck_assert_ptr_nonnull(fake_sysops_get(1, prev, NULL));
		}
	ck_assert_uint_eq(records, APPLY_BACKUPS_KEPT);
	ck_assert_uint_eq(n - records, APPLY_BACKUPS_KEPT);
	/* the two oldest went */
	ck_assert_str_eq(
	    fake_sysops_get(1, "/var/backups/ntpwiz/etc_chrony_chrony.conf.20261118T110640Z.2",
	                    NULL),
	    "pool old2.example iburst\n");
	sysops_free_names(names, n);
}
END_TEST

START_TEST(rollback_walks_back)
{
	O.restart = APPLY_RESTART_NO;
	ck_assert_int_eq(run(), 0); /* OLD -> rendered */
	S.policy = POLICY_PUBLIC;
	fake_sysops_set_now(FAKE_SYSOPS_NOW + 60);
	ck_assert_int_eq(run(), 0); /* rendered -> public */
	const char *first_render_text = fake_sysops_get(1, R.backup, NULL);
	ck_assert_ptr_nonnull(first_render_text);
	char *first = strdup(first_render_text);

	errlist_free(&E);
	ck_assert_int_eq(apply_rollback(&H, &O, &R, &E), 0);
	ck_assert_str_eq(fake_sysops_get(1, CONF, NULL), first);
	errlist_free(&E);
	ck_assert_int_eq(apply_rollback(&H, &O, &R, &E), 0);
	ck_assert_str_eq(fake_sysops_get(1, CONF, NULL), OLD);
	errlist_free(&E);
	ck_assert_int_eq(apply_rollback(&H, &O, &R, &E), -1);
	ck_assert_ptr_nonnull(strstr(E.v[0].message, "no backup left"));
	free(first);
}
END_TEST

START_TEST(install_with_consent_only)
{
	H.daemons[DAEMON_CHRONY].installed = false;
	H.ntpdate_installed = true;
	O.restart = APPLY_RESTART_NO;
	fake_sysops_on_exec("apt-get", 0, "", "");
	/* not installed and no consent: refused before anything is touched
	 * (issue 15: it used to write, stop the other daemons and fail later) */
	fake_sysops_put(1, CONF, OLD);
	size_t writes = fake_sysops_write_count();
	ck_assert_int_eq(run(), -1);
	ck_assert_ptr_null(strstr(fake_sysops_exec_log(), "apt-get"));
	ck_assert_ptr_null(strstr(fake_sysops_exec_log(), "systemctl"));
	ck_assert_uint_eq(fake_sysops_write_count(), writes);
	ck_assert_str_eq(fake_sysops_get(1, CONF, NULL), OLD);
	ck_assert_ptr_nonnull(strstr(E.v[0].message, "apply.install = true"));
	errlist_free(&E);
	S.apply.install = true;
	ck_assert_int_eq(run(), 0);
	const char *p = strstr(fake_sysops_exec_log(),
	                       "apt-get install -y -o Dpkg::Options::=--force-confold chrony\n");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(strstr(p, "apt-get purge -y ntpdate\n"));
}
END_TEST

/* Issue 14 (a real Debian 12 host): apt installing chrony removed
 * systemd-timesyncd, and the apply that installed chronyd never ran it as
 * the checker. The install comes first, then the checker; what apt removed
 * is no conflict to stop. */
START_TEST(install_first_then_checker_then_redetect)
{
	H.daemons[DAEMON_CHRONY].installed = false;
	H.daemons[DAEMON_CHRONY].enabled = false;
	/* detected before the install; apt removes it on the way */
	H.daemons[DAEMON_TIMESYNCD].installed = true;
	H.daemons[DAEMON_TIMESYNCD].enabled = true;
	H.daemons[DAEMON_TIMESYNCD].running = true;
	S.apply.install = true;
	fake_sysops_on_exec("apt-get", 0, "", "");
	/* what the host looks like after the install */
	fake_sysops_put(1, "/usr/sbin/chronyd", "");
	ck_assert_int_eq(run(), 0);
	const char *log = fake_sysops_exec_log();
	const char *inst =
	    strstr(log, "apt-get install -y -o Dpkg::Options::=--force-confold chrony\n");
	const char *chk = strstr(log, "chronyd -p -f ");
	ck_assert_ptr_nonnull(inst);
	ck_assert_ptr_nonnull(chk);
	ck_assert(inst < chk);
	ck_assert_int_eq(find_step("check")->result, STEP_OK);
	ck_assert_ptr_null(strstr(log, "systemctl stop systemd-timesyncd"));
	ck_assert_int_eq(E.n, 0);
}
END_TEST

/* Issue 14, seen on a Debian 12 guest (tests/vm/sc-ntporg.sh, ntp4): apt
 * installed the daemon again and its kept conffile already had ntpwiz's
 * bytes; apply stopped at "already has these bytes": no enable, restart or
 * verify after an install that changed the host ("verified": false). */
START_TEST(install_with_the_file_already_there_still_starts_and_verifies)
{
	ck_assert_int_eq(run(), 0); /* the file gets ntpwiz's bytes */
	H.daemons[DAEMON_CHRONY].installed = false;
	H.daemons[DAEMON_CHRONY].enabled = false;
	S.apply.install = true;
	fake_sysops_on_exec("apt-get", 0, "", "");
	fake_sysops_reset_exec_log();
	ck_assert_int_eq(run(), 0);
	ck_assert_int_eq(find_step("install")->result, STEP_OK);
	ck_assert(!R.changed);
	ck_assert(R.restarted && R.verified);
	const char *log = fake_sysops_exec_log();
	const char *p = strstr(log, "apt-get install -y -o Dpkg::Options::=--force-confold chrony\n");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(p = strstr(p, "systemctl enable chrony\n"));
	ck_assert_ptr_nonnull(p = strstr(p, "systemctl restart chrony\n"));
	ck_assert_ptr_nonnull(strstr(p, "chronyc -n -c sources"));
	ck_assert_int_eq(find_step("verify")->result, STEP_OK);
	/* and the next apply, with chrony there, does nothing */
	H.daemons[DAEMON_CHRONY].installed = true;
	H.daemons[DAEMON_CHRONY].enabled = true;
	fake_sysops_reset_exec_log();
	ck_assert_int_eq(run(), 0);
	ck_assert(!R.changed && !R.restarted);
	ck_assert_str_eq(fake_sysops_exec_log(), "");
}
END_TEST

/* Issue 14: "FAILED stop-conflicting ... exit status 5" with exit 0 and no
 * error. A failed step makes the run fail, and says which. */
START_TEST(failed_step_is_not_hidden)
{
	H.daemons[DAEMON_TIMESYNCD].installed = true;
	H.daemons[DAEMON_TIMESYNCD].enabled = true;
	fake_sysops_reset_exec_script();
	fake_sysops_on_exec("chronyd -p -f", 0, "", "");
	fake_sysops_on_exec("systemctl stop systemd-timesyncd", 5, "",
	                    "Failed to stop systemd-timesyncd.service: Unit "
	                    "systemd-timesyncd.service not loaded.\n");
	fake_sysops_on_exec("systemctl", 0, "", "");
	fake_sysops_on_exec("chronyc -n -c sources", 0,
	                    "^,*,192.0.2.1,2,6,377,1,0.001,0.001,0.01\n", "");
	ck_assert_int_eq(run(), -1);
	ck_assert_int_eq(find_step("stop-conflicting")->result, STEP_FAILED);
	ck_assert_uint_ge(E.n, 1);
	ck_assert_ptr_nonnull(strstr(E.v[E.n - 1].message, "stop-conflicting"));
	ck_assert_ptr_nonnull(strstr(E.v[E.n - 1].message, "not loaded"));
}
END_TEST

/* Issue 14, a Debian 12 guest (tests/vm/sc-daemons.sh, 1o): NTPsec removed
 * by apt leaves its init script and start links (detect's leftover_enabled).
 * systemd has not loaded that unit: "systemctl stop ntpsec" exits 5 and the
 * apply failed on it. Such a leftover is disabled, not stopped. */
START_TEST(leftover_init_script_is_disabled_not_stopped)
{
	H.daemons[DAEMON_NTPSEC].installed = false;
	H.daemons[DAEMON_NTPSEC].leftover_enabled = true;
	fake_sysops_reset_exec_script();
	fake_sysops_on_exec("chronyd -p -f", 0, "", "");
	fake_sysops_on_exec("systemctl stop ntpsec", 5, "",
	                    "Failed to stop ntpsec.service: Unit ntpsec.service not loaded.\n");
	fake_sysops_on_exec("systemctl", 0, "", "");
	fake_sysops_on_exec("chronyc -n -c sources", 0,
	                    "^,*,192.0.2.1,2,6,377,1,0.001,0.001,0.01\n", "");
	ck_assert_int_eq(run(), 0);
	const char *log = fake_sysops_exec_log();
	ck_assert_ptr_null(strstr(log, "systemctl stop ntpsec"));
	ck_assert_ptr_nonnull(strstr(log, "systemctl disable ntpsec\n"));
	ck_assert_int_eq(find_step("stop-conflicting")->result, STEP_OK);
	ck_assert_uint_eq(E.n, 0);
}
END_TEST

/* Issue 14: on Debian 12 /usr/sbin/ntpdate comes from ntpsec-ntpdate;
 * `apt-get purge ntpdate` changed nothing and was reported ok. */
START_TEST(purges_the_package_that_provides_ntpdate)
{
	H.ntpdate_installed = true;
	H.ntpdate_package = "ntpsec-ntpdate";
	S.apply.install = true;
	fake_sysops_on_exec("apt-get", 0, "", "");
	ck_assert_int_eq(run(), 0);
	ck_assert_ptr_nonnull(strstr(fake_sysops_exec_log(), "apt-get purge -y ntpsec-ntpdate\n"));
	ck_assert_int_eq(find_step("purge-ntpdate")->result, STEP_OK);
	/* a purge that leaves the command in place is no success */
	fake_sysops_put(1, CONF, OLD);
	fake_sysops_put(1, "/usr/sbin/ntpdate", "");
	ck_assert_int_eq(run(), -1);
	const struct apply_step *st = NULL;
	for (size_t i = 0; i < R.nsteps; i++)
		if (strcmp(R.steps[i].name, "purge-ntpdate") == 0)
			st = &R.steps[i];
	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(st->result, STEP_FAILED);
	ck_assert_ptr_nonnull(strstr(st->detail, "still installed"));
}
END_TEST

/* --- issue 14, defect 1: the record of what apply changed, and rollback -------- */

#define DPKG "/var/lib/dpkg/status"
#define BK "/var/backups/ntpwiz/etc_chrony_chrony.conf.20261118T110640Z.absent"
#define REC "/var/backups/ntpwiz/changes.etc_chrony_chrony.conf.20261118T110640Z.absent"
#define STANZA(p, st) "Package: " p "\nStatus: " st "\nVersion: 1\n\n"
#define INST "install ok installed"

/* apt on Debian 12: installing chrony removes systemd-timesyncd (unless
 * keep_timesyncd); purging ntpsec-ntpdate removes it. */
static bool keep_timesyncd;
static void apt_hook(const char *cmd)
{
	if (strstr(cmd, "apt-get install") && strstr(cmd, " chrony")) {
		fake_sysops_put(1, "/usr/sbin/chronyd", "");
		if (keep_timesyncd) {
			fake_sysops_put(1, DPKG,
			                STANZA("chrony", INST) STANZA("systemd-timesyncd", INST)
			                    STANZA("ntpsec-ntpdate", INST));
			return;
		}
		sysops_unlink_root("/lib/systemd/systemd-timesyncd");
		fake_sysops_put(1, DPKG,
		                STANZA("chrony", INST)
		                    STANZA("systemd-timesyncd", "deinstall ok config-files")
		                        STANZA("ntpsec-ntpdate", INST));
	} else if (strstr(cmd, "apt-get purge -y ntpsec-ntpdate")) {
		const char *db = fake_sysops_get(1, DPKG, NULL);
		char *copy = strdup(db ? db : "");
		char *p = strstr(copy, "Package: ntpsec-ntpdate");
		if (p)
			*p = '\0';
		sysops_unlink_root("/usr/sbin/ntpdate");
		fake_sysops_put(1, DPKG, copy);
		free(copy);
	}
}

/* A Debian 12 host running systemd-timesyncd (and ntpsec-ntpdate), chrony
 * not installed and no chrony.conf: apply.install = true. */
static void fresh_host(void)
{
	sysops_unlink_root(CONF);
	fake_sysops_put(1, DPKG, STANZA("systemd-timesyncd", INST) STANZA("ntpsec-ntpdate", INST));
	fake_sysops_put(1, "/lib/systemd/systemd-timesyncd", "");
	fake_sysops_put(1, "/etc/systemd/system/sysinit.target.wants/systemd-timesyncd.service",
	                "[Unit]\n");
	fake_sysops_put(1, "/usr/sbin/ntpdate", "");
	H.daemons[DAEMON_CHRONY].installed = false;
	H.daemons[DAEMON_CHRONY].enabled = false;
	H.daemons[DAEMON_TIMESYNCD].installed = true;
	H.daemons[DAEMON_TIMESYNCD].enabled = true;
	H.daemons[DAEMON_TIMESYNCD].running = true;
	H.ntpdate_installed = true;
	H.ntpdate_package = "ntpsec-ntpdate";
	S.apply.install = true;
	keep_timesyncd = false;
	fake_sysops_on_exec_hook(apt_hook);
	fake_sysops_on_exec("apt-get", 0, "", "");
	fake_sysops_on_exec("timedatectl show-timesync", 0, "ServerName=192.0.2.1\n", "");
}

START_TEST(install_is_recorded_next_to_the_backup)
{
	fresh_host();
	ck_assert_int_eq(run(), 0);
	ck_assert_str_eq(R.backup, BK);
	ck_assert_str_eq(fake_sysops_get(1, REC, NULL),
	                 "# ntpwiz: what the apply that made "
	                 "etc_chrony_chrony.conf.20261118T110640Z.absent changed besides the file\n"
	                 "ntpwiz-changes 1\n"
	                 "daemon chrony\n"
	                 "before-enabled timesyncd\n"
	                 "before-running timesyncd\n"
	                 "installed chrony\n"
	                 "removed systemd-timesyncd\n"
	                 "purged ntpsec-ntpdate\n"
	                 "enabled chrony\n"
	                 "started chrony\n");
	/* the record is there before the file is written */
	const char *log = fake_sysops_exec_log();
	ck_assert_ptr_nonnull(strstr(log, "apt-get purge -y ntpsec-ntpdate\n"));
}
END_TEST

/* Issue 14 (Debian 12 and 13 guests): the apply that installed chrony
 * rendered the file before the install, for an unknown version ("chrony's
 * version on this system is unknown" on Debian 12; no leapseclist on
 * Debian 13's chrony 4.6.1). The next check said "changes" and the next
 * apply rewrote the file and restarted chronyd. The file written is what
 * the installed daemon gets, so a second apply changes nothing. */
static const char *apt_version;
static void apt_hook_versioned(const char *cmd)
{
	apt_hook(cmd);
	if (strstr(cmd, "apt-get install") && strstr(cmd, " chrony")) {
		char db[512];
		snprintf(db, sizeof(db),
		         "Package: chrony\nStatus: " INST "\nVersion: %s\n\n"
		         STANZA("systemd-timesyncd", "deinstall ok config-files")
		             STANZA("ntpsec-ntpdate", INST),
		         apt_version);
		fake_sysops_put(1, DPKG, db);
	}
}

/* cli: the facts come from the caller, read before the install, as
 * `ntpwiz apply` passes them (apply_opts.target) */
static void install_renders_for_the_installed_version(const char *version, const char *has,
                                                      const char *lacks, bool cli)
{
	static struct target_facts given;
	struct detect_info after;
	char *written;

	fresh_host();
	apt_version = version;
	fake_sysops_on_exec_hook(apt_hook_versioned);
	if (cli) {
		target_init(&given);
		target_read(&given, &backend_chrony, &H);
		O.target = &given;
	}
	ck_assert_int_eq(run(), 0);
	ck_assert(R.changed && R.restarted);
	/* the file differs from the one rendered before the install (and
	 * shown as the preview): said, naming the installed version */
	const struct apply_step *again = find_step("render");
	ck_assert_ptr_nonnull(again);
	const char *said = again->detail;
	ck_assert_msg(strstr(said, "rendered again for chrony ") && strstr(said, version) &&
	                  strstr(said, "differs from the one shown"),
	              "%s", said);
	written = strdup(fake_sysops_get(1, CONF, NULL));
	/* the host as the next run detects it */
	after = H;
	detect_refresh_daemons(&after);
	ck_assert(after.daemons[DAEMON_CHRONY].installed);
	ck_assert_str_eq(after.daemons[DAEMON_CHRONY].version, version);
	H = after;
	ck_assert_str_eq(written, rendered());
	if (cli) /* the next `ntpwiz apply` reads the facts again */
		target_read(&given, &backend_chrony, &H);
	ck_assert_ptr_nonnull(strstr(written, has));
	ck_assert_ptr_null(strstr(written, lacks));
	ck_assert_ptr_null(strstr(written, "version on this system is unknown"));
	/* apply again: nothing to do, no restart */
	size_t writes = fake_sysops_write_count();
	fake_sysops_reset_exec_log();
	ck_assert_int_eq(run(), 0);
	ck_assert(!R.changed && !R.restarted);
	ck_assert_uint_eq(fake_sysops_write_count(), writes);
	ck_assert_ptr_null(strstr(fake_sysops_exec_log(), "systemctl restart"));
	ck_assert_str_eq(fake_sysops_get(1, CONF, NULL), written);
	free(written);
}

#define LIST46 "leapseclist /usr/share/zoneinfo/leap-seconds.list\n"

/* Debian 13: tzdata's leap-seconds.list, no right/UTC (tzdata-legacy) */
static void debian13_tzdata(void)
{
	fake_sysops_put(1, "/usr/share/zoneinfo/leap-seconds.list", "#\n");
}

/* Debian 12: both leap files; chrony 4.3 has no leapseclist */
static void debian12_tzdata(void)
{
	fake_sysops_put(1, "/usr/share/zoneinfo/leap-seconds.list", "#\n");
	fake_sysops_put(1, "/usr/share/zoneinfo/right/UTC", "TZif");
}

START_TEST(install_renders_for_the_installed_chrony_4_6)
{
	debian13_tzdata();
	install_renders_for_the_installed_version("4.6.1-3", LIST46, "leapsectz", false);
}
END_TEST

START_TEST(install_renders_for_the_installed_chrony_4_6_cli_facts)
{
	debian13_tzdata();
	install_renders_for_the_installed_version("4.6.1-3", LIST46, "leapsectz", true);
}
END_TEST

START_TEST(install_renders_for_the_installed_chrony_4_3)
{
	debian12_tzdata();
	install_renders_for_the_installed_version("4.3-2+deb12u1", "leapsectz right/UTC\n",
	                                          "leapseclist", false);
}
END_TEST

START_TEST(install_renders_for_the_installed_chrony_4_3_cli_facts)
{
	debian12_tzdata();
	install_renders_for_the_installed_version("4.3-2+deb12u1", "leapsectz right/UTC\n",
	                                          "leapseclist", true);
}
END_TEST

/* The render after the install does not say the profile's warnings twice. */
START_TEST(install_render_again_warns_once)
{
	size_t n = 0;

	debian13_tzdata();
	S.servers[0].weight = 5; /* OpenNTPD's; chrony cannot write it: a warning */
	fresh_host();
	apt_version = "4.6.1-3";
	fake_sysops_on_exec_hook(apt_hook_versioned);
	ck_assert_int_eq(run(), 0);
	ck_assert_ptr_nonnull(strstr(fake_sysops_get(1, CONF, NULL), LIST46));
	for (size_t i = 0; i < E.n; i++)
		n += strstr(E.v[i].message, "weight") != NULL;
	ck_assert_uint_eq(n, 1);
}
END_TEST

/* The real host's defect: the rollback removed chrony.conf, left chrony
 * enabled, printed success and exited 0, with no daemon left. */
START_TEST(rollback_after_install_names_what_it_cannot_restore)
{
	fresh_host();
	ck_assert_int_eq(run(), 0);
	fake_sysops_reset_exec_log();
	errlist_free(&E);
	ck_assert_int_eq(apply_rollback(&H, &O, &R, &E), -1);
	ck_assert_ptr_null(fake_sysops_get(1, CONF, NULL));
	ck_assert_int_eq(R.record, CHANGES_FOUND);
	ck_assert(R.rolled_back && !R.services_restored && !R.complete);
	/* chrony, whose file is gone, is stopped and disabled */
	const char *log = fake_sysops_exec_log();
	const char *p = strstr(log, "systemctl stop chrony\n");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(strstr(p, "systemctl disable chrony\n"));
	ck_assert_ptr_null(strstr(log, "apt-get"));
	ck_assert_ptr_null(strstr(log, "timesyncd"));
	/* what ran before is gone: a failed step, an error, the commands */
	const struct apply_step *st = find_step("reinstall");
	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(st->result, STEP_FAILED);
	ck_assert_ptr_nonnull(strstr(st->detail, "timesyncd"));
	ck_assert_uint_ge(errlist_count(&E, ERR_ERROR), 1);
	ck_assert_uint_eq(R.nby_hand, 3);
	ck_assert_str_eq(R.by_hand[0].action, "install");
	ck_assert_str_eq(R.by_hand[0].command,
	                 "apt-get install -y -o Dpkg::Options::=--force-confold systemd-timesyncd");
	ck_assert_str_eq(R.by_hand[1].command,
	                 "apt-get install -y -o Dpkg::Options::=--force-confold ntpsec-ntpdate");
	ck_assert_str_eq(R.by_hand[2].action, "remove");
	ck_assert_str_eq(R.by_hand[2].command, "apt-get purge -y chrony");
	/* the record went with its backup: the next rollback has none left */
	ck_assert_ptr_null(fake_sysops_get(1, REC, NULL));
	ck_assert_ptr_nonnull(fake_sysops_get(1, REC ".restored", NULL));
}
END_TEST

START_TEST(rollback_brings_back_the_daemon_that_ran)
{
	fresh_host();
	keep_timesyncd = true; /* apt did not remove it: apply stopped it */
	ck_assert_int_eq(run(), 0);
	ck_assert_ptr_nonnull(strstr(fake_sysops_get(1, REC, NULL), "\nstopped timesyncd\n"));
	fake_sysops_reset_exec_log();
	errlist_free(&E);
	/* services back, the installed chrony left: 1 (exit 2) */
	ck_assert_int_eq(apply_rollback(&H, &O, &R, &E), 1);
	ck_assert(R.services_restored && !R.complete);
	const char *log = fake_sysops_exec_log();
	const char *p = strstr(log, "systemctl stop chrony\n");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(p = strstr(p, "systemctl disable chrony\n"));
	ck_assert_ptr_nonnull(p = strstr(p, "systemctl enable systemd-timesyncd\n"));
	ck_assert_ptr_nonnull(p = strstr(p, "systemctl start systemd-timesyncd\n"));
	ck_assert_ptr_nonnull(strstr(p, "timedatectl show-timesync\n"));
	ck_assert_int_eq(find_step("verify")->result, STEP_OK);
	ck_assert_uint_eq(errlist_count(&E, ERR_ERROR), 0);
	ck_assert_uint_ge(errlist_count(&E, ERR_WARNING), 1);
	ck_assert_str_eq(R.by_hand[R.nby_hand - 1].command, "apt-get purge -y chrony");

	/* the start of the old daemon fails: the rollback fails and says so */
	fresh_host();
	keep_timesyncd = true;
	fake_sysops_put(1, DPKG, STANZA("systemd-timesyncd", INST) STANZA("ntpsec-ntpdate", INST));
	fake_sysops_put(1, "/usr/sbin/ntpdate", "");
	sysops_unlink_root("/usr/sbin/chronyd");
	fake_sysops_set_now(FAKE_SYSOPS_NOW + 60);
	ck_assert_int_eq(run(), 0);
	fake_sysops_reset_exec_script();
	fake_sysops_on_exec("systemctl start systemd-timesyncd", 1, "", "Job failed\n");
	fake_sysops_on_exec("systemctl", 0, "", "");
	errlist_free(&E);
	ck_assert_int_eq(apply_rollback(&H, &O, &R, &E), -1);
	ck_assert(!R.services_restored && !R.complete);
	ck_assert_int_eq(find_step("start")->result, STEP_FAILED);
	ck_assert_uint_ge(errlist_count(&E, ERR_ERROR), 1);
}
END_TEST

/* The command for the distribution's package manager, also when none was
 * found under the root (a mounted system's). */
START_TEST(by_hand_commands_per_package_manager)
{
	static const struct {
		const char *os, *install, *remove;
	} cases[] = {
	    {"ID=debian\n", "apt-get install -y -o Dpkg::Options::=--force-confold ntpsec",
	     "apt-get purge -y chrony"},
	    {"ID=fedora\n", "dnf install -y ntpsec", "dnf remove -y chrony"},
	    {"ID=opensuse-leap\nID_LIKE=\"suse opensuse\"\n",
	     "zypper --non-interactive install ntpsec", "zypper --non-interactive remove chrony"},
	    {"ID=alpine\n", "apk add ntpsec", "apk del chrony"},
	    {"ID=arch\n", "pacman -S --noconfirm ntpsec", "pacman -R --noconfirm chrony"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char bk[MODEL_PATH_MAX], rec[MODEL_PATH_MAX], stem[200];
		size_t o = 0;

		fx_setup();
		memset(&H.distro, 0, sizeof(H.distro));
		distro_parse_os_release(cases[i].os, &H.distro);
		H.pkg = PKG_NONE;
		const char *conf = backend_conf_path(&backend_chrony, H.distro.family);
		for (const char *c = conf + 1; *c; c++)
			stem[o++] = *c == '/' ? '_' : *c;
		stem[o] = '\0';
		snprintf(bk, sizeof(bk), "/var/backups/ntpwiz/%s.20261118T110640Z.absent", stem);
		snprintf(rec, sizeof(rec), "/var/backups/ntpwiz/changes.%s.20261118T110640Z.absent",
		         stem);
		fake_sysops_put(1, conf, "server x\n");
		fake_sysops_put(1, bk, "");
		fake_sysops_put(1, rec,
		                "ntpwiz-changes 1\ndaemon chrony\nbefore-enabled ntpsec\n"
		                "installed chrony\nremoved ntpsec\nenabled chrony\n");
		errlist_free(&E);
		ck_assert_int_eq(apply_rollback(&H, &O, &R, &E), -1);
		ck_assert_msg(R.nby_hand == 2, "%s: %zu by hand", cases[i].os, R.nby_hand);
		ck_assert_str_eq(R.by_hand[0].command, cases[i].install);
		ck_assert_str_eq(R.by_hand[1].command, cases[i].remove);
		fx_teardown();
	}
}
END_TEST

/* A backup an older ntpwiz made has no record: the file as before, the
 * daemon restarted on it, and a warning that the services were not looked at. */
START_TEST(rollback_without_record_restores_the_file_only)
{
	ck_assert_int_eq(run(), 0);
	sysops_unlink_root("/var/backups/ntpwiz/changes.etc_chrony_chrony.conf.20261118T110640Z");
	fake_sysops_reset_exec_log();
	errlist_free(&E);
	ck_assert_int_eq(apply_rollback(&H, &O, &R, &E), 0);
	ck_assert_str_eq(fake_sysops_get(1, CONF, NULL), OLD);
	ck_assert_int_eq(R.record, CHANGES_MISSING);
	ck_assert_str_eq(fake_sysops_exec_log(),
	                 "systemctl restart chrony\nchronyc -n -c sources\n");
	ck_assert_uint_eq(errlist_count(&E, ERR_WARNING), 1);
	ck_assert_ptr_nonnull(strstr(E.v[0].message, "no record"));
	ck_assert(R.complete && R.services_restored);
}
END_TEST

/* A daemon enabled and running before the apply (here the same daemon, a
 * new file) is enabled again if it is not, restarted on its old bytes and
 * verified. */
START_TEST(rollback_restores_a_daemon_that_was_enabled)
{
	fake_sysops_put(1, "/usr/sbin/chronyd", "");
	ck_assert_int_eq(run(), 0);
	ck_assert_ptr_nonnull(strstr(
	    fake_sysops_get(
	        1, "/var/backups/ntpwiz/changes.etc_chrony_chrony.conf.20261118T110640Z", NULL),
	    "\nbefore-enabled chrony\n"));
	fake_sysops_reset_exec_log();
	errlist_free(&E);
	/* no enablement link in the fake: detect says chrony is not enabled now */
	ck_assert_int_eq(apply_rollback(&H, &O, &R, &E), 0);
	ck_assert_str_eq(fake_sysops_get(1, CONF, NULL), OLD);
	ck_assert_str_eq(fake_sysops_exec_log(), "systemctl enable chrony\nsystemctl restart "
	                                         "chrony\nchronyc -n -c sources\n");
	ck_assert(R.complete && R.services_restored && R.restarted && R.verified);
	ck_assert_uint_eq(E.n, 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("apply");
	TCase *tc = tcase_create("engine");

	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, fx_setup, fx_teardown);
	tcase_add_test(tc, writes_backs_up_restarts_verifies);
	tcase_add_test(tc, keeps_mode_and_owner);
	tcase_add_test(tc, unchanged_does_nothing);
	tcase_add_test(tc, install_with_the_file_already_there_still_starts_and_verifies);
	tcase_add_test(tc, check_is_dry);
	tcase_add_test(tc, checker_refusal_writes_nothing);
	tcase_add_test(tc, openntpd_checker_output);
	tcase_add_test(tc, missing_checker_is_skipped);
	tcase_add_test(tc, failed_restart_rolls_back);
	tcase_add_test(tc, silent_daemon_rolls_back);
	tcase_add_test(tc, new_file_rolled_back_is_removed);
	tcase_add_test(tc, new_file_rolled_back_disables_the_daemon_it_enabled);
	tcase_add_test(tc, symlink_refused);
	tcase_add_test(tc, write_failure_keeps_old_bytes);
	tcase_add_test(tc, needs_root_on_the_host);
	tcase_add_test(tc, conflicting_daemon_stopped_and_restored_on_failure);
	tcase_add_test(tc, leftover_init_script_is_disabled_not_stopped);
	tcase_add_test(tc, no_restart_option);
	tcase_add_test(tc, under_root_enables_for_next_boot);
	tcase_add_test(tc, runit_host_enables_with_the_runsvdir_link);
	tcase_add_test(tc, backups_are_kept_and_pruned);
	tcase_add_test(tc, rollback_walks_back);
	tcase_add_test(tc, install_with_consent_only);
	tcase_add_test(tc, install_first_then_checker_then_redetect);
	tcase_add_test(tc, failed_step_is_not_hidden);
	tcase_add_test(tc, purges_the_package_that_provides_ntpdate);
	tcase_add_test(tc, install_is_recorded_next_to_the_backup);
	tcase_add_test(tc, install_renders_for_the_installed_chrony_4_6);
	tcase_add_test(tc, install_renders_for_the_installed_chrony_4_3);
	tcase_add_test(tc, install_renders_for_the_installed_chrony_4_6_cli_facts);
	tcase_add_test(tc, install_renders_for_the_installed_chrony_4_3_cli_facts);
	tcase_add_test(tc, install_render_again_warns_once);
	tcase_add_test(tc, rollback_after_install_names_what_it_cannot_restore);
	tcase_add_test(tc, rollback_brings_back_the_daemon_that_ran);
	tcase_add_test(tc, by_hand_commands_per_package_manager);
	tcase_add_test(tc, rollback_without_record_restores_the_file_only);
	tcase_add_test(tc, rollback_restores_a_daemon_that_was_enabled);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return testhelp_run(suite());
}
