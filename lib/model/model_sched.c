// SPDX-License-Identifier: GPL-2.0
/*
 * The model's scheduler (include/model_sched.h).  Seeded mode passes one
 * token between real threads under a mutex and condition variable.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "model_sched.h"
#include "rng.h"

__thread int model_self;

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool seeded;
	struct seam_rng rng;
	uint64_t steps, max_steps;
	int nr, registered, current, started;
	bool alive[SCHED_MAX_THREADS];
	char trail[SCHED_TRAIL][48];
	unsigned int trail_pos;
} s = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };
static char names[SCHED_MAX_THREADS][24];

void sched_init(bool seeded, uint64_t seed, uint64_t max_steps)
{
	pthread_mutex_lock(&s.mu);
	s.seeded = seeded;
	seam_rng_init(&s.rng, seed, 0x5c4ed);
	s.steps = 0;
	s.max_steps = max_steps;
	s.nr = 0;
	s.registered = 0;
	memset(s.alive, 0, sizeof(s.alive));
	s.current = -1;
	s.started = 0;
	s.trail_pos = 0;
	memset(s.trail, 0, sizeof(s.trail));
	pthread_mutex_unlock(&s.mu);
}

bool sched_is_seeded(void)
{
	return s.seeded;
}

/* With s.mu held: hand the token to a random live thread. */
static void pick_next(void)
{
	int live[SCHED_MAX_THREADS], n = 0, i;

	for (i = 0; i < s.nr; i++)
		if (s.alive[i])
			live[n++] = i;
	s.current = n ? live[seam_rng_below(&s.rng, n)] : -1;
	pthread_cond_broadcast(&s.cv);
}

static void wait_turn(int self)
{
	while (s.current != self)
		pthread_cond_wait(&s.cv, &s.mu);
}

int sched_register(int self, const char *name)
{
	pthread_mutex_lock(&s.mu);
	if (self + 1 > s.nr)
		s.nr = self + 1;
	s.registered++;
	s.alive[self] = true;
	snprintf(names[self], sizeof(names[0]), "%s", name);
	pthread_cond_broadcast(&s.cv);
	if (s.seeded)
		wait_turn(self);
	pthread_mutex_unlock(&s.mu);
	return self;
}

void sched_start(int nr_threads)
{
	pthread_mutex_lock(&s.mu);
	while (s.registered < nr_threads)
		pthread_cond_wait(&s.cv, &s.mu);
	s.started = 1;
	if (s.seeded)
		pick_next();
	pthread_mutex_unlock(&s.mu);
}

void sched_point(int self, const char *what)
{
	pthread_mutex_lock(&s.mu);
	s.steps++;
	snprintf(s.trail[s.trail_pos++ % SCHED_TRAIL], sizeof(s.trail[0]), "%s: %s",
		 names[self], what);
	if (s.seeded) {
		pick_next();
		wait_turn(self);
	}
	pthread_mutex_unlock(&s.mu);
	if (!s.seeded && !(s.steps & 7))
		sched_yield();
}

void sched_exit(int self)
{
	pthread_mutex_lock(&s.mu);
	s.alive[self] = false;
	if (s.seeded)
		pick_next();
	pthread_mutex_unlock(&s.mu);
}

uint64_t sched_steps(void)
{
	return __atomic_load_n(&s.steps, __ATOMIC_RELAXED);
}

bool sched_exhausted(void)
{
	return s.max_steps && sched_steps() >= s.max_steps;
}

void sched_trail(char *buf, size_t len)
{
	unsigned int i, n = 0, start;

	pthread_mutex_lock(&s.mu);
	start = s.trail_pos > SCHED_TRAIL ? s.trail_pos - SCHED_TRAIL : 0;
	buf[0] = 0;
	for (i = start; i < s.trail_pos && n < len; i++)
		n += snprintf(buf + n, len - n, "%s%s", i == start ? "" : "; ",
			      s.trail[i % SCHED_TRAIL]);
	pthread_mutex_unlock(&s.mu);
}
