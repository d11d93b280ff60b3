/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Zero-step streak counter: per vCPU, runs of consecutive guest faults at
 * one place with no progress in between: one instruction faulting on one
 * guest page (kvm:kvm_page_fault's RIP and address), or on shadow-paging
 * hosts the contended address a walk was for.  One store faulting on many
 * pages in turn is a sweep, not a streak.  The TDX module arms its
 * zero-step filter on the 7th private EPT violation at one RIP
 * (docs/tdx-module-and-kvm.md §1.4), so a streak of 7 is a suspect.
 * Pure: trace fixtures and the live tracer feed the same code.
 */
#ifndef SEAMSTRESS_STREAK_H
#define SEAMSTRESS_STREAK_H

#include <stdbool.h>
#include <stdint.h>

#define STREAK_MAX_IDS		256
/* The 7th private EPT violation at one RIP arms the filter (§1.4). */
#define STREAK_TDX_THRESHOLD	7
#define STREAK_HIST_BUCKETS	11	/* 1..7 exact, 8-15, 16-31, 32-63, 64+ */
#define STREAK_MAX_SUSPECTS	8

struct streak_suspect {
	uint64_t id, key;
	uint64_t gpa;	/* the page a kvm:kvm_page_fault streak is on, else 0 */
	uint64_t len;
};

struct streak_counter {
	uint32_t threshold;
	uint32_t nr_ids;
	struct {
		uint64_t id, key, gpa, len;
		uint32_t slack;	/* events of the streak the guest itself makes */
	} cur[STREAK_MAX_IDS];
	uint64_t hist[STREAK_HIST_BUCKETS];
	uint64_t faults;
	uint64_t streaks;
	uint64_t suspects;		/* streaks >= threshold (+ slack for walks) */
	uint64_t longest;
	struct streak_suspect worst[STREAK_MAX_SUSPECTS];
	uint32_t nr_worst;
	/* TDX only (kvm:kvm_exit): VP.ENTER BUSY and synthesized EPT violations. */
	uint64_t busy_exits;
	uint64_t synthesized_exits;
};

void streak_init(struct streak_counter *sc, uint32_t threshold);
/* vCPU @id faulted at @key. */
void streak_fault(struct streak_counter *sc, uint64_t id, uint64_t key);
/*
 * vCPU thread @id walked the guest page tables for @key (a shadow-paging or
 * emulating host): an access, not necessarily a fault.  The first
 * SEAM_GUEST_SLOT_WALKS_MAX walks of a streak are what the guest's own visit
 * of a slot may make; only the walks beyond them count toward the threshold.
 */
void streak_walk(struct streak_counter *sc, uint64_t id, uint64_t key);
/* vCPU @id made progress: its streak ends. */
void streak_progress(struct streak_counter *sc, uint64_t id);
/* Close every open streak (end of trace). */
void streak_finish(struct streak_counter *sc);
/* "1", ..., "7", "8-15", "16-31", "32-63", "64+" */
const char *streak_bucket_name(int b);

/*
 * kvm:kvm_exit as seen on VMX/SVM/TDX hosts: an exit other than an EPT
 * violation or NPF is progress; those two are counted by the
 * kvm:kvm_page_fault that their handler traces next (the exit itself names
 * no GPA on VMX and TDX).
 */
void streak_kvm_exit(struct streak_counter *sc, uint32_t vcpu_id, uint32_t reason,
		     uint64_t rip, uint64_t info1, uint64_t info2);
/* kvm:kvm_page_fault: vCPU @vcpu_id's instruction at @rip faulted on @gpa. */
void streak_page_fault(struct streak_counter *sc, uint32_t vcpu_id, uint64_t rip, uint64_t gpa);

#define EXIT_REASON_EPT_VIOLATION	48
#define SVM_EXIT_NPF			0x400
#define TDX_EXIT_VP_ENTER_FAILED	0xffffffffu	/* docs/tdx-module-and-kvm.md §2.6 */
/*
 * The EPT violation the TDX module makes up while its zero-step filter is
 * armed: exit qualification 0x2 (a write), extended qualification 0
 * (docs/tdx-module-and-kvm.md §2.6).
 */
#define TDX_SYNTH_EPT_EXIT_QUAL		0x2
#define TDX_SYNTH_EPT_EXT_QUAL		0

#endif /* SEAMSTRESS_STREAK_H */
