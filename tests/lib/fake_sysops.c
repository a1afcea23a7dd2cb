/*
 * fake_sysops: in-memory sysops for unit tests (see fake_sysops.h).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fake_sysops.h"
#include "sysops.h"

#define FAKE_MAX_FILES 64

static struct fake_file {
	int in_root;
	char *path;
	char *data;
	size_t len;
} files[FAKE_MAX_FILES];
static size_t nfiles;
static int write_errno;
static size_t writes;

static struct fake_file *find(int in_root, const char *path)
{
	for (size_t i = 0; i < nfiles; i++)
		if (files[i].in_root == in_root && strcmp(files[i].path, path) == 0)
			return &files[i];
	return NULL;
}

static int store(int in_root, const char *path, const char *data, size_t len)
{
	struct fake_file *f = find(in_root, path);
	char *copy = malloc(len + 1);

	if (!copy)
		return -1;
	memcpy(copy, data, len);
	copy[len] = '\0';
	if (!f) {
		if (nfiles == FAKE_MAX_FILES) {
			free(copy);
			errno = ENOSPC;
			return -1;
		}
		f = &files[nfiles++];
		f->in_root = in_root;
		f->path = strdup(path);
	} else {
		free(f->data);
	}
	f->data = copy;
	f->len = len;
	return 0;
}

static int fake_read(int in_root, const char *path, char **data, size_t *len)
{
	struct fake_file *f = find(in_root, path);

	if (!f) {
		errno = ENOENT;
		return -1;
	}
	*data = malloc(f->len + 1);
	if (!*data)
		return -1;
	memcpy(*data, f->data, f->len + 1);
	*len = f->len;
	return 0;
}

static int fake_write(int in_root, const char *path, const char *data, size_t len, mode_t mode)
{
	(void)mode;
	if (write_errno) {
		errno = write_errno;
		return -1;
	}
	writes++;
	return store(in_root, path, data, len);
}

static const struct sysops_impl fake = {
	.read_file = fake_read,
	.write_atomic = fake_write,
};

void fake_sysops_reset(void)
{
	for (size_t i = 0; i < nfiles; i++) {
		free(files[i].path);
		free(files[i].data);
	}
	nfiles = 0;
	write_errno = 0;
	writes = 0;
	sysops_install(&fake);
}

void fake_sysops_put(int in_root, const char *path, const char *data)
{
	store(in_root, path, data, strlen(data));
}

const char *fake_sysops_get(int in_root, const char *path, size_t *len)
{
	struct fake_file *f = find(in_root, path);

	if (!f)
		return NULL;
	if (len)
		*len = f->len;
	return f->data;
}

void fake_sysops_fail_writes(int err)
{
	write_errno = err;
}

size_t fake_sysops_write_count(void)
{
	return writes;
}
