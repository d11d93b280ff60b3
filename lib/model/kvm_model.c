// SPDX-License-Identifier: GPL-2.0
/*
 * KVM's side of the model (include/kvm_model.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmsg.h"
#include "kvm_model.h"
#include "model_sched.h"
#include "tdx_abi.h"

void kvm_model_init(struct kvm_model *km, const struct seam_opts *o, struct seam_report *r,
		    uint64_t nr_pages, uint32_t nr_vcpus)
{
	memset(km, 0, sizeof(*km));
	sm_td_init(&km->td, nr_pages, nr_vcpus);
	km->release = o->kvm_release;
	km->td.sept_ve_disable = !options_td_sept_ve(o);
	km->td.accept_checks_state_first = o->model_toggles & MODEL_TOGGLE_ACCEPT_STATE_FIRST;
	km->prev_epoch_busy_is_busy = o->model_toggles & MODEL_TOGGLE_PREV_EPOCH_BUSY;
	km->track_kick_nowait = o->model_toggles & MODEL_TOGGLE_TRACK_KICK_NOWAIT;
	km->reenter_on_retry = (o->model_toggles & MODEL_TOGGLE_REENTER_ON_RETRY) ||
			       o->kvm_release == KVM_PRE_6_16;
	km->finalize_under_mmu_lock = o->model_toggles & MODEL_TOGGLE_FINALIZE_MMU_LOCK;
	km->report = r;
	km->frozen = calloc(nr_pages, sizeof(*km->frozen));
	km->invalidating = calloc(nr_pages, sizeof(*km->invalidating));
	km->shared = calloc(nr_pages, sizeof(*km->shared));
	km->max_retries = 100000;
	km->created_vcpus = km->online_vcpus = nr_vcpus;
	km->ignore_memory_fault = o->model_ignore_memory_fault;
	km->uret_neighbour = o->model_uret_neighbour;
	uret_init(&km->uret, o->kvm_release >= KVM_6_19);
	/* KVM_SET_MEMORY_ATTRIBUTES(shared) before the run: nothing mapped to zap yet. */
	for (uint64_t page = 0; page < o->model_shared_pages && page < nr_pages; page++)
		km->shared[page] = true;
}

void kvm_model_free(struct kvm_model *km)
{
	sm_td_free(&km->td);
	free(km->frozen);
	free(km->invalidating);
	free(km->shared);
}

struct seam_finding *kvm_model_die(struct kvm_model *km, const char *detector, const char *fmt, ...)
{
	struct seam_finding *f;
	char msg[256], trail[1024];
	va_list ap;

	pthread_mutex_lock(&km->td.mu);
	if (km->dead) {
		pthread_mutex_unlock(&km->td.mu);
		return NULL;
	}
	km->dead = true;
	pthread_mutex_unlock(&km->td.mu);

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sched_trail(km->td.sched, trail, sizeof(trail));
	f = report_add_finding(km->report, detector, "%s (KVM %s, step %llu)", msg,
			       kvm_release_name(km->release), (unsigned long long)sched_steps(km->td.sched));
	finding_str(f, "kvm_release", kvm_release_name(km->release));
	finding_u64(f, "step", sched_steps(km->td.sched));
	finding_str(f, "interleaving", trail);
	return f;
}

/*
 * KVM_BUG_ON / TDX_BUG_ON on a SEAMCALL status it does not expect
 * (docs/tdx-module-and-kvm.md §2.5).
 */
static void bug_on(struct kvm_model *km, const char *seamcall, uint64_t status)
{
	char decoded[96];

	tdx_status_decode(status, decoded, sizeof(decoded));
	kvm_model_die(km, "kvm_bug_on", "KVM_BUG_ON: SEAMCALL %s failed: 0x%llx (%s)",
		      seamcall, (unsigned long long)status, decoded);
}

static bool is_busy(struct kvm_model *km, uint64_t st)
{
	/* tdx_operand_busy(): only OPERAND_BUSY counts (docs/tdx-module-and-kvm.md §1.2). */
	if ((st & TDX_SEAMCALL_STATUS_MASK) == TDX_OPERAND_BUSY)
		return true;
	return km->prev_epoch_busy_is_busy && st == TDX_PREVIOUS_TLB_EPOCH_BUSY;
}

static void mmu_lock(struct kvm_model *km, bool write)
{
	bool ok;

	for (;;) {
		pthread_mutex_lock(&km->td.mu);
		ok = write ? !km->mmu_writer && !km->mmu_readers : !km->mmu_writer;
		if (ok) {
			if (write)
				km->mmu_writer = true;
			else
				km->mmu_readers++;
		}
		pthread_mutex_unlock(&km->td.mu);
		if (ok)
			return;
		sched_point(km->td.sched, model_self, write ? "mmu_lock(w) wait" : "mmu_lock(r) wait");
	}
}

static void mmu_unlock(struct kvm_model *km, bool write)
{
	pthread_mutex_lock(&km->td.mu);
	if (write)
		km->mmu_writer = false;
	else
		km->mmu_readers--;
	pthread_mutex_unlock(&km->td.mu);
}

/*
 * kvm_vcpu_srcu_read_lock()/unlock() of vCPU @v: a grace period begun while
 * the vCPU was inside ends once it has left, whatever it did after.
 */
static void srcu_read_lock(struct kvm_model *km, uint32_t v)
{
	__atomic_store_n(&km->srcu_reader[v], true, __ATOMIC_SEQ_CST);
}

static void srcu_read_unlock(struct kvm_model *km, uint32_t v)
{
	if (!km->srcu_reader[v])
		return;
	__atomic_fetch_add(&km->srcu_unlocks[v], 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&km->srcu_reader[v], false, __ATOMIC_SEQ_CST);
}

