// SPDX-License-Identifier: GPL-2.0
/*
 * The software TDX module (include/seam_model.h).  Each SEAMCALL is two
 * atomic steps around a scheduling point: acquire (try-locks; a failure is
 * the BUSY status at once) and act-and-release.  Statuses and operand ids
 * are those of docs/tdx-module-and-kvm.md §1.2; lock modes per SEAMCALL are
 * the table of docs/tdx-module-and-kvm.md §1.3.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_sched.h"
#include "seam_model.h"
#include "tdx_abi.h"
#include "watchdog.h"

void sm_td_init(struct sm_td *td, uint64_t nr_pages, uint32_t nr_vcpus)
{
	memset(td, 0, sizeof(*td));
	pthread_mutex_init(&td->mu, NULL);
	td->nr_pages = nr_pages;
	td->nr_vcpus = nr_vcpus;
	td->entry = calloc(nr_pages, sizeof(*td->entry));
	td->sept_page = calloc(nr_pages / SM_PAGES_PER_SEPT + 1, sizeof(*td->sept_page));
	td->sept_parent = calloc(nr_pages / SM_PAGES_PER_SEPT + 1, sizeof(*td->sept_parent));
	td->hp_timeout_ns = 1000000000ULL;
	td->hp_timeout_tries = 1000;
	td->sept_ve_disable = true;
	td->epoch = 1;		/* as TDH.MNG.INIT sets it */
}

void sm_td_free(struct sm_td *td)
{
	free(td->entry);
	free(td->sept_page);
	free(td->sept_parent);
}

/* The first three locks are named by one operand id; the TDR by its register. */
const char *const sm_busy_lock_name[NR_SM_BUSY_LOCKS] = {
	[SM_BUSY_SEPT] = "0x92 SEPT",
	[SM_BUSY_ENTRY] = "0x1 RCX (S-EPT entry)",
	[SM_BUSY_EPOCH] = "0xa9 TD_EPOCH",
	[SM_BUSY_TDR] = "TDR (RDX, RCX or 0x80, by SEAMCALL)",
};


const char *sm_leaf_name(int leaf)
{
	switch (leaf) {
	case TDH_MEM_SEPT_ADD:
		return "TDH_MEM_SEPT_ADD";
	case TDH_MEM_PAGE_AUG:
		return "TDH_MEM_PAGE_AUG";
	case TDH_MEM_RANGE_BLOCK:
		return "TDH_MEM_RANGE_BLOCK";
	case TDH_MEM_TRACK:
		return "TDH_MEM_TRACK";
	case TDH_MEM_PAGE_REMOVE:
		return "TDH_MEM_PAGE_REMOVE";
	case TDH_VP_INIT:
		return "TDH_VP_INIT";
	case TDH_MR_FINALIZE:
		return "TDH_MR_FINALIZE";
	case TDH_VP_CREATE:
		return "TDH_VP_CREATE";
	case TDH_VP_ADDCX:
		return "TDH_VP_ADDCX";
	case TDH_MEM_PAGE_ADD:
		return "TDH_MEM_PAGE_ADD";
	case TDH_MR_EXTEND:
		return "TDH_MR_EXTEND";
	case TDH_VP_ENTER:
		return "TDH_VP_ENTER";
	case SM_BUSY_GUEST_ACCEPT:
		return "TDG_MEM_PAGE_ACCEPT (guest)";
	default:
		return "?";
	}
}

/* sharex_lock (docs/tdx-module-and-kvm.md §1.3): no host priority. */
static bool sx_try(struct sm_sharex *l, bool excl)
{
	if (excl) {
		if (l->excl || l->readers)
			return false;
		l->excl = true;
	} else {
		if (l->excl)
			return false;
		l->readers++;
	}
	return true;
}

static void sx_release(struct sm_sharex *l, bool excl)
{
	if (excl)
		l->excl = false;
	else
		l->readers--;
}

/* sharex_hp_lock, host side: a failure sets HOST_PRIORITY, a success clears it. */
static bool hp_host_try(struct sm_hp_lock *l, bool excl)
{
	l->hp = !sx_try(&l->sx, excl);
	return !l->hp;
}

