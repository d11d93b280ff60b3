// SPDX-License-Identifier: GPL-2.0
/*
 * Flavor selection and setup plans against recorded capability sets: this
 * development host, a 6.12 host with KVM_SW_PROTECTED_VM, a TDX host, an
 * old host and one without KVM.
 */
#include "flavor.h"
#include "tdx_abi.h"
#include "unit.h"

/* Measured on the development host (docs/tdx-kvm-abi.md §9). */
static const struct seam_host_caps dev_host = {
	.kvm = true, .vm_types = 0x1, .guest_memfd = 1, .gmem_flags = 3,
	.user_memory2 = 1, .sw_mem_attrs = 0, .exit_hypercall = 0x1000,
};
/* CONFIG_KVM_SW_PROTECTED_VM=y, 6.12: no guest_memfd flags yet. */
static const struct seam_host_caps sw_host = {
	.kvm = true, .vm_types = 0x3, .guest_memfd = 1, .gmem_flags = 0,
	.user_memory2 = 1, .sw_mem_attrs = KVM_MEMORY_ATTRIBUTE_PRIVATE,
};
/* A 6.18 TDX host: VM types default and TDX (docs/tdx-kvm-abi.md §1, §3). */
static const struct seam_host_caps tdx_host = {
	.kvm = true, .vm_types = 0x21, .guest_memfd = 1, .gmem_flags = 3,
	.user_memory2 = 1, .split_irqchip = 1, .exit_hypercall = 0x1000,
	.tdx_mem_attrs = KVM_MEMORY_ATTRIBUTE_PRIVATE,
};
static const struct seam_host_caps old_host = { .kvm = true };
static const struct seam_host_caps no_kvm = { .kvm = false };

static const char *why(enum seam_flavor f, const struct seam_host_caps *c)
{
	static char buf[256];
	const char *r = flavor_unavailable(f, c, buf, sizeof(buf));

	return r ? r : "(available)";
}

static void test_auto_picks_strongest(void)
{
	UNIT_EXPECT(flavor_pick_auto(&dev_host) == FLAVOR_GMEM_SHARED, "dev host");
	UNIT_EXPECT(flavor_pick_auto(&sw_host) == FLAVOR_SW_PROTECTED, "sw host");
	UNIT_EXPECT(flavor_pick_auto(&tdx_host) == FLAVOR_TDX, "tdx host");
	UNIT_EXPECT(flavor_pick_auto(&old_host) == FLAVOR_ANON, "old host");
	/* auto never picks the model: it stresses no kernel. */
	UNIT_EXPECT(flavor_pick_auto(&no_kvm) == FLAVOR_AUTO, "no kvm");
}

static void test_skip_reasons_name_the_capability(void)
{
	UNIT_EXPECT_STR(why(FLAVOR_SW_PROTECTED, &dev_host),
			"KVM_CAP_VM_TYPES (0x1) lacks KVM_X86_SW_PROTECTED_VM");
	UNIT_EXPECT_STR(why(FLAVOR_TDX, &dev_host),
			"KVM_CAP_VM_TYPES (0x1) lacks KVM_X86_TDX_VM");
	UNIT_EXPECT_STR(why(FLAVOR_TDX, &tdx_host), "(available)");
	UNIT_EXPECT_STR(why(FLAVOR_GMEM_SHARED, &sw_host),
			"KVM_CAP_GUEST_MEMFD_FLAGS (0x0) lacks GUEST_MEMFD_FLAG_MMAP|GUEST_MEMFD_FLAG_INIT_SHARED");
	UNIT_EXPECT_STR(why(FLAVOR_GMEM_SHARED, &old_host), "KVM_CAP_GUEST_MEMFD is 0");
	UNIT_EXPECT_CONTAINS(why(FLAVOR_ANON, &no_kvm), "/dev/kvm");
	UNIT_EXPECT_STR(why(FLAVOR_ANON, &old_host), "(available)");
	UNIT_EXPECT_STR(why(FLAVOR_SW_PROTECTED, &sw_host), "(available)");
	UNIT_EXPECT_STR(why(FLAVOR_TDX_MODEL, &dev_host), "(available)");
	UNIT_EXPECT_STR(why(FLAVOR_TDX_MODEL, &no_kvm), "(available)");
}

static void test_sw_protected_needs_private_attribute(void)
{
	struct seam_host_caps c = sw_host;

	c.sw_mem_attrs = 0;
	UNIT_EXPECT_STR(why(FLAVOR_SW_PROTECTED, &c),
			"KVM_CAP_MEMORY_ATTRIBUTES (0x0) lacks KVM_MEMORY_ATTRIBUTE_PRIVATE");
	c = sw_host;
	c.guest_memfd = 0;
	UNIT_EXPECT_STR(why(FLAVOR_SW_PROTECTED, &c), "KVM_CAP_GUEST_MEMFD is 0");
	c = sw_host;
	c.user_memory2 = 0;
	UNIT_EXPECT_STR(why(FLAVOR_SW_PROTECTED, &c), "KVM_CAP_USER_MEMORY2 is 0");
}

