// SPDX-License-Identifier: GPL-2.0
/*
 * SEAMCALL probe histograms: per probed function, how often it returned
 * each status.  For the TDX wrappers the status is retval >> 32 (class and
 * details) with the operand id in the low bits, decoded by name.
 */
#include <stdio.h>
#include <string.h>

#include "faulttrace.h"
#include "kmsg.h"

/* Exported, out-of-line wrappers (docs/tdx-module-and-kvm.md §2.6). */
const char *const seamprobe_tdx_symbols[] = {
	"tdh_mem_page_aug", "tdh_mem_sept_add", "tdh_mem_range_block",
	"tdh_mem_track", "tdh_mem_page_remove", "tdh_phymem_page_wbinvd_hkid",
	NULL,
};

/*
 * guest_memfd and MMU functions of every KVM host, to prove the mechanism
 * and to say what the faults came to: kvm_tdp_mmu_map() returns a RET_PF_*.
 */
const char *const seamprobe_kvm_symbols[] = {
	"kvm_gmem_get_pfn", "kvm_mmu_page_fault", "kvm_unmap_gfn_range", "kvm_tdp_mmu_map",
	NULL,
};

/* arch/x86/kvm/mmu/mmu_internal.h's RET_PF_* (6.12 to 6.18: the same order). */
static const char *ret_pf_name(long long ret)
{
	static const char *const names[] = {
		"RET_PF_CONTINUE", "RET_PF_RETRY", "RET_PF_EMULATE", "RET_PF_WRITE_PROTECTED",
		"RET_PF_INVALID", "RET_PF_FIXED", "RET_PF_SPURIOUS",
	};

	return ret >= 0 && ret < (long long)(sizeof(names) / sizeof(names[0])) ? names[ret] : NULL;
}

bool seamprobe_kallsyms_has(const char *sym)
{
	char line[512], name[256];
	bool found = false;
	FILE *f = fopen("/proc/kallsyms", "r");

	while (f && !found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%*s %*s %255s", name) == 1 && !strcmp(name, sym);
	if (f)
		fclose(f);
	return found;
}

void seamprobe_hit(struct seamprobe *p, uint64_t ret)
{
	uint32_t i;

	p->calls++;
	for (i = 0; i < p->nr_status; i++) {
		if (p->status[i].status == ret) {
			p->status[i].count++;
			return;
		}
	}
	if (p->nr_status < SEAMPROBE_MAX_STATUS) {
		p->status[p->nr_status].status = ret;
		p->status[p->nr_status++].count = 1;
	} else {
		p->other_status++;
	}
}

void seamprobe_report(const struct seamprobe *p, bool tdx, struct seam_report *r)
{
	char sec[64], key[128];
	uint32_t i;

	snprintf(sec, sizeof(sec), "seamcall_probes.%s", p->symbol);
	report_section_u64(r, sec, "calls", p->calls);
	for (i = 0; i < p->nr_status; i++) {
		if (tdx) {
			char dec[96];

			tdx_status_decode(p->status[i].status, dec, sizeof(dec));
			snprintf(key, sizeof(key), "0x%llx %s",
				 (unsigned long long)p->status[i].status, dec);
		} else {
			long long ret = (int)p->status[i].status;
			const char *name = strcmp(p->symbol, "kvm_tdp_mmu_map") ? NULL :
					   ret_pf_name(ret);

			snprintf(key, sizeof(key), "ret %lld%s%s", ret, name ? " " : "",
				 name ? name : "");
		}
		report_section_u64(r, sec, key, p->status[i].count);
	}
	if (p->other_status)
		report_section_u64(r, sec, "other", p->other_status);
}