static void hp_release(struct sm_hp_lock *l, bool excl)
{
	sx_release(&l->sx, excl);
}

/* S-EPT entry lock, host side (docs/tdx-module-and-kvm.md §1.3: TDEL/TDHP). */
static bool entry_host_try(struct sm_td *td, struct sm_entry *e, int leaf)
{
	if (e->locked) {
		e->hp = true;
		e->hp_leaf = leaf;
		e->hp_step = sched_steps(td->sched);
		return false;
	}
	e->locked = true;
	e->hp = false;
	return true;
}

/* BUSY on @lock, as the status names it: @operand. */
static uint64_t busy(struct sm_td *td, int leaf, enum sm_busy_lock lock, uint64_t operand)
{
	td->busy[leaf][lock]++;
	return TDX_OPERAND_BUSY | operand;
}

/*
 * A busy TDR names the register that held it: RDX for SEPT.ADD, AUG,
 * RANGE.BLOCK, PAGE.REMOVE, PAGE.ADD, VP.CREATE and MR.EXTEND, RCX for TRACK and MR.FINALIZE
 * (check_lock_and_map_explicit_tdr() in each tdh_*.c); the TDR's own id
 * where it is implicit, VP.INIT and VP.ENTER (lock_and_map_implicit_tdr()).
 */
static uint64_t tdr_operand(int leaf)
{
	switch (leaf) {
	case TDH_MEM_SEPT_ADD:
	case TDH_MEM_PAGE_AUG:
	case TDH_MEM_RANGE_BLOCK:
	case TDH_MEM_PAGE_REMOVE:
	case TDH_MEM_PAGE_ADD:
	case TDH_VP_CREATE:
	case TDH_MR_EXTEND:
		return TDX_OPERAND_ID_RDX;
	case TDH_MEM_TRACK:
	case TDH_MR_FINALIZE:
		return TDX_OPERAND_ID_RCX;
	default:
		return TDX_OPERAND_ID_TDR;
	}
}

/* TDR sh, then SEPT in @sept_excl mode, then entry @e (if any). */
static uint64_t acquire_mem(struct sm_td *td, int leaf, bool sept_excl, struct sm_entry *e)
{
	if (!hp_host_try(&td->tdr, false))
		return busy(td, leaf, SM_BUSY_TDR, tdr_operand(leaf));
	if (!sx_try(&td->sept, sept_excl)) {
		hp_release(&td->tdr, false);
		return busy(td, leaf, SM_BUSY_SEPT, TDX_OPERAND_ID_SEPT);
	}
	if (e && !entry_host_try(td, e, leaf)) {
		sx_release(&td->sept, sept_excl);
		hp_release(&td->tdr, false);
		return busy(td, leaf, SM_BUSY_ENTRY, TDX_OPERAND_ID_RCX);
	}
	return 0;
}

static void release_mem(struct sm_td *td, bool sept_excl, struct sm_entry *e)
{
	if (e)
		e->locked = false;
	sx_release(&td->sept, sept_excl);
	hp_release(&td->tdr, false);
}

/*
 * The SEAMCALL pattern: acquire (entry @e, NULL for none), a scheduling
 * point, act and release; @page names it in the scheduler's trail.
 */
#define SEAMCALL(td, leaf, name, page, e, sept_excl, act)			\
({										\
	uint64_t __st;								\
	char __what[40];							\
										\
	pthread_mutex_lock(&(td)->mu);						\
	__st = acquire_mem(td, leaf, sept_excl, e);				\
	pthread_mutex_unlock(&(td)->mu);					\
	if (!__st) {								\
		snprintf(__what, sizeof(__what), "%s(%lld)", name, (long long)(page)); \
		sched_point(td->sched, model_self, __what);			\
		pthread_mutex_lock(&(td)->mu);					\
		__st = act;							\
		release_mem(td, sept_excl, e);					\
		pthread_mutex_unlock(&(td)->mu);				\
	}									\
	__st;									\
})

