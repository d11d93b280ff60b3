// SPDX-License-Identifier: GPL-2.0
/*
 * ABI contract: include/tdx_abi.h carries _Static_asserts on every layout of
 * docs/tdx-kvm-abi.md §2, so this file does not compile if one is wrong
 * (scripts/check.sh proves the asserts are live by breaking a struct on
 * purpose).  At run time it checks the values a wrong macro would silently
 * change.
 */
#include "td_boot.h"
#include "tdx_abi.h"
#include "unit.h"

static void test_vm_types_and_caps(void)
{
	UNIT_EXPECT(KVM_X86_TDX_VM == 5 && KVM_X86_SW_PROTECTED_VM == 1, "VM types");
	UNIT_EXPECT(KVM_CAP_VM_TYPES == 235 && KVM_CAP_GUEST_MEMFD == 234, "caps");
	UNIT_EXPECT(KVM_CAP_GUEST_MEMFD_FLAGS == 244 && KVM_CAP_SPLIT_IRQCHIP == 121, "caps");
	UNIT_EXPECT(KVM_CAP_EXIT_HYPERCALL == 201 && KVM_CAP_MEMORY_ATTRIBUTES == 233, "caps");
	UNIT_EXPECT(GUEST_MEMFD_FLAG_MMAP == 1 && GUEST_MEMFD_FLAG_INIT_SHARED == 2, "gmem flags");
	UNIT_EXPECT(KVM_MEM_GUEST_MEMFD == 4 && KVM_MEMORY_ATTRIBUTE_PRIVATE == 8, "flags");
	UNIT_EXPECT(KVM_EXIT_TDX == 40 && KVM_EXIT_MEMORY_FAULT == 39, "exits");
	UNIT_EXPECT(KVM_SYSTEM_EVENT_TDX_FATAL == 7, "TDX_FATAL");
}

static void test_tdx_commands_and_statuses(void)
{
	UNIT_EXPECT(KVM_TDX_CAPABILITIES == 0 && KVM_TDX_INIT_VM == 1 &&
		    KVM_TDX_INIT_VCPU == 2 && KVM_TDX_INIT_MEM_REGION == 3 &&
		    KVM_TDX_FINALIZE_VM == 4 && KVM_TDX_GET_CPUID == 5, "sub-commands");
	UNIT_EXPECT(TDX_OPERAND_BUSY == 0x8000020000000000ULL, "OPERAND_BUSY");
	UNIT_EXPECT(TDX_STATUS_CLASS(TDX_OPERAND_BUSY | TDX_OPERAND_ID_SEPT) == 2, "busy class");
	UNIT_EXPECT(TDX_STATUS_OPERAND(TDX_OPERAND_BUSY | TDX_OPERAND_ID_SEPT) == 0x92, "operand");
	UNIT_EXPECT(((TDX_OPERAND_BUSY | TDX_OPERAND_ID_TD_EPOCH) & TDX_SEAMCALL_STATUS_MASK) ==
		    TDX_OPERAND_BUSY, "mask drops the operand");
	UNIT_EXPECT(TDX_HOST_PRIORITY_BUSY_TIMEOUT == 0x9000020500000000ULL, "timeout");
	UNIT_EXPECT(TDX_TD_ATTR_SEPT_VE_DISABLE == (1ULL << 28), "SEPT_VE_DISABLE");
	UNIT_EXPECT(TDG_MEM_PAGE_ACCEPT == 6 && TDVMCALL_MAP_GPA == 0x10001, "TDCALL");
}

static void test_boot_layout(void)
{
	UNIT_EXPECT(TD_RESET_VECTOR == 0xFFFFFFF0u && TD_BOOT_PARAMS_GPA == 0xFFFF0000u,
		    "reset vector and boot parameters (abi §8)");
	UNIT_EXPECT(TD_BOOT_MAX_VCPUS >= 64, "the boot block holds %lu vCPUs",
		    (unsigned long)TD_BOOT_MAX_VCPUS);
}

UNIT_MAIN(UNIT(test_vm_types_and_caps),
	  UNIT(test_boot_layout),
	  UNIT(test_tdx_commands_and_statuses))