static void test_tdx_needs_each_capability(void)
{
	struct seam_host_caps c;

	c = tdx_host;
	c.split_irqchip = 0;
	UNIT_EXPECT_STR(why(FLAVOR_TDX, &c), "KVM_CAP_SPLIT_IRQCHIP is 0");
	c = tdx_host;
	c.exit_hypercall = 0;
	UNIT_EXPECT_STR(why(FLAVOR_TDX, &c), "KVM_CAP_EXIT_HYPERCALL (0x0) lacks KVM_HC_MAP_GPA_RANGE");
	c = tdx_host;
	c.tdx_mem_attrs = 0;
	UNIT_EXPECT_CONTAINS(why(FLAVOR_TDX, &c), "of a TDX VM lacks KVM_MEMORY_ATTRIBUTE_PRIVATE");
	c = tdx_host;
	c.guest_memfd = 0;
	UNIT_EXPECT_STR(why(FLAVOR_TDX, &c), "KVM_CAP_GUEST_MEMFD is 0");
	/* Without TDX, a TDX-capable-looking host picks the next flavor. */
	c = tdx_host;
	c.vm_types = 0x1;
	UNIT_EXPECT(flavor_pick_auto(&c) == FLAVOR_GMEM_SHARED, "fallback");
}

static void test_gmem_shared_needs_both_flags(void)
{
	struct seam_host_caps c = dev_host;

	c.gmem_flags = GUEST_MEMFD_FLAG_MMAP;
	UNIT_EXPECT_CONTAINS(why(FLAVOR_GMEM_SHARED, &c), "(0x1) lacks");
	c.gmem_flags = GUEST_MEMFD_FLAG_INIT_SHARED;
	UNIT_EXPECT_CONTAINS(why(FLAVOR_GMEM_SHARED, &c), "(0x2) lacks");
}

static void test_plans(void)
{
	struct seam_flavor_plan p;

	UNIT_EXPECT(flavor_plan(FLAVOR_SW_PROTECTED, &p), "sw_protected has a plan");
	UNIT_EXPECT(p.vm_type == KVM_X86_SW_PROTECTED_VM, "type %u", p.vm_type);
	UNIT_EXPECT(p.use_gmem && p.memslot_flags == KVM_MEM_GUEST_MEMFD, "gmem slot");
	UNIT_EXPECT(p.gmem_flags == 0, "private gmem takes no flags, got 0x%llx",
		    (unsigned long long)p.gmem_flags);
	UNIT_EXPECT(p.set_private && !p.host_visible, "private, not host visible");
	UNIT_EXPECT(p.punch == PUNCH_GMEM_FALLOCATE, "punch by fallocate");

	UNIT_EXPECT(flavor_plan(FLAVOR_GMEM_SHARED, &p), "gmem_shared has a plan");
	UNIT_EXPECT(p.vm_type == KVM_X86_DEFAULT_VM, "type %u", p.vm_type);
	UNIT_EXPECT(p.gmem_flags == (GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED),
		    "flags 0x%llx", (unsigned long long)p.gmem_flags);
	UNIT_EXPECT(!p.set_private && p.host_visible, "shared, host visible");

	UNIT_EXPECT(flavor_plan(FLAVOR_ANON, &p), "anon has a plan");
	UNIT_EXPECT(!p.use_gmem && p.punch == PUNCH_MADV_DONTNEED, "anon punches by madvise");

	UNIT_EXPECT(flavor_plan(FLAVOR_TDX, &p), "tdx has a plan");
	UNIT_EXPECT(p.vm_type == KVM_X86_TDX_VM && p.use_gmem && p.gmem_flags == 0 &&
		    p.set_private && !p.host_visible && p.memslot_flags == KVM_MEM_GUEST_MEMFD,
		    "TD memory: private guest_memfd without INIT_SHARED (abi §5)");
	UNIT_EXPECT(!flavor_plan(FLAVOR_TDX_MODEL, &p), "tdx_model has no VM");
	UNIT_EXPECT(!flavor_plan(FLAVOR_AUTO, &p), "auto is not concrete");
}

static void test_names_round_trip(void)
{
	enum seam_flavor f;
	int i;

	for (i = 0; i < NR_FLAVORS; i++) {
		UNIT_EXPECT(flavor_parse(flavor_name(i), &f) && f == (enum seam_flavor)i,
			    "%s", flavor_name(i));
		UNIT_EXPECT_CONTAINS(flavor_names(), flavor_name(i));
	}
	UNIT_EXPECT(!flavor_parse("TDX", &f), "names are case sensitive");
	UNIT_EXPECT(!flavor_parse("", &f), "empty name");
}

UNIT_MAIN(UNIT(test_auto_picks_strongest),
	  UNIT(test_skip_reasons_name_the_capability),
	  UNIT(test_sw_protected_needs_private_attribute),
	  UNIT(test_tdx_needs_each_capability),
	  UNIT(test_gmem_shared_needs_both_flags),
	  UNIT(test_plans),
	  UNIT(test_names_round_trip))
