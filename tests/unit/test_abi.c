// SPDX-License-Identifier: GPL-2.0
/*
 * ABI contract: include/tdx_abi.h carries _Static_asserts on every layout of
 * docs/tdx-kvm-abi.md §2, so this file does not compile if one is wrong
 * (tests/e2e/units.sh proves the asserts are live by breaking a struct on
 * purpose).  At run time it checks the values a wrong macro would silently
 * change.
 */
#include "td_boot.h"
#include "tdx_abi.h"
#include "kselftest_harness.h"

TEST(vm_types_and_caps)
{
	EXPECT_TRUE(KVM_X86_TDX_VM == 5 && KVM_X86_SW_PROTECTED_VM == 1) TH_LOG("VM types");
	EXPECT_TRUE(KVM_CAP_VM_TYPES == 235 && KVM_CAP_GUEST_MEMFD == 234) TH_LOG("caps");
	EXPECT_TRUE(KVM_CAP_GUEST_MEMFD_FLAGS == 244 && KVM_CAP_SPLIT_IRQCHIP == 121) TH_LOG("caps");
	EXPECT_TRUE(KVM_CAP_EXIT_HYPERCALL == 201 && KVM_CAP_MEMORY_ATTRIBUTES == 233) TH_LOG("caps");
	EXPECT_TRUE(GUEST_MEMFD_FLAG_MMAP == 1 && GUEST_MEMFD_FLAG_INIT_SHARED == 2) TH_LOG("gmem flags");
	EXPECT_TRUE(KVM_MEM_GUEST_MEMFD == 4 && KVM_MEMORY_ATTRIBUTE_PRIVATE == 8) TH_LOG("flags");
	EXPECT_TRUE(KVM_EXIT_TDX == 40 && KVM_EXIT_MEMORY_FAULT == 39) TH_LOG("exits");
	EXPECT_TRUE(KVM_SYSTEM_EVENT_TDX_FATAL == 7) TH_LOG("TDX_FATAL");
}

TEST(tdx_commands_and_statuses)
{
	EXPECT_TRUE(KVM_TDX_CAPABILITIES == 0 && KVM_TDX_INIT_VM == 1 &&
		    KVM_TDX_INIT_VCPU == 2 && KVM_TDX_INIT_MEM_REGION == 3 &&
		    KVM_TDX_FINALIZE_VM == 4 && KVM_TDX_GET_CPUID == 5) TH_LOG("sub-commands");
	EXPECT_TRUE(TDX_OPERAND_BUSY == 0x8000020000000000ULL) TH_LOG("OPERAND_BUSY");
	EXPECT_TRUE(TDX_STATUS_CLASS(TDX_OPERAND_BUSY | TDX_OPERAND_ID_SEPT) == 2) TH_LOG("busy class");
	EXPECT_TRUE(TDX_STATUS_OPERAND(TDX_OPERAND_BUSY | TDX_OPERAND_ID_SEPT) == 0x92) TH_LOG("operand");
	EXPECT_TRUE(((TDX_OPERAND_BUSY | TDX_OPERAND_ID_TD_EPOCH) & TDX_SEAMCALL_STATUS_MASK) ==
		    TDX_OPERAND_BUSY) TH_LOG("mask drops the operand");
	EXPECT_TRUE(TDX_HOST_PRIORITY_BUSY_TIMEOUT == 0x9000020500000000ULL) TH_LOG("timeout");
	EXPECT_TRUE(TDX_TD_ATTR_SEPT_VE_DISABLE == (1ULL << 28)) TH_LOG("SEPT_VE_DISABLE");
	EXPECT_TRUE(TDG_MEM_PAGE_ACCEPT == 6 && TDVMCALL_MAP_GPA == 0x10001) TH_LOG("TDCALL");
}

TEST(boot_layout)
{
	EXPECT_TRUE(TD_RESET_VECTOR == 0xFFFFFFF0u && TD_BOOT_PARAMS_GPA == 0xFFFF0000u) TH_LOG("reset vector and boot parameters (abi §8)");
	EXPECT_TRUE(TD_BOOT_MAX_VCPUS >= 64) TH_LOG("the boot block holds %lu vCPUs",
		    (unsigned long)TD_BOOT_MAX_VCPUS);
}

TEST_HARNESS_MAIN