static uint64_t do_sept_add(struct sm_td *td, uint64_t page)
{
	bool *present = &td->sept_page[page / SM_PAGES_PER_SEPT];

	/* The parent already points to one, and KVM never sets allow_existing. */
	if (*present)
		return TDX_EPT_ENTRY_STATE_INCORRECT | TDX_OPERAND_ID_RCX;
	*present = true;
	return 0;
}

uint64_t sm_sept_add(struct sm_td *td, uint64_t page)
{
	/* The parent entry that will point to the new S-EPT page, not a leaf. */
	return SEAMCALL(td, TDH_MEM_SEPT_ADD, "SEPT.ADD", page,
			&td->sept_parent[page / SM_PAGES_PER_SEPT], false, do_sept_add(td, page));
}

/*
 * The walk to a leaf that AUG and PAGE.ADD map: its S-EPT page must exist
 * and sept_state_is_seamcall_leaf_allowed() wants it FREE
 * (tdh_mem_page_aug.c, tdh_mem_page_add.c).
 */
static uint64_t free_leaf(const struct sm_td *td, uint64_t page)
{
	if (!td->sept_page[page / SM_PAGES_PER_SEPT])
		return TDX_EPT_WALK_FAILED | TDX_OPERAND_ID_RCX;
	if (td->entry[page].state != SM_FREE)
		return TDX_EPT_ENTRY_STATE_INCORRECT | TDX_OPERAND_ID_RCX;
	return 0;
}

static uint64_t do_aug(struct sm_td *td, uint64_t page)
{
	uint64_t st = free_leaf(td, page);

	if (!st)
		td->entry[page].state = SM_PENDING;
	return st;
}

uint64_t sm_page_aug(struct sm_td *td, uint64_t page)
{
	return SEAMCALL(td, TDH_MEM_PAGE_AUG, "AUG", page, &td->entry[page], false, do_aug(td, page));
}

static uint64_t do_block(struct sm_td *td, uint64_t page)
{
	struct sm_entry *e = &td->entry[page];

	/* tdh_mem_range_block.c: blocked, or any other state it does not allow. */
	if (e->state == SM_BLOCKED)
		return TDX_GPA_RANGE_ALREADY_BLOCKED | TDX_OPERAND_ID_RCX;
	if (e->state == SM_FREE)
		return TDX_EPT_ENTRY_STATE_INCORRECT | TDX_OPERAND_ID_RCX;
	e->before_block = e->state;
	e->state = SM_BLOCKED;
	e->bepoch = td->epoch;
	return 0;
}

uint64_t sm_range_block(struct sm_td *td, uint64_t page)
{
	/* BLOCK takes the S-EPT tree exclusively (docs/tdx-module-and-kvm.md §1.3). */
	return SEAMCALL(td, TDH_MEM_RANGE_BLOCK, "BLOCK", page, &td->entry[page], true,
			do_block(td, page));
}

bool sm_tracked(const struct sm_td *td, uint64_t page)
{
	uint64_t b = td->entry[page].bepoch;

	return b + 1 < td->epoch ||
	       (b + 1 == td->epoch && !td->refcount[(td->epoch - 1) & 1]);
}

uint64_t sm_mem_track(struct sm_td *td)
{
	uint64_t st = 0;

	pthread_mutex_lock(&td->mu);
	if (!hp_host_try(&td->tdr, false)) {
		st = busy(td, TDH_MEM_TRACK, SM_BUSY_TDR, tdr_operand(TDH_MEM_TRACK));
	} else if (!sx_try(&td->epoch_lock, true)) {
		hp_release(&td->tdr, false);
		st = busy(td, TDH_MEM_TRACK, SM_BUSY_EPOCH, TDX_OPERAND_ID_TD_EPOCH);
	}
	pthread_mutex_unlock(&td->mu);
	if (st)
		return st;
	sched_point(td->sched, model_self, "TRACK");
	pthread_mutex_lock(&td->mu);
	/* The slot the new epoch reuses must be empty (docs/tdx-module-and-kvm.md §1.3). */
	if (td->refcount[(td->epoch + 1) & 1]) {
		st = TDX_PREVIOUS_TLB_EPOCH_BUSY;
		td->track_prev_epoch_busy++;
	} else
		td->epoch++;
	sx_release(&td->epoch_lock, true);
	hp_release(&td->tdr, false);
	pthread_mutex_unlock(&td->mu);
	return st;
}

