// SPDX-License-Identifier: GPL-2.0
/*
 * The zero-step streak counter on trace fixtures: a TD vCPU re-faulting at
 * one RIP past the module's threshold, with the synthesized and BUSY exits
 * counted; a shadow-paging trace with one long streak; the histogram.
 */
#include <inttypes.h>
#include <stdlib.h>

#include "seamstress.h"
#include "streak.h"
#include "unit.h"

/* Feed a fixture through the same calls the live tracer makes. */
static int feed(struct streak_counter *sc, const char *path)
{
	uint64_t a, b, c, d, e;
	char line[256];
	int n = 0;
	FILE *f = fopen(path, "r");

	UNIT_EXPECT(f, "%s (run from the repository root)", path);
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "exit %" SCNu64 " %" SCNu64 " %" SCNx64 " %" SCNx64 " %" SCNx64,
			   &a, &b, &c, &d, &e) == 5)
			streak_kvm_exit(sc, a, b, c, d, e);
		else if (sscanf(line, "walk %" SCNu64 " %" SCNx64, &a, &b) == 2)
			streak_walk(sc, a, b & ~63ULL);
		else
			continue;
		n++;
	}
	fclose(f);
	streak_finish(sc);
	return n;
}

static void test_tdx_zero_step_fixture(void)
{
	struct streak_counter sc;

	streak_init(&sc, 7);
	UNIT_EXPECT(feed(&sc, "tests/fixtures/trace-tdx-zero-step.txt") == 15, "records");
	UNIT_EXPECT(sc.suspects == 1, "%llu suspects", (unsigned long long)sc.suspects);
	UNIT_EXPECT(sc.nr_worst == 1 && sc.worst[0].id == 0 &&
		    sc.worst[0].key == 0xffffffff81001000ULL && sc.worst[0].len == 9,
		    "worst: vcpu %llu key 0x%llx len %llu",
		    (unsigned long long)sc.worst[0].id, (unsigned long long)sc.worst[0].key,
		    (unsigned long long)sc.worst[0].len);
	UNIT_EXPECT(sc.busy_exits == 2, "busy %llu", (unsigned long long)sc.busy_exits);
	UNIT_EXPECT(sc.synthesized_exits == 3, "synthesized %llu",
		    (unsigned long long)sc.synthesized_exits);
	/* vCPU 1: two streaks of 1; vCPU 0: one of 9. */
	UNIT_EXPECT(sc.hist[0] == 2 && sc.hist[7] == 1, "hist[1]=%llu hist[8-15]=%llu",
		    (unsigned long long)sc.hist[0], (unsigned long long)sc.hist[7]);
}

static void test_threshold_is_the_seventh(void)
{
	struct streak_counter sc;
	int i;

	streak_init(&sc, 7);
	for (i = 0; i < 6; i++)
		streak_kvm_exit(&sc, 0, EXIT_REASON_EPT_VIOLATION, 0x1000, 0x182, 0);
	streak_progress(&sc, 0);
	UNIT_EXPECT(sc.suspects == 0, "6 in a row is below the filter's threshold");
	for (i = 0; i < 7; i++)
		streak_kvm_exit(&sc, 0, EXIT_REASON_EPT_VIOLATION, 0x1000, 0x182, 0);
	streak_finish(&sc);
	UNIT_EXPECT(sc.suspects == 1 && sc.longest == 7, "the 7th arms it");
}

static void test_shadow_walk_fixture(void)
{
	struct streak_counter sc;

	streak_init(&sc, 7);
	UNIT_EXPECT(feed(&sc, "tests/fixtures/trace-shadow-walks.txt") == 23, "records");
	UNIT_EXPECT(sc.suspects == 1 && sc.worst[0].id == 101 &&
		    sc.worst[0].key == 0x100005040ULL && sc.worst[0].len == 15, "tid 101 streak 15");
	UNIT_EXPECT(sc.hist[2] == 2, "two normal touches of 3 walks: %llu",
		    (unsigned long long)sc.hist[2]);
	UNIT_EXPECT(sc.faults == 23 && sc.streaks == 5, "faults %llu streaks %llu",
		    (unsigned long long)sc.faults, (unsigned long long)sc.streaks);
}

/*
 * A walk is an access, not a fault: on a host that emulates the guest every
 * access of the slot walks once (a locked store twice).  The guest's own
 * visit of one slot is at most SEAM_GUEST_SLOT_WALKS_MAX walks: a locked
 * store whose read-back was torn is check, xchg, read-back, second read,
 * repair xchg = 1 + 2 + 1 + 1 + 2 = 7, which once made a zero_step finding
 * of the harness's own accesses.  Only walks beyond them are re-faults.
 */
static void test_guest_own_walks_are_not_a_streak(void)
{
	struct streak_counter sc;
	int i;

	streak_init(&sc, 7);
	for (i = 0; i < SEAM_GUEST_SLOT_WALKS_MAX; i++)
		streak_walk(&sc, 101, 0x100012000);
	streak_walk(&sc, 101, 0x100013000);
	streak_finish(&sc);
	UNIT_EXPECT(sc.suspects == 0, "the guest's own %d walks made %llu suspects",
		    SEAM_GUEST_SLOT_WALKS_MAX, (unsigned long long)sc.suspects);

	/* Seven more than the guest's own: seven re-faults at least. */
	streak_init(&sc, 7);
	for (i = 0; i < SEAM_GUEST_SLOT_WALKS_MAX + 7; i++)
		streak_walk(&sc, 101, 0x100012000);
	streak_finish(&sc);
	UNIT_EXPECT(sc.suspects == 1 && sc.longest == SEAM_GUEST_SLOT_WALKS_MAX + 7,
		    "%llu suspects, longest %llu", (unsigned long long)sc.suspects,
		    (unsigned long long)sc.longest);
	/* An exit is a fault: no slack there. */
	streak_init(&sc, 7);
	for (i = 0; i < 7; i++)
		streak_kvm_exit(&sc, 0, SVM_EXIT_NPF, 0x1000, 0, 0);
	streak_finish(&sc);
	UNIT_EXPECT(sc.suspects == 1, "7 NPF exits at one RIP");
}

static void test_worst_keeps_longest(void)
{
	struct streak_counter sc;
	uint64_t id, i;

	streak_init(&sc, 2);
	for (id = 1; id <= 20; id++) {
		for (i = 0; i < id + 1; i++)
			streak_fault(&sc, id, 0x40);
		streak_progress(&sc, id);
	}
	UNIT_EXPECT(sc.suspects == 20 && sc.nr_worst == STREAK_MAX_SUSPECTS, "suspects");
	for (i = 0; i < sc.nr_worst; i++)
		UNIT_EXPECT(sc.worst[i].len >= 21 - STREAK_MAX_SUSPECTS + 1,
			    "kept a short one: %llu", (unsigned long long)sc.worst[i].len);
	UNIT_EXPECT_STR(streak_bucket_name(10), "64+");
}

UNIT_MAIN(UNIT(test_tdx_zero_step_fixture),
	  UNIT(test_threshold_is_the_seventh),
	  UNIT(test_shadow_walk_fixture),
	  UNIT(test_guest_own_walks_are_not_a_streak),
	  UNIT(test_worst_keeps_longest))