/* CPU 0 back in host userspace: its user-return MSR must hold the host's value. */
static bool uret_returned(struct kvm_model *km, const char *who)
{
	struct seam_finding *f;
	uint64_t hw, curr;
	bool ok;

	pthread_mutex_lock(&km->td.mu);
	hw = km->uret.hw;
	curr = km->uret.curr;
	ok = uret_user_return(&km->uret);
	pthread_mutex_unlock(&km->td.mu);
	if (ok)
		return true;
	f = kvm_model_die(km, "uret_msr",
			  "%s returned to userspace on CPU 0 with TSC_AUX 0x%llx in hardware, not the host's 0x%x: KVM's user-return cache said 0x%llx, so kvm_on_user_return() restored nothing",
			  who, (unsigned long long)hw, URET_HOST, (unsigned long long)curr);
	if (f) {
		finding_u64(f, "hw", hw);
		finding_u64(f, "cache", curr);
		finding_u64(f, "host", URET_HOST);
	}
	return false;
}

void kvm_model_return_to_user(struct kvm_model *km, uint32_t v)
{
	km->user_returns[v]++;
	if (km->uret_neighbour && v == 0) {
		/* KVM_RUN's vcpu_put(), then the return to userspace. */
		pthread_mutex_lock(&km->td.mu);
		uret_load(&km->uret, URET_TD_VCPU);
		uret_td_put(&km->uret);
		pthread_mutex_unlock(&km->td.mu);
		uret_returned(km, "TD vCPU 0's VMM");
	}
	srcu_read_unlock(km, v);
}

/* One attempt at mapping @page: RET_PF_* as 0 fixed, 1 retry, -1 dead. */
static int map_once(struct kvm_model *km, uint64_t page)
{
	bool mine = false;
	uint64_t st;

	pthread_mutex_lock(&km->td.mu);
	/*
	 * A frozen mirror SPTE: someone else's fault is in flight
	 * (docs/tdx-module-and-kvm.md §2.4).
	 */
	if (km->td.entry[page].state == SM_PENDING || km->td.entry[page].state == SM_MAPPED) {
		/*
		 * The mirror SPTE is present: RET_PF_SPURIOUS, no SEAMCALL
		 * (tdp_mmu_map_handle_target_level(), arch/x86/kvm/mmu/tdp_mmu.c).
		 */
		km->spurious_faults++;
		pthread_mutex_unlock(&km->td.mu);
		return 0;
	}
	if (!km->frozen[page])
		km->frozen[page] = mine = true;
	pthread_mutex_unlock(&km->td.mu);
	if (!mine)
		return 1;

	st = 0;
	if (!km->td.sept_page[page / SM_PAGES_PER_SEPT]) {
		st = sm_sept_add(&km->td, page);
		/*
		 * Another vCPU linked it meanwhile.  KVM's mirror page tables
		 * keep it from asking twice; the model has none, and takes the
		 * module's answer for that.
		 */
		if (st == (TDX_EPT_ENTRY_STATE_INCORRECT | TDX_OPERAND_ID_RCX))
			st = 0;
		else if (st && !is_busy(km, st))
			bug_on(km, "TDH_MEM_SEPT_ADD", st);
	}
	if (!st) {
		st = sm_page_aug(&km->td, page);
		/* Mapped meanwhile by another vCPU: spurious, done. */
		if (st == (TDX_EPT_ENTRY_STATE_INCORRECT | TDX_OPERAND_ID_RCX))
			st = 0;
		else if (st && !is_busy(km, st))
			bug_on(km, "TDH_MEM_PAGE_AUG", st);
	}
	km->frozen[page] = false;
	if (km->dead)
		return -1;
	return st ? 1 : 0;
}

/*
 * One kvm_mmu_page_fault(): RET_PF_* as 0 fixed, 1 retry, -1 dead, -2
 * -EFAULT for a shared gfn, -3 -EFAULT for no memslot.
 */
static int fault_once(struct kvm_model *km, uint64_t page)
{
	int r;

	/* kvm_mmu_faultin_pfn(): a private fault on a shared gfn goes to userspace. */
	if (__atomic_load_n(&km->shared[page], __ATOMIC_ACQUIRE))
		return -2;
	/*
	 * The memslot, read anew at each fault (kvm_vcpu_gfn_to_memslot()):
	 * none is KVM_EXIT_MEMORY_FAULT for a private gfn
	 * (kvm_handle_noslot_fault()); an INVALID one, being deleted, is
	 * RET_PF_RETRY until the deletion is done (arch/x86/kvm/mmu/mmu.c).
	 */
	switch (__atomic_load_n(&km->memslot, __ATOMIC_ACQUIRE)) {
	case MEMSLOT_DELETED:
		return -3;
	case MEMSLOT_INVALID:
		return 1;
	default:
		break;
	}
	/*
	 * kvm_faultin_pfn() bails out before taking mmu_lock while an
	 * invalidation covers the gfn, is_page_fault_stale() re-checks under
	 * it: a punch-hole in flight is RET_PF_RETRY
	 * (docs/tdx-module-and-kvm.md §2.4).
	 */
	if (__atomic_load_n(&km->invalidating[page], __ATOMIC_ACQUIRE))
		return 1;
	mmu_lock(km, false);
	r = km->invalidating[page] ? 1 : km->dead ? -1 : map_once(km, page);
	mmu_unlock(km, false);
	return r;
}

static enum kvm_fault_result fault_retrying(struct kvm_model *km, uint32_t v, uint64_t page,
					    enum kvm_exit_kind kind)
{
	uint64_t retries = 0;
	bool invalid;
	int r;

