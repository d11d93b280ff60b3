// SPDX-License-Identifier: GPL-2.0
/*
 * One stress run, from flavor resolution to counters:
 *
 *   vCPU threads sweep the contended pages; chaos threads punch holes (and
 *   kick vCPUs) until the duration or sweep target is reached; then chaos
 *   stops, every vCPU runs one clean sweep no punch can overlap, and the
 *   host checks that it sees exactly the tags of those sweeps.
 *
 * Every thread publishes its operations to the watchdog table, which the
 * supervising parent reads (lib/run/supervisor.c).
 */
#include <signal.h>
#include <time.h>

#include "guest_code.h"
#include "kvm_stats.h"
#include "model_run.h"
#include "rng.h"
#include "seam_test.h"
#include "stress_run.h"
#include "td_image_boot.h"
#include "tdx_abi.h"
#include "vm_probe.h"

static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

static double now_s(void)
{
	return watch_now_ns() / 1e9;
}

static void wait_tick(void)
{
	const struct timespec tick = { .tv_nsec = 5 * 1000 * 1000 };

	nanosleep(&tick, NULL);
}

/* Handle one sweep-complete sync: the quiesce protocol lives here. */
static void vcpu_on_sweep(struct seam_run *run, struct seam_vcpu_state *vs,
			  uint64_t sweep)
{
	vs->sweeps = sweep;
	if (!READ_ONCE(run->quiesced))
		return;
	if (!vs->clean_started) {
		/* The next sweep starts after the last punch completed. */
		vs->clean_started = true;
		vs->final_sweep = sweep + 1;
	} else {
		WRITE_ONCE(run->svm->progress[vs->index].stop, 1);
	}
}

/* One KVM_RUN; false when the thread must leave its loop. */
static bool vcpu_enter(struct seam_run *run, struct seam_vcpu_state *vs,
		       struct kvm_vcpu *vcpu)
{
	struct seam_finding *f;
	int r, err;

	watch_begin(vs->watch, "KVM_RUN");
	r = __vcpu_run(vcpu);
	err = errno;
	watch_end(vs->watch);
	vs->entries++;
	vcpu->run->immediate_exit = 0;
	switch (td_run_result(r, err, vcpu->run->exit_reason)) {
	case TD_RUN_EXIT:
		/* The -1/EFAULT return that carries it is an exit, not a failure. */
		vs->memory_fault_exits += vcpu->run->exit_reason == KVM_EXIT_MEMORY_FAULT;
		return true;
	case TD_RUN_KICKED:
		vs->kick_exits++;
		return true;
	case TD_RUN_FAILED:
		break;
	}
	f = report_add_finding(run->report, "kvm_run", "KVM_RUN of vCPU %u failed: %s%s",
			       vs->index, strerror(err),
			       err == EIO ? " (the VM is bugged or dead)" : "");
	finding_u64(f, "vcpu", vs->index);
	finding_u64(f, "errno", err);
	return false;
}

static void *vcpu_thread_main(void *arg)
{
	struct seam_vcpu_state *vs = arg;
	struct seam_run *run = container_of(vs, struct seam_run, vcpu[vs->index]);
	struct kvm_vcpu *vcpu = run->svm->vcpus[vs->index];
	struct seam_finding *f;
	struct seam_msg msg;
	char name[24];

	/*
	 * Registered from the thread itself, so that a hung finding shows
	 * this thread's stack and the tracer knows its tid.
	 */
	snprintf(name, sizeof(name), "vcpu %u", vs->index);
	vs->watch = watch_register(name, vs->index);
	placement_apply(vs->index);
	kick_target_init(vcpu->run);

	while (!READ_ONCE(run->abort)) {
		if (!vcpu_enter(run, vs, vcpu))
			goto failed;
		switch (stress_vm_exit_msg(run->svm, vcpu, &msg, run->report)) {
		case TD_EXIT_RESUME:
			continue;
		case TD_EXIT_FAILED:
			goto failed;
		case TD_EXIT_MSG:
			break;
		}

		switch (msg.cmd) {
		case SEAM_CMD_SYNC:
			/* The guest goes on after a mismatch: so does the run. */
			if (msg.args[1] == SEAM_SYNC_CORRUPT)
				integrity_guest_report(run, vs->index, msg.args);
			if (msg.args[1] == SEAM_SYNC_SWEEP)
				vcpu_on_sweep(run, vs, msg.args[2]);
			break;
		case SEAM_CMD_DONE:
			vs->done = true;
			goto out;
		default:
			f = report_add_finding(run->report, "guest_assert",
					       "vCPU %u: assertion at lib/guest_code.c:%lu",
					       vs->index, msg.args[1]);
			finding_u64(f, "vcpu", vs->index);
			goto failed;
		}
	}
	vs->stopped = true;
	goto out;
failed:
	vs->failed = true;
	run->abort = true;
out:
	watch_exit(vs->watch);
	return NULL;
}

