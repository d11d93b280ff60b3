/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel log detector: /dev/kmsg read from the position at test start (never
 * the history before it), each record classified, and the kernel's own
 * counters (/sys/kernel/warn_count, ...) diffed across the run.  The
 * classifier is pure so that fixtures of real log lines drive it in tests.
 */
#ifndef SEAMSTRESS_KMSG_H
#define SEAMSTRESS_KMSG_H

#include <stdbool.h>
#include <stdint.h>

#include "report.h"

enum kmsg_class {
	KMSG_NONE,
	KMSG_WARNING,		/* WARNING: outside KVM */
	KMSG_KVM_BUG_ON,	/* WARNING: under arch/x86/kvm or virt/kvm */
	KMSG_SEAMCALL,		/* SEAMCALL ... failed: 0x... */
	KMSG_GUEST_ACCESS,	/* Guest access before accepting ... */
	KMSG_BUG,		/* BUG:, kernel BUG at */
	KMSG_OOPS,		/* Oops: */
	KMSG_SOFT_LOCKUP,
	KMSG_HUNG_TASK,
	KMSG_RCU_STALL,
	KMSG_PANIC,
};

struct kmsg_event {
	enum kmsg_class cls;
	char file[96];		/* WARNING: source file */
	unsigned int line;
	char function[64];	/* WARNING: function, SEAMCALL: leaf name */
	uint64_t status;	/* SEAMCALL status */
	char decoded[96];	/* SEAMCALL status, decoded */
	int pid;		/* WARNING: the task that hit it; 0 if the line does not say */
};

const char *kmsg_class_name(enum kmsg_class cls);
/* The detector a class reports as: kvm_bug_on, seamcall, splat. */
const char *kmsg_class_detector(enum kmsg_class cls);

/* Classify one log message (the text after "prio,seq,ts,flags;"). */
bool kmsg_classify(const char *msg, struct kmsg_event *ev);

/* "SEPT_TREE", "RCX (S-EPT entry)", ... for an operand id; NULL if unknown. */
const char *tdx_operand_name(uint32_t id);
/* "OPERAND_BUSY operand SEPT_TREE (0x92)" for a SEAMCALL status. */
void tdx_status_decode(uint64_t status, char *buf, size_t len);

/* Open /dev/kmsg positioned at its end; -errno if unreadable. */
int kmsg_open_at_end(void);
/*
 * Call @fn on every record readable from @fd (non-blocking, until EAGAIN;
 * records lost to an overrun are skipped); the number read, or -errno.
 */
int kmsg_for_each(int fd, void (*fn)(const char *record, void *arg), void *arg);
/*
 * Whether the task @pid that a WARNING names provably belongs to another
 * process than this run's (another VM's vCPU, say): such a record is
 * counted (kmsg_foreign_records), not a finding.  NULL: every record is
 * this run's.
 */
typedef bool (*kmsg_foreign_fn)(int pid, void *arg);

/* Classify every record from @fd and add findings to @r. */
int kmsg_scan(int fd, struct seam_report *r, kmsg_foreign_fn foreign, void *arg);
/*
 * Classify one raw /dev/kmsg record and report it; true if it was a
 * finding (false for one @foreign claims).
 */
bool kmsg_report_record(const char *record, struct seam_report *r, kmsg_foreign_fn foreign,
			void *arg);

#define KSTAT_NR 4
/* /sys/kernel counters; a counter missing on this kernel reads as -1. */
struct kernel_counters {
	int64_t val[KSTAT_NR];
};
extern const char *const kernel_counter_names[KSTAT_NR];
void kernel_counters_read(const char *dir, struct kernel_counters *c);
/* Findings for counters that grew; counters go to the report too. */
int kernel_counters_diff(const struct kernel_counters *before,
			 const struct kernel_counters *after, struct seam_report *r);

#endif /* SEAMSTRESS_KMSG_H */
