/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a puncher strikes and which vCPU a kicker kicks: the chaos
 * threads' choices, the same on every flavor.  A backend (the kernel's,
 * lib/chaos/chaos.c, or the model's, lib/model/model_run.c) gives what the
 * chaos threads see of its vCPUs and how they wait, kick and stop; the
 * choices are made here, so one seed makes the same ones on both.
 */
#ifndef SEAMSTRESS_CHAOS_PICK_H
#define SEAMSTRESS_CHAOS_PICK_H

#include <stdbool.h>
#include <stdint.h>

#include "options.h"

struct seam_progress;
struct seam_rng;

/* What the chaos threads see of the vCPUs: their published places, their orders. */
struct chaos_view {
	const struct seam_progress *progress;	/* nr_vcpus of them */
	const uint32_t *order;			/* nr_vcpus sweep orders of nr_pages */
	uint32_t nr_vcpus;
	uint64_t nr_pages;
	uint64_t punch_size;			/* bytes per operation, a power of 2 */
	enum seam_pattern pattern;
};

/* The @idx-th page (mod the region) of vCPU @v's sweep order. */
uint64_t chaos_vcpu_page(const struct chaos_view *cv, uint32_t v, uint64_t idx);
/* The offset of the punch-sized chunk holding @page. */
uint64_t chaos_page_chunk(const struct chaos_view *cv, uint64_t page);
/* Where -P sweep starts puncher @index of @nr: spread over the region. */
uint64_t chaos_sweep_start(const struct chaos_view *cv, uint32_t index, uint32_t nr);
/*
 * The offset of the chunk the next operation strikes, by the pattern:
 * random, the next of a sweep from *pos, the page a vCPU is on (chase) or
 * the one it touches next (ahead).
 */
uint64_t chaos_pick_chunk(const struct chaos_view *cv, struct seam_rng *rng, uint64_t *pos);

/* How a kicker waits, kicks and stops on its backend. */
struct chaos_kicker_ops {
	bool (*stopping)(void *backend);
	void (*wait)(void *backend);			/* until the next kick is due */
	bool (*kickable)(void *backend, uint32_t v);	/* v is still running its sweeps */
	void (*kick)(void *backend, uint32_t v);	/* out of KVM_RUN (or the model's entry) */
};

/*
 * The kicker: each vCPU in turn, one kick each time one is due, until the
 * backend stops; a vCPU that is done is passed over.  Returns the kicks.
 */
uint64_t chaos_kicker_run(const struct chaos_kicker_ops *ops, void *backend, uint32_t nr_vcpus);

#endif /* SEAMSTRESS_CHAOS_PICK_H */
