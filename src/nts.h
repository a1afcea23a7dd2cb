/*
 * nts: a time server's network side (issue 16 sections 6 and 7): serving
 * NTS (nts_server = { certificate; key; }) and chrony's hardware
 * timestamping (options.hwtimestamp).
 *
 * Serving NTS: chrony 4.3-4.6 (ntsservercert, ntsserverkey, ntsdumpdir)
 * and NTPsec 1.2 (nts key, nts cert, nts enable) can; ntp.org's ntpd,
 * OpenNTPD and timesyncd cannot (backend.c refuses, naming the daemon). The
 * profile names the files; they must exist under the root in use, be plain
 * files, the certificate a PEM certificate, the key a PEM private key that
 * other users cannot read (refused: its secret would be no secret). The
 * key's content is read only to recognise its PEM header and is wiped.
 */
#ifndef NTPWIZ_NTS_H
#define NTPWIZ_NTS_H

#include <stdbool.h>

#include "distro.h"
#include "errlist.h"
#include "model.h"
#include "strbuf.h"

/* NTS Key Establishment: TCP, RFC 8915; both daemons' default. */
#define NTS_KE_PORT 4460

/* Serving NTS is set (both files named). */
bool nts_serving(const struct setup *s);

/* Sets both files ("" and "" switches NTS serving off); each must be an
 * absolute path validate_path accepts. -1 with the field named. */
int nts_set_server(struct setup *s, const char *field, const char *certificate, const char *key,
                   int line, struct errlist *errs);

/* Appends an interface for hardware timestamping: a Linux interface name
 * (1-15 of letters, digits, . _ -; not "." or "..") or "*" (all). */
int nts_add_hwtimestamp(struct setup *s, const char *field, const char *iface, int line,
                        struct errlist *errs);

/* Cross-field rules (called by model_check): both files or none, only
 * for the lan and public policies; interface names, no repeats. */
int nts_check_model(const struct setup *s, struct errlist *errs);

/* The files under the root in use (see the top): errors name the key and
 * the file, never the key's content. d and f name the daemon that must read
 * them (for the advice on owner and mode). */
int nts_check_files(const struct setup *s, enum daemon_id d, enum distro_family f,
                    struct errlist *errs);

/* Hardware timestamping: under --root a warning (ntpwiz cannot know the
 * interfaces); on the live host an error for a named interface that does
 * not exist (chronyd would stop at start). 0 or -1. */
int nts_hwtimestamp_notes(const struct setup *s, struct errlist *errs);

/* Appends daemon d's lines (chrony: ntsservercert, ntsserverkey,
 * hwtimestamp; NTPsec: nts key, nts cert, nts enable). chrony's
 * ntsdumpdir is written with the other local files (backend_chrony.c). */
void nts_render(enum daemon_id d, const struct setup *s, struct strbuf *out);

#endif