static uint64_t do_remove(struct sm_td *td, uint64_t page)
{
	struct sm_entry *e = &td->entry[page];

	/* Only a TD that may run needs its page blocked and tracked. */
	if (td->finalized && e->state != SM_BLOCKED)
		return TDX_GPA_RANGE_NOT_BLOCKED;
	if (td->finalized && !sm_tracked(td, page))
		return TDX_TLB_TRACKING_NOT_DONE | TDX_OPERAND_ID_RCX;
	e->state = SM_FREE;
	return 0;
}

uint64_t sm_page_remove(struct sm_td *td, uint64_t page)
{
	return SEAMCALL(td, TDH_MEM_PAGE_REMOVE, "REMOVE", page, &td->entry[page], false,
			do_remove(td, page));
}

/*
 * The op-state rule (seamcall_state_lookup[] of op_state_lookup.c, checked
 * by check_any_td_state_map_tdcs_and_lock() in helpers.c after the TDR is
 * locked, so a busy TDR wins): the TD-building SEAMCALLs only while the TD
 * is INITIALIZED, TDH.VP.ENTER only once it is RUNNABLE.  The memory
 * SEAMCALLs the model issues (SEPT.ADD, AUG, BLOCK, TRACK, REMOVE) are
 * allowed in both.
 */
static bool op_state_allows(const struct sm_td *td, int leaf)
{
	switch (leaf) {
	case TDH_MEM_PAGE_ADD:
	case TDH_VP_CREATE:
	case TDH_MR_EXTEND:
	case TDH_MR_FINALIZE:
	case TDH_VP_INIT:
		return !td->finalized;
	case TDH_VP_ENTER:
		return td->finalized;
	default:
		return true;
	}
}

/*
 * A SEAMCALL that locks only the TDR, in @excl mode, checks the op-state,
 * then, after a scheduling point, runs @act.
 */
static uint64_t tdr_call(struct sm_td *td, int leaf, const char *name, bool excl,
			 uint64_t (*act)(struct sm_td *, uint64_t), uint64_t arg)
{
	char what[40];
	uint64_t st = 0;

	pthread_mutex_lock(&td->mu);
	if (!hp_host_try(&td->tdr, excl))
		st = busy(td, leaf, SM_BUSY_TDR, tdr_operand(leaf));
	else if (!op_state_allows(td, leaf)) {
		hp_release(&td->tdr, excl);
		st = TDX_OP_STATE_INCORRECT;
	}
	pthread_mutex_unlock(&td->mu);
	if (st)
		return st;
	snprintf(what, sizeof(what), "%s(%lld)", name, (long long)arg);
	sched_point(td->sched, model_self, what);
	pthread_mutex_lock(&td->mu);
	st = act(td, arg);
	hp_release(&td->tdr, excl);
	pthread_mutex_unlock(&td->mu);
	return st;
}

static uint64_t vp_create_act(struct sm_td *td, uint64_t vcpu)
{
	td->vcpu[vcpu].created = true;
	return 0;
}

uint64_t sm_vp_create(struct sm_td *td, uint32_t vcpu)
{
	/* The TDR shared, in RDX (tdh_vp_create.c). */
	return tdr_call(td, TDH_VP_CREATE, "VP.CREATE", false, vp_create_act, vcpu);
}

static uint64_t vp_addcx_act(struct sm_td *td, uint64_t vcpu)
{
	/* Only a vCPU not yet VP.INIT'd takes TDCX pages (tdh_vp_addcx.c). */
	if (td->vcpu[vcpu].initialized)
		return TDX_VCPU_STATE_INCORRECT;
	td->vcpu[vcpu].tdcx_pages++;
	return 0;
}

