/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KVM's handling of SEAMCALL results, per release
 * (docs/tdx-module-and-kvm.md §2), driving the software module (seam_model.h):
 * the EPT-violation path (SEPT.ADD + PAGE.AUG under mmu_lock read, frozen
 * mirror SPTEs, RET_PF_RETRY while an invalidation is in flight, re-entry
 * before 6.16 and local retry since, KVM_EXIT_MEMORY_FAULT on a shared gfn),
 * guest_memfd punch-holes and attribute conversions around the zap path (BLOCK,
 * TRACK, kick, REMOVE under mmu_lock write; KVM_BUG_ON before 6.16, kick-out
 * and one retry since), TDH.VP.INIT (under mmu_lock since 6.19) and
 * TDH.MR.FINALIZE.  A status KVM does not expect becomes a kvm_bug_on finding
 * with the SEAMCALL, the status decoded and the interleaving that led there.
 */
#ifndef SEAMSTRESS_KVM_MODEL_H
#define SEAMSTRESS_KVM_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "options.h"
#include "report.h"
#include "seam_model.h"
#include "uret_msr.h"

/* What a TD exit reports to KVM (EEQ types: docs/tdx-module-and-kvm.md §1.2, §2.4). */
enum kvm_exit_kind {
	EXIT_OTHER,		/* no EPT violation: an IPI, a sync, a kick */
	EXIT_EPT,		/* private EPT violation raised by the CPU */
	EXIT_EPT_ACCEPT,	/* EPT violation made by ACCEPT, EEQ type 1 */
	EXIT_EPT_PENDING,	/* a PENDING page touched, EEQ type 6 (SEPT_VE_DISABLE) */
};

enum kvm_fault_result {
	FAULT_FIXED,	/* mapped (or mapped by someone else): enter again */
	FAULT_REENTER,	/* RET_PF_RETRY and the policy re-enters the guest */
	FAULT_USER_EXIT,	/* KVM_EXIT_MEMORY_FAULT: the attribute says shared */
	FAULT_NO_MEMSLOT,	/* KVM_EXIT_MEMORY_FAULT: a private gfn with no memslot */
	FAULT_DEAD,	/* the VM is bugged or dead */
};

/*
 * The guest memory's memslot while userspace deletes and re-creates it
 * (kvm_set_memslot(), virt/kvm/kvm_main.c; docs/tdx-module-and-kvm.md §3
 * bug 8): KVM_MEMSLOT_INVALID from the first swap of the active memslots
 * until the second, gone until userspace creates it again.
 */
enum kvm_memslot_state { MEMSLOT_VALID, MEMSLOT_INVALID, MEMSLOT_DELETED };

struct kvm_model {
	struct sm_td td;
	enum kvm_release release;
	bool prev_epoch_busy_is_busy;	/* toggle: docs/tdx-module-and-kvm.md §3.2 */
	bool track_kick_nowait;		/* toggle: tdx_track() does not wait for the kick */
	bool reenter_on_retry;		/* toggle: RET_PF_RETRY re-enters, as before 6.16 */
	bool finalize_under_mmu_lock;	/* toggle: KVM_TDX_FINALIZE_VM holds mmu_lock (write) */
	bool ignore_memory_fault;	/* the VMM re-runs a KVM_EXIT_MEMORY_FAULT unconverted (bug 7) */
	/*
	 * Bug 13: a VM's vCPU shares CPU 0 with TD vCPU 0, whose user-return
	 * MSR is then the one that can go stale (include/uret_msr.h).
	 */
	bool uret_neighbour;
	struct uret_cpu uret;
	struct seam_report *report;
	/* mmu_lock: readers and a writer, taken with scheduling points. */
	int mmu_readers;
	bool mmu_writer;
	bool *frozen;			/* mirror SPTE frozen by an in-flight fault */
	uint32_t *invalidating;		/* mmu_invalidate_in_progress covering the page */
	bool *shared;			/* KVM_MEMORY_ATTRIBUTE_PRIVATE clear */
	volatile bool wait_for_sept_zap;
	volatile bool kick[SM_MAX_VCPUS];	/* KVM_REQ_OUTSIDE_GUEST_MODE IPI */
	volatile bool signal[SM_MAX_VCPUS];	/* a signal to the vCPU thread */
	/* KVM's vcpu->mode: IN_GUEST_MODE from before VP.ENTER until the exit is taken. */
	volatile bool in_guest_mode[SM_MAX_VCPUS];
	volatile bool dead;
	volatile bool stop;		/* the run is over (real threads: its clock) */
	/*
	 * The mutexes around the TD-building ioctls and vCPU creation
	 * (docs/tdx-module-and-kvm.md §3 bug 10): kvm->lock, kvm->slots_lock,
	 * and KVM_CREATE_VCPU's two counts, equal unless a creation is in flight.
	 */
	bool kvm_lock, slots_lock;
	uint32_t created_vcpus, online_vcpus;
	/*
	 * kvm->srcu: a vCPU reads it from a TD exit to its next entry
	 * (vcpu_enter_guest() unlocks it around the entry); a grace period
	 * waits for every reader that was inside when it began.
	 */
	volatile enum kvm_memslot_state memslot;
	volatile bool srcu_reader[SM_MAX_VCPUS];
	volatile uint64_t srcu_unlocks[SM_MAX_VCPUS];
	/* The vCPU retries locally a fault on the INVALID memslot: it waits for the deletion. */
	volatile bool waits_for_memslot[SM_MAX_VCPUS];
	uint64_t user_returns[SM_MAX_VCPUS];	/* KVM_RUN returns to the VMM, per vCPU */
	uint64_t max_retries;		/* a retry loop beyond this is hung */
	/* counters */
	uint64_t faults, reentries, local_retries, zaps, kicks_sent, enter_busy;
	uint64_t spurious_faults;	/* RET_PF_SPURIOUS: the mirror SPTE was present */
	uint64_t memory_fault_exits, conversions;
	uint64_t build_ebusy;		/* TD-building ioctls answered -EBUSY and tried again */
	uint64_t init_vcpu_einval;	/* KVM_TDX_INIT_VCPU after FINALIZE: -EINVAL */
	uint64_t memslot_deletions;	/* deleted and created again */
	uint64_t memslot_breaks;	/* 6.18: the local retry left for the INVALID memslot */
	uint64_t no_memslot_exits;	/* KVM_EXIT_MEMORY_FAULT while it was gone */
};

