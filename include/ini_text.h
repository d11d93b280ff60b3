/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the two INI readers (scenario files, the known-issues file) share:
 * trimming a line and formatting a one-line error.
 */
#ifndef SEAMSTRESS_INI_TEXT_H
#define SEAMSTRESS_INI_TEXT_H

#include <stddef.h>

/* @s without leading blanks and trailing blanks or line ends (in place). */
char *ini_trim(char *s);
/* Format the error into @err and return -1, for "return ini_error(...)". */
int ini_error(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* SEAMSTRESS_INI_TEXT_H */