uint64_t sm_vp_addcx(struct sm_td *td, uint32_t vcpu)
{
	/*
	 * The vCPU's TDVPR exclusive (its own, uncontended here), then its
	 * owner TDR shared, implicit, so a busy one is BUSY|TDR
	 * (tdh_vp_addcx.c).  Its op-state row of seamcall_state_lookup[] was
	 * not checked: KVM issues it only between VP.CREATE and VP.INIT,
	 * before FINALIZE, and the model lets the op-state through.
	 */
	return tdr_call(td, TDH_VP_ADDCX, "VP.ADDCX", false, vp_addcx_act, vcpu);
}

static uint64_t vp_init_act(struct sm_td *td, uint64_t vcpu)
{
	/* TDCS.NUM_VCPUS counts the VP.INIT'd vCPUs (tdh_vp_init.c). */
	if (!td->vcpu[vcpu].initialized)
		td->num_vcpus++;
	td->vcpu[vcpu].initialized = true;
	return 0;
}

uint64_t sm_vp_init(struct sm_td *td, uint32_t vcpu)
{
	/* Version 1 takes the TDR exclusively (docs/tdx-module-and-kvm.md §1.3, §3 bug 9). */
	return tdr_call(td, TDH_VP_INIT, "VP.INIT", true, vp_init_act, vcpu);
}

static uint64_t page_add_act(struct sm_td *td, uint64_t page)
{
	uint64_t st = free_leaf(td, page);

	/* An image page is MAPPED at once: it needs no ACCEPT. */
	if (!st)
		td->entry[page].state = SM_MAPPED;
	return st;
}

uint64_t sm_page_add(struct sm_td *td, uint64_t page)
{
	/* The TDR exclusive, in RDX (tdh_mem_page_add.c). */
	return tdr_call(td, TDH_MEM_PAGE_ADD, "PAGE.ADD", true, page_add_act, page);
}

static uint64_t mr_extend_act(struct sm_td *td, uint64_t page)
{
	/* sept_state_is_seamcall_leaf_allowed(): the page must be MAPPED (tdh_mr_extend.c). */
	if (td->entry[page].state != SM_MAPPED)
		return TDX_EPT_ENTRY_NOT_PRESENT;
	td->extended++;
	return 0;
}

uint64_t sm_mr_extend(struct sm_td *td, uint64_t page)
{
	/* The TDR exclusive, in RDX; the tree is locked by that (tdh_mr_extend.c). */
	return tdr_call(td, TDH_MR_EXTEND, "MR.EXTEND", true, mr_extend_act, page);
}

static uint64_t finalize_act(struct sm_td *td, uint64_t unused)
{
	if (!td->num_vcpus)
		return TDX_NO_VCPUS;	/* tdh_mr_finalize.c */
	td->finalized = true;	/* OP_STATE RUNNABLE */
	return 0;
}

uint64_t sm_mr_finalize(struct sm_td *td)
{
	/* MR.FINALIZE takes the TDR exclusively, in RCX (docs/tdx-module-and-kvm.md §1.3). */
	return tdr_call(td, TDH_MR_FINALIZE, "MR.FINALIZE", true, finalize_act, 0);
}

/*
 * is_epf_expected() (td_exit_stepping.c): the walk fails other than by a
 * convertible violation.  Every S-EPT leaf is written with suppress-#VE set
 * (sept_set_leaf_no_lock_internal(), sept_manager.c), so no entry is
 * convertible: FREE, BLOCKED and PENDING all fault, whatever SEPT_VE_DISABLE
 * says (the #VE on a PENDING page is the module's own, on an access).
 */
static bool would_fault(const struct sm_td *td, uint64_t page)
{
	enum sm_entry_state s = td->entry[page].state;

	return s == SM_FREE || s == SM_BLOCKED || s == SM_PENDING;
}

/*
 * vmexit_stepping_filter(), on every exit into the module: forward
 * progress since the last entry resets the stepping state.
 */
