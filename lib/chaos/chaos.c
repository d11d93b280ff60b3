// SPDX-License-Identifier: GPL-2.0
/*
 * Host chaos threads:
 *  - punchers: run the test's chaos operation (a punch, or a conversion
 *    where the flavor has memory attributes) on chunks picked at random,
 *    sweeping, at the page a vCPU is on now (chase) or at the page it will
 *    touch next (ahead), timing every operation;
 *  - a kicker: signals vCPU threads out of KVM_RUN at a fixed rate;
 *  - test only: an injector that writes a foreign value into guest memory,
 *    and a stall in one puncher operation for the watchdog to find.
 */
#include <signal.h>
#include <time.h>

#include "chaos.h"
#include "chaos_pick.h"
#include "rng.h"
#include "seam_test.h"
#include "stress_run.h"

static __thread struct kvm_run *kick_run;

/*
 * A kick landing between the vCPU thread's checks and KVM_RUN would be lost;
 * immediate_exit makes that KVM_RUN return at once instead.
 */
static void on_kick(int sig)
{
	if (kick_run)
		kick_run->immediate_exit = 1;
}

/*
 * Process-wide, before any thread exists: a kick that reaches a vCPU
 * thread before it has named its kvm_run (kick_run still NULL) is only
 * lost, where the default action would kill the worker.
 */
void kick_handler_install(void)
{
	struct sigaction sa = { .sa_handler = on_kick };

	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: KVM_RUN must come back with EINTR. */
	sigaction(SIGUSR1, &sa, NULL);
}

void kick_target_init(struct kvm_run *run)
{
	kick_run = run;
}

/* The widening puncher waits at most this long for a vCPU to move on. */
#define WIDEN_WAIT_MIN_NS	20000ULL
#define WIDEN_WAIT_MAX_NS	1000000ULL

static void cpu_relax(void)
{
	__builtin_ia32_pause();
}

static uint64_t vcpu_chunk(struct seam_run *run, uint32_t v, uint64_t idx)
{
	return chaos_page_chunk(&run->view, chaos_vcpu_page(&run->view, v, idx));
}

/* Whether the last timed punch's vCPU read a write back as 0 since. */
static void widen_settle(struct seam_run *run, struct seam_puncher *p)
{
	bool hit;

	if (!p->widen_pending)
		return;
	hit = READ_ONCE(run->svm->progress[p->widen_vcpu].wiped) != p->widen_wiped_before;
	p->widen_hits += hit;
	widen_result(&p->widen, hit);
	p->widen_pending = false;
}

/*
 * --widen (include/widen.h): wait for a vCPU to publish its next page (the
 * race's start line), time the vCPU's visits from those moves, wait the
 * drawn delay, and punch that page.  A vCPU that does not move within the
 * bound (it is out in the host, or done) is punched where it is, untimed.
 */
static uint64_t widen_chunk(struct seam_run *run, struct seam_puncher *p, struct seam_rng *rng)
{
	struct stress_vm *svm = run->svm;
	uint32_t v = seam_rng_below(rng, svm->nr_vcpus);
	struct seam_progress *pr = &svm->progress[v];
	uint64_t idx0, idx, t0, t, limit, delay;

	widen_settle(run, p);
	limit = 2 * p->widen.dwell_ns;
	limit = limit < WIDEN_WAIT_MIN_NS ? WIDEN_WAIT_MIN_NS :
		limit > WIDEN_WAIT_MAX_NS ? WIDEN_WAIT_MAX_NS : limit;
	idx0 = READ_ONCE(pr->idx);
	t0 = watch_now_ns();
	while ((idx = READ_ONCE(pr->idx)) == idx0) {
		if (watch_now_ns() - t0 > limit || READ_ONCE(run->stop_chaos)) {
			p->widen_missed++;
			return vcpu_chunk(run, v, idx);
		}
		cpu_relax();
	}
	t = watch_now_ns();
	/* One page on from the move seen last: a whole visit was timed. */
	if (p->last_idx[v] + 1 == idx && t - p->last_move_ns[v] < WIDEN_WAIT_MAX_NS)
		widen_dwell_sample(&p->widen, t - p->last_move_ns[v]);
	p->last_idx[v] = idx;
	p->last_move_ns[v] = t;

	p->widen_pending = true;
	p->widen_vcpu = v;
	p->widen_wiped_before = READ_ONCE(pr->wiped);
	p->widen_timed++;
	delay = widen_delay(&p->widen, rng);
	while (watch_now_ns() - t < delay)
		cpu_relax();
	return vcpu_chunk(run, v, idx);
}

/* Where each vCPU is (sweep, position in its order), before an operation. */
struct positions {
	uint64_t sweep[SEAM_MAX_VCPUS], idx[SEAM_MAX_VCPUS];
};