	/*
	 * Since 6.16 a touch of a pending page kills the VM
	 * (docs/tdx-module-and-kvm.md §2.4, §3 bug 4).
	 */
	if (kind == EXIT_EPT_PENDING && km->release != KVM_PRE_6_16) {
		kvm_model_die(km, "vm_dead", "Guest access before accepting 0x%llx on vCPU %u: kvm_vm_dead(), KVM_RUN -EIO",
			      (unsigned long long)(SEAM_REGION_GPA + page * SEAM_PAGE_SIZE), v);
		return FAULT_DEAD;
	}
	km->faults++;
	for (;;) {
		r = fault_once(km, page);
		if (r <= 0)
			break;
		/*
		 * Before 6.16 RET_PF_RETRY goes back to the guest
		 * (docs/tdx-module-and-kvm.md §3 bug 3).
		 */
		if (km->reenter_on_retry) {
			km->reentries++;
			return FAULT_REENTER;
		}
		/*
		 * Since 6.16: retry locally, each time a whole fault, until
		 * done or a signal is pending
		 * (docs/tdx-module-and-kvm.md §2.4); the zap's IPI does not
		 * concern a vCPU that is not in guest mode.
		 */
		/* A dead VM's KVM_REQ_VM_DEAD ends it with -EIO. */
		if (km->dead)
			return FAULT_DEAD;
		if (km->signal[v] || sched_exhausted(km->td.sched)) {
			km->reentries++;
			return FAULT_REENTER;
		}
		/*
		 * Since 6.18 an INVALID memslot ends the local retry too
		 * ("KVM: TDX: Do not retry locally when the retry is caused by
		 * invalid memslot", docs/tdx-module-and-kvm.md §3 bug 8): the
		 * vCPU must leave its SRCU read section for the deletion to
		 * finish.  Before, it waits here for the deletion, which waits
		 * for it.
		 */
		invalid = __atomic_load_n(&km->memslot, __ATOMIC_ACQUIRE) == MEMSLOT_INVALID;
		if (invalid && km->release >= KVM_6_18) {
			km->memslot_breaks++;
			km->reentries++;
			return FAULT_REENTER;
		}
		__atomic_store_n(&km->waits_for_memslot[v], invalid, __ATOMIC_SEQ_CST);
		km->local_retries++;
		if (++retries > km->max_retries) {
			kvm_model_die(km, "hung", "vCPU %u: local EPT-violation retry of page %llu exceeded %llu tries",
				      v, (unsigned long long)page, (unsigned long long)km->max_retries);
			return FAULT_DEAD;
		}
		sched_point(km->td.sched, model_self, "RET_PF_RETRY");
	}
	if (r == -2) {
		km->memory_fault_exits++;
		return FAULT_USER_EXIT;
	}
	if (r == -3) {
		km->no_memslot_exits++;
		return FAULT_NO_MEMSLOT;
	}
	return r ? FAULT_DEAD : FAULT_FIXED;
}

enum kvm_fault_result kvm_model_fault(struct kvm_model *km, uint32_t v, uint64_t page,
				      enum kvm_exit_kind kind)
{
	enum kvm_fault_result r = fault_retrying(km, v, page, kind);

	__atomic_store_n(&km->waits_for_memslot[v], false, __ATOMIC_SEQ_CST);
	return r;
}

/*
 * Kick every vCPU out of the guest (KVM_REQ_OUTSIDE_GUEST_MODE) and, unless
 * @nowait, wait for them: the request has KVM_REQUEST_WAIT, so the IPI is
 * waited for on every vCPU not OUTSIDE_GUEST_MODE.
 */
static bool kick_all(struct kvm_model *km, bool nowait)
{
	uint64_t spins = 0;
	uint32_t v;
	bool in;

	for (v = 0; v < km->td.nr_vcpus; v++)
		km->kick[v] = true;
	km->kicks_sent++;
	if (nowait)
		return !km->dead;
	/* Pairs with the barrier after a vCPU publishes IN_GUEST_MODE. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (;;) {
		/*
		 * The request is acknowledged by every vCPU that was in guest
		 * mode (mid-VP.ENTER included) leaving it: one that re-entered
		 * since has cleared its kick.
		 */
		for (v = 0, in = false; v < km->td.nr_vcpus; v++)
			in |= km->in_guest_mode[v] && km->kick[v];
		if (!in || km->dead)
			return !km->dead;
		if (++spins > km->max_retries) {
			kvm_model_die(km, "hung", "vCPUs did not leave the guest after a kick in %llu steps",
				      (unsigned long long)spins);
			return false;
		}
		sched_point(km->td.sched, model_self, "kick wait");
	}
}

/*
 * One zap SEAMCALL with KVM's BUSY handling: before 6.16 any error is a
 * KVM_BUG_ON; since, BUSY blocks vCPU entry, kicks everyone out and
 * retries exactly once (tdh_do_no_vcpus, docs/tdx-module-and-kvm.md §2.2).
 */
/*
 * One SEAMCALL of the zap: BUSY is retried once with the vCPUs kicked out
 * (6.16 on); any other error, TDX_GPA_RANGE_ALREADY_BLOCKED included, is a
 * KVM_BUG_ON (tdx_sept_zap_private_spte(), arch/x86/kvm/vmx/tdx.c).
 */
static bool zap_step(struct kvm_model *km, const char *name, uint64_t (*fn)(struct kvm_model *, uint64_t),
		     uint64_t page)
{
	uint64_t st = fn(km, page);

	if (st && is_busy(km, st) && km->release != KVM_PRE_6_16) {
		km->wait_for_sept_zap = true;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (kick_all(km, false))
			st = fn(km, page);
		km->wait_for_sept_zap = false;
	}
	if (st)
		bug_on(km, name, st);
	return !km->dead;
}

