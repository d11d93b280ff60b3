// SPDX-License-Identifier: GPL-2.0
/*
 * The tdx_model flavor: the tests' workloads against the software TDX
 * module and KVM model, with real threads (or the seeded scheduler).
 * Model vCPUs run the test's page step (an ACCEPT, a store) and exit to KVM on
 * every EPT violation; punchers run the test's own chaos operation
 * (struct seam_test.chaos_op: punches, conversions) against the model on
 * the pages the shared choice picks (include/chaos_pick.h), and the
 * shared kicker signals vCPUs in turn; with
 * --model-vcpu-init-race vCPUs 1.. are initialized and the TD finalized
 * while punchers run; with --model-memslot-churn a thread deletes and
 * re-creates the memslot.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "chaos.h"
#include "chaos_pick.h"
#include "kvm_model.h"
#include "model_sched.h"
#include "model_run.h"
#include "rng.h"
#include "seam_test.h"
#include "tdx_abi.h"
#include "watchdog.h"

/*
 * Guest RIPs: the ACCEPT TDCALL, the store, the #VE handler's ACCEPT, and
 * the sync after a burst.
 */
#define RIP_ACCEPT	0x401000
#define RIP_TOUCH	0x401010
#define RIP_VE_ACCEPT	0x402000
#define RIP_SYNC	0x401020

struct model_run {
	const struct seam_opts *o;
	struct model_sched sched;
	struct kvm_model km;
	uint32_t *order;
	struct seam_progress prog[SEAM_MAX_VCPUS];
	struct chaos_view view;		/* what the punchers see of prog and order */
	volatile uint32_t vcpus_done;
	uint64_t punches, kicks, accept_busy, ve, sweeps[SEAM_MAX_VCPUS];
};

static bool stopping(struct model_run *mr)
{
	return mr->km.stop || mr->km.dead || sched_exhausted(&mr->sched);
}

/* A TD exit at @rip of @kind (at @page), KVM's handling, then entry at @rip again. */
static bool exit_and_enter(struct model_run *mr, uint32_t v, uint64_t rip,
			   enum kvm_exit_kind kind, uint64_t page)
{
	struct kvm_model *km = &mr->km;

	if (kvm_model_exit(km, v, rip, kind, page) == FAULT_DEAD)
		return false;
	return kvm_model_enter(km, v, rip);
}

/* A kick or a signal is an exit wherever the guest is. */
static bool kicked_out(struct model_run *mr, uint32_t v, uint64_t rip)
{
	struct kvm_model *km = &mr->km;

	return (km->kick[v] || km->signal[v]) && !exit_and_enter(mr, v, rip, EXIT_OTHER, 0);
}

/* TDG.MEM.PAGE.ACCEPT from @rip until it is done; false when the vCPU must stop. */
static bool guest_accept(struct model_run *mr, uint32_t v, uint64_t page, uint64_t rip)
{
	struct kvm_model *km = &mr->km;
	uint64_t st;
	bool exit;

	for (;;) {
		if (stopping(mr) || kicked_out(mr, v, rip))
			return false;
		st = sm_guest_accept(&km->td, v, page, rip, &exit);
		mr->prog[v].accepts++;
		if (st == TDX_HOST_PRIORITY_BUSY_TIMEOUT) {
			static const char *const state[] = { "FREE", "PENDING", "MAPPED", "BLOCKED" };

			const struct sm_entry *e = &km->td.entry[page];

			kvm_model_die(km, "td_exit", "vCPU %u: TDH.VP.ENTER failed with 0x%llx (HOST_PRIORITY_BUSY_TIMEOUT): KVM_EXIT_INTERNAL_ERROR; ACCEPT of page %llu refused, entry %s with TDHP set by a refused %s at step %llu",
				      v, (unsigned long long)st, (unsigned long long)page,
				      state[e->state], sm_leaf_name(e->hp_leaf),
				      (unsigned long long)e->hp_step);
			return false;
		}
		if ((st & TDX_SEAMCALL_STATUS_MASK) == TDX_OPERAND_BUSY) {
			mr->accept_busy++;
			sched_point(&mr->sched, model_self, "ACCEPT busy");
			continue;
		}
		if (!exit)
			return true;
		if (!exit_and_enter(mr, v, rip, EXIT_EPT_ACCEPT, page))
			return false;
	}
}