/* Per-vCPU sweep orders, from the seed, in guest memory. */
static void guest_orders_setup(struct seam_run *run, uint32_t *order)
{
	const struct seam_opts *o = run->opts;
	struct seam_rng rng;
	uint64_t i;
	uint32_t v;

	for (v = 0; v < o->vcpus; v++, order += o->pages) {
		switch (o->order) {
		case ORDER_SAME:
			for (i = 0; i < o->pages; i++)
				order[i] = i;
			break;
		case ORDER_REVERSE:
			/* Even vCPUs go up, odd ones come down to meet them. */
			for (i = 0; i < o->pages; i++)
				order[i] = v & 1 ? o->pages - 1 - i : i;
			break;
		case ORDER_SHUFFLED:
		default:
			seam_rng_init(&rng, o->seed, v);
			seam_rng_permute(&rng, order, o->pages);
			break;
		}
	}
}

static bool all_vcpus(struct seam_run *run, bool (*pred)(struct seam_vcpu_state *, uint64_t),
		      uint64_t arg)
{
	uint32_t v;

	for (v = 0; v < run->opts->vcpus; v++)
		if (!pred(&run->vcpu[v], arg))
			return false;
	return true;
}

static bool reached(struct seam_vcpu_state *vs, uint64_t sweeps)
{
	return READ_ONCE(vs->sweeps) >= sweeps;
}

static bool finished(struct seam_vcpu_state *vs, uint64_t unused)
{
	return READ_ONCE(vs->done) || READ_ONCE(vs->failed) || READ_ONCE(vs->stopped);
}

struct stats_snaps {
	struct kvm_stats_snap vm;
	struct kvm_stats_snap vcpu[SEAM_MAX_VCPUS];
};

static void stats_snapshot(struct stress_vm *svm, struct stats_snaps *s)
{
	uint32_t v;

	kvm_stats_snapshot_vm(svm->vm, &s->vm);
	for (v = 0; v < svm->nr_vcpus; v++)
		kvm_stats_snapshot_vcpu(svm->vcpus[v], &s->vcpu[v]);
}

/*
 * The sum over the vCPUs of the delta of stat @name; false (and 0) if a
 * vCPU does not have it.
 */
static bool vcpu_stat_sum(struct seam_run *run, struct stats_snaps *before,
			  struct stats_snaps *after, const char *name, uint64_t *sum)
{
	uint64_t a, b;
	uint32_t v;

	*sum = 0;
	for (v = 0; v < run->svm->nr_vcpus; v++) {
		if (!kvm_stats_value(&before->vcpu[v], name, &b) ||
		    !kvm_stats_value(&after->vcpu[v], name, &a)) {
			*sum = 0;
			return false;
		}
		*sum += a - b;
	}
	return true;
}

/*
 * KVM stats deltas per VM and per vCPU, the vCPU sums of the ones every
 * test reports as counters, and the fault count: pf_taken where KVM counts
 * it, else (shadow-paging hosts such as PVM) the lower bound of one first
 * touch per page plus one refault per punched page a guest found zeroed.
 * @insn_emulation and @exits get the vCPU sums the integrity report needs.
 */