static uint64_t do_block(struct kvm_model *km, uint64_t page)
{
	return sm_range_block(&km->td, page);
}

static uint64_t do_track(struct kvm_model *km, uint64_t page)
{
	/*
	 * tdx_track(): nothing to track before the TD is RUNNABLE
	 * (docs/tdx-module-and-kvm.md §2.3).
	 */
	if (!km->td.finalized)
		return 0;
	return sm_mem_track(&km->td);
}

/* The end of the zap: TDH.PHYMEM.PAGE.WBINVD of the page, no lock contended. */
static uint64_t do_remove_and_wbinvd(struct kvm_model *km, uint64_t page)
{
	uint64_t st = sm_page_remove(&km->td, page);

	if (!st)
		sched_point(km->td.sched, model_self, "WBINVD");
	return st;
}

/* The zap of one page under mmu_lock for write: BLOCK, TRACK, kick, REMOVE. */
static bool zap_locked(struct kvm_model *km, uint64_t page)
{
	/* Nothing in the mirror EPT, nothing to zap. */
	if (km->td.entry[page].state == SM_FREE)
		return !km->dead;
	km->zaps++;
	return zap_step(km, "TDH_MEM_RANGE_BLOCK", do_block, page) &&
	       zap_step(km, "TDH_MEM_TRACK", do_track, page) &&
	       (!km->td.finalized || kick_all(km, km->track_kick_nowait)) &&
	       zap_step(km, "TDH_MEM_PAGE_REMOVE", do_remove_and_wbinvd, page);
}

/*
 * kvm_mmu_invalidate_begin() for @page and, in the same mmu_lock write
 * hold, the zap of its private mapping when @zap; faults on the page are
 * RET_PF_RETRY until invalidate_end().
 */
static bool invalidate_begin(struct kvm_model *km, uint64_t page, bool zap)
{
	bool ok = true;

	mmu_lock(km, true);
	__atomic_fetch_add(&km->invalidating[page], 1, __ATOMIC_RELEASE);
	if (zap)
		ok = zap_locked(km, page);
	mmu_unlock(km, true);
	return ok;
}

static void invalidate_end(struct kvm_model *km, uint64_t page)
{
	mmu_lock(km, true);
	__atomic_fetch_sub(&km->invalidating[page], 1, __ATOMIC_RELEASE);
	mmu_unlock(km, true);
}

bool kvm_model_zap(struct kvm_model *km, uint64_t page)
{
	/* kvm_gmem_invalidate_begin() zaps... */
	bool ok = invalidate_begin(km, page, true);

	/* ...truncate_inode_pages_range() frees the folio meanwhile... */
	sched_point(km->td.sched, model_self, "truncate");
	/* ...kvm_gmem_invalidate_end(). */
	invalidate_end(km, page);
	return ok && !km->dead;
}

bool kvm_model_set_private(struct kvm_model *km, uint64_t page, bool private)
{
	/* kvm_vm_set_mem_attributes(): the pre-set range zaps what leaves private... */
	bool ok = invalidate_begin(km, page, !private);

	/* ...the attribute is stored... */
	sched_point(km->td.sched, model_self, private ? "attributes: private" : "attributes: shared");
	__atomic_store_n(&km->shared[page], !private, __ATOMIC_RELEASE);
	km->conversions++;
	/* ...and the post-set range ends the invalidation. */
	invalidate_end(km, page);
	return ok && !km->dead;
}

/* A KVM mutex: taken with scheduling points while someone else holds it. */
static void mutex_take(struct kvm_model *km, bool *held, const char *what)
{
	bool ok;

	for (;;) {
		pthread_mutex_lock(&km->td.mu);
		ok = !*held;
		*held = true;
		pthread_mutex_unlock(&km->td.mu);
		if (ok)
			return;
		sched_point(km->td.sched, model_self, what);
	}
}

static void mutex_drop(struct kvm_model *km, bool *held)
{
	pthread_mutex_lock(&km->td.mu);
	*held = false;
	pthread_mutex_unlock(&km->td.mu);
}

/*
 * 6.19's tdx_acquire_vm_state_locks(): kvm->lock, -EBUSY unless
 * created_vcpus == online_vcpus, every vcpu->mutex, kvm->slots_lock.  Every
 * ioctl that takes it holds kvm->lock throughout, so the vcpu mutexes add
 * nothing the model could see.
 */
static int vm_state_lock(struct kvm_model *km)
{
	mutex_take(km, &km->kvm_lock, "kvm->lock wait");
	if (km->created_vcpus != km->online_vcpus) {
		mutex_drop(km, &km->kvm_lock);
		km->build_ebusy++;
		return -EBUSY;
	}
	mutex_take(km, &km->slots_lock, "slots_lock wait");
	return 0;
}

static void vm_state_unlock(struct kvm_model *km)
{
	mutex_drop(km, &km->slots_lock);
	mutex_drop(km, &km->kvm_lock);
}

/*
 * The locks a TD-building ioctl holds: since 6.19 "all" of them
 * (vm_state_lock()), before that kvm->lock and/or kvm->slots_lock as
 * @kvm_lock and @slots_lock say.
 */
struct build_locks {
	bool kvm_lock, slots_lock;	/* before 6.19 */
};

static int build_lock(struct kvm_model *km, struct build_locks l)
{
	if (km->release >= KVM_6_19)
		return vm_state_lock(km);
	if (l.kvm_lock)
		mutex_take(km, &km->kvm_lock, "kvm->lock wait");
	if (l.slots_lock)
		mutex_take(km, &km->slots_lock, "slots_lock wait");
	return 0;
}