static void stepping_progress(struct sm_vcpu *v, uint64_t rip)
{
	if (rip != v->entry_rip) {
		v->zs_counter = 0;
		v->zs_nr = 0;
	}
}

/*
 * td_entry_stepping_filter(), with td->mu held: note the entry RIP; with
 * GPAs on the list take the tree lock exclusively and, if one of them
 * would still fault, make up its EPT violation instead of entering.
 */
static struct sm_enter entry_filter(struct sm_td *td, struct sm_vcpu *v, uint64_t rip,
				    bool *sept_held)
{
	struct sm_enter r = { 0 };
	uint32_t i;

	v->entry_rip = rip;
	if (!v->zs_nr)
		return r;
	if (!sx_try(&td->sept, true)) {
		td->enter_busy++;
		r.status = busy(td, TDH_VP_ENTER, SM_BUSY_SEPT, TDX_OPERAND_ID_SEPT);
		return r;
	}
	for (i = 0; i < v->zs_nr; i++) {
		if (!would_fault(td, v->zs_list[i]))
			continue;
		/* No entry: an EPT violation made up, qual 0x2, EEQ 0. */
		sx_release(&td->sept, true);
		r.synthesized = true;
		r.gpa = v->zs_list[i];
		r.status = TDX_OPERAND_BUSY;	/* not run; see .synthesized */
		td->synthesized++;
		return r;
	}
	*sept_held = true;
	return r;
}

/*
 * TDH.VP.ENTER (tdh_vp_enter.c): the TDR shared, held until the TD exits;
 * the epoch lock shared only to join the epoch's refcount
 * (adjust_tlb_tracking_state()), released before the stepping filter; then
 * the filter, which may take the tree exclusively.  A refused entry leaves
 * the epoch and the TDR as a TD exit would (inferred: the module's own
 * paths are not modelled one by one).
 */
struct sm_enter sm_vp_enter(struct sm_td *td, uint32_t vcpu, uint64_t rip)
{
	struct sm_vcpu *v = &td->vcpu[vcpu];
	struct sm_enter r = { 0 };
	bool sept_held = false;

	pthread_mutex_lock(&td->mu);
	if (!hp_host_try(&td->tdr, false)) {
		r.status = busy(td, TDH_VP_ENTER, SM_BUSY_TDR, tdr_operand(TDH_VP_ENTER));
	} else if (!op_state_allows(td, TDH_VP_ENTER)) {
		hp_release(&td->tdr, false);
		r.status = TDX_OP_STATE_INCORRECT;
	} else if (!sx_try(&td->epoch_lock, false)) {
		hp_release(&td->tdr, false);
		r.status = busy(td, TDH_VP_ENTER, SM_BUSY_EPOCH, TDX_OPERAND_ID_TD_EPOCH);
	} else {
		v->epoch_slot = td->epoch & 1;
		td->refcount[v->epoch_slot]++;
		sx_release(&td->epoch_lock, false);
		r = entry_filter(td, v, rip, &sept_held);
		if (r.status) {
			td->refcount[v->epoch_slot]--;
			hp_release(&td->tdr, false);
		}
	}
	pthread_mutex_unlock(&td->mu);
	if (r.status)
		return r;

	sched_point(td->sched, model_self, sept_held ? "VP.ENTER(SEPT ex)" : "VP.ENTER");
	pthread_mutex_lock(&td->mu);
	if (sept_held)
		sx_release(&td->sept, true);
	v->in_guest = true;
	pthread_mutex_unlock(&td->mu);
	return r;
}