/*
 * The store to one page: one that faults is executed again after KVM's
 * handling, at the same RIP: that is what the zero-step counter sees
 * (docs/tdx-module-and-kvm.md §1.4).  False when the vCPU must stop.
 */
static bool guest_touch(struct model_run *mr, uint32_t v, uint64_t page)
{
	struct kvm_model *km = &mr->km;
	enum kvm_exit_kind kind;

	for (;;) {
		if (stopping(mr) || kicked_out(mr, v, RIP_TOUCH))
			return false;
		switch (sm_guest_touch(&km->td, page)) {
		case SM_TOUCH_OK:
			return true;
		case SM_TOUCH_PENDING_VE:
			/* The #VE handler accepts the page; the store runs again. */
			__atomic_add_fetch(&mr->ve, 1, __ATOMIC_RELAXED);
			if (!guest_accept(mr, v, page, RIP_VE_ACCEPT))
				return false;
			continue;
		case SM_TOUCH_PENDING_EXIT:
			kind = EXIT_EPT_PENDING;
			break;
		default:
			kind = EXIT_EPT;
		}
		if (!exit_and_enter(mr, v, RIP_TOUCH, kind, page))
			return false;
	}
}

/*
 * What the test's page step (struct seam_test.model_guest_code) asked for
 * the pages of one guest instruction: each page's ACCEPT, an access, a
 * burst point.
 */
struct model_guest {
	bool skip_accept;		/* --model-skip-accept */
	const uint32_t *pages;		/* the instruction's, in this vCPU's order */
	uint32_t n, k;			/* how many; the one the step is called for */
	bool accept[SEAM_MODEL_MAX_INSN_PAGES];
	bool access, burst;
};

void model_guest_accept(struct model_guest *g, volatile uint64_t *slot)
{
	g->accept[g->k] = true;
}

void model_guest_accept_if_asked(struct model_guest *g, volatile uint64_t *slot)
{
	/* A TD accepts every page that may have been removed (guest_sweep_init()). */
	if (!g->skip_accept)
		g->accept[g->k] = true;
}

void model_guest_check_untouched(struct model_guest *g, volatile uint64_t *slot,
				 unsigned int width)
{
	g->access = true;
}

void model_guest_write_read_back(struct model_guest *g, volatile uint64_t *slot,
				 unsigned int width)
{
	g->access = true;
}

void model_guest_burst_point(struct model_guest *g)
{
	g->burst = true;
}

/*
 * Run what the step asked: the ACCEPTs, then (an access asked) one store
 * instruction over all the pages (--model-insn-pages: a rep movs, say,
 * which resumes where it faulted without moving its RIP); false when the
 * vCPU must stop.
 */
static bool guest_store(struct model_run *mr, uint32_t v, const struct model_guest *g)
{
	uint32_t k;

	for (k = 0; k < g->n; k++)
		if (g->accept[k] && !guest_accept(mr, v, g->pages[k], RIP_ACCEPT))
			return false;
	/* The guest runs on between the TDCALL's return and the store. */
	sched_point(&mr->sched, model_self, "accepted");
	for (k = 0; g->access && k < g->n; k++)
		if (!guest_touch(mr, v, g->pages[k]))
			return false;
	return true;
}

struct thread_arg {
	struct model_run *mr;
	uint32_t index;
	int id;		/* scheduler id: fixed by creation order */
};