static void build_unlock(struct kvm_model *km, struct build_locks l)
{
	if (km->release >= KVM_6_19) {
		vm_state_unlock(km);
		return;
	}
	if (l.slots_lock)
		mutex_drop(km, &km->slots_lock);
	if (l.kvm_lock)
		mutex_drop(km, &km->kvm_lock);
}

/*
 * One TD-building ioctl: @once(@arg) under its locks and, on -EBUSY (from
 * the SEAMCALL or from 6.19's in-flight check), again after a scheduling
 * point, as userspace would.
 */
static int build_ioctl(struct kvm_model *km, struct build_locks l,
		       int (*once)(struct kvm_model *, uint64_t), uint64_t arg)
{
	uint64_t tries = 0;
	int r;

	for (;;) {
		r = build_lock(km, l);
		if (!r) {
			r = once(km, arg);
			build_unlock(km, l);
		}
		if (r != -EBUSY || km->dead || sched_exhausted(km->td.sched) || ++tries > km->max_retries)
			return r;
		sched_point(km->td.sched, model_self, "-EBUSY");
	}
}

int kvm_model_create_vcpu(struct kvm_model *km)
{
	bool refused;

	/* kvm_vm_ioctl_create_vcpu(): counted under kvm->lock... */
	mutex_take(km, &km->kvm_lock, "kvm->lock wait");
	km->created_vcpus++;
	mutex_drop(km, &km->kvm_lock);
	/* ...kvm_arch_vcpu_create() without it: tdx_vcpu_create() wants an INITIALIZED TD... */
	sched_point(km->td.sched, model_self, "kvm_arch_vcpu_create");
	refused = km->td.finalized;
	/* ...and online, or uncounted, under kvm->lock again. */
	mutex_take(km, &km->kvm_lock, "kvm->lock wait");
	if (refused)
		km->created_vcpus--;
	else
		km->online_vcpus++;
	mutex_drop(km, &km->kvm_lock);
	return refused ? -EIO : 0;
}

/*
 * TDCX pages per vCPU: KVM reads the count from the module
 * (kvm_tdx->td.tdcx_nr_pages); the model's is an assumption, which sets
 * only how long VP.CREATE-to-VP.INIT lasts.
 */
#define KVM_MODEL_TDCX_PAGES	4

static int init_vcpu_once(struct kvm_model *km, uint64_t v)
{
	bool since_6_19 = km->release >= KVM_6_19;
	uint64_t st;
	int i;

	if (km->td.finalized) {
		km->init_vcpu_einval++;
		return -EINVAL;
	}
	/* Before 6.19 the state was read unlocked: FINALIZE may run now. */
	if (!since_6_19)
		sched_point(km->td.sched, model_self, "vcpu->mutex");
	/* tdx_td_vcpu_init(): any error of TDH.VP.CREATE is a KVM_BUG_ON. */
	st = sm_vp_create(&km->td, v);
	if (st) {
		bug_on(km, "TDH_VP_CREATE", st);
		return -EIO;
	}
	/* ...and of TDH.VP.ADDCX, once per TDCX page, each a call of its own. */
	for (i = 0; i < KVM_MODEL_TDCX_PAGES; i++) {
		sched_point(km->td.sched, model_self, "next VP.ADDCX");
		st = sm_vp_addcx(&km->td, v);
		if (st) {
			bug_on(km, "TDH_VP_ADDCX", st);
			return -EIO;
		}
	}
	/* 6.19 takes mmu_lock for write around TDH.VP.INIT (§3 bug 9). */
	if (since_6_19)
		mmu_lock(km, true);
	st = sm_vp_init(&km->td, v);
	if (since_6_19)
		mmu_unlock(km, true);
	if (st) {
		bug_on(km, "TDH_VP_INIT", st);
		return -EIO;
	}
	return 0;
}

int kvm_model_init_vcpu(struct kvm_model *km, uint32_t v)
{
	/* Before 6.19: its own vcpu->mutex only, which nobody else takes here. */
	return build_ioctl(km, (struct build_locks){ 0 }, init_vcpu_once, v);
}

/* tdx_gmem_post_populate(): PAGE.ADD, then the page measured 256 bytes at a time. */
static int add_and_measure(struct kvm_model *km, uint64_t page)
{
	uint64_t st;
	int i;

	st = sm_page_add(&km->td, page);
	if (is_busy(km, st))
		return -EBUSY;
	if (st) {
		bug_on(km, "TDH_MEM_PAGE_ADD", st);
		return -EIO;
	}
	for (i = 0; i < SEAM_PAGE_SIZE / TDX_EXTENDMR_CHUNK; i++) {
		/*
		 * Each SEAMCALL is a call of its own: another CPU's
		 * TDH.VP.CREATE may take the TDR between two of them.
		 */
		sched_point(km->td.sched, model_self, "next MR.EXTEND");
		st = sm_mr_extend(&km->td, page);
		if (!st)
			continue;
		/* Since 6.19 a failed extend bugs the VM (§3 bug 15)... */
		if (km->release >= KVM_6_19) {
			bug_on(km, "TDH_MR_EXTEND", st);
		} else {
			char decoded[96];

			/* ...before, the ioctl fails with -EIO and the measurement stays incomplete. */
			tdx_status_decode(st, decoded, sizeof(decoded));
			kvm_model_die(km, "td_build", "KVM_TDX_INIT_MEM_REGION of page %llu: TDH.MR.EXTEND of chunk %d failed: 0x%llx (%s), -EIO; the TD's measurement is incomplete",
				      (unsigned long long)page, i, (unsigned long long)st, decoded);
		}
		return -EIO;
	}
	return 0;
}

