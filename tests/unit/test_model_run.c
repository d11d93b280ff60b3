// SPDX-License-Identifier: GPL-2.0
/*
 * The tdx_model flavor runs the test's own page step (struct
 * seam_test.model_guest_code, built by SEAM_GUEST_STEP()): what the step
 * asks of a page is what the model vCPU does, nothing more.  Until
 * 2026-12-03 model_run.c had a guest loop of its own that accepted and
 * stored on every page whatever the test's step said.
 */
#include <string.h>

#include "model_guest.h"
#include "model_run.h"
#include "options.h"
#include "report.h"
#include "seam_test.h"
#include "kselftest_harness.h"

static void accept_and_write(struct model_guest *g)
{
	model_guest_accept(g, NULL);
	model_guest_check_untouched(g, NULL, 8);
	model_guest_write_read_back(g, NULL, 8);
}

static void write_only(struct model_guest *g)
{
	model_guest_check_untouched(g, NULL, 8);
	model_guest_write_read_back(g, NULL, 8);
}

static void accept_only(struct model_guest *g)
{
	model_guest_accept(g, NULL);
}

static struct seam_report rep;

/* Two sweeps of 4 pages by one vCPU, seeded, no chaos: @step's counters. */
static void run_step(void (*step)(struct model_guest *g))
{
	static const uint32_t order[4] = { 0, 1, 2, 3 };
	static struct seam_test t = { .name = "t" };
	struct seam_opts o;

	options_defaults(&o);
	t.model_guest_code = step;
	o.test = &t;
	o.flavor = FLAVOR_TDX_MODEL;
	o.kvm_release = KVM_6_19;
	o.vcpus = 1;
	o.pages = 4;
	o.punchers = 0;
	o.kick_hz = 0;
	o.sweeps = 2;
	o.sched_seeded = true;
	o.seed = 1;
	o.model_steps = 5000;
	report_init(&rep, "t", NULL);
	model_run(&o, &rep, order);
}

static uint64_t counter(const char *key)
{
	int i;

	for (i = 0; i < rep.nr_counters; i++)
		if (!strcmp(rep.counters[i].key, key))
			return rep.counters[i].u;
	return UINT64_MAX;
}

TEST(accept_and_write_does_both)
{
	run_step(accept_and_write);
	EXPECT_EQ(8, counter("guest_writes")) TH_LOG("2 sweeps x 4 pages stored");
	EXPECT_LE(8, counter("accepts")) TH_LOG("each page accepted at least once");
	EXPECT_EQ(0, rep.nr_findings) TH_LOG("first finding: %s", rep.findings[0].message);
}

/* A step that never accepts touches PENDING pages: on a TD that is its end. */
TEST(write_only_never_accepts)
{
	run_step(write_only);
	EXPECT_EQ(0, counter("accepts")) TH_LOG("the step asked for no ACCEPT");
	EXPECT_LT(0, rep.nr_findings) TH_LOG("a TD store to a page never accepted");
}

TEST(accept_only_never_stores)
{
	run_step(accept_only);
	EXPECT_EQ(0, counter("guest_writes")) TH_LOG("the step asked for no access");
	EXPECT_LE(8, counter("accepts"));
}

TEST_HARNESS_MAIN
