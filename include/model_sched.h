/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Scheduling points of the model.  With real threads a point is a hint to
 * yield.  With the seeded scheduler exactly one model thread runs at a time
 * and, at every point, a seeded RNG picks which runs next: the interleaving
 * is a pure function of the seed, so a failing run replays bit for bit.
 * The last steps are kept as the trail a finding shows.
 *
 * A run owns its scheduler (struct model_run); the module model reaches it
 * through its TD (struct sm_td.sched), the KVM model through km->td.
 */
#ifndef SEAMSTRESS_MODEL_SCHED_H
#define SEAMSTRESS_MODEL_SCHED_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rng.h"

#define SCHED_MAX_THREADS	160
#define SCHED_TRAIL		16

struct model_sched {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool seeded;
	struct seam_rng rng;
	uint64_t steps, max_steps;
	/* Threads: ids below nr, how many registered, whose turn. */
	int nr, registered, current;
	bool alive[SCHED_MAX_THREADS];
	char names[SCHED_MAX_THREADS][24];
	char trail[SCHED_TRAIL][48];
	unsigned int trail_pos;
};

/* The calling model thread's scheduler id (set by the thread itself). */
extern __thread int model_self;

void sched_init(struct model_sched *s, bool seeded, uint64_t seed, uint64_t max_steps);
/*
 * Each model thread registers first, under the @id its creator gave it (not
 * in the order threads happen to start: that would break replay), then
 * waits for its first turn.  Returns @id.
 */
int sched_register(struct model_sched *s, int id, const char *name);
void sched_start(struct model_sched *s, int nr_threads);
/* A scheduling point: another thread may run before this returns. */
void sched_point(struct model_sched *s, int self, const char *what);
void sched_exit(struct model_sched *s, int self);
/* Steps taken so far; true once max_steps is reached (everyone should stop). */
uint64_t sched_steps(struct model_sched *s);
bool sched_exhausted(struct model_sched *s);
bool sched_is_seeded(const struct model_sched *s);
/* The last steps, oldest first: "vcpu 1: AUG(3); puncher 0: BLOCK(3); ...". */
void sched_trail(struct model_sched *s, char *buf, size_t len);

#endif /* SEAMSTRESS_MODEL_SCHED_H */
