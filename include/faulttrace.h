/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fault tracer (zero-step detector) and SEAMCALL probes, in one private
 * tracefs instance that the supervisor creates before the run and removes
 * on every exit path; the global trace buffer is never touched.
 *
 * Sources, in order of preference: kvm:kvm_exit (VMX, SVM, TDX: streaks of
 * EPT violations at one RIP, VP.ENTER BUSY exits, synthesized exits), else
 * kvmmmu:kvm_mmu_pagetable_walk filtered to the contended region
 * (shadow-paging hosts such as this PVM one, where kvm_exit never fires).
 */
#ifndef SEAMSTRESS_FAULTTRACE_H
#define SEAMSTRESS_FAULTTRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "options.h"
#include "report.h"
#include "streak.h"
#include "watchdog.h"

#define SEAMPROBE_MAX		8
#define FAULTTRACE_MAX_TIDS	256
#define SEAMPROBE_MAX_STATUS	8

struct seamprobe {
	char symbol[48];
	bool active;
	char skip_reason[128];
	void *dynevent;			/* struct tracefs_dynevent * */
	int event_id;
	uint64_t calls;
	uint32_t nr_status;
	struct {
		uint64_t status, count;
	} status[SEAMPROBE_MAX_STATUS];
	uint64_t other_status;
};

struct faulttrace {
	bool active;
	char name[96];			/* include/instance_name.h */
	pid_t followed;			/* the worker whose events the instance keeps */
	uint32_t nr_tids;
	struct {
		pid_t tid;
		bool ours;
	} tids[FAULTTRACE_MAX_TIDS];	/* tid -> the worker's or another process's */
	uint64_t foreign_events;	/* events of other processes, dropped */
	char why_inactive[256];
	void *instance;			/* struct tracefs_instance * */
	void *tep;			/* struct tep_handle * */
	int id_exit, id_page_fault, id_walk;
	uint64_t exits, walks;
	uint64_t progress_walks;	/* walks of the progress blocks: visit boundaries */
	uint64_t region_lo, region_hi;
	struct streak_counter streaks;
	bool streaks_are_findings;	/* tdx, or --zero-step given */
	struct watch_table *watch;	/* tid -> vCPU for shadow-paging events */
	uint32_t nr_probes;
	bool probes_tdx;		/* the TDX wrappers, not the stand-ins */
	struct seamprobe probe[SEAMPROBE_MAX];
};

/*
 * Create the instance and enable the events (and probes); on failure the
 * tracer is inactive and why_inactive says why.  Removes instances that
 * earlier seamstress runs left behind when they were SIGKILLed.
 */
void faulttrace_start(struct faulttrace *ft, const struct seam_opts *o,
		      struct watch_table *watch);
/*
 * Keep only the events of @pid and the threads it creates (the worker):
 * call before the worker starts any thread.  0 or -errno.
 */
int faulttrace_follow(struct faulttrace *ft, pid_t pid);
/* Drain what the buffer holds (call often: the buffer is finite). */
void faulttrace_poll(struct faulttrace *ft);
/* Drain, report histogram and findings, remove the instance and probes. */
void faulttrace_finish(struct faulttrace *ft, struct seam_report *r);
/* Remove the instance and probes; safe to call twice, from atexit. */
void faulttrace_cleanup(struct faulttrace *ft);

/* Whether /proc/kallsyms lists @sym. */
bool seamprobe_kallsyms_has(const char *sym);
/* Record a probe hit (the probe histogram is pure, for tests). */
void seamprobe_hit(struct seamprobe *p, uint64_t ret);
void seamprobe_report(const struct seamprobe *p, bool tdx, struct seam_report *r);
/* The SEAMCALL wrappers of docs/tdx-module-and-kvm.md §2.6, and this host's stand-ins. */
extern const char *const seamprobe_tdx_symbols[];
extern const char *const seamprobe_kvm_symbols[];

#endif /* SEAMSTRESS_FAULTTRACE_H */
