/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A software model of the TDX module 1.5 contention rules
 * (docs/tdx-module-and-kvm.md §1.2-§1.5): try-locks with
 * their exact BUSY statuses and operand ids, host priority, S-EPT entry
 * states, the TD epoch and its two refcounts, and the threshold-6 zero-step
 * filter.  Rules, not timing: every SEAMCALL takes its locks, reaches a
 * scheduling point (model_sched.h) while holding them, then acts and
 * releases, so concurrent callers collide the way the module's try-locks do.
 */
#ifndef SEAMSTRESS_SEAM_MODEL_H
#define SEAMSTRESS_SEAM_MODEL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "seamstress.h"
#include "model_sched.h"

#define SM_MAX_VCPUS		SEAM_MAX_VCPUS
/* The zero-step filter's constants (docs/tdx-module-and-kvm.md §1.4). */
#define SM_ZS_THRESHOLD		6	/* STEPPING_EPF_THRESHOLD */
#define SM_ZS_LIST		32	/* last_epf_gpa_list */
#define SM_PAGES_PER_SEPT	512	/* one S-EPT page maps 512 4K entries */
/* Rows of td->busy[][]: every SEAMCALL leaf below it, and the guest's ACCEPT. */
#define SM_BUSY_LEAVES		64
#define SM_BUSY_GUEST_ACCEPT	(SM_BUSY_LEAVES - 1)	/* the row of TDG.MEM.PAGE.ACCEPT */
/* Columns of td->busy[][]: the lock a BUSY names, by its operand id. */
enum sm_busy_lock {
	SM_BUSY_SEPT,		/* the secure-EPT tree, 0x92 */
	SM_BUSY_ENTRY,		/* an S-EPT entry, RCX */
	SM_BUSY_EPOCH,		/* the TD epoch, 0xA9 */
	SM_BUSY_TDR,		/* the TDR, anything else */
	NR_SM_BUSY_LOCKS,
};

/* sharex_lock: bit 0 exclusive, readers count (docs/tdx-module-and-kvm.md §1.3). */
struct sm_sharex {
	int readers;
	bool excl;
};

/* sharex_hp_lock: the same plus the HOST_PRIORITY bit (docs/tdx-module-and-kvm.md §1.3). */
struct sm_hp_lock {
	struct sm_sharex sx;
	bool hp;
};

enum sm_entry_state { SM_FREE, SM_PENDING, SM_MAPPED, SM_BLOCKED };

struct sm_entry {
	enum sm_entry_state state;
	enum sm_entry_state before_block;
	uint64_t bepoch;	/* PAMT.BEPOCH written by RANGE.BLOCK */
	bool locked;		/* TDEL, bit 11 */
	bool hp;		/* TDHP, bit 52 */
	int hp_leaf;		/* the SEAMCALL whose refusal set it... */
	uint64_t hp_step;	/* ...and when */
};

struct sm_vcpu {
	bool created;		/* TDH.VP.CREATE done */
	uint32_t tdcx_pages;	/* TDH.VP.ADDCX done */
	bool initialized;	/* TDH.VP.INIT done */
	bool in_guest;
	int epoch_slot;		/* refcount[] it holds while in the guest */
	uint64_t entry_rip;	/* RIP at the last TD entry */
	uint32_t zs_counter;	/* possibly_epf_stepping */
	uint32_t zs_nr;
	uint64_t zs_list[SM_ZS_LIST];
	uint64_t guest_hp_busy;	/* consecutive BUSY_HOST_PRIORITY seen by the guest */
	uint64_t guest_hp_since_ns;	/* when that run of refusals began */
};

struct sm_td {
	pthread_mutex_t mu;	/* makes each step atomic with real threads */
	struct model_sched *sched;	/* the run's (set after sm_td_init) */
	struct sm_hp_lock tdr;		/* PAMT lock of the TDR page */
	struct sm_sharex sept;		/* TDCS secure_ept_lock */
	struct sm_sharex epoch_lock;	/* TDCS epoch_lock */
	uint64_t epoch;
	uint32_t refcount[2];
	/* OP_STATE RUNNABLE (TDH.MR.FINALIZE done): removals need BLOCK and tracking. */
	volatile bool finalized;
	uint32_t num_vcpus;	/* TDCS.NUM_VCPUS: vCPUs through TDH.VP.INIT */
	uint64_t extended;	/* TDH.MR.EXTEND chunks measured */
	uint64_t nr_pages;
	struct sm_entry *entry;
	bool *sept_page;	/* S-EPT page present, per 512 entries */
	/*
	 * Per 512 entries, the parent entry that points to their S-EPT page:
	 * what SEPT.ADD locks (sept_lock_acquire_host() in tdh_mem_sept_add.c).
	 */
	struct sm_entry *sept_parent;
	uint32_t nr_vcpus;
	struct sm_vcpu vcpu[SM_MAX_VCPUS];
	/*
	 * TDCS.HP_LOCK_TIMEOUT, 1 s by default
	 * (docs/tdx-module-and-kvm.md §1.3): with real threads in time, under
	 * the seeded scheduler (which has no time) in tries.
	 */
	uint64_t hp_timeout_ns;
	uint64_t hp_timeout_tries;
	/*
	 * ATTRIBUTES.SEPT_VE_DISABLE: a touch of a PENDING page is an EPT
	 * violation with EEQ type 6 (and one the zero-step filter expects);
	 * clear, it is a #VE to the guest and no exit
	 * (docs/tdx-module-and-kvm.md §1.2, §1.4).
	 */
	bool sept_ve_disable;
	/*
	 * A module change mentioned in May 2025
	 * (docs/tdx-module-and-kvm.md §1.5, UNVERIFIED): ACCEPT does not lock
	 * an entry it could not accept, it exits at once.
	 */
	bool accept_checks_state_first;
	/* Statistics: BUSY per SEAMCALL leaf and operand. */
	/*
	 * [leaf][enum sm_busy_lock]; SEAMCALL leaves, and the guest's ACCEPT
	 * at SM_BUSY_GUEST_ACCEPT (its TDCALL leaf, 6, is PAGE.AUG's SEAMCALL
	 * leaf).
	 */
	uint64_t busy[SM_BUSY_LEAVES][NR_SM_BUSY_LOCKS];
	uint64_t armed, synthesized, enter_busy;
	uint64_t first_armed_step;	/* scheduling step of the first arming */
	uint64_t track_prev_epoch_busy;	/* TRACK returned PREVIOUS_TLB_EPOCH_BUSY */
};

