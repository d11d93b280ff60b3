/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The run report: TAP on stdout, and the JSON file written atomically (temp
 * file + rename) on every exit path, including TEST_ASSERT's exit(254).
 */
#ifndef SEAMSTRESS_REPORT_H
#define SEAMSTRESS_REPORT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "environment.h"

/*
 * A run's result and its exit code (result_exit_code()):
 *   pass   0  no finding (KSFT_PASS)
 *   fail   1  a kernel finding that is not a known issue (KSFT_FAIL)
 *   xfail  2  findings, every one a known issue (KSFT_XFAIL)
 *   skip   4  the host lacks what the run needs (KSFT_SKIP)
 *   error  125  the harness broke (bad option, unwritable report, an
 *            internal assertion, a crash): no verdict on the kernel.  125
 *            is what `git bisect run` takes for "cannot test this commit".
 */
enum seam_result { RESULT_NONE, RESULT_PASS, RESULT_FAIL, RESULT_SKIP, RESULT_XFAIL,
		   RESULT_ERROR };
#define SEAM_EXIT_HARNESS_ERROR	125

#define REPORT_MAX_ITEMS	64
#define REPORT_MAX_FINDINGS	64
#define FINDING_MAX_EVIDENCE	16
#define REPORT_MAX_SECTIONS	72
#define SECTION_MAX_ITEMS	64
#define REPORT_MAX_LATENCIES	8

enum seam_value_type { VAL_U64, VAL_DOUBLE, VAL_STR };

struct seam_value {
	char key[32];
	enum seam_value_type type;
	uint64_t u;
	double d;
	char s[512];
};

/* A named group of counters, e.g. one vCPU's KVM stats deltas. */
struct seam_section {
	char name[64];
	int nr;
	struct {
		char key[80];
		uint64_t val;
	} item[SECTION_MAX_ITEMS];
};

struct seam_latency {
	char name[32];
	uint64_t count, p50, p99, max;
};

struct seam_finding {
	char detector[24];	/* integrity, hung, kvm_bug_on, zero_step, ... */
	char message[320];
	int nr_evidence;
	struct seam_value evidence[FINDING_MAX_EVIDENCE];
	/* Set when the finding matches a known issue (lib/detectors/known_issues.c). */
	char known_issue[64];	/* the entry's id */
	char known_note[256];
	char known_link[160];
	char known_where[280];	/* file:line of the entry */
};

struct seam_report {
	pthread_mutex_t lock;
	char test[48];
	char flavor[24];
	enum seam_result result;
	char skip_reason[256];
	uint64_t seed;
	char kernel[128];
	double duration_s;
	uint32_t vcpus;
	bool interrupted;

	int nr_config, nr_counters, nr_rates;
	struct seam_value config[REPORT_MAX_ITEMS];
	struct seam_value counters[REPORT_MAX_ITEMS];
	struct seam_value rates[REPORT_MAX_ITEMS];

	int nr_sections, nr_latencies;
	struct seam_section sections[REPORT_MAX_SECTIONS];
	struct seam_latency latencies[REPORT_MAX_LATENCIES];

	int nr_findings;
	uint64_t findings_dropped;
	uint64_t kmsg_foreign_records;	/* WARNINGs of other processes, not findings */
	struct seam_finding findings[REPORT_MAX_FINDINGS];

	char reproduce[1024];
	const char *json_path;
	bool written;

	/* The known-issues file the findings were matched against. */
	char known_issues_file[256];
	/* Where the run was made; written when collected (env.timestamp_utc). */
	struct seam_env env;
	int known_issues_entries;
};

/* Sets test, kernel release and the JSON path; result starts as NONE. */
void report_init(struct seam_report *r, const char *test, const char *json_path);
/*
 * Write the JSON once more at exit if nothing wrote it: a TEST_ASSERT that
 * exits the process still leaves a report, with result "fail".
 */
void report_write_at_exit(struct seam_report *r);

void report_config_str(struct seam_report *r, const char *key, const char *val);
void report_config_u64(struct seam_report *r, const char *key, uint64_t val);
void report_config_double(struct seam_report *r, const char *key, double val);

/*
 * The JSON report's format: 2 adds "environment" and makes
 * config.deadline_s and config.duration_s numbers (docs/design.md §6).
 */
#define SEAM_REPORT_FORMAT_VERSION	2
void report_counter(struct seam_report *r, const char *key, uint64_t val);
void report_rate(struct seam_report *r, const char *key, double val);
/* Add @key = @val to section @section ("kvm_stats.vm", "kvm_stats.vcpu0", ...). */
void report_section_u64(struct seam_report *r, const char *section,
			const char *key, uint64_t val);
void report_latency(struct seam_report *r, const char *name, uint64_t count,
		    uint64_t p50, uint64_t p99, uint64_t max);
/* Whether a finding of @detector was recorded. */
bool report_has_finding(struct seam_report *r, const char *detector);
/* Process-shared lock, for a report in memory shared with a child. */
void report_share(struct seam_report *r);
/* In a forked child: never write the report at exit, the parent does. */
void report_detach(void);

/*
 * Start a finding; add evidence with finding_*() on the returned pointer,
 * under no lock of your own (each finding belongs to its caller).  Returns
 * NULL when the table is full; the drop is counted and reported.
 */
struct seam_finding *report_add_finding(struct seam_report *r, const char *detector,
					const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void finding_u64(struct seam_finding *f, const char *key, uint64_t val);
void finding_hex(struct seam_finding *f, const char *key, uint64_t val);
void finding_str(struct seam_finding *f, const char *key, const char *val);
int report_nr_findings(struct seam_report *r);
/* The string evidence @key of @f, or NULL. */
const char *finding_get_str(const struct seam_finding *f, const char *key);

/* Write @r as JSON to @f. */
void report_write_json(const struct seam_report *r, FILE *f);
/* Write to r->json_path through a temp file and rename(); 0 or -errno. */
int report_save(struct seam_report *r);

const char *result_name(enum seam_result res);
/* Exit code of @res: 0 pass, 1 fail, 2 xfail, 4 skip, 125 error. */
int result_exit_code(enum seam_result res);
/*
 * The result the findings of @r call for: fail if any kernel or run
 * finding is not a known issue, else error if the harness broke, else
 * xfail if there are (known) findings, else pass.
 */
enum seam_result report_verdict(struct seam_report *r);

/*
 * Print the TAP stream of a one-test run (header, plan, result line naming
 * test and flavor, findings as diagnostics), save the JSON and return the
 * exit code.
 */
int report_finish(struct seam_report *r);

#endif /* SEAMSTRESS_REPORT_H */