void kvm_model_init(struct kvm_model *km, const struct seam_opts *o, struct seam_report *r,
		    uint64_t nr_pages, uint32_t nr_vcpus);
void kvm_model_free(struct kvm_model *km);

/* An EPT violation of vCPU @v at @page, of @kind (docs/tdx-module-and-kvm.md §2.3-§2.4). */
enum kvm_fault_result kvm_model_fault(struct kvm_model *km, uint32_t v, uint64_t page,
				      enum kvm_exit_kind kind);
/*
 * Punch @page out of guest_memfd: invalidate_begin and the zap
 * (docs/tdx-module-and-kvm.md §2.2-§2.3) under mmu_lock, the truncation,
 * invalidate_end; faults on the page are RET_PF_RETRY all along.  False once
 * the VM is dead.
 */
bool kvm_model_zap(struct kvm_model *km, uint64_t page);
/*
 * KVM_SET_MEMORY_ATTRIBUTES of @page: invalidate, zap the private mapping
 * when it becomes shared, store the attribute, end.  False once the VM is
 * dead.
 */
bool kvm_model_set_private(struct kvm_model *km, uint64_t page, bool private);
/*
 * The TD-building ioctls, each with its release's locking
 * (docs/tdx-module-and-kvm.md §3 bugs 9, 10): before 6.19 KVM_TDX_INIT_VCPU
 * holds only its vcpu->mutex and reads the TD's state unlocked,
 * KVM_TDX_INIT_MEM_REGION holds kvm->slots_lock, KVM_TDX_FINALIZE_VM
 * kvm->lock and kvm->slots_lock; since 6.19 each takes "all" the locks
 * (kvm->lock, every vcpu->mutex, kvm->slots_lock) and answers -EBUSY while
 * a vCPU creation is in flight.  -EBUSY is tried again, as userspace would.
 */
/* KVM_CREATE_VCPU of one more vCPU: 0, or -EIO once the TD is no longer INITIALIZED (tdx_vcpu_create()). */
int kvm_model_create_vcpu(struct kvm_model *km);
/* KVM_TDX_INIT_VCPU: TDH.VP.CREATE, TDH.VP.INIT; 0, -EINVAL after FINALIZE, -EIO once the VM is dead. */
int kvm_model_init_vcpu(struct kvm_model *km, uint32_t v);
/*
 * KVM_TDX_INIT_MEM_REGION of one image page with MEASURE: TDH.MEM.PAGE.ADD
 * and 16 TDH.MR.EXTENDs; 0, -EINVAL after FINALIZE, -EIO on a failure.
 */
int kvm_model_init_mem_region(struct kvm_model *km, uint64_t page);
/*
 * KVM_SET_USER_MEMORY_REGION2 deleting the guest memory's memslot, then
 * creating it again, as a VMM moving a region does (kvm_set_memslot(),
 * virt/kvm/kvm_main.c; docs/tdx-module-and-kvm.md §3 bug 8), under
 * kvm->slots_lock: the slot is swapped in INVALID, synchronize_srcu(), its
 * pages are zapped (kvm_arch_flush_shadow_memslot()), the slot is swapped
 * out, synchronize_srcu() again, then created.  A grace period that waits
 * for a vCPU which retries locally a fault on the INVALID slot is a
 * wait-for cycle: a deadlock finding.  False once the VM is dead or
 * deadlocked.
 */
bool kvm_model_move_memslot(struct kvm_model *km);
/* KVM_RUN returns to userspace: the vCPU leaves its SRCU read section. */
void kvm_model_return_to_user(struct kvm_model *km, uint32_t v);
/* KVM_TDX_FINALIZE_VM: TDH.MR.FINALIZE; false once the VM is dead. */
bool kvm_model_finalize(struct kvm_model *km);
/*
 * The neighbour VM's vCPU on CPU 0 (bug 13): waits while TD vCPU 0 has
 * preemption off, loads its guest's user-return MSR and runs its guest;
 * with @to_user its KVM_RUN then returns.  False when the run is over or
 * a stale MSR was found.
 */
bool kvm_model_vmx_neighbour_run(struct kvm_model *km, bool to_user);
/* TDH.VP.ENTER until the guest runs; false when the VM died or hung. */
bool kvm_model_enter(struct kvm_model *km, uint32_t v, uint64_t rip);
/*
 * A TD exit of vCPU @v at @rip and, for an EPT violation at @page, its
 * handling; a KVM_EXIT_MEMORY_FAULT is served as userspace would.
 */
enum kvm_fault_result kvm_model_exit(struct kvm_model *km, uint32_t v, uint64_t rip,
				     enum kvm_exit_kind kind, uint64_t page);
/*
 * A fatal event of the VM: a finding of @detector, the VM is dead; the
 * finding, for more evidence, or NULL when the VM was dead already.
 */
struct seam_finding *kvm_model_die(struct kvm_model *km, const char *detector, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Counters and BUSY histograms into the report. */
void kvm_model_report(struct kvm_model *km);

#endif /* SEAMSTRESS_KVM_MODEL_H */
