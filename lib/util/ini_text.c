// SPDX-License-Identifier: GPL-2.0
/*
 * Line helpers of the INI readers (include/ini_text.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ini_text.h"

int ini_error(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

char *ini_trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = 0;
	return s;
}
