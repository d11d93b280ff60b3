// SPDX-License-Identifier: GPL-2.0
/*
 * Kicks are SIGUSR1 (lib/chaos/chaos.c), and SIGUSR1's default action kills the
 * worker.  So every thread of a run must be created after the worker has
 * its handler: a kick reaching a vCPU thread that was created earlier, and
 * has not yet named its kvm_run, would otherwise end the run with no report
 * of why.  The race is too narrow to hit on demand, so this binary checks
 * the order itself: linked with --wrap=pthread_create, every thread
 * creation first asks for SIGUSR1's disposition and ends the worker with
 * exit code 3 if it is still the default.  A run of it on a real /dev/kvm
 * must pass (tests/e2e/runs.sh).
 */
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include "chaos.h"
#include "guest_sweep.h"
#include "seam_test.h"

int __real_pthread_create(pthread_t *thread, const pthread_attr_t *attr,
			  void *(*fn)(void *), void *arg);

int __wrap_pthread_create(pthread_t *thread, const pthread_attr_t *attr,
			  void *(*fn)(void *), void *arg)
{
	static const char msg[] = "kick_before_threads: pthread_create() while SIGUSR1 has its default action\n";
	struct sigaction sa;

	if (!sigaction(SIGUSR1, NULL, &sa) && sa.sa_handler == SIG_DFL) {
		if (write(2, msg, sizeof(msg) - 1) < 0)
			_exit(4);
		_exit(3);
	}
	return __real_pthread_create(thread, attr, fn, arg);
}

/* The plain sweep: the order of thread creation is what is tested. */
SEAM_GUEST_STEP(touch, {
	guest_check_untouched(s, slot, width);
	guest_write_read_back(s, slot, width);
})
SEAM_GUEST_SWEEPS(guest_code, touch)

static int punch(struct chaos_target *t, uint64_t n, uint64_t off, uint64_t len)
{
	return chaos_punch(t, off, len);
}

static const char *const defaults[] = { "--kick-rate", "1000", NULL };

static const struct seam_test test = {
	.name = "kick_before_threads",
	.summary = "every thread of a run is created after the worker's SIGUSR1 handler",
	.guest_code = guest_code,
	.model_guest_code = guest_code_on_model,
	.chaos_op = punch,
	.defaults = defaults,
};
SEAM_TEST_MAIN(test)