void sm_td_exit(struct sm_td *td, uint32_t vcpu, uint64_t rip, int64_t ept_gpa)
{
	struct sm_vcpu *v = &td->vcpu[vcpu];
	uint32_t i;

	pthread_mutex_lock(&td->mu);
	/* td_vmexit_to_vmm(): out of the epoch, and the TDR released. */
	if (v->in_guest) {
		td->refcount[v->epoch_slot]--;
		v->in_guest = false;
		hp_release(&td->tdr, false);
	}
	stepping_progress(v, rip);
	/*
	 * td_exit_epf_stepping_log(), for private EPT violations the CPU
	 * raised: after the reset above the fault counts, so the 7th in a row
	 * at one RIP puts its GPA on the list
	 * (docs/tdx-module-and-kvm.md §1.4).
	 */
	if (ept_gpa >= 0) {
		if (v->zs_counter < SM_ZS_THRESHOLD) {
			v->zs_counter++;
		} else {
			for (i = 0; i < v->zs_nr && v->zs_list[i] != (uint64_t)ept_gpa; i++)
				;
			if (i == v->zs_nr && v->zs_nr < SM_ZS_LIST) {
				v->zs_list[v->zs_nr++] = ept_gpa;
				if (v->zs_nr == 1 && !td->armed++)
					td->first_armed_step = sched_steps(td->sched);
			}
		}
	}
	pthread_mutex_unlock(&td->mu);
}

uint64_t sm_guest_accept(struct sm_td *td, uint32_t vcpu, uint64_t page, uint64_t rip, bool *exit)
{
	struct sm_entry *e = &td->entry[page];
	struct sm_vcpu *v = &td->vcpu[vcpu];
	uint64_t st = 0;
	char what[32];

	*exit = false;
	/*
	 * The walk takes no tree lock; the entry lock, guest side
	 * (docs/tdx-module-and-kvm.md §1.5).
	 */
	pthread_mutex_lock(&td->mu);
	stepping_progress(v, rip);
	/*
	 * The count is of BUSY_HOST_PRIORITY in a row: any other result, a
	 * plain BUSY too, resets it, and so does the timeout (td_call(),
	 * tdx_td_dispatcher.c).
	 */
	if (td->accept_checks_state_first && e->state != SM_PENDING && e->state != SM_MAPPED) {
		/* The planned module change: no lock on an entry it cannot accept. */
		*exit = true;
		v->guest_hp_busy = 0;
		pthread_mutex_unlock(&td->mu);
		return 0;
	}
	if (e->locked) {
		st = TDX_OPERAND_BUSY | TDX_OPERAND_ID_RCX;
		v->guest_hp_busy = 0;
	} else if (e->hp) {
		/* BUSY_HOST_PRIORITY, seen by the guest as OPERAND_BUSY. */
		st = TDX_OPERAND_BUSY | TDX_OPERAND_ID_RCX;
		if (!v->guest_hp_busy++)
			v->guest_hp_since_ns = watch_now_ns();
		if (sched_is_seeded(td->sched) ? v->guest_hp_busy >= td->hp_timeout_tries :
		    watch_now_ns() - v->guest_hp_since_ns >= td->hp_timeout_ns) {
			st = TDX_HOST_PRIORITY_BUSY_TIMEOUT;
			v->guest_hp_busy = 0;
		}
	} else {
		e->locked = true;
		v->guest_hp_busy = 0;
	}
	if (st)
		td->busy[SM_BUSY_GUEST_ACCEPT][SM_BUSY_ENTRY]++;
	pthread_mutex_unlock(&td->mu);
	if (st)
		return st;

	snprintf(what, sizeof(what), "ACCEPT(%llu)", (unsigned long long)page);
	sched_point(td->sched, model_self, what);
	pthread_mutex_lock(&td->mu);
	if (e->state == SM_PENDING)
		e->state = SM_MAPPED;
	else if (e->state == SM_MAPPED)
		st = TDX_PAGE_ALREADY_ACCEPTED;
	else
		*exit = true;	/* EPT violation, EEQ type ACCEPT: the host must AUG */
	e->locked = false;
	pthread_mutex_unlock(&td->mu);
	return st;
}

enum sm_touch sm_guest_touch(struct sm_td *td, uint64_t page)
{
	switch (td->entry[page].state) {
	case SM_MAPPED:
		return SM_TOUCH_OK;
	case SM_PENDING:
		return td->sept_ve_disable ? SM_TOUCH_PENDING_EXIT : SM_TOUCH_PENDING_VE;
	default:
		return SM_TOUCH_EPT_VIOLATION;
	}
}