static void *vcpu_main(void *arg)
{
	struct thread_arg *ta = arg;
	struct model_run *mr = ta->mr;
	const struct seam_opts *o = mr->o;
	struct seam_progress *p = &mr->prog[ta->index];
	uint32_t v = ta->index, burst = 0, n;
	struct model_guest g;
	struct watch_slot *w;
	uint64_t i, sweep;
	char name[24];

	snprintf(name, sizeof(name), "vcpu %u", v);
	model_self = sched_register(&mr->sched, ta->id, name);
	w = watch_register(name, v);
	/* KVM_RUN of a vCPU KVM_TDX_INIT_VCPU never initialized is -EINVAL: it stays out. */
	while (!mr->km.td.finalized && !stopping(mr))
		sched_point(&mr->sched, model_self, "wait for FINALIZE");
	if (!mr->km.td.vcpu[v].initialized || !kvm_model_enter(&mr->km, v, RIP_ACCEPT))
		goto out;
	for (sweep = 1; !o->sweeps || sweep <= o->sweeps; sweep++) {
		WRITE_ONCE(p->sweep, sweep);
		for (i = 0; i < o->pages; i += n) {
			n = o->model_insn_pages < o->pages - i ? o->model_insn_pages : o->pages - i;
			WRITE_ONCE(p->idx, i);
			WRITE_ONCE(p->page, mr->order[v * o->pages + i]);
			/* The test's own page step, for each page the instruction spans. */
			g = (struct model_guest){ .skip_accept = o->model_skip_accept,
						  .pages = &mr->order[v * o->pages + i], .n = n };
			for (g.k = 0; g.k < n; g.k++)
				o->test->model_guest_code(&g);
			if (!guest_store(mr, v, &g))
				goto out;
			if (g.access)
				p->writes += n;
			sched_point(&mr->sched, model_self, "touch");
			/* A burst ends in an exit at another RIP. */
			if (g.burst && o->burst && ++burst == o->burst) {
				burst = 0;
				if (!exit_and_enter(mr, v, RIP_SYNC, EXIT_OTHER, 0))
					goto out;
			}
		}
		mr->sweeps[v] = sweep;
		if (!exit_and_enter(mr, v, RIP_SYNC, EXIT_OTHER, 0))
			goto out;
	}
out:
	kvm_model_exit(&mr->km, v, RIP_SYNC, EXIT_OTHER, 0);
	kvm_model_return_to_user(&mr->km, v);
	__atomic_fetch_add(&mr->vcpus_done, 1, __ATOMIC_SEQ_CST);
	watch_exit(w);
	sched_exit(&mr->sched, model_self);
	return NULL;
}

static bool vcpus_all_done(struct model_run *mr)
{
	return __atomic_load_n(&mr->vcpus_done, __ATOMIC_SEQ_CST) >= mr->o->vcpus;
}

/* The test's chaos operation against the model: page-sized, as the model is. */
static int model_punch(struct chaos_target *t, uint64_t off, uint64_t len)
{
	struct model_run *mr = t->backend;

	return kvm_model_zap(&mr->km, off / SEAM_PAGE_SIZE) ? 0 : -EIO;
}

/* kvm_vm_set_mem_attributes() to shared, the zap of both backings, and back. */
static int model_convert(struct chaos_target *t, uint64_t off, uint64_t len)
{
	struct model_run *mr = t->backend;
	uint64_t page = off / SEAM_PAGE_SIZE;

	if (!kvm_model_set_private(&mr->km, page, false) || !kvm_model_zap(&mr->km, page) ||
	    !kvm_model_set_private(&mr->km, page, true))
		return -EIO;
	return 0;
}

static const struct chaos_target_ops model_ops = {
	.punch = model_punch,
	.convert = model_convert,
};

/* A puncher: the test's chaos operation on the chunks the shared choice picks. */
static void *puncher_main(void *arg)
{
	struct thread_arg *ta = arg;
	struct model_run *mr = ta->mr;
	const struct seam_opts *o = mr->o;
	struct chaos_target t = {
		.ops = &model_ops,
		.backend = mr,
		.punch_name = "fallocate(PUNCH_HOLE)",
	};
	uint64_t pos = chaos_sweep_start(&mr->view, ta->index, o->punchers), n = 0;
	struct seam_rng rng;
	char name[24];

	snprintf(name, sizeof(name), "puncher %u", ta->index);
	model_self = sched_register(&mr->sched, ta->id, name);
	t.watch = watch_register(name, -1);
	seam_rng_init(&rng, o->seed, 1000 + ta->index);
	while (!stopping(mr) && !vcpus_all_done(mr)) {
		if (o->test->chaos_op(&t, n++, chaos_pick_chunk(&mr->view, &rng, &pos), SEAM_PAGE_SIZE))
			break;
		sched_point(&mr->sched, model_self, "punch");
	}
	__atomic_fetch_add(&mr->punches, t.punches, __ATOMIC_RELAXED);
	watch_exit(t.watch);
	sched_exit(&mr->sched, model_self);
	return NULL;
}

/* The kicker on the model: the signal KVM sees on entry, paced in scheduling points. */
static bool model_kicker_stopping(void *b)
{
	struct model_run *mr = b;

	return stopping(mr) || vcpus_all_done(mr);
}

