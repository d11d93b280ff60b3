// SPDX-License-Identifier: GPL-2.0
/*
 * CPUID filtering for KVM_TDX_INIT_VM (include/td_create.h).  Kept apart
 * from the ioctls so that unit tests check it on recorded capabilities.
 */
#include <string.h>

#include "td_create.h"

/* CPUID.7.0: EBX.HLE bit 4, EBX.RTM bit 11, ECX.WAITPKG bit 5 (docs/tdx-kvm-abi.md §3.5-§3.6). */
#define CPUID7_EBX_TSX		((1u << 4) | (1u << 11))
#define CPUID7_ECX_WAITPKG	(1u << 5)

/*
 * The supported entry of exactly (@function, @index).  KVM_TDX_CAPABILITIES
 * sets no flags (td_init_cpuid_entry2(), arch/x86/kvm/vmx/tdx.c) and lists
 * every sub-leaf, a leaf without any as index 0, so its flags cannot say
 * which index matters: the pair always does.
 */
static const struct kvm_cpuid_entry2 *find(const struct kvm_cpuid2 *c,
					   uint32_t function, uint32_t index)
{
	uint32_t i;

	for (i = 0; i < c->nent; i++)
		if (c->entries[i].function == function && c->entries[i].index == index)
			return &c->entries[i];
	return NULL;
}

int td_cpuid_filter(const struct kvm_cpuid2 *supported,
		    const struct kvm_cpuid2 *configurable, unsigned int gpaw,
		    struct kvm_cpuid_entry2 *out, int max)
{
	const struct kvm_cpuid_entry2 *cfg, *sup;
	struct kvm_cpuid_entry2 *e;
	uint32_t i;
	int n = 0;

	if (gpaw != 48 && gpaw != 52)
		return -1;

	for (i = 0; i < configurable->nent && n < max; i++) {
		cfg = &configurable->entries[i];
		sup = find(supported, cfg->function, cfg->index);
		if (!sup)
			continue;

		e = &out[n++];
		memset(e, 0, sizeof(*e));
		e->function = cfg->function;
		e->index = cfg->index;
		/* KVM_TDX_INIT_VM looks sub-leaves up by these (cpuid_entry2_find()). */
		e->flags = sup->flags;
		e->eax = sup->eax & cfg->eax;
		e->ebx = sup->ebx & cfg->ebx;
		e->ecx = sup->ecx & cfg->ecx;
		e->edx = sup->edx & cfg->edx;

		if (e->function == 7 && e->index == 0) {
			e->ebx &= ~CPUID7_EBX_TSX;
			e->ecx &= ~CPUID7_ECX_WAITPKG;
		}
		/* GPAW selects the shared bit and the S-EPT levels. */
		if (e->function == 0x80000008)
			e->eax = (e->eax & ~0xff0000u) | gpaw << 16;
	}
	return n;
}
