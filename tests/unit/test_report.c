// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON writer and the report: escaping and structure, the keys a report
 * promises, the atomic save, and a report still written when the process
 * dies through exit() the way TEST_ASSERT does.
 */
#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "json.h"
#include "report.h"
#include "kselftest_harness.h"

static char *render(void (*fn)(struct json_writer *w))
{
	struct json_writer w;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	json_init(&w, f);
	fn(&w);
	fclose(f);
	return buf;
}

static void doc_nested(struct json_writer *w)
{
	json_begin_object(w, NULL);
	json_string(w, "s", "a\"b\\c\n\t\x01");
	json_u64(w, "u", UINT64_MAX);
	json_i64(w, "i", -5);
	json_double(w, "nan", NAN);
	json_double(w, "d", 0.5);
	json_boolean(w, "b", true);
	json_null(w, "n");
	json_begin_array(w, "a");
	json_u64(w, NULL, 1);
	json_begin_object(w, NULL);
	json_end_object(w);
	json_end_array(w);
	json_begin_array(w, "empty");
	json_end_array(w);
	json_end_object(w);
}

TEST(json_escapes_and_nests)
{
	char *s = render(doc_nested);

	EXPECT_STREQ("{\n"
		"  \"s\": \"a\\\"b\\\\c\\n\\t\\u0001\",\n"
		"  \"u\": 18446744073709551615,\n"
		"  \"i\": -5,\n"
		"  \"nan\": null,\n"
		"  \"d\": 0.5,\n"
		"  \"b\": true,\n"
		"  \"n\": null,\n"
		"  \"a\": [\n"
		"    1,\n"
		"    {}\n"
		"  ],\n"
		"  \"empty\": []\n"
		"}\n", s);
	free(s);
}

static struct seam_report rep;

static void sample_report(const char *path)
{
	struct seam_finding *f;

	report_init(&rep, "concurrent_fault", path);
	snprintf(rep.flavor, sizeof(rep.flavor), "anon");
	rep.seed = 7;
	report_counter(&rep, "sweeps", 3);
	report_counter(&rep, "sweeps", 4);	/* replaces, no duplicate key */
	report_rate(&rep, "sweeps_per_s", 2.0);
	f = report_add_finding(&rep, "integrity", "vCPU %d saw junk", 1);
	finding_hex(f, "gpa", 0x100000000ULL);
	finding_u64(f, "vcpu", 1);
	snprintf(rep.reproduce, sizeof(rep.reproduce), "t -s 7");
}

static char *slurp(const char *path)
{
	static char buf[65536];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return strcpy(buf, "(missing)");
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

TEST(report_has_every_key)
{
	static const char *const keys[] = {
		"\"test\": \"concurrent_fault\"", "\"flavor\": \"anon\"", "\"result\": \"fail\"",
		"\"skip_reason\": null", "\"seed\": 7", "\"kernel\": ", "\"duration_s\": ",
		"\"vcpus\": ", "\"counters\": {", "\"sweeps\": 4", "\"rates\": {",
		"\"findings\": [", "\"detector\": \"integrity\"", "\"message\": \"vCPU 1 saw junk\"",
		"\"gpa\": \"0x100000000\"", "\"reproduce\": \"t -s 7\"",
	};
	char path[] = "/tmp/seam-report-XXXXXX";
	char *s;
	size_t i;

	close(mkstemp(path));
	sample_report(path);
	rep.result = RESULT_FAIL;
	EXPECT_TRUE(report_save(&rep) == 0) TH_LOG("save to %s", path);
	s = slurp(path);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		{ EXPECT_NE(NULL, strstr(s, keys[i])) TH_LOG("'%s' does not contain '%s'", s, keys[i]); }
	EXPECT_TRUE(strstr(s, "\"sweeps\": 3") == NULL) TH_LOG("replaced counter still there");
	unlink(path);
}

TEST(save_is_atomic)
{
	char dir[] = "/tmp/seam-dir-XXXXXX", path[256], cmd[300];
	struct stat st;

	EXPECT_TRUE(mkdtemp(dir) != NULL) TH_LOG("mkdtemp");
	snprintf(path, sizeof(path), "%s/r.json", dir);
	sample_report(path);
	EXPECT_TRUE(report_save(&rep) == 0) TH_LOG("save");
	EXPECT_TRUE(stat(path, &st) == 0 && st.st_size > 0) TH_LOG("report exists");
	/* Only the final file: the temp file was renamed, not left behind. */
	snprintf(cmd, sizeof(cmd), "test $(ls %s | wc -l) -eq 1", dir);
	EXPECT_TRUE(system(cmd) == 0) TH_LOG("temp file left in %s", dir);

	snprintf(path, sizeof(path), "%s/missing/r.json", dir);
	rep.json_path = path;
	EXPECT_TRUE(report_save(&rep) < 0) TH_LOG("save into a missing dir must fail");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	EXPECT_TRUE(system(cmd) == 0) TH_LOG("cleanup");
}

TEST(report_written_on_assert_exit)
{
	char path[] = "/tmp/seam-exit-XXXXXX";
	int status;
	pid_t pid;

	close(mkstemp(path));
	unlink(path);
	pid = fork();
	if (!pid) {
		sample_report(path);
		report_write_at_exit(&rep);
		exit(254);	/* what TEST_ASSERT does */
	}
	waitpid(pid, &status, 0);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 254) TH_LOG("child status %d", status);
	/* An assertion is the harness's: an error, not a verdict on the kernel. */
	EXPECT_NE(NULL, strstr(slurp(path), "\"result\": \"error\"")) TH_LOG("'%s' does not contain '%s'", slurp(path), "\"result\": \"error\"");
	unlink(path);
}

TEST(skip_and_exit_codes)
{
	EXPECT_TRUE(result_exit_code(RESULT_PASS) == 0) TH_LOG("pass");
	EXPECT_TRUE(result_exit_code(RESULT_FAIL) == 1) TH_LOG("fail");
	EXPECT_TRUE(result_exit_code(RESULT_SKIP) == 4) TH_LOG("skip");
	EXPECT_TRUE(result_exit_code(RESULT_XFAIL) == 2) TH_LOG("known issues only: KSFT_XFAIL");
	EXPECT_TRUE(result_exit_code(RESULT_ERROR) == 125) TH_LOG("harness error");
	EXPECT_TRUE(result_exit_code(RESULT_NONE) == 1) TH_LOG("none is a failure");
	EXPECT_STREQ("skip", result_name(RESULT_SKIP));
}

TEST(findings_table_full_counts_drops)
{
	int i;

	report_init(&rep, "t", NULL);
	for (i = 0; i < REPORT_MAX_FINDINGS + 5; i++)
		report_add_finding(&rep, "x", "%d", i);
	EXPECT_TRUE(report_nr_findings(&rep) == REPORT_MAX_FINDINGS) TH_LOG("kept %d", rep.nr_findings);
	EXPECT_TRUE(rep.findings_dropped == 5) TH_LOG("dropped %llu",
		    (unsigned long long)rep.findings_dropped);
	finding_u64(report_add_finding(&rep, "x", "full"), "k", 1);	/* NULL-safe */
}

TEST_HARNESS_MAIN
