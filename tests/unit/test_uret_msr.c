// SPDX-License-Identifier: GPL-2.0
/*
 * CPU 0's user-return MSR (TSC_AUX) between TD vCPU 0 and another VM's
 * vCPU, against docs/tdx-module-and-kvm.md §3 bug 13.  KVM writes the MSR
 * only when its per-CPU cache differs (kvm_set_user_return_msr(),
 * arch/x86/kvm/x86.c) and restores the host's value on the return to
 * userspace only when the cache differs from it (kvm_on_user_return()).
 * Before c0711f8c610e, tdx_prepare_switch_to_host() (arch/x86/kvm/vmx/
 * tdx.c) set the cache to the module's values after any VP.ENTER, which a
 * made-up zero-step exit does not load; since, tdx_prepare_switch_to_guest()
 * writes them before VP.ENTER.
 */
#include "uret_msr.h"
#include "kselftest_harness.h"

static struct uret_cpu cpu;

/* The other VM's vCPU ran its guest on CPU 0 and was preempted, in KVM. */
static void neighbour_ran(void)
{
	uret_load(&cpu, URET_VMX_VCPU);
	uret_set(&cpu, URET_VMX_GUEST);
}

/* TD vCPU 0: one VP.ENTER, entered or not, then KVM_RUN returns. */
static bool td_run_to_user(bool entered)
{
	uret_td_vp_enter(&cpu, true, false);
	uret_td_vp_enter(&cpu, false, entered);
	if (entered)
		uret_td_exit(&cpu);
	uret_td_put(&cpu);
	return uret_user_return(&cpu);
}

TEST(cache_hides_a_vp_enter_that_did_not_enter)
{
	uret_init(&cpu, false);
	neighbour_ran();
	EXPECT_EQ(URET_VMX_GUEST, cpu.hw);
	EXPECT_FALSE(td_run_to_user(false)) TH_LOG("before 6.19: host userspace got TSC_AUX 0x%llx back, want the stale 0x%x to be seen", (unsigned long long)cpu.hw, URET_VMX_GUEST);
	EXPECT_EQ(URET_VMX_GUEST, cpu.hw) TH_LOG("the cache said the module's value (= the host's): nothing restored");
}

TEST(entered_vp_enter_loads_the_module_values)
{
	uret_init(&cpu, false);
	neighbour_ran();
	EXPECT_TRUE(td_run_to_user(true)) TH_LOG("a TD exit proper loads the module's value, which the cache then says: hw 0x%llx", (unsigned long long)cpu.hw);
	EXPECT_EQ(URET_HOST, cpu.hw);
}

TEST(fixed_kvm_loads_before_vp_enter)
{
	uret_init(&cpu, true);
	neighbour_ran();
	EXPECT_TRUE(td_run_to_user(false)) TH_LOG("6.19: hw 0x%llx after the return, want 0x%x", (unsigned long long)cpu.hw, URET_HOST);
	neighbour_ran();
	EXPECT_EQ(URET_VMX_GUEST, cpu.hw) TH_LOG("the neighbour's guest value is written again");
}

TEST(set_writes_only_when_the_cache_differs)
{
	uret_init(&cpu, false);
	cpu.hw = 7;		/* hardware changed behind the cache's back */
	uret_set(&cpu, URET_HOST);
	EXPECT_EQ(7, cpu.hw) TH_LOG("kvm_set_user_return_msr() wrote a value the cache already held");
	uret_set(&cpu, 5);
	EXPECT_TRUE(cpu.hw == 5 && cpu.curr == 5);
}

TEST_HARNESS_MAIN