static void positions_read(struct seam_run *run, struct positions *ps)
{
	uint32_t v;

	for (v = 0; v < run->svm->nr_vcpus; v++) {
		ps->idx[v] = READ_ONCE(run->svm->progress[v].idx);
		ps->sweep[v] = READ_ONCE(run->svm->progress[v].sweep);
	}
}

/*
 * Whether a vCPU stayed on a page of [off, off + len) for the whole
 * operation: the operation landed between that vCPU's publish of the page
 * (before its first access, the fault) and its publish of the next (after
 * its last access).
 */
static bool collided_on_page(struct seam_run *run, const struct positions *before,
			     uint64_t off, uint64_t len)
{
	uint64_t chunk;
	uint32_t v;

	for (v = 0; v < run->svm->nr_vcpus; v++) {
		if (READ_ONCE(run->svm->progress[v].idx) != before->idx[v] ||
		    READ_ONCE(run->svm->progress[v].sweep) != before->sweep[v])
			continue;
		chunk = chaos_vcpu_page(&run->view, v, before->idx[v]) * SEAM_PAGE_SIZE;
		if (chunk >= off && chunk < off + len)
			return true;
	}
	return false;
}

/* The chunk of the next operation: the shared choice, or --widen's timed one. */
static uint64_t chunk_offset(struct seam_run *run, struct seam_puncher *p, struct seam_rng *rng,
			     uint64_t *pos)
{
	if (run->opts->widen)
		return widen_chunk(run, p, rng);
	return chaos_pick_chunk(&run->view, rng, pos);
}

/* --inject-stall: after this many operations, so that the run is under way. */
#define INJECT_STALL_AFTER_OPS	100

static void stall_once(struct watch_slot *w, double secs)
{
	struct timespec ts = { .tv_sec = secs, .tv_nsec = (secs - (long)secs) * 1e9 };

	watch_begin(w, "fallocate(PUNCH_HOLE) [stall injected]");
	nanosleep(&ts, NULL);
	watch_end(w);
}

/* A paced loop's step: *next moves on by @period_ns, and we sleep until then. */
static void sleep_until_next(struct timespec *next, uint64_t period_ns)
{
	next->tv_nsec += period_ns % 1000000000ULL;
	next->tv_sec += period_ns / 1000000000ULL;
	while (next->tv_nsec >= 1000000000L) {
		next->tv_nsec -= 1000000000L;
		next->tv_sec++;
	}
	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, next, NULL);
}

static int vm_punch(struct chaos_target *t, uint64_t off, uint64_t len)
{
	return stress_vm_punch(t->backend, off, len);
}

static int vm_convert(struct chaos_target *t, uint64_t off, uint64_t len)
{
	return stress_vm_convert(t->backend, off, len);
}

static const struct chaos_target_ops vm_ops = { .punch = vm_punch, .convert = vm_convert };
static const struct chaos_target_ops vm_ops_no_attributes = { .punch = vm_punch };

/*
 * A puncher: the test's chaos operation (struct seam_test.chaos_op) on
 * chunks the pattern picks, each timed, until chaos stops.
 */
static void *puncher_main(void *arg)
{
	struct seam_puncher *p = arg;
	struct seam_run *run = container_of(p, struct seam_run, puncher[p->index]);
	const struct seam_opts *o = run->opts;
	struct stress_vm *svm = run->svm;
	struct chaos_target t = {
		.ops = svm->plan.set_private ? &vm_ops : &vm_ops_no_attributes,
		.backend = svm,
		.punch_name = svm->plan.punch == PUNCH_GMEM_FALLOCATE ?
			      "fallocate(PUNCH_HOLE)" : "madvise(DONTNEED)",
	};
	uint64_t pos = chaos_sweep_start(&run->view, p->index, run->nr_punchers);
	uint64_t off, t0, n;
	struct positions before;
	struct timespec next;
	struct seam_rng rng;
	char name[24];
	int r;

	snprintf(name, sizeof(name), "puncher %u", p->index);
	t.watch = watch_register(name, -1);
	placement_apply(svm->nr_vcpus + p->index);
	seam_rng_init(&rng, o->seed, 1000 + p->index);
	widen_init(&p->widen);

	clock_gettime(CLOCK_MONOTONIC, &next);
	for (n = 0; !READ_ONCE(run->stop_chaos); n++) {
		if (o->punch_hz)
			sleep_until_next(&next, 1000000000ULL / o->punch_hz);
		off = chunk_offset(run, p, &rng, &pos);
		if (o->inject_stall_s && !p->index && n == INJECT_STALL_AFTER_OPS)
			stall_once(t.watch, o->inject_stall_s);

		positions_read(run, &before);
		t0 = watch_now_ns();
		r = o->test->chaos_op(&t, n, off, o->punch_size);
		latency_record(&p->lat, watch_now_ns() - t0);
		p->collisions += collided_on_page(run, &before, off, o->punch_size);

		if (r && !p->errors++) {
			struct seam_finding *f;

			f = report_add_finding(run->report, "punch",
					       "puncher %u: %s of [0x%lx, +0x%lx) failed: %s",
					       p->index, t.last_op, svm->region_gpa + off,
					       o->punch_size, strerror(-r));
			finding_hex(f, "gpa", svm->region_gpa + off);
			finding_u64(f, "errno", -r);
			run->abort = true;
			break;
		}
	}
	widen_settle(run, p);
	p->punches = t.punches;
	p->conversions = t.conversions;
	watch_exit(t.watch);
	return NULL;
}