static int init_mem_region_once(struct kvm_model *km, uint64_t page)
{
	uint64_t st;

	/* Once the TD is finalized, the initial guest memory is fixed. */
	if (km->td.finalized)
		return -EINVAL;
	/* The premap links the S-EPT page (RET_PF_RETRY on BUSY is retried in the fault). */
	while (!km->td.sept_page[page / SM_PAGES_PER_SEPT] && !km->dead) {
		mmu_lock(km, false);
		st = sm_sept_add(&km->td, page);
		mmu_unlock(km, false);
		if (st && !is_busy(km, st) && st != (TDX_EPT_ENTRY_STATE_INCORRECT | TDX_OPERAND_ID_RCX)) {
			bug_on(km, "TDH_MEM_SEPT_ADD", st);
			return -EIO;
		}
		if (st)
			sched_point(km->td.sched, model_self, "premap RET_PF_RETRY");
	}
	return km->dead ? -EIO : add_and_measure(km, page);
}

int kvm_model_init_mem_region(struct kvm_model *km, uint64_t page)
{
	return build_ioctl(km, (struct build_locks){ .slots_lock = true }, init_mem_region_once, page);
}

static int finalize_once(struct kvm_model *km, uint64_t unused)
{
	uint64_t st;

	if (km->td.finalized)
		return 0;
	if (km->finalize_under_mmu_lock)
		mmu_lock(km, true);
	st = sm_mr_finalize(&km->td);
	if (km->finalize_under_mmu_lock)
		mmu_unlock(km, true);
	/* tdx_td_finalize(): BUSY is -EBUSY to userspace, anything else a KVM_BUG_ON. */
	if (is_busy(km, st))
		return -EBUSY;
	if (st) {
		bug_on(km, "TDH_MR_FINALIZE", st);
		return -EIO;
	}
	return 0;
}

bool kvm_model_finalize(struct kvm_model *km)
{
	build_ioctl(km, (struct build_locks){ .kvm_lock = true, .slots_lock = true }, finalize_once, 0);
	return !km->dead;
}

/*
 * How many times in a row synchronize_srcu() finds the wait-for cycle
 * before it is a deadlock: long enough that a vCPU with a way out (a
 * signal, an event) has taken it, which a wait-for cycle alone does not
 * show.
 */
#define SRCU_DEADLOCK_CHECKS	100

/*
 * synchronize_srcu(&kvm->srcu) of the memslot swap: waits for every vCPU
 * that was inside a read section when it began to have left it.  A vCPU
 * it waits for that retries locally a fault on the INVALID memslot waits
 * in turn for this deletion: the cycle, checked at every step.
 */
static bool synchronize_srcu(struct kvm_model *km, const char *swap)
{
	uint64_t unlocks[SM_MAX_VCPUS], spins = 0, cycle = 0;
	bool before[SM_MAX_VCPUS], waiting;
	struct seam_finding *f;
	int64_t blocker;
	uint32_t v;

	for (v = 0; v < km->td.nr_vcpus; v++) {
		before[v] = __atomic_load_n(&km->srcu_reader[v], __ATOMIC_SEQ_CST);
		unlocks[v] = __atomic_load_n(&km->srcu_unlocks[v], __ATOMIC_SEQ_CST);
	}
	for (;;) {
		waiting = false;
		blocker = -1;
		for (v = 0; v < km->td.nr_vcpus; v++) {
			if (!before[v] || !__atomic_load_n(&km->srcu_reader[v], __ATOMIC_SEQ_CST) ||
			    __atomic_load_n(&km->srcu_unlocks[v], __ATOMIC_SEQ_CST) != unlocks[v])
				continue;
			waiting = true;
			/*
			 * The cycle: the vCPU's last local retry saw the slot
			 * INVALID, it still is (this deletion keeps it so), and
			 * no signal would end the retry.
			 */
			if (__atomic_load_n(&km->waits_for_memslot[v], __ATOMIC_SEQ_CST) &&
			    __atomic_load_n(&km->memslot, __ATOMIC_SEQ_CST) == MEMSLOT_INVALID &&
			    !__atomic_load_n(&km->signal[v], __ATOMIC_SEQ_CST))
				blocker = v;
		}
		if (!waiting)
			return true;
		if (km->dead || sched_exhausted(km->td.sched))
			return false;
		cycle = blocker >= 0 ? cycle + 1 : 0;
		if (cycle >= SRCU_DEADLOCK_CHECKS) {
			f = kvm_model_die(km, "deadlock",
					  "memslot deletion's synchronize_srcu() (%s) waits for vCPU %lld's SRCU read section, and vCPU %lld retries locally a fault on the INVALID memslot, which only the deletion's end would change: a wait-for cycle, %llu checks in a row",
					  swap, (long long)blocker, (long long)blocker, (unsigned long long)cycle);
			if (f) {
				finding_u64(f, "vcpu", blocker);
				finding_u64(f, "checks", cycle);
				finding_u64(f, "local_retries", km->local_retries);
			}
			return false;
		}
		if (++spins > km->max_retries) {
			kvm_model_die(km, "hung", "synchronize_srcu() (%s) waited %llu steps for the vCPUs' SRCU read sections",
				      swap, (unsigned long long)spins);
			return false;
		}
		sched_point(km->td.sched, model_self, "synchronize_srcu");
	}
}

