// SPDX-License-Identifier: GPL-2.0
/*
 * The zero-step streak counter on trace fixtures: a TD vCPU re-faulting at
 * one RIP past the module's threshold, with the synthesized and BUSY exits
 * counted; an SVM guest's store sweeping many pages from one RIP (no
 * streak) and re-faulting on one page (a streak); a shadow-paging trace
 * with one long streak; the histogram.
 */
#include <inttypes.h>
#include <stdlib.h>

#include "seamstress.h"
#include "streak.h"
#include "kselftest_harness.h"

/* Feed a fixture through the same calls the live tracer makes. */
static int feed(struct __test_metadata *_metadata, struct streak_counter *sc, const char *path)
{
	uint64_t a, b, c, d, e;
	char line[256];
	int n = 0;
	FILE *f = fopen(path, "r");

	EXPECT_NE(NULL, f) TH_LOG("%s (run from the repository root)", path);
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "exit %" SCNu64 " %" SCNu64 " %" SCNx64 " %" SCNx64 " %" SCNx64,
			   &a, &b, &c, &d, &e) == 5)
			streak_kvm_exit(sc, a, b, c, d, e);
		else if (sscanf(line, "fault %" SCNu64 " %" SCNx64 " %" SCNx64, &a, &b, &c) == 3)
			streak_page_fault(sc, a, b, c);
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

TEST(tdx_zero_step_fixture)
{
	struct streak_counter sc;

	streak_init(&sc, 7);
	EXPECT_TRUE(feed(_metadata, &sc, "tests/fixtures/trace-tdx-zero-step.txt") == 26) TH_LOG("records");
	EXPECT_TRUE(sc.suspects == 1) TH_LOG("%llu suspects", (unsigned long long)sc.suspects);
	EXPECT_TRUE(sc.nr_worst == 1 && sc.worst[0].id == 0 &&
		    sc.worst[0].key == 0xffffffff81001000ULL && sc.worst[0].gpa == 0x1000 &&
		    sc.worst[0].len == 9) TH_LOG("worst: vcpu %llu key 0x%llx len %llu",
		    (unsigned long long)sc.worst[0].id, (unsigned long long)sc.worst[0].key,
		    (unsigned long long)sc.worst[0].len);
	EXPECT_TRUE(sc.busy_exits == 2) TH_LOG("busy %llu", (unsigned long long)sc.busy_exits);
	EXPECT_TRUE(sc.synthesized_exits == 3) TH_LOG("synthesized %llu",
		    (unsigned long long)sc.synthesized_exits);
	/* vCPU 1: two streaks of 1; vCPU 0: one of 9. */
	EXPECT_TRUE(sc.hist[0] == 2 && sc.hist[7] == 1) TH_LOG("hist[1]=%llu hist[8-15]=%llu",
		    (unsigned long long)sc.hist[0], (unsigned long long)sc.hist[7]);
}

TEST(threshold_is_the_seventh)
{
	struct streak_counter sc;
	int i;

	streak_init(&sc, 7);
	for (i = 0; i < 6; i++)
		streak_page_fault(&sc, 0, 0x1000, 0x5000);
	streak_progress(&sc, 0);
	EXPECT_TRUE(sc.suspects == 0) TH_LOG("6 in a row is below the filter's threshold");
	for (i = 0; i < 7; i++)
		streak_page_fault(&sc, 0, 0x1000, 0x5000);
	streak_finish(&sc);
	EXPECT_TRUE(sc.suspects == 1 && sc.longest == 7) TH_LOG("the 7th arms it");
}

/*
 * One store instruction faulting on page after page is the guest sweeping,
 * not zero-step: keyed on the RIP alone, vCPU 0's ten faults below were
 * one streak of 10 and every clean sweep on the nested upstream KVM made a
 * zero_step finding.  A streak is one RIP on one page: vCPU 1's eight.
 */