/* The kicker on the kernel: SIGUSR1 to vCPU threads, paced by the clock. */
struct vm_kicker {
	struct seam_run *run;
	struct watch_slot *watch;
	struct timespec next;
	uint64_t period_ns;
};

static bool vm_kicker_stopping(void *b)
{
	return READ_ONCE(((struct vm_kicker *)b)->run->stop_chaos);
}

static void vm_kicker_wait(void *b)
{
	struct vm_kicker *k = b;

	sleep_until_next(&k->next, k->period_ns);
}

static bool vm_kicker_kickable(void *b, uint32_t v)
{
	struct seam_vcpu_state *vc = &((struct vm_kicker *)b)->run->vcpu[v];

	return !READ_ONCE(vc->done) && !READ_ONCE(vc->failed) && !READ_ONCE(vc->stopped);
}

static void vm_kicker_kick(void *b, uint32_t v)
{
	struct vm_kicker *k = b;

	watch_begin(k->watch, "pthread_kill(SIGUSR1)");
	pthread_kill(k->run->vcpu[v].thread, SIGUSR1);
	watch_end(k->watch);
}

static const struct chaos_kicker_ops vm_kicker_ops = {
	.stopping = vm_kicker_stopping,
	.wait = vm_kicker_wait,
	.kickable = vm_kicker_kickable,
	.kick = vm_kicker_kick,
};

static void *kicker_main(void *arg)
{
	struct seam_run *run = arg;
	uint32_t nr = run->svm->nr_vcpus;
	/* --kick-rate is per vCPU: the kicker's turns come nr times as often. */
	struct vm_kicker k = {
		.run = run,
		.watch = watch_register("kicker", -1),
		.period_ns = 1000000000ULL / ((uint64_t)run->opts->kick_hz * nr),
	};

	placement_apply(nr + run->nr_punchers);
	clock_gettime(CLOCK_MONOTONIC, &k.next);
	run->kicks = chaos_kicker_run(&vm_kicker_ops, &k, nr);
	watch_exit(k.watch);
	return NULL;
}

/*
 * Test only: keep writing a value no vCPU ever writes into vCPU 0's slot of
 * page 0 until the run stops; the guest or the final check must see it.
 * With --inject-tear the value is the tag found there with its byte 0
 * zeroed, what the torn stores of a splitting host look like.
 */
static void *injector_main(void *arg)
{
	struct seam_run *run = arg;
	struct stress_vm *svm = run->svm;
	const struct timespec ms = { .tv_nsec = 1000000 };
	volatile uint64_t *slot;
	uint64_t v, sweep;
	uint32_t vcpu;

	while (!READ_ONCE(run->stop_chaos) && !READ_ONCE(run->abort)) {
		if (READ_ONCE(svm->progress[0].sweep) >= 2) {
			slot = stress_vm_slot(svm, 0, 0);
			if (!run->opts->inject_tear) {
				*slot = SEAM_FOREIGN_VALUE;
				run->injected++;
			} else if (v = *slot, run->opts->access_width < SEAM_TAG_LANES ?
				   (v & SEAM_TAG_LANE_MARK) && (v & ~0xffULL) :
				   seam_tag_decode(v, &vcpu, &sweep)) {
				*slot = v & ~0xffULL;
				run->injected++;
			}
		}
		nanosleep(&ms, NULL);
	}
	return NULL;
}

/*
 * --host-reader: read every slot through the host's mapping of the region,
 * as a VMM or a migration thread would, so that the host's page-table
 * entries for it are re-created right after each punch.
 */
static void *reader_main(void *arg)
{
	struct seam_run *run = arg;
	struct stress_vm *svm = run->svm;
	uint64_t page, reads = 0;
	uint32_t vc;

	while (!READ_ONCE(run->stop_chaos) && !READ_ONCE(run->abort)) {
		for (page = 0; page < svm->nr_pages; page++)
			for (vc = 0; vc < svm->nr_vcpus; vc++, reads++)
				(void)READ_ONCE(*stress_vm_slot(svm, page, vc));
	}
	run->host_reads = reads;
	return NULL;
}

