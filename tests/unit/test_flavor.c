// SPDX-License-Identifier: GPL-2.0
/*
 * Flavor selection and setup plans against recorded capability sets: this
 * development host, a 6.12 host with KVM_SW_PROTECTED_VM, a TDX host, an
 * old host and one without KVM.
 */
#include "flavor.h"
#include "tdx_abi.h"
#include "kselftest_harness.h"

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

TEST(auto_picks_strongest)
{
	EXPECT_TRUE(flavor_pick_auto(&dev_host) == FLAVOR_GMEM_SHARED) TH_LOG("dev host");
	EXPECT_TRUE(flavor_pick_auto(&sw_host) == FLAVOR_SW_PROTECTED) TH_LOG("sw host");
	EXPECT_TRUE(flavor_pick_auto(&tdx_host) == FLAVOR_TDX) TH_LOG("tdx host");
	EXPECT_TRUE(flavor_pick_auto(&old_host) == FLAVOR_ANON) TH_LOG("old host");
	/* auto never picks the model: it stresses no kernel. */
	EXPECT_TRUE(flavor_pick_auto(&no_kvm) == FLAVOR_AUTO) TH_LOG("no kvm");
}

TEST(skip_reasons_name_the_capability)
{
	EXPECT_STREQ("KVM_CAP_VM_TYPES (0x1) lacks KVM_X86_SW_PROTECTED_VM", why(FLAVOR_SW_PROTECTED, &dev_host));
	EXPECT_STREQ("KVM_CAP_VM_TYPES (0x1) lacks KVM_X86_TDX_VM", why(FLAVOR_TDX, &dev_host));
	EXPECT_STREQ("(available)", why(FLAVOR_TDX, &tdx_host));
	EXPECT_STREQ("KVM_CAP_GUEST_MEMFD_FLAGS (0x0) lacks GUEST_MEMFD_FLAG_MMAP|GUEST_MEMFD_FLAG_INIT_SHARED", why(FLAVOR_GMEM_SHARED, &sw_host));
	EXPECT_STREQ("KVM_CAP_GUEST_MEMFD is 0", why(FLAVOR_GMEM_SHARED, &old_host));
	EXPECT_NE(NULL, strstr(why(FLAVOR_ANON, &no_kvm), "/dev/kvm")) TH_LOG("'%s' does not contain '%s'", why(FLAVOR_ANON, &no_kvm), "/dev/kvm");
	EXPECT_STREQ("(available)", why(FLAVOR_ANON, &old_host));
	EXPECT_STREQ("(available)", why(FLAVOR_SW_PROTECTED, &sw_host));
	EXPECT_STREQ("(available)", why(FLAVOR_TDX_MODEL, &dev_host));
	EXPECT_STREQ("(available)", why(FLAVOR_TDX_MODEL, &no_kvm));
}

TEST(sw_protected_needs_private_attribute)
{
	struct seam_host_caps c = sw_host;

	c.sw_mem_attrs = 0;
	EXPECT_STREQ("KVM_CAP_MEMORY_ATTRIBUTES (0x0) lacks KVM_MEMORY_ATTRIBUTE_PRIVATE", why(FLAVOR_SW_PROTECTED, &c));
	c = sw_host;
	c.guest_memfd = 0;
	EXPECT_STREQ("KVM_CAP_GUEST_MEMFD is 0", why(FLAVOR_SW_PROTECTED, &c));
	c = sw_host;
	c.user_memory2 = 0;
	EXPECT_STREQ("KVM_CAP_USER_MEMORY2 is 0", why(FLAVOR_SW_PROTECTED, &c));
}

TEST(tdx_needs_each_capability)
{
	struct seam_host_caps c;

	c = tdx_host;
	c.split_irqchip = 0;
	EXPECT_STREQ("KVM_CAP_SPLIT_IRQCHIP is 0", why(FLAVOR_TDX, &c));
	c = tdx_host;
	c.exit_hypercall = 0;
	EXPECT_STREQ("KVM_CAP_EXIT_HYPERCALL (0x0) lacks KVM_HC_MAP_GPA_RANGE", why(FLAVOR_TDX, &c));
	c = tdx_host;
	c.tdx_mem_attrs = 0;
	EXPECT_NE(NULL, strstr(why(FLAVOR_TDX, &c), "of a TDX VM lacks KVM_MEMORY_ATTRIBUTE_PRIVATE")) TH_LOG("'%s' does not contain '%s'", why(FLAVOR_TDX, &c), "of a TDX VM lacks KVM_MEMORY_ATTRIBUTE_PRIVATE");
	c = tdx_host;
	c.guest_memfd = 0;
	EXPECT_STREQ("KVM_CAP_GUEST_MEMFD is 0", why(FLAVOR_TDX, &c));
	/* Without TDX, a TDX-capable-looking host picks the next flavor. */
	c = tdx_host;
	c.vm_types = 0x1;
	EXPECT_TRUE(flavor_pick_auto(&c) == FLAVOR_GMEM_SHARED) TH_LOG("fallback");
}