TEST(npf_sweep_is_not_a_streak)
{
	struct streak_counter sc;

	streak_init(&sc, 7);
	EXPECT_TRUE(feed(_metadata, &sc, "tests/fixtures/trace-npf-sweep.txt") == 37) TH_LOG("records");
	EXPECT_TRUE(sc.faults == 18) TH_LOG("%llu faults", (unsigned long long)sc.faults);
	EXPECT_TRUE(sc.hist[0] == 10) TH_LOG("vCPU 0's sweep: %llu streaks of 1, expected 10",
		    (unsigned long long)sc.hist[0]);
	EXPECT_TRUE(sc.suspects == 1 && sc.worst[0].id == 1 && sc.worst[0].key == 0x405791 &&
		    sc.worst[0].gpa == 0x100003000ULL && sc.worst[0].len == 8) TH_LOG("%llu suspects; worst: vcpu %llu rip 0x%llx gpa 0x%llx len %llu, expected vcpu 1 rip 0x405791 gpa 0x100003000 len 8",
		    (unsigned long long)sc.suspects, (unsigned long long)sc.worst[0].id,
		    (unsigned long long)sc.worst[0].key, (unsigned long long)sc.worst[0].gpa,
		    (unsigned long long)sc.worst[0].len);
}

TEST(shadow_walk_fixture)
{
	struct streak_counter sc;

	streak_init(&sc, 7);
	EXPECT_TRUE(feed(_metadata, &sc, "tests/fixtures/trace-shadow-walks.txt") == 23) TH_LOG("records");
	EXPECT_TRUE(sc.suspects == 1 && sc.worst[0].id == 101 &&
		    sc.worst[0].key == 0x100005040ULL && sc.worst[0].len == 15) TH_LOG("tid 101 streak 15");
	EXPECT_TRUE(sc.hist[2] == 2) TH_LOG("two normal touches of 3 walks: %llu",
		    (unsigned long long)sc.hist[2]);
	EXPECT_TRUE(sc.faults == 23 && sc.streaks == 5) TH_LOG("faults %llu streaks %llu",
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
TEST(guest_own_walks_are_not_a_streak)
{
	struct streak_counter sc;
	int i;

	streak_init(&sc, 7);
	for (i = 0; i < SEAM_GUEST_SLOT_WALKS_MAX; i++)
		streak_walk(&sc, 101, 0x100012000);
	streak_walk(&sc, 101, 0x100013000);
	streak_finish(&sc);
	EXPECT_TRUE(sc.suspects == 0) TH_LOG("the guest's own %d walks made %llu suspects",
		    SEAM_GUEST_SLOT_WALKS_MAX, (unsigned long long)sc.suspects);

	/* Seven more than the guest's own: seven re-faults at least. */
	streak_init(&sc, 7);
	for (i = 0; i < SEAM_GUEST_SLOT_WALKS_MAX + 7; i++)
		streak_walk(&sc, 101, 0x100012000);
	streak_finish(&sc);
	EXPECT_TRUE(sc.suspects == 1 && sc.longest == SEAM_GUEST_SLOT_WALKS_MAX + 7) TH_LOG("%llu suspects, longest %llu", (unsigned long long)sc.suspects,
		    (unsigned long long)sc.longest);
	/* A traced fault is a fault: no slack there. */
	streak_init(&sc, 7);
	for (i = 0; i < 7; i++)
		streak_page_fault(&sc, 0, 0x1000, 0x5000);
	streak_finish(&sc);
	EXPECT_TRUE(sc.suspects == 1) TH_LOG("7 faults at one RIP on one page");
}

TEST(worst_keeps_longest)
{
	struct streak_counter sc;
	uint64_t id, i;

	streak_init(&sc, 2);
	for (id = 1; id <= 20; id++) {
		for (i = 0; i < id + 1; i++)
			streak_fault(&sc, id, 0x40);
		streak_progress(&sc, id);
	}
	EXPECT_TRUE(sc.suspects == 20 && sc.nr_worst == STREAK_MAX_SUSPECTS) TH_LOG("suspects");
	for (i = 0; i < sc.nr_worst; i++)
		{ EXPECT_TRUE(sc.worst[i].len >= 21 - STREAK_MAX_SUSPECTS + 1) TH_LOG("kept a short one: %llu", (unsigned long long)sc.worst[i].len); }
	EXPECT_STREQ("64+", streak_bucket_name(10));
}

TEST_HARNESS_MAIN
