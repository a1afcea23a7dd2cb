/*
 * fake_sysops: an in-memory file system behind the sysops seam, for unit
 * tests. Files live in two name spaces (under the root, and on the host).
 */
#ifndef NTPWIZ_FAKE_SYSOPS_H
#define NTPWIZ_FAKE_SYSOPS_H

#include <stddef.h>

/* Installs the fake and empties it. */
void fake_sysops_reset(void);
void fake_sysops_put(int in_root, const char *path, const char *data);
/* The file's bytes (NUL-terminated) or NULL when it does not exist. */
const char *fake_sysops_get(int in_root, const char *path, size_t *len);
/* Makes every later write fail with this errno (0: writes work again). */
void fake_sysops_fail_writes(int err);
size_t fake_sysops_write_count(void);

#endif