TEST(gmem_shared_needs_both_flags)
{
	struct seam_host_caps c = dev_host;

	c.gmem_flags = GUEST_MEMFD_FLAG_MMAP;
	EXPECT_NE(NULL, strstr(why(FLAVOR_GMEM_SHARED, &c), "(0x1) lacks")) TH_LOG("'%s' does not contain '%s'", why(FLAVOR_GMEM_SHARED, &c), "(0x1) lacks");
	c.gmem_flags = GUEST_MEMFD_FLAG_INIT_SHARED;
	EXPECT_NE(NULL, strstr(why(FLAVOR_GMEM_SHARED, &c), "(0x2) lacks")) TH_LOG("'%s' does not contain '%s'", why(FLAVOR_GMEM_SHARED, &c), "(0x2) lacks");
}

TEST(plans)
{
	struct seam_flavor_plan p;

	EXPECT_TRUE(flavor_plan(FLAVOR_SW_PROTECTED, &p)) TH_LOG("sw_protected has a plan");
	EXPECT_TRUE(p.vm_type == KVM_X86_SW_PROTECTED_VM) TH_LOG("type %u", p.vm_type);
	EXPECT_TRUE(p.use_gmem && p.memslot_flags == KVM_MEM_GUEST_MEMFD) TH_LOG("gmem slot");
	EXPECT_TRUE(p.gmem_flags == 0) TH_LOG("private gmem takes no flags, got 0x%llx",
		    (unsigned long long)p.gmem_flags);
	EXPECT_TRUE(p.set_private && !p.host_visible) TH_LOG("private, not host visible");
	EXPECT_TRUE(p.punch == PUNCH_GMEM_FALLOCATE) TH_LOG("punch by fallocate");

	EXPECT_TRUE(flavor_plan(FLAVOR_GMEM_SHARED, &p)) TH_LOG("gmem_shared has a plan");
	EXPECT_TRUE(p.vm_type == KVM_X86_DEFAULT_VM) TH_LOG("type %u", p.vm_type);
	EXPECT_TRUE(p.gmem_flags == (GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED)) TH_LOG("flags 0x%llx", (unsigned long long)p.gmem_flags);
	EXPECT_TRUE(!p.set_private && p.host_visible) TH_LOG("shared, host visible");

	EXPECT_TRUE(flavor_plan(FLAVOR_ANON, &p)) TH_LOG("anon has a plan");
	EXPECT_TRUE(!p.use_gmem && p.punch == PUNCH_MADV_DONTNEED) TH_LOG("anon punches by madvise");

	EXPECT_TRUE(flavor_plan(FLAVOR_TDX, &p)) TH_LOG("tdx has a plan");
	EXPECT_TRUE(p.vm_type == KVM_X86_TDX_VM && p.use_gmem && p.gmem_flags == 0 &&
		    p.set_private && !p.host_visible && p.memslot_flags == KVM_MEM_GUEST_MEMFD) TH_LOG("TD memory: private guest_memfd without INIT_SHARED (abi §5)");
	EXPECT_TRUE(!flavor_plan(FLAVOR_TDX_MODEL, &p)) TH_LOG("tdx_model has no VM");
	EXPECT_TRUE(!flavor_plan(FLAVOR_AUTO, &p)) TH_LOG("auto is not concrete");
}

/*
 * td_image maps the TD's shared bit 47: a guest MAXPHYADDR below 48 would
 * make it reserved (QEMU's TCG default is 40).  Never chosen by auto.
 */
TEST(td_image_needs_the_shared_bit_addressable)
{
	struct seam_host_caps c = dev_host;
	struct seam_flavor_plan p;

	c.guest_maxphyaddr = 40;
	EXPECT_STREQ("the guest MAXPHYADDR (40, KVM_GET_SUPPORTED_CPUID 0x80000008) is below the TD's GPAW 48: its shared bit 47 would be a reserved bit (QEMU: -cpu max,phys-bits=48)",
		     why(FLAVOR_TD_IMAGE, &c));
	c.guest_maxphyaddr = 48;
	EXPECT_STREQ("(available)", why(FLAVOR_TD_IMAGE, &c));
	EXPECT_STREQ("/dev/kvm cannot be opened: is KVM loaded and enabled?", why(FLAVOR_TD_IMAGE, &no_kvm));
	EXPECT_TRUE(flavor_pick_auto(&c) == FLAVOR_GMEM_SHARED) TH_LOG("auto never boots the image");
	EXPECT_TRUE(flavor_plan(FLAVOR_TD_IMAGE, &p) && p.vm_type == KVM_X86_DEFAULT_VM &&
		    !p.use_gmem && !p.set_private) TH_LOG("an ordinary VM with ordinary memslots");
}

TEST(names_round_trip)
{
	enum seam_flavor f;
	int i;

	for (i = 0; i < NR_FLAVORS; i++) {
		EXPECT_TRUE(flavor_parse(flavor_name(i), &f) && f == (enum seam_flavor)i) TH_LOG("%s", flavor_name(i));
		EXPECT_NE(NULL, strstr(flavor_names(), flavor_name(i))) TH_LOG("'%s' does not contain '%s'", flavor_names(), flavor_name(i));
	}
	EXPECT_TRUE(!flavor_parse("TDX", &f)) TH_LOG("names are case sensitive");
	EXPECT_TRUE(!flavor_parse("", &f)) TH_LOG("empty name");
}

TEST_HARNESS_MAIN
