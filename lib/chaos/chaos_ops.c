// SPDX-License-Identifier: GPL-2.0
/*
 * The two chaos operations a test's chaos_op is built from
 * (include/chaos.h), for any target: each is watched while it runs (a hung
 * fallocate is a finding) and counted when it succeeds.
 */
#include <errno.h>

#include "chaos.h"
#include "watchdog.h"

int chaos_punch(struct chaos_target *t, uint64_t off, uint64_t len)
{
	int r;

	t->last_op = t->punch_name;
	watch_begin(t->watch, t->punch_name);
	r = t->ops->punch(t, off, len);
	watch_end(t->watch);
	t->punches += !r;
	return r;
}

int chaos_convert(struct chaos_target *t, uint64_t off, uint64_t len)
{
	int r;

	t->last_op = CHAOS_CONVERT_NAME;
	if (!t->ops->convert)
		return -EOPNOTSUPP;
	watch_begin(t->watch, CHAOS_CONVERT_NAME);
	r = t->ops->convert(t, off, len);
	watch_end(t->watch);
	t->conversions += !r;
	return r;
}