/* What TDH.VP.ENTER came back with. */
struct sm_enter {
	uint64_t status;	/* 0: the guest runs; else BUSY or a synthesized exit */
	bool synthesized;	/* EPT violation made up by the filter, no entry */
	uint64_t gpa;
};

void sm_td_init(struct sm_td *td, uint64_t nr_pages, uint32_t nr_vcpus);
void sm_td_free(struct sm_td *td);

/* Host SEAMCALLs (docs/tdx-module-and-kvm.md §1.3, the table); statuses of §1.2. */
uint64_t sm_sept_add(struct sm_td *td, uint64_t page);
uint64_t sm_page_aug(struct sm_td *td, uint64_t page);
uint64_t sm_range_block(struct sm_td *td, uint64_t page);
uint64_t sm_mem_track(struct sm_td *td);
uint64_t sm_page_remove(struct sm_td *td, uint64_t page);
/*
 * The TD-building SEAMCALLs: TDX_OP_STATE_INCORRECT once the TD is
 * RUNNABLE (op_state_lookup.c), BUSY on the TDR first.
 */
uint64_t sm_vp_create(struct sm_td *td, uint32_t vcpu);
/* TDH.VP.ADDCX: one TDCX page for a created vCPU (TDR shared, BUSY|TDR). */
uint64_t sm_vp_addcx(struct sm_td *td, uint32_t vcpu);
uint64_t sm_vp_init(struct sm_td *td, uint32_t vcpu);
/* TDH.MEM.PAGE.ADD of an image page (MAPPED at once); TDH.MR.EXTEND of one 256-byte chunk of it. */
uint64_t sm_page_add(struct sm_td *td, uint64_t page);
uint64_t sm_mr_extend(struct sm_td *td, uint64_t page);
/* TDH.MR.FINALIZE: the TD becomes RUNNABLE (TDX_NO_VCPUS before any VP.INIT). */
uint64_t sm_mr_finalize(struct sm_td *td);
/*
 * TDH.VP.ENTER at @rip (the filter of docs/tdx-module-and-kvm.md §1.4); on
 * success the vCPU is in the guest.
 */
struct sm_enter sm_vp_enter(struct sm_td *td, uint32_t vcpu, uint64_t rip);
/*
 * A TD exit at @rip.  @ept_gpa is the page of a private EPT violation the
 * CPU raised (zero-step logged), or -1 for any other exit, an ACCEPT-caused
 * one included: those only reset the stepping state when the RIP moved.
 */
void sm_td_exit(struct sm_td *td, uint32_t vcpu, uint64_t rip, int64_t ept_gpa);

/*
 * Guest TDG.MEM.PAGE.ACCEPT of @page from @rip
 * (docs/tdx-module-and-kvm.md §1.5).  Returns its status; *exit set when the
 * entry was not PENDING: an async exit (EPT violation, EEQ type ACCEPT) the
 * host must serve.  TDX_HOST_PRIORITY_BUSY_TIMEOUT comes back after the
 * host-priority timeout.  Being a VM exit into the module, the TDCALL resets
 * the stepping state when the RIP moved since entry.
 */
uint64_t sm_guest_accept(struct sm_td *td, uint32_t vcpu, uint64_t page, uint64_t rip, bool *exit);

/* What a guest load/store of a private page does (docs/tdx-module-and-kvm.md §1.4-§1.5). */
enum sm_touch {
	SM_TOUCH_OK,		/* MAPPED */
	SM_TOUCH_EPT_VIOLATION,	/* FREE or BLOCKED: an exit, zero-step logged */
	SM_TOUCH_PENDING_EXIT,	/* PENDING, SEPT_VE_DISABLE: exit, EEQ type 6, logged */
	SM_TOUCH_PENDING_VE,	/* PENDING, #VE enabled: a #VE, no exit */
};
enum sm_touch sm_guest_touch(struct sm_td *td, uint64_t page);

/* The tracking rule (docs/tdx-module-and-kvm.md §1.3): may BLOCKED @page be removed now? */
bool sm_tracked(const struct sm_td *td, uint64_t page);
/* The name of a SEAMCALL leaf the model issues (or SM_BUSY_GUEST_ACCEPT). */
const char *sm_leaf_name(int leaf);
/* What each column of td->busy[][] is called in the report. */
extern const char *const sm_busy_lock_name[NR_SM_BUSY_LOCKS];

#endif /* SEAMSTRESS_SEAM_MODEL_H */