static void stats_report(struct seam_run *run, struct stats_snaps *before,
			 struct stats_snaps *after, uint64_t punch_hits, double secs,
			 uint64_t *insn_emulation, uint64_t *exits)
{
	static const char *const summed[] = { "exits", "pf_taken", "pf_fixed", "pf_spurious" };
	struct seam_report *r = run->report;
	char sec[32], key[48];
	const char *source;
	uint64_t sum;
	uint32_t v;
	size_t i;

	kvm_stats_report_delta(r, "kvm_stats.vm", &before->vm, &after->vm);
	for (v = 0; v < run->svm->nr_vcpus; v++) {
		snprintf(sec, sizeof(sec), "kvm_stats.vcpu%u", v);
		kvm_stats_report_delta(r, sec, &before->vcpu[v], &after->vcpu[v]);
	}
	vcpu_stat_sum(run, before, after, "insn_emulation", insn_emulation);
	vcpu_stat_sum(run, before, after, "exits", exits);
	for (i = 0; i < sizeof(summed) / sizeof(summed[0]); i++) {
		if (!vcpu_stat_sum(run, before, after, summed[i], &sum))
			continue;
		report_counter(r, summed[i], sum);
		snprintf(key, sizeof(key), "%s_per_s", summed[i]);
		report_rate(r, key, sum / secs);
		if (!strcmp(summed[i], "pf_taken") && sum) {
			report_counter(r, "faults", sum);
			report_rate(r, "faults_per_s", sum / secs);
			report_config_str(r, "faults_source", "pf_taken");
			return;
		}
	}
	sum = run->opts->pages + punch_hits;
	source = "first_touch+punch_hits";
	report_counter(r, "faults", sum);
	report_rate(r, "faults_per_s", sum / secs);
	report_config_str(r, "faults_source", source);
}

/* TDG.MEM.PAGE.ACCEPT results, where the flavor has them. */
static void accept_results_report(struct seam_run *run)
{
	uint64_t ok = 0, already = 0, busy = 0, other = 0, last_busy = 0;
	uint64_t ok_2m = 0, fallback_2m = 0, ve = 0, ve_ok = 0, ve_already = 0, ve_busy = 0;
	uint64_t ve_other = 0;
	struct seam_progress *p;
	uint32_t v;

	if (run->svm->flavor != FLAVOR_TDX)
		return;
	for (v = 0; v < run->svm->nr_vcpus; v++) {
		p = &run->svm->progress[v];
		ok += p->accept_ok;
		already += p->accept_already;
		busy += p->accept_busy;
		other += p->accept_other;
		ok_2m += p->accept_2m_ok;
		fallback_2m += p->accept_2m_fallback;
		ve += p->td.ve;
		ve_ok += p->td.ve_accept_ok;
		ve_already += p->td.ve_accept_already;
		ve_busy += p->td.ve_accept_busy;
		ve_other += p->td.ve_accept_other;
		last_busy = p->accept_last_busy ? p->accept_last_busy : last_busy;
	}
	report_counter(run->report, "accept_ok", ok);
	report_counter(run->report, "accept_already_accepted", already);
	report_counter(run->report, "accept_busy", busy);
	report_counter(run->report, "accept_other", other);
	report_counter(run->report, "accept_2m_ok", ok_2m);
	report_counter(run->report, "accept_2m_fallback", fallback_2m);
	report_counter(run->report, "ve", ve);
	report_counter(run->report, "ve_accept_ok", ve_ok);
	report_counter(run->report, "ve_accept_already_accepted", ve_already);
	report_counter(run->report, "ve_accept_busy", ve_busy);
	report_counter(run->report, "ve_accept_other", ve_other);
	if (last_busy)
		report_config_str(run->report, "accept_busy_operand",
				  TDX_STATUS_OPERAND(last_busy) == TDX_OPERAND_ID_RCX ?
				  "RCX (S-EPT entry)" : "other");
}

