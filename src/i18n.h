/*
 * i18n: gettext wiring. Every string a person reads goes through _();
 * N_() marks strings in static tables that are translated where shown.
 * Generated config text never goes through either.
 */
#ifndef NTPWIZ_I18N_H
#define NTPWIZ_I18N_H

#ifdef ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#else
#define _(s) (s)
#endif
#define N_(s) (s)

/* Display columns of s in the locale's encoding: translations are padded
 * and cut by what the eye sees ("läuft" is 5 columns in 6 bytes). Bytes
 * when s is not valid in the locale. */
int i18n_text_width(const char *s);

#endif
