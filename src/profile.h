/*
 * profile: a struct setup to and from libconfig text (schema version 1,
 * DESIGN.md "Profiles (libconfig)"). Converts text only; reading and
 * writing files is the caller's job. Every value goes through the model's
 * setters, so a profile can put nothing into a config file that the wizard
 * could not.
 */
#ifndef NTPWIZ_PROFILE_H
#define NTPWIZ_PROFILE_H

#include "errlist.h"
#include "model.h"
#include "strbuf.h"

#define PROFILE_VERSION 1

/*
 * Parses profile text into s (which is reset with model_init first).
 * `source` is the file name used in messages ("SOURCE:LINE"); may be NULL.
 * Returns 0 on success; -1 with every error found added to errs, in line
 * order (a libconfig syntax error stops parsing, so it comes alone). On
 * failure s holds whatever was accepted and should be discarded.
 */
int profile_parse(const char *text, const char *source, struct setup *s, struct errlist *errs);

/*
 * Appends the libconfig text of s to out: a fixed key order and layout, so
 * the same model always gives the same bytes, and profile_parse() of the
 * result gives back the same model. Returns 0; -1 with errors in errs (and
 * nothing appended) when s does not pass model_check() or memory runs out.
 */
int profile_format(const struct setup *s, struct strbuf *out, struct errlist *errs);

#endif
