// SPDX-License-Identifier: GPL-2.0
/*
 * CPUID for KVM_TDX_INIT_VM on recorded capabilities
 * (docs/tdx-kvm-abi.md §3.5-§3.6, §8.3): only configurable leaves, masked, TSX
 * and WAITPKG cleared, GPAW 48 or 52 in 0x80000008.EAX[23:16].
 */
#include <stdlib.h>

#include "td_create.h"
#include "kselftest_harness.h"

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

TEST(filter)
{
	struct kvm_cpuid2 *s = cpuid(5, sup), *c = cpuid(4, cfg);
	struct kvm_cpuid_entry2 out[8];
	int n = td_cpuid_filter(s, c, 48, out, 8);

	EXPECT_TRUE(n == 3) TH_LOG("%d entries: leaves 1, 7.0, 0x80000008", n);
	EXPECT_TRUE(out[0].function == 1 && out[0].ecx == 0x3223 && out[0].eax == 0x806f8) TH_LOG("masked by the capability: ecx 0x%x", out[0].ecx);
	EXPECT_TRUE(out[1].function == 7 && !(out[1].ebx & (1u << 4 | 1u << 11)) &&
		    !(out[1].ecx & (1u << 5))) TH_LOG("TSX and WAITPKG cleared");
	EXPECT_TRUE(out[2].function == 0x80000008 && out[2].eax == 48 << 16) TH_LOG("GPAW 48, the rest masked off: 0x%x", out[2].eax);
	EXPECT_TRUE(td_cpuid_filter(s, c, 52, out, 8) == 3 && out[2].eax == 52 << 16) TH_LOG("GPAW 52");
	EXPECT_TRUE(td_cpuid_filter(s, c, 46, out, 8) == -1) TH_LOG("GPAW 46 refused");
	EXPECT_TRUE(td_cpuid_filter(s, c, 48, out, 2) == 2) TH_LOG("bounded by max");
	free(s);
	free(c);
}

/*
 * KVM_TDX_CAPABILITIES as real KVM answers it: td_init_cpuid_entry2()
 * (arch/x86/kvm/vmx/tdx.c) never sets a flag, and a leaf without sub-leaves
 * (KVM_TDX_CPUID_NO_SUBLEAF) comes back as index 0.  Sub-leaves are listed
 * one by one.  KVM_GET_SUPPORTED_CPUID flags its indexed leaves
 * KVM_CPUID_FLAG_SIGNIFCANT_INDEX, and KVM_TDX_INIT_VM finds each
 * configurable entry in our list by those flags (cpuid_entry2_find()).  So
 * every (function, index) must get its own supported values and keep the
 * supported entry's flags; taking 4.0 for 4.1 is what the module's
 * TDH.MNG.INIT rejects.
 */
TEST(sub_leaves_as_real_kvm_lists_them)
{
	const uint32_t sig = KVM_CPUID_FLAG_SIGNIFCANT_INDEX;
	static const struct kvm_cpuid_entry2 supported[] = {
		{ .function = 1, .eax = 0x806f8 },
		{ .function = 4, .index = 0, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX, .eax = 0x40 },
		{ .function = 4, .index = 1, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX, .eax = 0x41 },
		{ .function = 4, .index = 2, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX, .eax = 0x42 },
		{ .function = 4, .index = 3, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX, .eax = 0x43 },
		{ .function = 7, .index = 0, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX, .eax = 2,
		  .ebx = 0x70 },
		{ .function = 7, .index = 1, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX, .eax = 0x71 },
		{ .function = 0xd, .index = 1, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX, .eax = 0xd1 },
	};
	/* flags 0 throughout, masks all-ones: the values must be the sub-leaf's own. */
	static const struct kvm_cpuid_entry2 configurable[] = {
		{ .function = 1, .eax = ~0u },
		{ .function = 4, .index = 0, .eax = ~0u }, { .function = 4, .index = 1, .eax = ~0u },
		{ .function = 4, .index = 2, .eax = ~0u }, { .function = 4, .index = 3, .eax = ~0u },
		{ .function = 7, .index = 0, .eax = ~0u, .ebx = ~0u },
		{ .function = 7, .index = 1, .eax = ~0u },
		{ .function = 0xd, .index = 1, .eax = ~0u },
		{ .function = 0xd, .index = 2, .eax = ~0u },	/* not supported: dropped */
	};
	struct kvm_cpuid2 *s = cpuid(8, supported), *c = cpuid(9, configurable);
	struct kvm_cpuid_entry2 out[16];
	int n = td_cpuid_filter(s, c, 48, out, 16), i;

	EXPECT_TRUE(n == 8) TH_LOG("%d entries, want 8 (0xd.2 is not supported)", n);
	for (i = 0; i < n && i < 8; i++) {
		EXPECT_TRUE(out[i].function == supported[i].function &&
			    out[i].index == supported[i].index) TH_LOG("entry %d is 0x%x.%u, want 0x%x.%u", i, out[i].function, out[i].index,
			    supported[i].function, supported[i].index);
		EXPECT_TRUE(out[i].eax == supported[i].eax) TH_LOG("0x%x.%u: eax 0x%x, want the sub-leaf's own 0x%x", out[i].function,
			    out[i].index, out[i].eax, supported[i].eax);
		EXPECT_TRUE(out[i].flags == supported[i].flags) TH_LOG("0x%x.%u: flags 0x%x, want KVM_GET_SUPPORTED_CPUID's 0x%x",
			    out[i].function, out[i].index, out[i].flags, supported[i].flags);
	}
	EXPECT_TRUE(out[1].flags == sig) TH_LOG("4.0 keeps SIGNIFCANT_INDEX");
	free(s);
	free(c);
}

TEST_HARNESS_MAIN
