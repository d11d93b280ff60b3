// SPDX-License-Identifier: GPL-2.0
/*
 * Which tracefs instances a run may remove: only those whose creator is
 * provably gone.  A pid alone proves nothing across PID namespaces or after
 * pid reuse, so the name carries boot id, namespace and start time.
 */
#include "kselftest_harness.h"

#include "instance_name.h"

static const struct instance_owner self = {
	.boot = "1a2b3c4d", .pidns = 4026531836ULL, .pid = 4242, .start = 100,
};

/* The processes of this fake /proc: pid 10 started at 500, pid 11 at 600. */
static uint64_t fake_start_of(pid_t pid)
{
	return pid == 10 ? 500 : pid == 11 ? 600 : pid == self.pid ? self.start : 0;
}

static bool stale(const char *name)
{
	return instance_name_stale(name, &self, fake_start_of);
}

TEST(names_round_trip)
{
	struct instance_owner o;
	char name[96];

	instance_name_format(&self, name, sizeof(name));
	ASSERT_STREQ("seamstress-1a2b3c4d-4026531836-4242-100", name);
	ASSERT_TRUE(instance_name_parse(name, &o));
	EXPECT_STREQ(self.boot, o.boot);
	EXPECT_EQ(self.pidns, o.pidns);
	EXPECT_EQ(self.pid, o.pid);
	EXPECT_EQ(self.start, o.start);
}

TEST(gone_creator_is_stale)
{
	/* No pid 12; pid 10 exists but started later: reused, creator gone. */
	EXPECT_TRUE(stale("seamstress-1a2b3c4d-4026531836-12-50"));
	EXPECT_TRUE(stale("seamstress-1a2b3c4d-4026531836-10-50"));
}

TEST(live_or_unprovable_creators_are_kept)
{
	EXPECT_FALSE(stale("seamstress-1a2b3c4d-4026531836-10-500"));	/* alive */
	EXPECT_FALSE(stale("seamstress-1a2b3c4d-4026531836-4242-100"));	/* ourselves */
	EXPECT_FALSE(stale("seamstress-1a2b3c4d-4026532000-12-50"));	/* another PID namespace */
	EXPECT_FALSE(stale("seamstress-99999999-4026531836-12-50"));	/* another boot */
	EXPECT_FALSE(stale("seamstress-1234"));				/* the old pid-only names */
	EXPECT_FALSE(stale("seamstress-1a2b3c4d-4026531836-12-50x"));
	EXPECT_FALSE(stale("other-1a2b3c4d-4026531836-12-50"));
}

TEST(own_process_has_an_owner)
{
	struct instance_owner o;

	ASSERT_TRUE(instance_owner_self(&o));
	EXPECT_EQ(getpid(), o.pid);
	EXPECT_EQ(o.start, instance_proc_start(getpid()));
	EXPECT_EQ(8, strlen(o.boot));
}

TEST_HARNESS_MAIN
