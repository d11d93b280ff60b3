// SPDX-License-Identifier: GPL-2.0
/*
 * The report's environment (lib/report/environment.c): the first
 * processor's identity out of /proc/cpuinfo text, FNV-1a against its
 * published test vectors, and absent sources written as null, not guessed.
 */
#include <stdlib.h>
#include <string.h>

#include "environment.h"
#include "kselftest_harness.h"

static const char two_cpus[] =
	"processor\t: 0\n"
	"vendor_id\t: GenuineIntel\n"
	"cpu family\t: 6\n"
	"model\t\t: 143\n"
	"model name\t: Intel(R) Xeon(R) Platinum 8480+\n"
	"stepping\t: 8\n"
	"microcode\t: 0x2b000571\n"
	"flags\t\t: fpu vme tdx_host_platform\n"
	"\n"
	"processor\t: 1\n"
	"cpu family\t: 25\n"
	"model\t\t: 1\n"
	"model name\t: AMD EPYC\n"
	"microcode\t: 0x1000065\n";

TEST(first_processor_only)
{
	struct seam_env e;

	env_parse_cpuinfo(&e, two_cpus);
	EXPECT_STREQ("Intel(R) Xeon(R) Platinum 8480+", e.cpu_model);
	EXPECT_EQ(6, e.cpu_family);
	EXPECT_EQ(143, e.cpu_model_nr) TH_LOG("'model', not 'model name'");
	EXPECT_EQ(8, e.cpu_stepping);
	EXPECT_STREQ("0x2b000571", e.microcode);
}

TEST(missing_fields_stay_unknown)
{
	struct seam_env e;

	env_parse_cpuinfo(&e, "processor\t: 0\nflags\t\t: fpu\n");
	EXPECT_EQ(-1, e.cpu_family);
	EXPECT_EQ(-1, e.cpu_model_nr);
	EXPECT_EQ(-1, e.cpu_stepping);
	EXPECT_STREQ("", e.cpu_model);
	EXPECT_STREQ("", e.microcode);
}

/* The FNV-1a 64-bit test vectors of the algorithm's authors. */
TEST(fnv1a64_vectors)
{
	EXPECT_EQ(0xcbf29ce484222325ULL, env_fnv1a64("", 0, FNV1A64_INIT));
	EXPECT_EQ(0xaf63dc4c8601ec8cULL, env_fnv1a64("a", 1, FNV1A64_INIT));
	EXPECT_EQ(0x85944171f73967e8ULL, env_fnv1a64("foobar", 6, FNV1A64_INIT));
	/* In pieces, as a file is read. */
	EXPECT_EQ(0x85944171f73967e8ULL, env_fnv1a64("bar", 3, env_fnv1a64("foo", 3, FNV1A64_INIT)));
}

TEST(absent_sources_are_null)
{
	struct seam_env e = { .timestamp_utc = "2026-12-02T06:45:00Z", .cpu_family = -1,
			      .cpu_model_nr = -1, .cpu_stepping = -1 };
	struct json_writer w;
	char *text = NULL;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	ASSERT_NE(NULL, f);
	json_init(&w, f);
	json_begin_object(&w, NULL);
	env_write_json(&e, &w);
	json_end_object(&w);
	fclose(f);
	EXPECT_NE(NULL, strstr(text, "\"family\": null")) TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "\"fnv1a64\": null")) TH_LOG("no config read: no hash");
	EXPECT_NE(NULL, strstr(text, "\"tdx_module\": null")) TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "\"timestamp_utc\": \"2026-12-02T06:45:00Z\"")) TH_LOG("%s", text);
	free(text);
}

TEST_HARNESS_MAIN