bool kvm_model_move_memslot(struct kvm_model *km)
{
	uint64_t page;
	bool ok;

	mutex_take(km, &km->slots_lock, "slots_lock wait");
	/* kvm_invalidate_memslot(): the INVALID copy is made the active one... */
	__atomic_store_n(&km->memslot, MEMSLOT_INVALID, __ATOMIC_SEQ_CST);
	sched_point(km->td.sched, model_self, "memslot INVALID");
	/* ...kvm_swap_active_memslots() waits for the old one's readers... */
	ok = synchronize_srcu(km, "INVALID swap");
	/* ...and kvm_arch_flush_shadow_memslot() zaps the slot's mappings. */
	if (ok) {
		mmu_lock(km, true);
		for (page = 0; page < km->td.nr_pages && ok; page++)
			ok = zap_locked(km, page);
		mmu_unlock(km, true);
	}
	/* kvm_delete_memslot(): the slot leaves the active set, another grace period. */
	if (ok) {
		__atomic_store_n(&km->memslot, MEMSLOT_DELETED, __ATOMIC_SEQ_CST);
		sched_point(km->td.sched, model_self, "memslot deleted");
		ok = synchronize_srcu(km, "deletion swap");
	}
	/* KVM_MR_CREATE of the same range: faults map it anew. */
	if (ok) {
		__atomic_store_n(&km->memslot, MEMSLOT_VALID, __ATOMIC_SEQ_CST);
		km->memslot_deletions++;
	}
	mutex_drop(km, &km->slots_lock);
	return ok && !km->dead;
}

/*
 * A fault and, when it ends in KVM_EXIT_MEMORY_FAULT, the model's
 * userspace: it converts the page as the exit asks (lib/flavor/td_exit.c) before
 * KVM_RUN again.
 */
static enum kvm_fault_result fault_and_userspace(struct kvm_model *km, uint32_t v, uint64_t page,
						 enum kvm_exit_kind kind)
{
	enum kvm_fault_result r = kvm_model_fault(km, v, page, kind);

	if (r != FAULT_USER_EXIT && r != FAULT_NO_MEMSLOT)
		return r;
	/* KVM_RUN returned: out of the SRCU read section. */
	kvm_model_return_to_user(km, v);
	/*
	 * Yan Zhao's selftest (docs/tdx-module-and-kvm.md §3 bug 7): a VMM
	 * that runs the vCPU again unconverted sends it back to the same RIP,
	 * and the same exit, every time.
	 */
	if (r == FAULT_USER_EXIT && km->ignore_memory_fault)
		return FAULT_REENTER;
	if (r == FAULT_USER_EXIT)
		return kvm_model_set_private(km, page, true) ? FAULT_REENTER : FAULT_DEAD;
	/* The model's VMM runs the vCPU again once the memslot is back. */
	while (__atomic_load_n(&km->memslot, __ATOMIC_ACQUIRE) != MEMSLOT_VALID &&
	       !km->dead && !km->stop && !sched_exhausted(km->td.sched))
		sched_point(km->td.sched, model_self, "wait for the memslot");
	return km->dead ? FAULT_DEAD : FAULT_REENTER;
}

enum kvm_fault_result kvm_model_exit(struct kvm_model *km, uint32_t v, uint64_t rip,
				     enum kvm_exit_kind kind, uint64_t page)
{
	/*
	 * Only EPT violations the CPU raised feed the zero-step counter
	 * (docs/tdx-module-and-kvm.md §1.4).
	 */
	sm_td_exit(&km->td, v, rip, kind == EXIT_EPT || kind == EXIT_EPT_PENDING ? (int64_t)page : -1);
	if (km->uret_neighbour && v == 0) {
		pthread_mutex_lock(&km->td.mu);
		uret_td_exit(&km->uret);
		pthread_mutex_unlock(&km->td.mu);
	}
	km->in_guest_mode[v] = false;
	/* vcpu_enter_guest() takes kvm->srcu again after the exit. */
	srcu_read_lock(km, v);
	if (kind == EXIT_OTHER)
		return km->dead ? FAULT_DEAD : FAULT_FIXED;
	return fault_and_userspace(km, v, page, kind);
}

bool kvm_model_enter(struct kvm_model *km, uint32_t v, uint64_t rip)
{
	uint64_t spins = 0, synthesized = 0, pending_streak = 0;
	struct sm_enter e;

	for (;;) {
		/* vcpu_enter_guest() leaves kvm->srcu around each entry, a refused one too. */
		srcu_read_unlock(km, v);
		/*
		 * The run's end (the seeded scheduler's step budget, real
		 * threads' clock) ends it here too: a VMM that re-runs every
		 * exit would otherwise never return.
		 */
		if (km->dead || km->stop || sched_exhausted(km->td.sched))
			return false;
		/*
		 * While a zap waits for vCPUs to stay out, KVM does not enter; and
		 * no vCPU runs before the TD is RUNNABLE, i.e. all are initialized.
		 */
		if (km->wait_for_sept_zap || !km->td.finalized) {
			srcu_read_lock(km, v);
			sched_point(km->td.sched, model_self, "no entry");
			continue;
		}
		km->kick[v] = false;
		km->signal[v] = false;
		km->in_guest_mode[v] = true;
		/*
		 * Re-check after publishing the mode, as vcpu_enter_guest() does;
		 * the full barrier pairs with the one in kick_all().
		 */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (km->wait_for_sept_zap) {
			km->in_guest_mode[v] = false;
			srcu_read_lock(km, v);
			continue;
		}
		if (km->uret_neighbour && v == 0) {
			pthread_mutex_lock(&km->td.mu);
			uret_td_vp_enter(&km->uret, true, false);
			pthread_mutex_unlock(&km->td.mu);
		}
		e = sm_vp_enter(&km->td, v, rip);
		if (km->uret_neighbour && v == 0) {
			pthread_mutex_lock(&km->td.mu);
			uret_td_vp_enter(&km->uret, false, !e.status);
			pthread_mutex_unlock(&km->td.mu);
		}
		if (!e.status)
			return true;
		km->in_guest_mode[v] = false;
		srcu_read_lock(km, v);
		if (e.synthesized) {
			uint64_t returns = km->user_returns[v];

			/* An EPT violation the module made up: KVM handles it as one. */
			if (fault_and_userspace(km, v, e.gpa, EXIT_EPT) == FAULT_DEAD)
				return false;
			synthesized++;
			/*
			 * KVM_RUN returned to userspace on the way: KVM's own loop
			 * ended there, whatever the VMM does next.
			 */
			if (km->user_returns[v] != returns)
				spins = pending_streak = 0;
			if (km->td.entry[e.gpa].state == SM_PENDING)
				pending_streak++;
			else
				pending_streak = 0;
		} else {
			/* BUSY from VP.ENTER: exit reason -1, back to the fastpath. */
			km->enter_busy++;
			if (pending_streak)
				pending_streak++;
		}
		/*
		 * For the latter half of the tries at least, every made-up exit
		 * left its page PENDING and the other tries were BUSY: only the
		 * guest's ACCEPT would end it, and the guest never runs.  (What
		 * came before, a memslot being deleted say, may have kept the
		 * page unmapped instead.)
		 */
		if (++spins > km->max_retries && pending_streak > km->max_retries / 2) {
			kvm_model_die(km, "zero_step",
				      "livelock: vCPU %u is armed and its listed page %llu is PENDING: the last %llu of %llu tries synthesized EPT-violation exits that left their page PENDING or BUSY, never entering the guest, whose ACCEPT alone would end it",
				      v, (unsigned long long)e.gpa, (unsigned long long)pending_streak,
				      (unsigned long long)spins);
			return false;
		}
		if (spins > km->max_retries) {
			kvm_model_die(km, "hung", "vCPU %u could not enter for %llu tries",
				      v, (unsigned long long)spins);
			return false;
		}
		sched_point(km->td.sched, model_self, "re-enter");
	}
}

