/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Scheduling points of the model.  With real threads a point is a hint to
 * yield.  With the seeded scheduler exactly one model thread runs at a time
 * and, at every point, a seeded RNG picks which runs next: the interleaving
 * is a pure function of the seed, so a failing run replays bit for bit.
 * The last steps are kept as the trail a finding shows.
 */
#ifndef SEAMSTRESS_MODEL_SCHED_H
#define SEAMSTRESS_MODEL_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCHED_MAX_THREADS	160
#define SCHED_TRAIL		16

/* The calling model thread's scheduler id (set by the thread itself). */
extern __thread int model_self;

void sched_init(bool seeded, uint64_t seed, uint64_t max_steps);
/*
 * Each model thread registers first, under the @id its creator gave it (not
 * in the order threads happen to start: that would break replay), then
 * waits for its first turn.  Returns @id.
 */
int sched_register(int id, const char *name);
void sched_start(int nr_threads);
/* A scheduling point: another thread may run before this returns. */
void sched_point(int self, const char *what);
void sched_exit(int self);
/* Steps taken so far; true once max_steps is reached (everyone should stop). */
uint64_t sched_steps(void);
bool sched_exhausted(void);
bool sched_is_seeded(void);
/* The last steps, oldest first: "vcpu 1: AUG(3); puncher 0: BLOCK(3); ...". */
void sched_trail(char *buf, size_t len);

#endif /* SEAMSTRESS_MODEL_SCHED_H */
