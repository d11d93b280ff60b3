// SPDX-License-Identifier: GPL-2.0
/*
 * concurrent_fault: many vCPUs fault on and write the same guest-physical
 * pages at the same moment while host threads punch holes under them.
 *
 * On TDX this drives the S-EPT entry lock: TDH.MEM.SEPT.ADD and
 * TDH.MEM.PAGE.AUG of one GPA from several vCPUs at once, against the
 * RANGE.BLOCK/TRACK/PAGE.REMOVE of the punch (DESIGN.md, lock table).  On
 * every flavor the guest checks that it reads back only its own tag or zero.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "options.h"
#include "report.h"
#include "stress_run.h"

int main(int argc, char *argv[])
{
	static struct seam_report report;
	struct seam_opts opts;
	char err[256];

	options_defaults(&opts, "concurrent_fault");
	switch (options_parse(&opts, argc, argv, err, sizeof(err))) {
	case OPTS_HELP:
		options_usage(opts.test, stdout);
		return 0;
	case OPTS_USAGE:
		fprintf(stderr, "%s: %s\n", opts.test, err);
		return 2;
	case OPTS_OK:
		break;
	}
	if (placement_init(opts.cpus, opts.nodes, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", opts.test, err);
		return 2;
	}
	if (!opts.seed_given)
		opts.seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);

	report_init(&report, opts.test, opts.json);
	report_write_at_exit(&report);
	options_reproduce(&opts, argv[0], report.reproduce, sizeof(report.reproduce));
	printf("# seed 0x%llx (replay: %s)\n", (unsigned long long)opts.seed, report.reproduce);

	stress_run(&opts, &report);
	return report_finish(&report);
}