bool kvm_model_vmx_neighbour_run(struct kvm_model *km, bool to_user)
{
	struct seam_finding *f;
	uint64_t hw;

	/* CPU 0 is the TD vCPU's while it has preemption off. */
	for (;;) {
		if (km->dead || km->stop || sched_exhausted(km->td.sched))
			return false;
		pthread_mutex_lock(&km->td.mu);
		if (!km->uret.td_pinned)
			break;
		pthread_mutex_unlock(&km->td.mu);
		sched_point(km->td.sched, model_self, "CPU 0 runs the TD");
	}
	/* vmx_prepare_switch_to_guest(): its guest's values, then VM entry. */
	uret_load(&km->uret, URET_VMX_VCPU);
	uret_set(&km->uret, URET_VMX_GUEST);
	hw = km->uret.hw;
	pthread_mutex_unlock(&km->td.mu);
	if (hw != URET_VMX_GUEST) {
		f = kvm_model_die(km, "uret_msr",
				  "the neighbour VM's vCPU entered its guest on CPU 0 with TSC_AUX 0x%llx, not its 0x%x: KVM's user-return cache said it was loaded",
				  (unsigned long long)hw, URET_VMX_GUEST);
		if (f)
			finding_u64(f, "hw", hw);
		return false;
	}
	sched_point(km->td.sched, model_self, "VMX guest runs");
	return !to_user || uret_returned(km, "the neighbour VM's vCPU");
}

void kvm_model_report(struct kvm_model *km)
{
	static const int leaves[] = {
		TDH_MEM_SEPT_ADD, TDH_MEM_PAGE_AUG, TDH_MEM_RANGE_BLOCK, TDH_MEM_TRACK,
		TDH_MEM_PAGE_REMOVE, TDH_VP_CREATE, TDH_VP_ADDCX, TDH_VP_INIT, TDH_MEM_PAGE_ADD, TDH_MR_EXTEND,
		TDH_MR_FINALIZE, TDH_VP_ENTER, SM_BUSY_GUEST_ACCEPT,
	};
	struct seam_report *r = km->report;
	char sec[64];
	size_t i;
	int o;

	report_counter(r, "faults", km->faults);
	report_counter(r, "reentries_on_retry", km->reentries);
	report_counter(r, "local_retries", km->local_retries);
	report_counter(r, "spurious_faults", km->spurious_faults);
	report_counter(r, "zaps", km->zaps);
	report_counter(r, "kicks", km->kicks_sent);
	report_counter(r, "vp_enter_busy_exits", km->enter_busy);
	report_counter(r, "synthesized_ept_exits", km->td.synthesized);
	report_counter(r, "memory_fault_exits", km->memory_fault_exits);
	report_counter(r, "conversions", km->conversions);
	report_counter(r, "td_build_ebusy", km->build_ebusy);
	report_counter(r, "init_vcpu_einval", km->init_vcpu_einval);
	report_counter(r, "memslot_deletions", km->memslot_deletions);
	report_counter(r, "memslot_invalid_breaks", km->memslot_breaks);
	report_counter(r, "no_memslot_exits", km->no_memslot_exits);
	report_counter(r, "mr_extends", km->td.extended);
	report_counter(r, "zero_step_armed", km->td.armed);
	report_counter(r, "track_prev_epoch_busy", km->td.track_prev_epoch_busy);
	report_counter(r, "model_steps", sched_steps(km->td.sched));
	for (i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
		snprintf(sec, sizeof(sec), "seamcall_busy.%s", sm_leaf_name(leaves[i]));
		for (o = 0; o < NR_SM_BUSY_LOCKS; o++) {
			if (!km->td.busy[leaves[i]][o])
				continue;
			report_section_u64(r, sec, sm_busy_lock_name[o], km->td.busy[leaves[i]][o]);
		}
	}
}
