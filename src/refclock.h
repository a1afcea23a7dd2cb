/*
 * refclock: reference clocks (issue 16 section 5; ntpwiz-profile(5),
 * "refclocks"). A small set of drivers: PPS (/dev/ppsN), SHM (gpsd's
 * shared memory, units 0-3), SOCK (gpsd's chrony socket) and PHC
 * (/dev/ptpN), with refid, offset, delay, prefer, noselect, lock, poll and
 * dpoll. One table says which daemon can write what; what a daemon cannot
 * express is refused with a message naming it, never dropped.
 *
 *   chrony   refclock PPS /dev/pps0 refid PPS lock GPS
 *            refclock SHM 0 refid GPS offset 0.5 delay 0.2 noselect
 *   NTPsec   refclock shm unit 0 refid GPS time1 0.5
 *            refclock pps unit 0 ppspath /dev/pps0 refid PPS
 *   ntp.org  server 127.127.28.0 ... + fudge 127.127.28.0 refid GPS time1 0.5
 *            server 127.127.22.N (PPS: ntpd reads /dev/ppsN, no other path)
 */
#ifndef NTPWIZ_REFCLOCK_H
#define NTPWIZ_REFCLOCK_H

#include <stdbool.h>

#include "backend.h"
#include "errlist.h"
#include "model.h"
#include "strbuf.h"

struct import_line;
struct import_notes;

#define REFCLOCK_SHM_UNIT_MAX 3
#define REFCLOCK_OFFSET_MAX 60.0 /* seconds either way (a PHC in TAI: -37) */
#define REFCLOCK_DELAY_MAX 10.0  /* seconds */

/* "pps", "shm", "sock", "phc"; -1 for an unknown name. */
const char *refclock_driver_name(enum refclock_driver d);
int refclock_driver_from_name(const char *name);

void refclock_init(struct refclock *rc);

/* Appends rc after checking each field; every refusal names
 * FIELD.KEY ("refclocks[0].device") and the reason. */
int refclock_add(struct setup *s, const struct refclock *rc, const char *field,
                 struct errlist *errs);
int refclock_remove(struct setup *s, size_t index);

/* model_check's part: every field again, then what involves several
 * refclocks (unique refids, units and devices; lock names another one). */
int refclock_check(const struct setup *s, struct errlist *errs);

/* One line describing rc ("shm 0 refid GPS offset 0.5"), for the wizard
 * and line mode. */
void refclock_describe(const struct refclock *rc, char *buf, size_t size);

/* The reverse of refclock_describe, for the wizard and line mode:
 * "DRIVER DEVICE|UNIT [refid R] [lock R] [offset S] [delay S] [poll N]
 * [dpoll N] [prefer] [noselect]". 0, or -1 with why (translated) set. The
 * values are checked by refclock_add. */
int refclock_parse_text(const char *text, struct refclock *rc, const char **why);
/* Replaces every refclock with those of text: refclock_parse_text's form,
 * separated by ';'. "" or "none": no refclock. On refusal the refclocks
 * are unchanged and errs says which one and why. */
int refclock_set_text(struct setup *s, const char *text, struct errlist *errs);
/* The refclocks in that form, "; " between them ("" for none). */
void refclock_get_text(const struct setup *s, char *buf, size_t size);

/* Refuses what ctx's daemon cannot write (errors naming the daemon), then
 * writes the refclocks in its language; warnings (a device missing under
 * the root, a PPS with nothing to number its seconds) go to errs and to the
 * file as comments. 0 or -1. */
int refclock_render(const struct render_ctx *ctx, struct strbuf *out, struct errlist *errs);

/* The known PPS trap (chrony.conf(5), "PPS": another source is needed to
 * number the pulses; ntpd uses a PPS while its prefer source is
 * selected): true when a PPS refclock from *index on is one daemon d
 * cannot use; *index is then its index, msg says why (translated) and
 * *ntpd_prefer tells the second case. Render warns; audit reports it. */
bool refclock_pps_trap(const struct setup *s, enum daemon_id d, size_t *index, bool *ntpd_prefer,
                       char *msg, size_t size);

/* Import: true when the line was a reference clock ntpwiz models (added to
 * s, or noted why not). chrony: "refclock DRIVER PARAM ...". NTPsec:
 * "refclock shm|pps ...". ntpd: "server 127.127.28.U|127.127.22.U ..."
 * (host is the address word) and "fudge 127.127.T.U ...". */
bool refclock_import_chrony(struct setup *s, const struct import_line *l, struct import_notes *n,
                            struct errlist *scratch);
bool refclock_import_ntpsec(struct setup *s, const struct import_line *l, struct import_notes *n,
                            struct errlist *scratch);
bool refclock_import_ntp_server(struct setup *s, const struct import_line *l, size_t host,
                                struct import_notes *n, struct errlist *scratch);
bool refclock_import_fudge(struct setup *s, const struct import_line *l, struct import_notes *n,
                           struct errlist *scratch);
/* After a whole file: a lock naming no refclock is dropped with a note. */
void refclock_import_settle(struct setup *s, struct import_notes *n);

#endif