static void model_kicker_wait(void *b)
{
	struct model_run *mr = b;
	/* The rate is in scheduling points: 1000 Hz = one turn every 1000. */
	uint64_t gap = 1000000 / (mr->o->kick_hz ? mr->o->kick_hz : 1), i;

	for (i = 0; i < gap / 1000 + 1 && !stopping(mr); i++)
		sched_point(&mr->sched, model_self, "kick gap");
}

static bool model_kicker_kickable(void *b, uint32_t v)
{
	return true;
}

/* The kicker signals vCPU threads, as remove_vs_enter does. */
static void model_kicker_kick(void *b, uint32_t v)
{
	((struct model_run *)b)->km.signal[v] = true;
}

static const struct chaos_kicker_ops model_kicker_ops = {
	.stopping = model_kicker_stopping,
	.wait = model_kicker_wait,
	.kickable = model_kicker_kickable,
	.kick = model_kicker_kick,
};

static void *kicker_main(void *arg)
{
	struct thread_arg *ta = arg;
	struct model_run *mr = ta->mr;

	model_self = sched_register(&mr->sched, ta->id, "kicker");
	mr->kicks = chaos_kicker_run(&model_kicker_ops, mr, mr->o->vcpus);
	sched_exit(&mr->sched, model_self);
	return NULL;
}

/*
 * KVM_TDX_INIT_VCPU of vCPUs 1.. while the punchers run (bug 9), then
 * KVM_TDX_FINALIZE_VM.  With --model-td-build-race (bug 10) the vCPUs are
 * created (KVM_CREATE_VCPU) here too, and a builder thread adds and
 * measures the image and finalizes meanwhile.
 */
static void *initializer_main(void *arg)
{
	struct thread_arg *ta = arg;
	struct model_run *mr = ta->mr;
	bool build = mr->o->model_td_build_race;
	uint32_t v;
	int r;

	model_self = sched_register(&mr->sched, ta->id, "init");
	for (v = 1; v < mr->o->vcpus && !stopping(mr); v++) {
		if (build && kvm_model_create_vcpu(&mr->km))
			continue;	/* refused: the TD was finalized first */
		r = kvm_model_init_vcpu(&mr->km, v);
		if (r == -EIO)
			break;
		sched_point(&mr->sched, model_self, "init next");
	}
	if (!build && !stopping(mr))
		kvm_model_finalize(&mr->km);
	sched_exit(&mr->sched, model_self);
	return NULL;
}

/*
 * Scheduling points between two memslot moves: the vCPUs fault the pages
 * in again meanwhile.
 */
#define MEMSLOT_MOVE_GAP	20

/*
 * With real threads a scheduling point costs nothing, and back-to-back
 * moves would keep the slot INVALID nearly all the time, which no VMM
 * does: wait as well until every vCPU has stored once since the last move
 * (or the run ends).  The seeded scheduler's gap is its steps alone.
 */
static void wait_for_vcpus_progress(struct model_run *mr)
{
	uint64_t before[SEAM_MAX_VCPUS];
	uint32_t v;
	bool all;

	for (v = 0; v < mr->o->vcpus; v++)
		before[v] = __atomic_load_n(&mr->prog[v].writes, __ATOMIC_RELAXED);
	do {
		all = true;
		for (v = 0; v < mr->o->vcpus; v++)
			all &= __atomic_load_n(&mr->prog[v].writes, __ATOMIC_RELAXED) != before[v];
		if (!all)
			sched_yield();
	} while (!all && !stopping(mr) && !vcpus_all_done(mr));
}

/*
 * With --model-memslot-churn (bug 8): the VMM deletes the guest memory's
 * memslot and creates it again, over and over, while the vCPUs run.
 */
static void *memslot_main(void *arg)
{
	struct thread_arg *ta = arg;
	struct model_run *mr = ta->mr;
	int i;

	model_self = sched_register(&mr->sched, ta->id, "memslots");
	while (!stopping(mr) && !vcpus_all_done(mr)) {
		for (i = 0; i < MEMSLOT_MOVE_GAP && !stopping(mr); i++)
			sched_point(&mr->sched, model_self, "memslot gap");
		if (!mr->o->sched_seeded)
			wait_for_vcpus_progress(mr);
		if (stopping(mr) || !kvm_model_move_memslot(&mr->km))
			break;
	}
	sched_exit(&mr->sched, model_self);
	return NULL;
}

