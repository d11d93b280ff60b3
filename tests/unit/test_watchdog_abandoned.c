// SPDX-License-Identifier: GPL-2.0
/*
 * A worker that outlives SIGKILL is left behind, so its finding must carry
 * what a developer needs: every thread's state, and the stuck thread's
 * wchan and kernel stack.  A real D-state worker needs a kernel bug; the
 * evidence is assembled the same way for any live process, so it is
 * checked on a child that sleeps in the kernel (S state) in nanosleep.
 */
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "report.h"
#include "watchdog.h"

static struct seam_report report;

TEST(abandoned_worker_finding_names_states_and_stack)
{
	const struct seam_finding *f;
	char want[32];
	pid_t child;

	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		pause();
		_exit(0);
	}
	usleep(100 * 1000);

	report_init(&report, "t", NULL);
	watch_report_abandoned(child, 500, &report);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);

	ASSERT_EQ(1, report.nr_findings);
	f = &report.findings[0];
	EXPECT_STREQ("hung", f->detector);
	TH_LOG("%s", f->message);
	snprintf(want, sizeof(want), "worker %d abandoned", child);
	EXPECT_NE(NULL, strstr(f->message, want));
	EXPECT_NE(NULL, strstr(f->message, "0 of 1 threads in D state"));
	snprintf(want, sizeof(want), "%d:S", child);
	EXPECT_STREQ(want, finding_get_str(f, "thread_states"));
	EXPECT_STREQ("S", finding_get_str(f, "state"));
	ASSERT_NE(NULL, finding_get_str(f, "stack"));
	ASSERT_NE(NULL, finding_get_str(f, "wchan"));
}

TEST_HARNESS_MAIN
