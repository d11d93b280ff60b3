// SPDX-License-Identifier: GPL-2.0
/*
 * seamstress: the suite runner, the A/B comparison and git bisect's step.
 *
 *   seamstress run [--out DIR] [--junit FILE] FILE... [-- OPTIONS]
 *   seamstress compare [--format text|markdown|json] [--plot FILE.svg]
 *                      [--threshold PCT] [--alpha P] BASE NEW
 *   seamstress bisect-run [--known-is-bad] [RUN OPTIONS] FILE... | --reports DIR
 */
#include <stdio.h>
#include <string.h>

#include "tool.h"
#include "seam_version.h"

static int usage(FILE *f)
{
	fprintf(f,
		"usage: seamstress run [--out DIR] [--junit FILE] SCENARIO.conf... [-- TEST OPTIONS]\n"
		"       seamstress compare [--format text|markdown|json] [--plot FILE.svg]\n"
		"                          [--threshold PCT] [--alpha P] BASE NEW\n"
		"       seamstress bisect-run [--known-is-bad] [RUN OPTIONS] SCENARIO.conf...\n"
		"       seamstress bisect-run [--known-is-bad] --reports DIR\n"
		"  run       each section of each scenario file as its test, one TAP stream,\n"
		"            one JSON report per run and a suite summary in DIR (default\n"
		"            build/reports); options after -- override the files\n"
		"  compare   BASE and NEW are reports: a JSON file, a comma-separated list of\n"
		"            them, or a directory of them; a verdict needs repeated runs\n"
		"  bisect-run  run (or a finished run's DIR) as git bisect run's step:\n"
		"            0 good, 1 bad, 125 skip, 128 abort\n"
		"  --version, -h; each command has its own -h\n");
	return f == stderr ? 2 : 0;
}

int main(int argc, char *argv[])
{
	if (argc < 2)
		return usage(stderr);
	if (!strcmp(argv[1], "run"))
		return suite_run_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "compare"))
		return compare_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "bisect-run"))
		return bisect_run_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		return usage(stdout);
	if (!strcmp(argv[1], "--version")) {
		printf("seamstress %s\n", SEAMSTRESS_VERSION);
		return 0;
	}
	fprintf(stderr, "seamstress: '%s' is not a command; allowed: run, compare, bisect-run\n", argv[1]);
	return 2;
}