static void config_to_report(const struct seam_opts *o, struct seam_report *r)
{
	char buf[32];

	size_format(o->punch_size, buf, sizeof(buf));
	report_config_u64(r, "vcpus", o->vcpus);
	report_config_u64(r, "pages", o->pages);
	report_config_u64(r, "punchers", o->punchers);
	report_config_str(r, "punch_size", buf);
	report_config_str(r, "pattern", pattern_name(o->pattern));
	report_config_str(r, "order", order_name(o->order));
	report_config_u64(r, "burst", o->burst);
	report_config_u64(r, "kick_hz", o->kick_hz);
	report_config_u64(r, "punch_hz", o->punch_hz);
	report_config_u64(r, "accept", o->accept);
	report_config_double(r, "deadline_s", o->deadline_s);
	if (o->sweeps)
		report_config_u64(r, "sweeps", o->sweeps);
	else
		report_config_double(r, "duration_s", o->duration_s);
	if (o->cpus)
		report_config_str(r, "cpus", o->cpus);
	if (o->nodes)
		report_config_str(r, "nodes", o->nodes);
	if (o->expect[0])
		report_config_str(r, "expect", o->expect);
	report_config_u64(r, "inject_corruption", o->inject_corruption);
	report_config_u64(r, "inject_tear", o->inject_tear);
}

/*
 * Whether flavor @f lacks what test @t needs; the reason names the missing
 * capability, and why the flavors that have it cannot run here.
 */
static bool test_needs_unmet(const struct seam_test *t, enum seam_flavor f, char *why, size_t len)
{
	char sw[160] = "", tdx[160] = "";
	struct seam_flavor_plan plan;

	/* The model runs the test's page step (SEAM_GUEST_STEP()), if it has one. */
	if (!t->model_guest_code && f == FLAVOR_TDX_MODEL) {
		snprintf(why, len, "%s's guest step is the VM's alone (%s), which flavor tdx_model cannot run",
			 t->name, t->guest_converts ? "it converts from inside the guest with MapGPA" :
			 "not a SEAM_GUEST_STEP()");
		return true;
	}
	/* td_image stops at the first TDCALL: its host converts nothing. */
	if (!(t->needs & SEAM_NEEDS_MEMORY_ATTRIBUTES) || f == FLAVOR_TDX_MODEL ||
	    f == FLAVOR_TD_IMAGE)
		return false;
	if (flavor_plan(f, &plan) && plan.set_private)
		return false;
	stress_flavor_resolve(FLAVOR_SW_PROTECTED, sw, sizeof(sw));
	stress_flavor_resolve(FLAVOR_TDX, tdx, sizeof(tdx));
	snprintf(why, len, "%s needs KVM_SET_MEMORY_ATTRIBUTES (KVM_MEMORY_ATTRIBUTE_PRIVATE), which flavor %s has not; sw_protected: %s; tdx: %s",
		 t->name, flavor_name(f), sw[0] ? sw : "available", tdx[0] ? tdx : "available");
	return true;
}

static struct seam_run *run_setup(const struct seam_opts *o, struct seam_report *r,
				  enum seam_flavor flavor)
{
	uint64_t order_bytes = (uint64_t)o->vcpus * o->pages * sizeof(uint32_t);
	struct seam_run *run = calloc(1, sizeof(*run));
	struct td_params td;
	vm_vaddr_t order_gva;
	uint32_t *order;

	TEST_ASSERT(run, "calloc(seam_run) failed");
	run->opts = o;
	run->report = r;

	guest_random_seed = (uint32_t)o->seed;
	td.gpaw = o->td_gpaw;
	td.attributes = options_td_sept_ve(o) ? 0 : TDX_TD_ATTR_SEPT_VE_DISABLE;
	run->svm = stress_vm_create(flavor, o->vcpus, o->pages,
				    order_bytes / SEAM_PAGE_SIZE + 2, o->test->guest_code, &td);

	order_gva = vm_vaddr_alloc(run->svm->vm, order_bytes, KVM_UTIL_MIN_VADDR);
	order = addr_gva2hva(run->svm->vm, order_gva);
	guest_orders_setup(run, order);
	run->order = order;
	seam_guest_args = (struct seam_guest_args) {
		.region_gva = run->svm->region_gpa,
		.nr_pages = o->pages,
		.order_gva = order_gva,
		.progress_gva = SEAM_PROGRESS_GVA,
		.nr_vcpus = o->vcpus,
		.burst = o->burst,
		/* A TD must accept every page that may have been removed. */
		.accept = o->accept || flavor == FLAVOR_TDX || flavor == FLAVOR_TD_IMAGE,
		.tdx = flavor == FLAVOR_TDX || flavor == FLAVOR_TD_IMAGE,
		.accept_2m = o->accept_2m,
		.locked_store = o->locked_store,
		.access_width = o->access_width,
		.shared_bit = run->svm->shared_bit,
	};
	sync_global_to_guest(run->svm->vm, seam_guest_args);
	stress_vm_finalize(run->svm);
	return run;
}

