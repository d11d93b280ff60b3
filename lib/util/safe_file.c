// SPDX-License-Identifier: GPL-2.0
/*
 * Files a root tool writes (include/safe_file.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "safe_file.h"

static int fail(char *err, size_t len, int e, const char *fmt, ...)
{
	va_list ap;

	if (err && len) {
		va_start(ap, fmt);
		vsnprintf(err, len, fmt, ap);
		va_end(ap);
	}
	return -e;
}

/* A file we may write over: regular, ours, one link. */
static int target_ok(const struct stat *st)
{
	if (S_ISLNK(st->st_mode))
		return -ELOOP;
	if (!S_ISREG(st->st_mode))
		return -EINVAL;
	if (st->st_uid != geteuid() || st->st_nlink != 1)
		return -EPERM;
	return 0;
}

int safe_path_check(const char *path, char *err, size_t len)
{
	char copy[4096];
	struct stat st;
	int e;

	if (lstat(path, &st) == 0) {
		e = target_ok(&st);
		if (e == -ELOOP)
			return fail(err, len, ELOOP, "%s is a symbolic link; not following it", path);
		if (e == -EINVAL)
			return fail(err, len, EINVAL, "%s is not a regular file", path);
		if (e)
			return fail(err, len, EPERM, "%s is not the caller's own file (owner %u, %u links)",
				    path, (unsigned int)st.st_uid, (unsigned int)st.st_nlink);
	} else if (errno != ENOENT) {
		return fail(err, len, errno, "%s: %s", path, strerror(errno));
	}
	snprintf(copy, sizeof(copy), "%s", path);
	if (access(dirname(copy), W_OK | X_OK))
		return fail(err, len, errno, "%s: its directory is not writable: %s", path,
			    strerror(errno));
	return 0;
}

int safe_dir_check(const char *dir, char *err, size_t len)
{
	struct stat st;

	if (lstat(dir, &st))
		return fail(err, len, errno, "%s: %s", dir, strerror(errno));
	if (S_ISLNK(st.st_mode))
		return fail(err, len, ELOOP, "%s is a symbolic link; not following it", dir);
	if (!S_ISDIR(st.st_mode))
		return fail(err, len, ENOTDIR, "%s is not a directory", dir);
	if (st.st_uid != geteuid())
		return fail(err, len, EPERM, "%s is owned by uid %u, not by the caller", dir,
			    (unsigned int)st.st_uid);
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		return fail(err, len, EPERM, "%s is writable by others (mode %o)", dir,
			    (unsigned int)(st.st_mode & 07777));
	return 0;
}

int safe_mkdir_p(const char *dir, char *err, size_t len)
{
	char path[PATH_MAX];
	struct stat st;
	size_t i, n = strlen(dir);

	if (!n || n >= sizeof(path))
		return fail(err, len, ENAMETOOLONG, "'%s': not a usable directory name", dir);
	memcpy(path, dir, n + 1);
	for (i = 1; i <= n; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			return fail(err, len, errno, "%s: %s", path, strerror(errno));
		if (lstat(path, &st))
			return fail(err, len, errno, "%s: %s", path, strerror(errno));
		if (S_ISLNK(st.st_mode))
			return fail(err, len, ELOOP, "%s is a symbolic link; not following it (give the real path)",
				    path);
		if (!S_ISDIR(st.st_mode))
			return fail(err, len, ENOTDIR, "%s is not a directory", path);
		path[i] = dir[i];
	}
	return 0;
}

int safe_open_read(const char *path, off_t max, const char **what, off_t *size)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		fd = (close(fd), -errno);
		return fd;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		if (what)
			*what = S_ISDIR(st.st_mode) ? "a directory" :
				S_ISFIFO(st.st_mode) ? "a pipe" : "a device or socket";
		return -EINVAL;
	}
	if (st.st_size > max) {
		close(fd);
		return -EFBIG;
	}
	if (size)
		*size = st.st_size;
	return fd;
}

int safe_open_write(const char *path, mode_t mode)
{
	struct stat st;
	int fd, e;

	/* No O_TRUNC yet: what we opened is checked before it is changed. */
	fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		e = -errno;
		close(fd);
		return e;
	}
	e = target_ok(&st);
	if (!e && ftruncate(fd, 0))
		e = -errno;
	if (!e && fcntl(fd, F_SETFL, 0))
		e = -errno;
	if (e) {
		close(fd);
		return e;
	}
	return fd;
}

FILE *safe_fopen_write(const char *path)
{
	int fd = safe_open_write(path, 0644);
	FILE *f;

	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	f = fdopen(fd, "w");
	if (!f)
		close(fd);
	return f;
}

int safe_replace(const char *path, mode_t mode, int (*fill)(FILE *f, void *arg), void *arg)
{
	char tmp[4096];
	struct stat st;
	FILE *f;
	int fd, err = 0;

	/* A device or a FIFO is not replaced by a file, nor a link followed. */
	if (lstat(path, &st) == 0 && (err = target_ok(&st)))
		return err;
	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = mkstemp(tmp);
	if (fd < 0)
		return -errno;
	if (fchmod(fd, mode) || !(f = fdopen(fd, "w"))) {
		err = -errno;
		close(fd);
		unlink(tmp);
		return err;
	}
	err = fill(f, arg);
	if (fflush(f) || fsync(fileno(f)))
		err = err ? err : -errno;
	if (fclose(f) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}