/*
 * With --model-uret-neighbour (bug 13): another VM's vCPU on CPU 0, which
 * TD vCPU 0 shares; its KVM_RUN returns to userspace every
 * NEIGHBOUR_RUNS_PER_RETURN guest runs.
 */
#define NEIGHBOUR_RUNS_PER_RETURN	4

static void *neighbour_main(void *arg)
{
	struct thread_arg *ta = arg;
	struct model_run *mr = ta->mr;
	uint64_t runs = 0;

	model_self = sched_register(&mr->sched, ta->id, "vmx vcpu");
	while (!stopping(mr) && !vcpus_all_done(mr) &&
	       kvm_model_vmx_neighbour_run(&mr->km, ++runs % NEIGHBOUR_RUNS_PER_RETURN == 0))
		;
	sched_exit(&mr->sched, model_self);
	return NULL;
}

/* KVM_TDX_INIT_MEM_REGION(MEASURE) of every page, then KVM_TDX_FINALIZE_VM (bug 10). */
static void *builder_main(void *arg)
{
	struct thread_arg *ta = arg;
	struct model_run *mr = ta->mr;
	uint64_t page;

	model_self = sched_register(&mr->sched, ta->id, "build");
	for (page = 0; page < mr->o->pages && !stopping(mr); page++)
		if (kvm_model_init_mem_region(&mr->km, page))
			break;
	if (!stopping(mr))
		kvm_model_finalize(&mr->km);
	sched_exit(&mr->sched, model_self);
	return NULL;
}