void stress_run(const struct seam_opts *o, struct seam_report *r)
{
	uint64_t sweeps = 0, writes = 0, zeroed = 0, accepts = 0, entries = 0, kick_exits = 0;
	uint64_t memory_fault_exits = 0, guest_conversions = 0, guest_conversion_errors = 0;
	uint64_t insn_emulation = 0, exits = 0;
	struct stats_snaps *before, *after;
	double t0, deadline, secs;
	enum seam_flavor flavor;
	struct seam_run *run;
	bool quiesce_ok;
	uint32_t v;

	r->seed = o->seed;
	r->vcpus = o->vcpus;
	config_to_report(o, r);

	flavor = stress_flavor_resolve(o->flavor, r->skip_reason, sizeof(r->skip_reason));
	snprintf(r->flavor, sizeof(r->flavor), "%s",
		 flavor_name(flavor == FLAVOR_AUTO ? o->flavor : flavor));
	if (flavor == FLAVOR_AUTO) {
		r->result = RESULT_SKIP;
		return;
	}
	if (flavor == FLAVOR_TDX || flavor == FLAVOR_TDX_MODEL)
		report_config_str(r, "sept_ve_disable", options_td_sept_ve(o) ?
				  "clear: a pending page is a #VE the guest accepts" :
				  "set: touching a pending page kills the TD");

	if (test_needs_unmet(o->test, flavor, r->skip_reason, sizeof(r->skip_reason))) {
		r->result = RESULT_SKIP;
		return;
	}

	if (flavor == FLAVOR_TDX_MODEL) {
		uint32_t *order = calloc((size_t)o->vcpus * o->pages, sizeof(*order));
		struct seam_run model = { .opts = o };

		TEST_ASSERT(order, "calloc(order) failed");
		guest_orders_setup(&model, order);
		watch_setup_end();
		model_run(o, r, order);
		free(order);
		return;
	}

	if (stress_vm_too_many_vcpus(flavor, o->vcpus, r->skip_reason, sizeof(r->skip_reason))) {
		r->result = RESULT_SKIP;
		return;
	}

	/*
	 * From here a stop signal ends the run with its report: VM setup can
	 * take seconds, and a signal in it must not kill the worker outright.
	 */
	signal(SIGINT, on_stop_signal);
	signal(SIGTERM, on_stop_signal);
	signal(SIGHUP, on_stop_signal);
	kick_handler_install();
	/* The watchdog has watched this setup since the fork (watch_setup_begin()). */
	run = run_setup(o, r, flavor);
	watch_setup_end();
	if (flavor == FLAVOR_TD_IMAGE) {
		td_image_boot(run->svm, r);
		stress_vm_destroy(run->svm);
		free(run);
		return;
	}
	if ((o->inject_corruption || o->inject_tear || o->host_reader) && !run->svm->region_hva) {
		snprintf(r->skip_reason, sizeof(r->skip_reason),
			 "--%s needs a host-visible region; flavor %s keeps it private",
			 o->host_reader ? "host-reader" : o->inject_tear ? "inject-tear" :
			 "inject-corruption", flavor_name(flavor));
		r->result = RESULT_SKIP;
		stress_vm_destroy(run->svm);
		free(run);
		return;
	}

	before = calloc(1, sizeof(*before));
	after = calloc(1, sizeof(*after));
	TEST_ASSERT(before && after, "calloc(stats snapshots) failed");
	stats_snapshot(run->svm, before);

	t0 = now_s();
	for (v = 0; v < o->vcpus; v++) {
		run->vcpu[v].index = v;
		stress_vm_set_args(run->svm, v);
		pthread_create(&run->vcpu[v].thread, NULL, vcpu_thread_main, &run->vcpu[v]);
	}
	watch_vcpus_running((uint64_t)run->svm->progress, o->vcpus, true);
	chaos_start(run);

	deadline = t0 + o->duration_s;
	while (!run->abort && !stop_signal) {
		if (o->sweeps ? all_vcpus(run, reached, o->sweeps) : now_s() >= deadline)
			break;
		wait_tick();
	}
	chaos_stop(run);
	run->quiesced = true;

	/* The supervisor's watchdog reports a vCPU stuck here. */
	deadline = now_s() + o->deadline_s;
	while (!(quiesce_ok = all_vcpus(run, finished, 0)) && now_s() < deadline) {
		if (stop_signal)
			run->abort = true;
		wait_tick();
	}
	secs = now_s() - t0;
	r->duration_s = secs;
	watch_vcpus_running(0, 0, false);

	if (!quiesce_ok) {
		for (v = 0; v < o->vcpus; v++) {
			struct seam_finding *f;

			if (finished(&run->vcpu[v], 0))
				continue;
			f = report_add_finding(r, "hung",
					       "vCPU %u did not finish its clean sweep within %g s of chaos stopping (at sweep %llu, page %llu)",
					       v, o->deadline_s,
					       (unsigned long long)READ_ONCE(run->svm->progress[v].sweep),
					       (unsigned long long)READ_ONCE(run->svm->progress[v].page));
			finding_u64(f, "vcpu", v);
		}
		/* Stuck threads cannot be joined; exit() tears the VM down. */
		run->abort = true;
	} else {
		for (v = 0; v < o->vcpus; v++)
			pthread_join(run->vcpu[v].thread, NULL);
	}

	if (stop_signal) {
		r->interrupted = true;
		report_add_finding(r, "interrupted", "run stopped by signal %d after %.2f s",
				   (int)stop_signal, secs);
	}

	for (v = 0; v < o->vcpus; v++) {
		struct seam_progress *p = &run->svm->progress[v];

		sweeps += run->vcpu[v].sweeps;
		writes += READ_ONCE(p->writes);
		zeroed += READ_ONCE(p->zeroed);
		accepts += READ_ONCE(p->accepts);
		entries += run->vcpu[v].entries;
		kick_exits += run->vcpu[v].kick_exits;
		memory_fault_exits += run->vcpu[v].memory_fault_exits;
		guest_conversions += READ_ONCE(p->guest_conversions);
		guest_conversion_errors += READ_ONCE(p->guest_conversion_errors);
	}
	report_counter(r, "sweeps", sweeps);
	report_counter(r, "guest_writes", writes);
	/* Guest reads that found a punched page: proof the punches land. */
	report_counter(r, "punch_hits", zeroed);
	report_counter(r, "entries", entries);
	report_counter(r, "kick_exits", kick_exits);
	report_counter(r, "memory_fault_exits", memory_fault_exits);
	if (guest_conversions || run->svm->guest_map_gpa) {
		/* tests/guest_convert.c: each conversion is two MapGPAs. */
		report_counter(r, "guest_conversions", guest_conversions);
		report_counter(r, "guest_conversion_errors", guest_conversion_errors);
		report_counter(r, "guest_map_gpa_exits", run->svm->guest_map_gpa);
	}
	report_counter(r, "accepts", accepts);
	accept_results_report(run);
	report_rate(r, "sweeps_per_s", sweeps / secs);
	report_rate(r, "guest_writes_per_s", writes / secs);
	report_rate(r, "entries_per_s", entries / secs);
	report_rate(r, "accepts_per_s", accepts / secs);
	chaos_report(run, secs);

	if (quiesce_ok) {
		stats_snapshot(run->svm, after);
		stats_report(run, before, after, zeroed, secs, &insn_emulation, &exits);
		vm_probe_bugged(r, run->svm->vm->fd, NULL);
	}
	if (quiesce_ok && !run->abort && !stop_signal) {
		report_counter(r, "integrity_mismatches", integrity_check_final(run));
		report_config_str(r, "host_check", run->svm->region_hva ? "done" : "not host-visible");
	}
	integrity_report(run, secs, insn_emulation, exits);

	free(before);
	free(after);
	if (quiesce_ok) {
		stress_vm_destroy(run->svm);
		free(run);
	}
}