void chaos_start(struct seam_run *run)
{
	uint32_t i;

	run->nr_punchers = run->opts->punchers;
	run->view = (struct chaos_view){
		.progress = run->svm->progress,
		.order = run->order,
		.nr_vcpus = run->svm->nr_vcpus,
		.nr_pages = run->svm->nr_pages,
		.punch_size = run->opts->punch_size,
		.pattern = run->opts->pattern,
	};
	for (i = 0; i < run->nr_punchers; i++) {
		run->puncher[i].index = i;
		pthread_create(&run->puncher[i].thread, NULL, puncher_main,
			       &run->puncher[i]);
	}
	if (run->opts->kick_hz) {
		pthread_create(&run->kicker, NULL, kicker_main, run);
		run->kicker_started = true;
	}
	if (run->opts->inject_corruption || run->opts->inject_tear) {
		pthread_create(&run->injector, NULL, injector_main, run);
		run->injector_started = true;
	}
	if (run->opts->host_reader) {
		pthread_create(&run->reader, NULL, reader_main, run);
		run->reader_started = true;
	}
}

void chaos_stop(struct seam_run *run)
{
	uint32_t i;

	run->stop_chaos = true;
	for (i = 0; i < run->nr_punchers; i++)
		pthread_join(run->puncher[i].thread, NULL);
	if (run->kicker_started)
		pthread_join(run->kicker, NULL);
	if (run->injector_started)
		pthread_join(run->injector, NULL);
	if (run->reader_started)
		pthread_join(run->reader, NULL);
	run->kicker_started = run->injector_started = run->reader_started = false;
}

/*
 * The collision yield: operations that landed while a vCPU was on the page
 * (host-observed), and writes the guest read back as 0 (a punch between its
 * store and its read-back: guest-observed), per second and per operation.
 */
static void collisions_report(struct seam_run *run, double secs, uint64_t ops)
{
	uint64_t collisions = 0, wiped = 0, timed = 0, missed = 0, hits = 0;
	struct seam_report *r = run->report;
	char buf[32];
	uint32_t i;

	for (i = 0; i < run->nr_punchers; i++) {
		collisions += run->puncher[i].collisions;
		timed += run->puncher[i].widen_timed;
		missed += run->puncher[i].widen_missed;
		hits += run->puncher[i].widen_hits;
	}
	for (i = 0; i < run->svm->nr_vcpus; i++)
		wiped += READ_ONCE(run->svm->progress[i].wiped);
	report_counter(r, "collisions_on_page", collisions);
	report_counter(r, "readback_wiped", wiped);
	report_rate(r, "collisions_on_page_per_s", collisions / secs);
	report_rate(r, "readback_wiped_per_s", wiped / secs);
	report_rate(r, "collision_fraction", ops ? (double)collisions / ops : 0);
	report_rate(r, "readback_wiped_per_op", ops ? (double)wiped / ops : 0);
	report_config_u64(r, "widen", run->opts->widen);
	if (!run->opts->widen || !run->nr_punchers)
		return;
	report_counter(r, "widen_timed", timed);
	report_counter(r, "widen_missed", missed);
	report_counter(r, "widen_hits", hits);
	/* Puncher 0's view: the visit it measured and where it found the race. */
	snprintf(buf, sizeof(buf), "%.0f", run->puncher[0].widen.dwell_ns);
	report_config_str(r, "widen_dwell_ns", buf);
	snprintf(buf, sizeof(buf), "%.0f", (widen_best_bin(&run->puncher[0].widen) + 0.5) *
		 run->puncher[0].widen.dwell_ns / WIDEN_BINS);
	report_config_str(r, "widen_best_delay_ns", buf);
}

void chaos_report(struct seam_run *run, double secs)
{
	uint64_t punches = 0, conversions = 0;
	struct latency_hist lat = { 0 };
	uint32_t i;

	for (i = 0; i < run->nr_punchers; i++) {
		punches += run->puncher[i].punches;
		conversions += run->puncher[i].conversions;
		latency_merge(&lat, &run->puncher[i].lat);
	}
	collisions_report(run, secs, punches + conversions);
	report_counter(run->report, "punches", punches);
	report_counter(run->report, "conversions", conversions);
	report_counter(run->report, "kicks", run->kicks);
	report_counter(run->report, "injected", run->injected);
	report_counter(run->report, "host_reads", run->host_reads);
	report_rate(run->report, "punches_per_s", punches / secs);
	report_rate(run->report, "kicks_per_s", run->kicks / secs);
	report_latency(run->report, "punch", lat.count, latency_percentile(&lat, 50),
		       latency_percentile(&lat, 99), lat.max);
}
