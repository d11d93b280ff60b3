/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Scenario files (configs/NAME.conf): a small INI format after fio's job files.
 *
 *   # or ; start a comment
 *   [global]              defaults for every section below
 *   duration = 5
 *   [fault-storm]         one run per section
 *   test = concurrent_fault
 *   vcpus = 4
 *
 * Keys are the tests' long options (vcpus, punch-size, expect, ...); flags
 * take 1/0, true/false, yes/no.  The runner's own keys: test (binary;
 * default: the section name) and timeout (seconds).  Every value is checked
 * with the same parser as the command line; errors name file, line and key.
 */
#ifndef SEAMSTRESS_SCENARIO_H
#define SEAMSTRESS_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>

#define SCENARIO_MAX_SECTIONS	64
#define SCENARIO_MAX_KEYS	48

struct scenario_kv {
	char key[32];
	char opt[34];		/* "--" key: the argv word scenario_argv() points at */
	char value[128];
	int line;
};

struct scenario_section {
	char name[64];
	int line;
	char test[64];
	double timeout_s;		/* 0: derived from duration and deadline */
	int nr;
	struct scenario_kv kv[SCENARIO_MAX_KEYS];
};

struct scenario {
	char file[256];
	int nr;
	struct scenario_section sec[SCENARIO_MAX_SECTIONS];
};

/* The tests a section may name. */
extern const char *const scenario_tests[];

/*
 * Parse @text (the contents of @file) into @sc, [global] folded into each
 * section; 0, or -1 with "file:line: key 'k': what is wrong; allowed: ..." in @err.
 */
int scenario_parse(const char *file, const char *text, struct scenario *sc,
		   char *err, size_t errlen);
int scenario_load(const char *file, struct scenario *sc, char *err, size_t errlen);

/*
 * The command line of section @s: argv[0] = its test, then --key value
 * pairs, then @extra (command-line overrides, which win).  Returns argc;
 * the words point into @s and @extra, so they live as long as they do.
 */
int scenario_argv(const struct scenario_section *s, char **extra, int nr_extra,
		  char **argv, int max);

#endif /* SEAMSTRESS_SCENARIO_H */
