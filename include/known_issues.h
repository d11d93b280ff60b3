/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Known issues: kernel bugs already found and reported, so that a CI on a
 * kernel that has one keeps catching new ones.  A finding that matches an
 * entry is reported as XFAIL (exit 2) instead of FAIL; any other finding
 * still fails the run.  The format is in configs/known-issues itself and
 * in docs/known-issues.md.
 */
#ifndef SEAMSTRESS_KNOWN_ISSUES_H
#define SEAMSTRESS_KNOWN_ISSUES_H

#include <stddef.h>

#include "report.h"

#define KNOWN_ISSUES_MAX		32
#define KNOWN_ISSUE_MAX_EVIDENCE	4

struct known_issue {
	char id[64];
	int line;			/* of its [id] header */
	char kernel[96];		/* fnmatch() glob on uname -r */
	char flavor[32];		/* glob on the flavor that ran */
	char detector[24];		/* glob on the finding's detector */
	char message[160];		/* glob on its message; "" = any */
	int nr_evidence;
	struct {
		char key[32];		/* "class" for class =, else evidence.KEY */
		char glob[96];
	} evidence[KNOWN_ISSUE_MAX_EVIDENCE];
	char note[256];
	char link[160];
};

struct known_issues {
	char path[256];
	int nr;
	struct known_issue entry[KNOWN_ISSUES_MAX];
};

/*
 * Parse @path into @ki; 0, or -1 with @err naming file, line and key.
 * NULL or "none" loads no entries.
 */
int known_issues_load(const char *path, struct known_issues *ki, char *err, size_t len);

/* The first entry that @f, raised on @kernel and @flavor, matches; or NULL. */
const struct known_issue *known_issues_match(const struct known_issues *ki,
					     const char *kernel, const char *flavor,
					     const struct seam_finding *f);

/*
 * Mark every finding of @r that matches an entry (r->kernel, r->flavor);
 * returns how many matched.
 */
int known_issues_apply(const struct known_issues *ki, struct seam_report *r);

#endif /* SEAMSTRESS_KNOWN_ISSUES_H */
