// SPDX-License-Identifier: GPL-2.0
/*
 * Known issues: the shipped file parses, a bad file names file, line and
 * key, a finding matches only an entry whose every key matches, and the
 * verdict of a run follows: known findings only is XFAIL, one unknown
 * finding is FAIL, a broken harness is an error, nothing is a pass.
 */
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "known_issues.h"
#include "report.h"

#define SHIPPED		"configs/known-issues"
#define FIXTURES	"tests/fixtures/known-issues/"
#define THIS_HOST	"6.18.44-fc-v1045"

static struct known_issues ki;

static struct seam_finding *torn_finding(struct seam_report *r)
{
	struct seam_finding *f = report_add_finding(r, "integrity",
						    "torn: vCPU 1 saw 0xdc80808080808100 ...");

	finding_str(f, "class", "torn");
	finding_str(f, "lanes_zero", "0x1");
	return f;
}

TEST(shipped_file_parses_and_knows_the_torn_store)
{
	struct seam_report r;
	char err[256] = "";

	ASSERT_EQ(0, known_issues_load(SHIPPED, &ki, err, sizeof(err))) {
		TH_LOG("%s", err);
	}
	ASSERT_LE(1, ki.nr);
	report_init(&r, "concurrent_fault", NULL);
	ASSERT_NE(NULL, known_issues_match(&ki, THIS_HOST, "gmem_shared", torn_finding(&r)));
}

TEST(every_key_must_match)
{
	struct seam_finding *f;
	struct seam_report r;
	char err[256] = "";

	ASSERT_EQ(0, known_issues_load(SHIPPED, &ki, err, sizeof(err)));
	report_init(&r, "concurrent_fault", NULL);
	f = torn_finding(&r);
	/* Another flavor, another kernel, another class, another detector. */
	EXPECT_EQ(NULL, known_issues_match(&ki, THIS_HOST, "sw_protected", f));
	EXPECT_EQ(NULL, known_issues_match(&ki, "6.12.48+deb12-amd64", "gmem_shared", f));
	snprintf(f->evidence[0].s, sizeof(f->evidence[0].s), "garbage");
	EXPECT_EQ(NULL, known_issues_match(&ki, THIS_HOST, "gmem_shared", f));
	snprintf(f->evidence[0].s, sizeof(f->evidence[0].s), "torn");
	snprintf(f->detector, sizeof(f->detector), "splat");
	EXPECT_EQ(NULL, known_issues_match(&ki, THIS_HOST, "gmem_shared", f));
}

TEST(a_bad_key_is_named_with_file_and_line)
{
	char err[256] = "";

	ASSERT_EQ(-1, known_issues_load(FIXTURES "bad-key", &ki, err, sizeof(err)));
	EXPECT_STREQ(FIXTURES "bad-key:5: key 'klass' is unknown; allowed: kernel, flavor, "
		     "detector, class, message, evidence.KEY, note, link", err);
}

TEST(a_missing_required_key_is_named)
{
	char err[256] = "";

	ASSERT_EQ(-1, known_issues_load(FIXTURES "missing-note", &ki, err, sizeof(err)));
	EXPECT_STREQ(FIXTURES "missing-note:1: [no-note] lacks key 'note' (required: kernel, "
		     "detector, note)", err);
}

TEST(a_missing_file_is_an_error_and_none_is_empty)
{
	char err[256] = "";

	EXPECT_EQ(-1, known_issues_load(FIXTURES "absent", &ki, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "cannot open the known-issues file"));
	EXPECT_EQ(0, known_issues_load("none", &ki, err, sizeof(err)));
	EXPECT_EQ(0, ki.nr);
}

/* The verdict: what make check and CI rely on to tell kernel from harness. */
TEST(verdict_known_only_is_xfail_and_one_new_finding_fails)
{
	struct seam_report r;
	char err[256];

	ASSERT_EQ(0, known_issues_load(SHIPPED, &ki, err, sizeof(err)));
	report_init(&r, "concurrent_fault", NULL);
	snprintf(r.kernel, sizeof(r.kernel), THIS_HOST);
	snprintf(r.flavor, sizeof(r.flavor), "gmem_shared");
	EXPECT_EQ(RESULT_PASS, report_verdict(&r));

	torn_finding(&r);
	EXPECT_EQ(1, known_issues_apply(&ki, &r));
	EXPECT_EQ(RESULT_XFAIL, report_verdict(&r));
	EXPECT_EQ(2, result_exit_code(report_verdict(&r)));

	report_add_finding(&r, "worker", "worker exited with status 254");
	EXPECT_EQ(RESULT_ERROR, report_verdict(&r));
	EXPECT_EQ(125, result_exit_code(RESULT_ERROR));

	report_add_finding(&r, "integrity", "garbage: vCPU 0 saw 0xbadc0ffee0ddf00d ...");
	known_issues_apply(&ki, &r);
	EXPECT_EQ(RESULT_FAIL, report_verdict(&r));
}

/* The same torn finding against a file that knows of another bug only. */
TEST(torn_finding_not_in_the_file_fails)
{
	struct seam_report r;
	char err[256];

	ASSERT_EQ(0, known_issues_load(FIXTURES "other-bug-only", &ki, err, sizeof(err)));
	report_init(&r, "concurrent_fault", NULL);
	snprintf(r.kernel, sizeof(r.kernel), THIS_HOST);
	snprintf(r.flavor, sizeof(r.flavor), "gmem_shared");
	torn_finding(&r);
	EXPECT_EQ(0, known_issues_apply(&ki, &r));
	EXPECT_EQ(RESULT_FAIL, report_verdict(&r));
}

/*
 * --known-issues names a file the tool only reads: a FIFO must not block
 * the run forever (nobody may ever write it), nor a directory or a device
 * be read as entries.  Each is one error naming the path and what it is.
 */
TEST(not_a_regular_file_is_an_error_at_once)
{
	char dir[] = "/tmp/seamstress-ki.XXXXXX", fifo[64], err[256] = "";

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	ASSERT_EQ(0, mkfifo(fifo, 0600));
	/* The harness kills a test that hangs: a blocking open fails it. */
	alarm(5);
	EXPECT_EQ(-1, known_issues_load(fifo, &ki, err, sizeof(err)));
	alarm(0);
	EXPECT_NE(NULL, strstr(err, fifo)) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, "a pipe")) TH_LOG("%s", err);
	EXPECT_EQ(-1, known_issues_load(dir, &ki, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "a directory")) TH_LOG("%s", err);
	EXPECT_EQ(-1, known_issues_load("/dev/zero", &ki, err, sizeof(err)));
	EXPECT_NE(NULL, strstr(err, "a device")) TH_LOG("%s", err);
	unlink(fifo);
	rmdir(dir);
}

TEST_HARNESS_MAIN
