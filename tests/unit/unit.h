/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal unit-test scaffolding on kselftest.h: each test function is one
 * TAP line; UNIT_EXPECT records a failure with file:line and a message and
 * lets the function continue, so one run shows every broken expectation.
 */
#ifndef SEAMSTRESS_UNIT_H
#define SEAMSTRESS_UNIT_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "kselftest.h"

static bool unit_ok;

#define UNIT_EXPECT(cond, fmt, ...)						\
do {										\
	if (!(cond)) {								\
		unit_ok = false;						\
		ksft_print_msg("%s:%d: expected %s: " fmt "\n", __FILE__,	\
			       __LINE__, #cond, ##__VA_ARGS__);			\
	}									\
} while (0)

#define UNIT_EXPECT_STR(seen, want)						\
	UNIT_EXPECT(!strcmp((seen), (want)), "got '%s', want '%s'", (seen), (want))

#define UNIT_EXPECT_CONTAINS(seen, part)					\
	UNIT_EXPECT(strstr((seen), (part)), "'%s' does not contain '%s'", (seen), (part))

struct unit_test {
	const char *name;
	void (*fn)(void);
};

static inline int unit_main(const struct unit_test *tests, int n)
{
	int i;

	ksft_print_header();
	ksft_set_plan(n);
	for (i = 0; i < n; i++) {
		unit_ok = true;
		tests[i].fn();
		ksft_test_result(unit_ok, "%s\n", tests[i].name);
	}
	ksft_finished();
	return 0;
}

#define UNIT_MAIN(...)								\
int main(void)									\
{										\
	static const struct unit_test tests[] = { __VA_ARGS__ };		\
	return unit_main(tests, sizeof(tests) / sizeof(tests[0]));		\
}

#define UNIT(fn) { #fn, fn }

#endif /* SEAMSTRESS_UNIT_H */
