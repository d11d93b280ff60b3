// SPDX-License-Identifier: GPL-2.0
/*
 * One stress run, from flavor resolution to counters:
 *
 *   vCPU threads sweep the contended pages; chaos threads punch holes until
 *   the duration (or sweep target) is reached; then chaos stops, every vCPU
 *   runs one clean sweep that no punch can overlap, and the host checks that
 *   it sees exactly the tags of those sweeps.
 */
#include <signal.h>
#include <time.h>

#include "guest_code.h"
#include "rng.h"
#include "stress_run.h"

/* How long vCPUs get to finish their clean sweep once chaos has stopped. */
#define QUIESCE_DEADLINE_S	10

static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
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

static void *vcpu_thread_main(void *arg)
{
	struct seam_vcpu_state *vs = arg;
	struct seam_run *run = container_of(vs, struct seam_run, vcpu[vs->index]);
	struct kvm_vcpu *vcpu = run->svm->vcpus[vs->index];
	struct seam_finding *f;
	struct ucall uc;
	int r;

	placement_apply(vs->index);

	while (!READ_ONCE(run->abort)) {
		r = __vcpu_run(vcpu);
		if (r && errno == EINTR)
			continue;
		if (r) {
			f = report_add_finding(run->report, "kvm_run",
					       "KVM_RUN of vCPU %u failed: %s%s", vs->index,
					       strerror(errno),
					       errno == EIO ? " (the VM is bugged or dead)" : "");
			finding_u64(f, "vcpu", vs->index);
			finding_u64(f, "errno", errno);
			goto failed;
		}
		if (vcpu->run->exit_reason != KVM_EXIT_IO) {
			f = report_add_finding(run->report, "unexpected_exit",
					       "vCPU %u exited with %s (%u), not a ucall",
					       vs->index, exit_reason_str(vcpu->run->exit_reason),
					       vcpu->run->exit_reason);
			finding_u64(f, "vcpu", vs->index);
			finding_u64(f, "exit_reason", vcpu->run->exit_reason);
			goto failed;
		}

		switch (get_ucall(vcpu, &uc)) {
		case UCALL_SYNC:
			if (uc.args[1] == SEAM_SYNC_CORRUPT) {
				integrity_guest_report(run, vs->index, uc.args);
				goto failed;
			}
			vcpu_on_sweep(run, vs, uc.args[2]);
			break;
		case UCALL_DONE:
			vs->done = true;
			return NULL;
		case UCALL_ABORT:
			f = report_add_finding(run->report, "guest_assert",
					       "vCPU %u: %s at %s:%lu - %s", vs->index,
					       (const char *)uc.args[GUEST_ERROR_STRING],
					       (const char *)uc.args[GUEST_FILE],
					       uc.args[GUEST_LINE], uc.buffer);
			finding_u64(f, "vcpu", vs->index);
			goto failed;
		default:
			f = report_add_finding(run->report, "unexpected_exit",
					       "vCPU %u made unknown ucall %lu", vs->index, uc.cmd);
			finding_u64(f, "vcpu", vs->index);
			goto failed;
		}
	}
	vs->stopped = true;
	return NULL;
failed:
	vs->failed = true;
	run->abort = true;
	return NULL;
}

