/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every detector, once: its name, what its finding is a verdict on, and
 * whether --expect may name it.  The verdict of a run follows from the
 * kinds of its findings (report_verdict(), lib/report/report.c).
 */
#ifndef SEAMSTRESS_DETECTORS_H
#define SEAMSTRESS_DETECTORS_H

#include <stdbool.h>
#include <stddef.h>

enum detector_kind {
	DETECTOR_KERNEL,	/* a verdict on the kernel under test */
	DETECTOR_HARNESS,	/* the harness broke: no verdict on the kernel */
	DETECTOR_RUN,		/* about the run itself: interrupted, an unmet --expect */
};

struct detector {
	const char *name;
	enum detector_kind kind;
	bool expectable;	/* --expect accepts it */
	const char *meaning;
};

extern const struct detector seam_detector_table[];
/* NULL for a name no detector has. */
const struct detector *detector_find(const char *name);
/* "integrity, hung, ...": the names --expect accepts. */
const char *detector_expectable_list(void);

#endif /* SEAMSTRESS_DETECTORS_H */
