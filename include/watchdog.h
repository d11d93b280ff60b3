/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hung-operation detector.  Worker threads (in the child) publish "operation
 * X started at T" and a progress count in a table shared with the
 * supervising parent; the parent flags any operation older than the deadline,
 * and any vCPU whose guest progress counters stand still that long, with the
 * thread's kernel stack, wchan and syscall as evidence.  The parent does not
 * share the fate of a worker stuck in the kernel.
 */
#ifndef SEAMSTRESS_WATCHDOG_H
#define SEAMSTRESS_WATCHDOG_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "report.h"
#include "seamstress.h"

#define WATCH_MAX_SLOTS		(SEAM_MAX_VCPUS + 160)

enum watch_state { WATCH_UNUSED, WATCH_ACTIVE, WATCH_EXITED };

struct watch_slot {
	volatile int state;
	pid_t tid;
	int vcpu;			/* -1 for host threads */
	char name[24];			/* "vcpu 0", "puncher 1" */
	char op[48];			/* operation in progress */
	volatile uint64_t op_start_ns;	/* 0: between operations */
	volatile uint64_t ops;		/* operations completed */
	/* Parent-side bookkeeping. */
	uint64_t seen_progress;
	uint64_t seen_progress_ns;
	bool reported;
};

struct watch_table {
	volatile uint32_t nr;
	/* Where the guest's struct seam_progress array sits in the child. */
	volatile uint64_t progress_hva;
	volatile uint32_t nr_vcpus;
	/* Nonzero while vCPUs are expected to progress (ns since boot). */
	volatile uint64_t vcpus_since_ns;
	/* The worker's start and VM setup, watched before it has threads: slot + 1. */
	volatile uint32_t setup_slot;
	struct watch_slot slot[WATCH_MAX_SLOTS];
};

uint64_t watch_now_ns(void);

/* Child side.  All are no-ops until watch_attach() gave them a table. */
void watch_attach(struct watch_table *t);
struct watch_slot *watch_register(const char *name, int vcpu);
void watch_begin(struct watch_slot *s, const char *op);
void watch_end(struct watch_slot *s);
void watch_exit(struct watch_slot *s);
void watch_vcpus_running(uint64_t progress_hva, uint32_t nr_vcpus, bool running);
/* The worker's setup is over: the slot the parent opened for it closes. */
void watch_setup_end(void);

/*
 * Parent side, before the worker runs: watch its start and VM setup as an
 * operation of its main thread, so that a worker stopped or stuck before
 * it has any thread of its own is still reported hung at the deadline.
 */
void watch_setup_begin(struct watch_table *t, pid_t worker);

/*
 * Parent side: one scan at @now_ns.  Adds a "hung" finding per newly hung
 * thread, with evidence read from /proc/@pid/task/TID; returns how many.
 */
int watch_scan(struct watch_table *t, pid_t pid, double deadline_s,
	       struct seam_report *r, uint64_t now_ns);
/* Whether @tid registered a slot of @t: a thread of this run's worker. */
bool watch_knows_tid(const struct watch_table *t, pid_t tid);
/*
 * The worker @pid outlived SIGKILL by @grace_ms (a thread stuck in the
 * kernel, uninterruptible): a "hung" finding with every thread's state and
 * the stuck thread's wchan and kernel stack, since it is left behind.
 */
void watch_report_abandoned(pid_t pid, int grace_ms, struct seam_report *r);

#endif /* SEAMSTRESS_WATCHDOG_H */