/* Per-vCPU sweep orders, from the seed, in guest memory. */
static void guest_orders_setup(struct seam_run *run, vm_vaddr_t order_gva)
{
	const struct seam_opts *o = run->opts;
	uint32_t *order = addr_gva2hva(run->svm->vm, order_gva);
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

static void stats_counters(struct seam_run *run, const uint64_t *before,
			   const char *const *names, int n, double secs)
{
	char key[48];
	uint64_t after;
	int i;

	for (i = 0; i < n; i++) {
		if (before[i] == UINT64_MAX ||
		    !kvm_stats_vcpu_sum(run->svm, names[i], &after))
			continue;
		report_counter(run->report, names[i], after - before[i]);
		snprintf(key, sizeof(key), "%s_per_s", names[i]);
		report_rate(run->report, key, (after - before[i]) / secs);
	}
}

/*
 * Faults taken: KVM's pf_taken where it counts them.  Shadow-paging hosts
 * such as PVM leave it 0; there the lower bound is one first touch per page
 * plus one refault per punched page the guest found zeroed.
 */
static void faults_estimate(struct seam_run *run, uint64_t pf_before,
			    uint64_t punch_hits, double secs)
{
	uint64_t pf = 0, faults;
	const char *source;

	if (pf_before != UINT64_MAX && kvm_stats_vcpu_sum(run->svm, "pf_taken", &pf) &&
	    pf - pf_before) {
		faults = pf - pf_before;
		source = "pf_taken";
	} else {
		faults = run->opts->pages + punch_hits;
		source = "first_touch+punch_hits";
	}
	report_counter(run->report, "faults", faults);
	report_rate(run->report, "faults_per_s", faults / secs);
	report_config_str(run->report, "faults_source", source);
}

static void config_to_report(const struct seam_opts *o, struct seam_report *r)
{
	char size[16];

	size_format(o->punch_size, size, sizeof(size));
	report_config_u64(r, "vcpus", o->vcpus);
	report_config_u64(r, "pages", o->pages);
	report_config_u64(r, "punchers", o->punchers);
	report_config_str(r, "punch_size", size);
	report_config_str(r, "pattern", pattern_name(o->pattern));
	report_config_str(r, "order", order_name(o->order));
	if (o->sweeps)
		report_config_u64(r, "sweeps", o->sweeps);
	else
		report_config_str(r, "duration", "");
	if (o->cpus)
		report_config_str(r, "cpus", o->cpus);
	if (o->nodes)
		report_config_str(r, "nodes", o->nodes);
	report_config_u64(r, "inject_corruption", o->inject_corruption);
}

void stress_run(const struct seam_opts *o, struct seam_report *r)
{
	static const char *const stat_names[] = { "exits", "pf_taken", "pf_fixed", "pf_spurious" };
	uint64_t stats_before[4], sweeps = 0, writes = 0, zeroed = 0, bad;
	struct seam_run *run;
	vm_vaddr_t order_gva;
	double t0, deadline, secs;
	enum seam_flavor flavor;
	bool quiesce_ok;
	uint32_t v;
	int i;

	r->seed = o->seed;
	r->vcpus = o->vcpus;
	config_to_report(o, r);
	if (!o->sweeps) {
		char d[32];

		snprintf(d, sizeof(d), "%g", o->duration_s);
		report_config_str(r, "duration", d);
	}

	flavor = stress_flavor_resolve(o->flavor, r->skip_reason, sizeof(r->skip_reason));
	snprintf(r->flavor, sizeof(r->flavor), "%s",
		 flavor_name(flavor == FLAVOR_AUTO ? o->flavor : flavor));
	if (flavor == FLAVOR_AUTO) {
		r->result = RESULT_SKIP;
		return;
	}

	run = calloc(1, sizeof(*run));
	TEST_ASSERT(run, "calloc(seam_run) failed");
	run->opts = o;
	run->report = r;

	guest_random_seed = (uint32_t)o->seed;
	run->svm = stress_vm_create(flavor, o->vcpus, o->pages,
				    o->vcpus * o->pages * sizeof(uint32_t) / SEAM_PAGE_SIZE + 2,
				    seam_guest_sweep);
	if (o->inject_corruption && !run->svm->region_hva) {
		snprintf(r->skip_reason, sizeof(r->skip_reason),
			 "--inject-corruption needs a host-visible region; flavor %s keeps it private",
			 flavor_name(flavor));
		r->result = RESULT_SKIP;
		stress_vm_destroy(run->svm);
		free(run);
		return;
	}

	order_gva = vm_vaddr_alloc(run->svm->vm, o->vcpus * o->pages * sizeof(uint32_t),
				   KVM_UTIL_MIN_VADDR);
	guest_orders_setup(run, order_gva);
	seam_guest_args = (struct seam_guest_args) {
		.region_gva = run->svm->region_gpa,
		.nr_pages = o->pages,
		.order_gva = order_gva,
		.nr_vcpus = o->vcpus,
	};
	sync_global_to_guest(run->svm->vm, seam_guest_args);

	for (i = 0; i < 4; i++)
		if (!kvm_stats_vcpu_sum(run->svm, stat_names[i], &stats_before[i]))
			stats_before[i] = UINT64_MAX;

	signal(SIGINT, on_stop_signal);
	signal(SIGTERM, on_stop_signal);

	t0 = now_s();
	for (v = 0; v < o->vcpus; v++) {
		run->vcpu[v].index = v;
		vcpu_args_set(run->svm->vcpus[v], 1, v);
		pthread_create(&run->vcpu[v].thread, NULL, vcpu_thread_main, &run->vcpu[v]);
	}
	chaos_start(run);

	deadline = t0 + o->duration_s;
	while (!run->abort && !stop_signal) {
		if (o->sweeps ? all_vcpus(run, reached, o->sweeps) : now_s() >= deadline)
			break;
		wait_tick();
	}
	chaos_stop(run);
	run->quiesced = true;

	deadline = now_s() + QUIESCE_DEADLINE_S;
	while (!(quiesce_ok = all_vcpus(run, finished, 0)) && now_s() < deadline) {
		if (stop_signal)
			run->abort = true;
		wait_tick();
	}
	secs = now_s() - t0;
	r->duration_s = secs;

	if (!quiesce_ok) {
		for (v = 0; v < o->vcpus; v++) {
			struct seam_finding *f;

			if (finished(&run->vcpu[v], 0))
				continue;
			f = report_add_finding(r, "hung",
					       "vCPU %u did not finish its clean sweep within %d s of chaos stopping (at sweep %llu, page %llu)",
					       v, QUIESCE_DEADLINE_S,
					       (unsigned long long)READ_ONCE(run->svm->progress[v].sweep),
					       (unsigned long long)READ_ONCE(run->svm->progress[v].page));
			finding_u64(f, "vcpu", v);
			finding_u64(f, "deadline_s", QUIESCE_DEADLINE_S);
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
		sweeps += run->vcpu[v].sweeps;
		writes += READ_ONCE(run->svm->progress[v].writes);
		zeroed += READ_ONCE(run->svm->progress[v].zeroed);
	}
	report_counter(r, "sweeps", sweeps);
	report_counter(r, "guest_writes", writes);
	report_counter(r, "punches", chaos_punches(run));
	/* Guest reads that found a punched page: proof the punches land. */
	report_counter(r, "punch_hits", zeroed);
	report_counter(r, "injected", run->injected);
	report_rate(r, "sweeps_per_s", sweeps / secs);
	report_rate(r, "guest_writes_per_s", writes / secs);
	report_rate(r, "punches_per_s", chaos_punches(run) / secs);
	if (quiesce_ok)
		stats_counters(run, stats_before, stat_names, 4, secs);
	faults_estimate(run, stats_before[1], zeroed, secs);

	if (quiesce_ok && !run->abort && !stop_signal) {
		bad = integrity_check_final(run);
		report_counter(r, "integrity_mismatches", bad);
		report_config_str(r, "host_check", run->svm->region_hva ? "done" : "not host-visible");
	}

	if (quiesce_ok) {
		stress_vm_destroy(run->svm);
		free(run);
	}
}