void model_run(const struct seam_opts *o, struct seam_report *r, const uint32_t *order)
{
	struct model_run *mr = calloc(1, sizeof(*mr));
	struct thread_arg args[SCHED_MAX_THREADS];
	pthread_t th[SCHED_MAX_THREADS];
	uint64_t writes = 0, accepts = 0, sweeps = 0, steps;
	bool building;
	int n = 0, i;
	uint32_t v;
	double t0;

	mr->o = o;
	mr->order = (uint32_t *)order;
	mr->view = (struct chaos_view){
		.progress = mr->prog,
		.order = order,
		.nr_vcpus = o->vcpus,
		.nr_pages = o->pages,
		.punch_size = SEAM_PAGE_SIZE,
		.pattern = o->pattern,
	};
	kvm_model_init(&mr->km, o, r, o->pages, o->vcpus);
	/*
	 * Without the race every vCPU is initialized and the TD finalized
	 * before the run.  With it (bug 9), the TD is still being built: its
	 * image pages are mapped (PAGE.ADD) and the punchers zap them while
	 * vCPUs 1.. go through TDH.VP.INIT; nobody runs until all are done.
	 */
	building = o->model_vcpu_init_race || o->model_td_build_race;
	for (v = 0; v < o->vcpus; v++)
		mr->km.td.vcpu[v].created = mr->km.td.vcpu[v].initialized = !building || v == 0;
	mr->km.td.num_vcpus = building ? 1 : o->vcpus;
	mr->km.td.finalized = !building;
	/* Bug 10: only vCPU 0 exists; the image is added while vCPUs 1.. are created. */
	if (o->model_td_build_race)
		mr->km.created_vcpus = mr->km.online_vcpus = 1;
	if (o->model_vcpu_init_race) {
		for (i = 0; i < (int)o->pages; i++)
			mr->km.td.entry[i].state = SM_MAPPED;
		for (i = 0; i <= (int)(o->pages / SM_PAGES_PER_SEPT); i++)
			mr->km.td.sept_page[i] = true;
	}
	/* The seeded scheduler must stop by itself: a step budget. */
	steps = o->model_steps ? o->model_steps : o->sched_seeded ? 200000 : 0;
	sched_init(&mr->sched, o->sched_seeded, o->seed, steps);
	mr->km.td.sched = &mr->sched;

	t0 = watch_now_ns() / 1e9;
	watch_vcpus_running((uint64_t)mr->prog, o->vcpus, true);
	for (v = 0; v < o->vcpus; v++, n++) {
		args[n] = (struct thread_arg){ mr, v, n };
		pthread_create(&th[n], NULL, vcpu_main, &args[n]);
	}
	for (v = 0; v < o->punchers; v++, n++) {
		args[n] = (struct thread_arg){ mr, v, n };
		pthread_create(&th[n], NULL, puncher_main, &args[n]);
	}
	if (o->kick_hz) {
		args[n] = (struct thread_arg){ mr, 0, n };
		pthread_create(&th[n], NULL, kicker_main, &args[n]);
		n++;
	}
	if (building) {
		args[n] = (struct thread_arg){ mr, 0, n };
		pthread_create(&th[n], NULL, initializer_main, &args[n]);
		n++;
	}
	if (o->model_td_build_race) {
		args[n] = (struct thread_arg){ mr, 0, n };
		pthread_create(&th[n], NULL, builder_main, &args[n]);
		n++;
	}
	if (o->model_uret_neighbour) {
		args[n] = (struct thread_arg){ mr, 0, n };
		pthread_create(&th[n], NULL, neighbour_main, &args[n]);
		n++;
	}
	if (o->model_memslot_churn) {
		args[n] = (struct thread_arg){ mr, 0, n };
		pthread_create(&th[n], NULL, memslot_main, &args[n]);
		n++;
	}
	sched_start(&mr->sched, n);

	/* Real threads stop on the clock; the seeded scheduler on its budget. */
	if (!o->sched_seeded && !o->sweeps) {
		for (;;) {
			if (watch_now_ns() / 1e9 - t0 >= o->duration_s || mr->km.dead ||
			    vcpus_all_done(mr))
				break;
			nanosleep(&(struct timespec){ .tv_nsec = 5000000 }, NULL);
		}
		mr->km.stop = true;
	}
	for (i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	watch_vcpus_running(0, 0, false);
	r->duration_s = watch_now_ns() / 1e9 - t0;

	for (v = 0; v < o->vcpus; v++) {
		writes += mr->prog[v].writes;
		accepts += mr->prog[v].accepts;
		sweeps += mr->sweeps[v];
	}
	report_counter(r, "sweeps", sweeps);
	report_counter(r, "guest_writes", writes);
	report_counter(r, "accepts", accepts);
	report_counter(r, "accept_busy", mr->accept_busy);
	/* Touches of a pending page taken by the guest's #VE handler. */
	report_counter(r, "ve", mr->ve);
	report_counter(r, "punches", mr->punches);
	report_counter(r, "kicks_sent", mr->kicks);
	report_rate(r, "guest_writes_per_s", writes / r->duration_s);
	report_rate(r, "punches_per_s", mr->punches / r->duration_s);
	kvm_model_report(&mr->km);
	report_config_str(r, "kvm_release", kvm_release_name(o->kvm_release));
	report_config_str(r, "sched", o->sched_seeded ? "seeded" : "threads");

	/*
	 * The filter acted: it made up exits or refused entries
	 * (docs/tdx-module-and-kvm.md §1.4).
	 */
	if (mr->km.td.synthesized || (mr->km.td.armed && mr->km.td.busy[TDH_VP_ENTER][SM_BUSY_SEPT])) {
		struct seam_finding *f = report_add_finding(r, "zero_step",
			"zero-step filter armed %llu times: %llu synthesized EPT-violation exits, %llu VP.ENTER BUSY|0x92",
			(unsigned long long)mr->km.td.armed, (unsigned long long)mr->km.td.synthesized,
			(unsigned long long)mr->km.td.busy[TDH_VP_ENTER][SM_BUSY_SEPT]);

		finding_u64(f, "armed", mr->km.td.armed);
		finding_u64(f, "step", mr->km.td.first_armed_step);
		finding_u64(f, "synthesized_exits", mr->km.td.synthesized);
		finding_u64(f, "vp_enter_busy_sept", mr->km.td.busy[TDH_VP_ENTER][SM_BUSY_SEPT]);
		/* What the armed vCPUs' exclusive tree lock fed to the others' faults. */
		finding_u64(f, "aug_sept_add_busy_sept",
			    mr->km.td.busy[TDH_MEM_PAGE_AUG][SM_BUSY_SEPT] + mr->km.td.busy[TDH_MEM_SEPT_ADD][SM_BUSY_SEPT]);
		finding_u64(f, "reentries_on_retry", mr->km.reentries);
		finding_str(f, "kvm_release", kvm_release_name(o->kvm_release));
	}
	kvm_model_free(&mr->km);
	free(mr);
}
