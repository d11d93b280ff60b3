// SPDX-License-Identifier: GPL-2.0
/*
 * SEAMCALL probe histograms: statuses counted per probe, decoded by name
 * for the TDX wrappers, overflow counted, and the report section written.
 */
#include "faulttrace.h"
#include "tdx_abi.h"
#include "kselftest_harness.h"

static struct seam_report rep;

TEST(tdx_statuses)
{
	struct seamprobe p = { .symbol = "tdh_mem_page_aug" };
	const struct seam_section *sec;
	int i;

	for (i = 0; i < 5; i++)
		seamprobe_hit(&p, TDX_SUCCESS);
	for (i = 0; i < 3; i++)
		seamprobe_hit(&p, TDX_OPERAND_BUSY | TDX_OPERAND_ID_SEPT);
	seamprobe_hit(&p, TDX_OPERAND_BUSY | TDX_OPERAND_ID_RCX);
	EXPECT_TRUE(p.calls == 9 && p.nr_status == 3) TH_LOG("calls %llu statuses %u",
		    (unsigned long long)p.calls, p.nr_status);

	report_init(&rep, "t", NULL);
	seamprobe_report(&p, true, &rep);
	EXPECT_TRUE(rep.nr_sections == 1) TH_LOG("one section");
	sec = &rep.sections[0];
	EXPECT_STREQ("seamcall_probes.tdh_mem_page_aug", sec->name);
	EXPECT_STREQ("0x8000020000000092 OPERAND_BUSY operand SEPT_TREE (0x92)", sec->item[2].key);
	EXPECT_TRUE(sec->item[2].val == 3) TH_LOG("busy count");
	EXPECT_STREQ("0x8000020000000001 OPERAND_BUSY operand RCX (S-EPT entry) (0x1)", sec->item[3].key);
}

TEST(kvm_returns_and_overflow)
{
	struct seamprobe p = { .symbol = "kvm_gmem_get_pfn" };
	int i;

	for (i = 0; i < SEAMPROBE_MAX_STATUS + 3; i++)
		seamprobe_hit(&p, (uint64_t)(int64_t)-i);
	EXPECT_TRUE(p.nr_status == SEAMPROBE_MAX_STATUS && p.other_status == 3) TH_LOG("overflow");
	report_init(&rep, "t", NULL);
	seamprobe_report(&p, false, &rep);
	EXPECT_STREQ("ret -1", rep.sections[0].item[2].key);
}

/* What a TDP MMU fault came to, by name: a retry is not a fix. */
TEST(tdp_mmu_map_returns_by_name)
{
	struct seamprobe p = { .symbol = "kvm_tdp_mmu_map" };

	seamprobe_hit(&p, 5);
	seamprobe_hit(&p, 1);
	seamprobe_hit(&p, 6);
	seamprobe_hit(&p, 9);
	report_init(&rep, "t", NULL);
	seamprobe_report(&p, false, &rep);
	EXPECT_STREQ("ret 5 RET_PF_FIXED", rep.sections[0].item[1].key);
	EXPECT_STREQ("ret 1 RET_PF_RETRY", rep.sections[0].item[2].key);
	EXPECT_STREQ("ret 6 RET_PF_SPURIOUS", rep.sections[0].item[3].key);
	EXPECT_STREQ("ret 9", rep.sections[0].item[4].key);
}

TEST_HARNESS_MAIN
