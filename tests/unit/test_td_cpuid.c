// SPDX-License-Identifier: GPL-2.0
/*
 * CPUID for KVM_TDX_INIT_VM on recorded capabilities
 * (docs/tdx-kvm-abi.md §3.5-§3.6, §8.3): only configurable leaves, masked, TSX
 * and WAITPKG cleared, GPAW 48 or 52 in 0x80000008.EAX[23:16].
 */
#include <stdlib.h>

#include "td_create.h"
#include "unit.h"

static struct kvm_cpuid2 *cpuid(int n, const struct kvm_cpuid_entry2 *e)
{
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + n * sizeof(*e));

	c->nent = n;
	memcpy(c->entries, e, n * sizeof(*e));
	return c;
}

static const struct kvm_cpuid_entry2 sup[] = {
	{ .function = 1, .eax = 0x806f8, .ecx = 0xfeda3223, .edx = 0x178bfbff },
	{ .function = 7, .index = 0, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX,
	  .ebx = 0xffffffff, .ecx = 0xffffffff },
	{ .function = 7, .index = 1, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX, .eax = 0x10 },
	{ .function = 0xa, .eax = 0x8300805 },		/* not configurable below */
	{ .function = 0x80000008, .eax = 0x3030 },	/* GuestPhysBits 0 on this host */
};
static const struct kvm_cpuid_entry2 cfg[] = {
	{ .function = 1, .eax = 0xffffffff, .ecx = 0x0000ffff, .edx = 0xffffffff },
	{ .function = 7, .index = 0, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX,
	  .ebx = 0xffffffff, .ecx = 0xffffffff },
	{ .function = 0x80000008, .eax = 0x00ff0000 },	/* only the GPAW byte */
	{ .function = 0x1c },				/* configurable, unsupported */
};

static void test_filter(void)
{
	struct kvm_cpuid2 *s = cpuid(5, sup), *c = cpuid(4, cfg);
	struct kvm_cpuid_entry2 out[8];
	int n = td_cpuid_filter(s, c, 48, out, 8);

	UNIT_EXPECT(n == 3, "%d entries: leaves 1, 7.0, 0x80000008", n);
	UNIT_EXPECT(out[0].function == 1 && out[0].ecx == 0x3223 && out[0].eax == 0x806f8,
		    "masked by the capability: ecx 0x%x", out[0].ecx);
	UNIT_EXPECT(out[1].function == 7 && !(out[1].ebx & (1u << 4 | 1u << 11)) &&
		    !(out[1].ecx & (1u << 5)), "TSX and WAITPKG cleared");
	UNIT_EXPECT(out[2].function == 0x80000008 && out[2].eax == 48 << 16,
		    "GPAW 48, the rest masked off: 0x%x", out[2].eax);
	UNIT_EXPECT(td_cpuid_filter(s, c, 52, out, 8) == 3 && out[2].eax == 52 << 16, "GPAW 52");
	UNIT_EXPECT(td_cpuid_filter(s, c, 46, out, 8) == -1, "GPAW 46 refused");
	UNIT_EXPECT(td_cpuid_filter(s, c, 48, out, 2) == 2, "bounded by max");
	free(s);
	free(c);
}

UNIT_MAIN(UNIT(test_filter))
