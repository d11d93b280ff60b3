/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writing files as root into directories others may write to: never
 * through a symbolic link, never into a device, FIFO or another user's
 * file, and replacing a file only by renaming a temporary file created
 * with O_EXCL (mkstemp) beside it.
 */
#ifndef SEAMSTRESS_SAFE_FILE_H
#define SEAMSTRESS_SAFE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/*
 * Whether @path may be written: absent, or a regular file of the caller's
 * with one link; never a symbolic link; its directory writable.  0, or
 * -errno with @err saying why.
 */
int safe_path_check(const char *path, char *err, size_t len);
/*
 * Whether @dir may hold the caller's output: a directory (not a symbolic
 * link to one) owned by the caller and not writable by group or others.
 */
int safe_dir_check(const char *dir, char *err, size_t len);
/*
 * mkdir -p @dir (mode 0755) without following a symbolic link: a component
 * that exists must be a real directory.  0, or -errno with @err naming the
 * component.  The caller still checks the result with safe_dir_check().
 */
int safe_mkdir_p(const char *dir, char *err, size_t len);
/*
 * Open @path to read if it is a regular file of at most @max bytes: a FIFO
 * must not block the reader, nor a device stream forever.  The fd, or
 * -errno: -EINVAL with *@what naming what it is instead ("a directory",
 * "a pipe", "a device or socket"), -EFBIG when it is larger.  *@size (if
 * not NULL) gets its size.
 */
int safe_open_read(const char *path, off_t max, const char **what, off_t *size);
/* Open @path for writing, created or truncated, as safe_path_check() allows. */
int safe_open_write(const char *path, mode_t mode);
FILE *safe_fopen_write(const char *path);

/*
 * Replace @path with what @fill puts into a temporary file beside it,
 * atomically (rename).  0, or -errno.
 */
int safe_replace(const char *path, mode_t mode, int (*fill)(FILE *f, void *arg), void *arg);

#endif /* SEAMSTRESS_SAFE_FILE_H */
