// SPDX-License-Identifier: GPL-2.0
/*
 * seamstress bisect-run: a run's verdict in git bisect run's exit codes.
 *
 *   seamstress bisect-run [--known-is-bad] [RUN OPTIONS] SCENARIO.conf...
 *   seamstress bisect-run [--known-is-bad] --reports DIR
 *
 * The first form is `seamstress run` with the same options, the second
 * judges a run made elsewhere (a nested VM booting the commit under test,
 * a TDX machine of the lab) from the suite.json files it left in DIR
 * (DIR/suite.json; a --repeat run's holds every pass).  git bisect run
 * reads 0 as good, 1..127 except 125 as bad, 125 as "cannot test this
 * commit" and 128 or more as "stop bisecting" (git-bisect(1)); run's own
 * codes do not fit (its harness error is 125, which git would take for a
 * skip), so they are mapped:
 *   a fail or timeout (a kernel finding, a hung test)      1   bad
 *   only known issues (xfail)                              0   good, or
 *                                                          1   with --known-is-bad
 *   a SKIP anywhere (the suite cannot judge this kernel)   125 skip
 *   a harness error or an interrupted run                  128 abort: no
 *                                                          commit is judged by
 *                                                          a broken harness
 *   every run passed                                       0   good
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

#define BISECT_GOOD	0
#define BISECT_BAD	1
#define BISECT_SKIP	125
#define BISECT_ABORT	128

/* Runs by class; each class's first run, and why, to name in the verdict. */
enum { V_BAD, V_KNOWN, V_SKIP, V_ABORT, V_NR };

struct verdict {
	int runs, count[V_NR];
	char why[V_NR][512];
};

static const char *get_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string) ?
	       json_object_get_string(v) : NULL;
}

static void note(struct verdict *v, int class, const char *what, const char *section,
		 const char *reason)
{
	if (!v->count[class]++)
		snprintf(v->why[class], sizeof(v->why[class]), "%.120s: %.80s%s%.280s", section, what,
			 reason && reason[0] ? ", " : "", reason ? reason : "");
}

/* DIR/suite.json (a repeated run's holds every pass) into @v: 1 read, 0 none. */
static int judge_dir(const char *dir, struct verdict *v)
{
	struct json_object *sum, *runs, *r, *intr;
	const char *res, *sec;
	char path[1024];
	int i;

	sum = suite_summary_load(dir, 16 << 20, path, sizeof(path), &runs, NULL);
	if (!sum)
		return 0;
	if (json_object_object_get_ex(sum, "interrupted", &intr) && json_object_get_boolean(intr))
		note(v, V_ABORT, "the suite was interrupted", path, NULL);
	for (i = 0; i < (int)json_object_array_length(runs); i++) {
		r = json_object_array_get_idx(runs, i);
		res = get_str(r, "result");
		sec = get_str(r, "section");
		if (!res || !sec) {
			note(v, V_ABORT, "a run without result or section", path, NULL);
			continue;
		}
		v->runs++;
		if (!strcmp(res, "pass"))
			continue;
		if (!strcmp(res, "fail") || !strcmp(res, "timeout"))
			note(v, V_BAD, res, sec, get_str(r, "reason"));
		else if (!strcmp(res, "xfail"))
			note(v, V_KNOWN, "known issues only", sec, get_str(r, "reason"));
		else if (!strcmp(res, "skip"))
			note(v, V_SKIP, "SKIP", sec, get_str(r, "reason"));
		else
			note(v, V_ABORT, res, sec, get_str(r, "reason"));
	}
	json_object_put(sum);
	return 1;
}

static int decide(const struct verdict *v, bool known_is_bad)
{
	const int *c = v->count;

	if (c[V_ABORT])
		return printf("bisect-run: abort (%d): %s\n", BISECT_ABORT, v->why[V_ABORT]), BISECT_ABORT;
	if (c[V_BAD])
		return printf("bisect-run: bad (%d): %s\n", BISECT_BAD, v->why[V_BAD]), BISECT_BAD;
	if (known_is_bad && c[V_KNOWN])
		return printf("bisect-run: bad (%d): %s\n", BISECT_BAD, v->why[V_KNOWN]), BISECT_BAD;
	if (c[V_SKIP])
		return printf("bisect-run: skip (%d): %s\n", BISECT_SKIP, v->why[V_SKIP]), BISECT_SKIP;
	if (!v->runs)
		return printf("bisect-run: abort (%d): no runs\n", BISECT_ABORT), BISECT_ABORT;
	printf("bisect-run: good (%d): %d run(s) passed%s\n", BISECT_GOOD, v->runs - c[V_KNOWN],
	       c[V_KNOWN] ? ", the rest known issues only" : "");
	return BISECT_GOOD;
}

int bisect_run_main(int argc, char *argv[])
{
	struct verdict v = { 0 };
	bool known_is_bad = false;
	const char *reports = NULL;
	int i, j, rc;

	/* Our two options, taken out before the rest goes to run. */
	for (i = j = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--known-is-bad")) {
			known_is_bad = true;
		} else if (!strcmp(argv[i], "--reports")) {
			if (i + 1 == argc) {
				fprintf(stderr, "seamstress bisect-run: --reports needs a directory\n");
				return BISECT_ABORT;
			}
			reports = argv[++i];
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			printf("usage: seamstress bisect-run [--known-is-bad] [RUN OPTIONS] SCENARIO.conf... [-- TEST OPTIONS]\n"
			       "       seamstress bisect-run [--known-is-bad] --reports DIR\n"
			       "  exit 0 good, 1 bad (a finding), 125 skip (a SKIP), 128 abort (harness error)\n");
			return 0;
		} else {
			argv[j++] = argv[i];
		}
	}
	for (; i < argc; i++)
		argv[j++] = argv[i];
	argc = j;
	argv[argc] = NULL;

	if (reports) {
		if (argc > 1) {
			fprintf(stderr, "seamstress bisect-run: --reports DIR judges a finished run: no scenario or run option with it\n");
			return BISECT_ABORT;
		}
	} else {
		rc = suite_run(argc, argv, &reports);
		fflush(stdout);
		/*
		 * run's harness error: a bad option or file (no suite.json, or an
		 * old one), a broken run, a summary not written.  Nothing to judge.
		 */
		if (rc == 125) {
			printf("bisect-run: abort (%d): seamstress run exit %d, a harness error\n",
			       BISECT_ABORT, rc);
			return BISECT_ABORT;
		}
	}
	if (!judge_dir(reports, &v)) {
		printf("bisect-run: abort (%d): %s: no suite.json of a seamstress run\n", BISECT_ABORT,
		       reports);
		return BISECT_ABORT;
	}
	return decide(&v, known_is_bad);
}
