// SPDX-License-Identifier: GPL-2.0
/*
 * The model's scheduler (include/model_sched.h).  Seeded mode passes one
 * token between real threads under a mutex and condition variable.
 */
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "model_sched.h"

__thread int model_self;

void sched_init(struct model_sched *s, bool seeded, uint64_t seed, uint64_t max_steps)
{
	memset(s, 0, sizeof(*s));
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	s->seeded = seeded;
	seam_rng_init(&s->rng, seed, 0x5c4ed);
	s->max_steps = max_steps;
	s->current = -1;
}

bool sched_is_seeded(const struct model_sched *s)
{
	return s->seeded;
}

/* With s->mu held: hand the token to a random live thread. */
static void pick_next(struct model_sched *s)
{
	int live[SCHED_MAX_THREADS], n = 0, i;

	for (i = 0; i < s->nr; i++)
		if (s->alive[i])
			live[n++] = i;
	s->current = n ? live[seam_rng_below(&s->rng, n)] : -1;
	pthread_cond_broadcast(&s->cv);
}

static void wait_turn(struct model_sched *s, int self)
{
	while (s->current != self)
		pthread_cond_wait(&s->cv, &s->mu);
}

int sched_register(struct model_sched *s, int self, const char *name)
{
	pthread_mutex_lock(&s->mu);
	if (self + 1 > s->nr)
		s->nr = self + 1;
	s->registered++;
	s->alive[self] = true;
	snprintf(s->names[self], sizeof(s->names[0]), "%s", name);
	pthread_cond_broadcast(&s->cv);
	if (s->seeded)
		wait_turn(s, self);
	pthread_mutex_unlock(&s->mu);
	return self;
}

void sched_start(struct model_sched *s, int nr_threads)
{
	pthread_mutex_lock(&s->mu);
	while (s->registered < nr_threads)
		pthread_cond_wait(&s->cv, &s->mu);
	if (s->seeded)
		pick_next(s);
	pthread_mutex_unlock(&s->mu);
}

/* Real threads yield at every 8th point: often enough to interleave. */
#define SCHED_YIELD_EVERY	8

void sched_point(struct model_sched *s, int self, const char *what)
{
	char step[sizeof(s->trail[0])];

	pthread_mutex_lock(&s->mu);
	s->steps++;
	snprintf(step, sizeof(step), "%s: %s", s->names[self], what);
	memcpy(s->trail[s->trail_pos++ % SCHED_TRAIL], step, sizeof(step));
	if (s->seeded) {
		pick_next(s);
		wait_turn(s, self);
	}
	pthread_mutex_unlock(&s->mu);
	if (!s->seeded && !(s->steps % SCHED_YIELD_EVERY))
		sched_yield();
}

void sched_exit(struct model_sched *s, int self)
{
	pthread_mutex_lock(&s->mu);
	s->alive[self] = false;
	if (s->seeded)
		pick_next(s);
	pthread_mutex_unlock(&s->mu);
}

uint64_t sched_steps(struct model_sched *s)
{
	return __atomic_load_n(&s->steps, __ATOMIC_RELAXED);
}

bool sched_exhausted(struct model_sched *s)
{
	return s->max_steps && sched_steps(s) >= s->max_steps;
}

void sched_trail(struct model_sched *s, char *buf, size_t len)
{
	unsigned int i, n = 0, start;

	pthread_mutex_lock(&s->mu);
	start = s->trail_pos > SCHED_TRAIL ? s->trail_pos - SCHED_TRAIL : 0;
	buf[0] = 0;
	for (i = start; i < s->trail_pos && n < len; i++)
		n += snprintf(buf + n, len - n, "%s%s", i == start ? "" : "; ",
			      s->trail[i % SCHED_TRAIL]);
	pthread_mutex_unlock(&s->mu);
}
