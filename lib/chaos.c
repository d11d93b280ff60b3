// SPDX-License-Identifier: GPL-2.0
/*
 * Host chaos threads: hole punchers (random, sweeping, or chasing the page a
 * vCPU is touching right now) and, for testing the integrity check only, an
 * injector that writes a foreign value into a page the guest owns.
 */
#include <time.h>

#include "rng.h"
#include "stress_run.h"

static void *puncher_main(void *arg)
{
	struct seam_puncher *p = arg;
	struct seam_run *run = container_of(p, struct seam_run, puncher[p->index]);
	const struct seam_opts *o = run->opts;
	struct stress_vm *svm = run->svm;
	uint64_t chunks = svm->region_size / o->punch_size;
	uint64_t pos = p->index * (chunks / run->nr_punchers);
	uint64_t off, page;
	struct seam_rng rng;
	int r;

	placement_apply(svm->nr_vcpus + p->index);
	seam_rng_init(&rng, o->seed, 1000 + p->index);

	while (!READ_ONCE(run->stop_chaos)) {
		switch (o->pattern) {
		case PATTERN_SWEEP:
			off = (pos++ % chunks) * o->punch_size;
			break;
		case PATTERN_CHASE:
			/* Punch where a vCPU is now: the fault races the zap. */
			page = READ_ONCE(svm->progress[seam_rng_below(&rng, svm->nr_vcpus)].page);
			off = (page * SEAM_PAGE_SIZE) & ~(o->punch_size - 1);
			break;
		case PATTERN_RANDOM:
		default:
			off = seam_rng_below(&rng, chunks) * o->punch_size;
			break;
		}

		r = stress_vm_punch(svm, off, o->punch_size);
		if (r) {
			struct seam_finding *f;

			if (p->errors++)
				continue;
			f = report_add_finding(run->report, "punch",
					       "puncher %u: %s of [0x%lx, +0x%lx) failed: %s",
					       p->index,
					       svm->plan.punch == PUNCH_GMEM_FALLOCATE ?
					       "fallocate(PUNCH_HOLE)" : "madvise(DONTNEED)",
					       svm->region_gpa + off, o->punch_size,
					       strerror(-r));
			finding_hex(f, "gpa", svm->region_gpa + off);
			finding_u64(f, "errno", -r);
			run->abort = true;
			break;
		}
		p->punches++;
	}
	return NULL;
}

/*
 * Test only: keep writing a value no vCPU ever writes into vCPU 0's slot of
 * page 0 until the run stops; the guest or the final check must see it.
 */
static void *injector_main(void *arg)
{
	struct seam_run *run = arg;
	struct stress_vm *svm = run->svm;
	const struct timespec ms = { .tv_nsec = 1000000 };

	while (!READ_ONCE(run->stop_chaos) && !READ_ONCE(run->abort)) {
		if (READ_ONCE(svm->progress[0].sweep) >= 2) {
			*stress_vm_slot(svm, 0, 0) = SEAM_FOREIGN_VALUE;
			run->injected++;
		}
		nanosleep(&ms, NULL);
	}
	return NULL;
}

void chaos_start(struct seam_run *run)
{
	uint32_t i;

	run->nr_punchers = run->opts->punchers;
	for (i = 0; i < run->nr_punchers; i++) {
		run->puncher[i].index = i;
		pthread_create(&run->puncher[i].thread, NULL, puncher_main,
			       &run->puncher[i]);
	}
	if (run->opts->inject_corruption) {
		pthread_create(&run->injector, NULL, injector_main, run);
		run->injector_started = true;
	}
}

void chaos_stop(struct seam_run *run)
{
	uint32_t i;

	run->stop_chaos = true;
	for (i = 0; i < run->nr_punchers; i++)
		pthread_join(run->puncher[i].thread, NULL);
	if (run->injector_started)
		pthread_join(run->injector, NULL);
	run->injector_started = false;
}

uint64_t chaos_punches(const struct seam_run *run)
{
	uint64_t sum = 0;
	uint32_t i;

	for (i = 0; i < run->nr_punchers; i++)
		sum += run->puncher[i].punches;
	return sum;
}
