/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A seamstress test, declared in its own file (tests/NAME.c), the way LTP's
 * struct tst_test and the memstress-based KVM tests read: the guest loop,
 * what the host's chaos threads do to the contended region, the option
 * defaults that make the scenario, and what the test needs of the flavor.
 * Everything else (options, detectors, the supervisor, the report) is the
 * same for every test and comes from lib/.
 *
 * Adding a test is one file that ends in SEAM_TEST_MAIN() plus its section
 * in the scenario files; the Makefile builds every tests/NAME.c and tells the
 * scenario reader its name.
 */
#ifndef SEAMSTRESS_SEAM_TEST_H
#define SEAMSTRESS_SEAM_TEST_H

#include <stdbool.h>
#include <stdint.h>

struct chaos_target;
struct model_guest;

/* What a test needs of the flavor, checked before any VM exists. */
enum seam_test_needs {
	/* KVM_SET_MEMORY_ATTRIBUTES with KVM_MEMORY_ATTRIBUTE_PRIVATE. */
	SEAM_NEEDS_MEMORY_ATTRIBUTES = 1 << 0,
};

struct seam_test {
	const char *name;
	/* One line for --help: the race the test provokes. */
	const char *summary;
	/*
	 * Runs in the guest, one call per vCPU with its index, never
	 * returning: built from include/guest_sweep.h.
	 */
	void (*guest_code)(uint32_t vcpu);
	/*
	 * The same page step on a tdx_model vCPU, once per page: the
	 * NAME_on_model that SEAM_GUEST_SWEEPS() defines beside guest code
	 * NAME.  NULL (a step only a VM can run): tdx_model SKIPs the test.
	 */
	void (*model_guest_code)(struct model_guest *g);
	/*
	 * One chaos operation on [off, off + len) of the region, the @n-th
	 * of its puncher thread: built from the chaos_punch() and
	 * chaos_convert() of include/chaos.h; 0 or -errno.  The same function
	 * runs against the kernel and against the tdx_model.
	 */
	int (*chaos_op)(struct chaos_target *t, uint64_t n, uint64_t off, uint64_t len);
	/*
	 * Option words applied before the command line's (NULL-terminated),
	 * so they show in --help and in the reproduce line like any option.
	 */
	const char *const *defaults;
	uint32_t needs;		/* enum seam_test_needs */
	/*
	 * The guest converts private pages itself (MapGPA): a TD then keeps
	 * SEPT_VE_DISABLE clear even without punchers.
	 */
	bool guest_converts;
};

/*
 * Parse the options (the test's defaults first), start the detectors, fork
 * the worker that runs @t, supervise it, write the report; the exit code.
 */
int seam_test_main(const struct seam_test *t, int argc, char *argv[]);

#define SEAM_TEST_MAIN(t)					\
int main(int argc, char *argv[])				\
{								\
	return seam_test_main(&(t), argc, argv);		\
}

#endif /* SEAMSTRESS_SEAM_TEST_H */
