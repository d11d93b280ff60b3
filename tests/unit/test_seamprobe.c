// SPDX-License-Identifier: GPL-2.0
/*
 * SEAMCALL probe histograms: statuses counted per probe, decoded by name
 * for the TDX wrappers, overflow counted, and the report section written.
 */
#include "faulttrace.h"
#include "tdx_abi.h"
#include "unit.h"

static struct seam_report rep;

static void test_tdx_statuses(void)
{
	struct seamprobe p = { .symbol = "tdh_mem_page_aug" };
	const struct seam_section *sec;
	int i;

	for (i = 0; i < 5; i++)
		seamprobe_hit(&p, TDX_SUCCESS);
	for (i = 0; i < 3; i++)
		seamprobe_hit(&p, TDX_OPERAND_BUSY | TDX_OPERAND_ID_SEPT);
	seamprobe_hit(&p, TDX_OPERAND_BUSY | TDX_OPERAND_ID_RCX);
	UNIT_EXPECT(p.calls == 9 && p.nr_status == 3, "calls %llu statuses %u",
		    (unsigned long long)p.calls, p.nr_status);

	report_init(&rep, "t", NULL);
	seamprobe_report(&p, true, &rep);
	UNIT_EXPECT(rep.nr_sections == 1, "one section");
	sec = &rep.sections[0];
	UNIT_EXPECT_STR(sec->name, "seamcall_probes.tdh_mem_page_aug");
	UNIT_EXPECT_STR(sec->item[2].key, "0x8000020000000092 OPERAND_BUSY operand SEPT_TREE (0x92)");
	UNIT_EXPECT(sec->item[2].val == 3, "busy count");
	UNIT_EXPECT_STR(sec->item[3].key, "0x8000020000000001 OPERAND_BUSY operand RCX (S-EPT entry) (0x1)");
}

static void test_kvm_returns_and_overflow(void)
{
	struct seamprobe p = { .symbol = "kvm_gmem_get_pfn" };
	int i;

	for (i = 0; i < SEAMPROBE_MAX_STATUS + 3; i++)
		seamprobe_hit(&p, (uint64_t)(int64_t)-i);
	UNIT_EXPECT(p.nr_status == SEAMPROBE_MAX_STATUS && p.other_status == 3, "overflow");
	report_init(&rep, "t", NULL);
	seamprobe_report(&p, false, &rep);
	UNIT_EXPECT_STR(rep.sections[0].item[2].key, "ret -1");
}

UNIT_MAIN(UNIT(test_tdx_statuses),
	  UNIT(test_kvm_returns_and_overflow))
