/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TDX and guest_memfd ABI that the uAPI headers of Linux 6.12 lack.
 *
 * Every value comes from docs/tdx-kvm-abi.md or docs/tdx-module-and-kvm.md;
 * comments cite them by file and section, the assert messages below as
 * "abi §N" (a section of docs/tdx-kvm-abi.md).  Each definition is guarded so
 * that a newer kernel tree's own headers win; the _Static_asserts at the end
 * check the layouts of docs/tdx-kvm-abi.md §2 against whichever definition is
 * in use.
 */
#ifndef SEAMSTRESS_TDX_ABI_H
#define SEAMSTRESS_TDX_ABI_H

#include <stddef.h>
#include <linux/types.h>
#include <linux/kvm.h>

/* VM types (docs/tdx-kvm-abi.md §1.1). */
#ifndef KVM_X86_DEFAULT_VM
#define KVM_X86_DEFAULT_VM		0
#endif
#ifndef KVM_X86_SW_PROTECTED_VM
#define KVM_X86_SW_PROTECTED_VM		1
#endif
#ifndef KVM_X86_TDX_VM
#define KVM_X86_TDX_VM			5
#define SEAMSTRESS_OWN_TDX_UAPI		1
#endif

/* Capabilities (docs/tdx-kvm-abi.md §1.1). */
#ifndef KVM_CAP_SPLIT_IRQCHIP
#define KVM_CAP_SPLIT_IRQCHIP		121
#endif
#ifndef KVM_CAP_EXIT_HYPERCALL
#define KVM_CAP_EXIT_HYPERCALL		201
#endif
#ifndef KVM_CAP_USER_MEMORY2
#define KVM_CAP_USER_MEMORY2		231
#endif
#ifndef KVM_CAP_MEMORY_FAULT_INFO
#define KVM_CAP_MEMORY_FAULT_INFO	232
#endif
#ifndef KVM_CAP_MEMORY_ATTRIBUTES
#define KVM_CAP_MEMORY_ATTRIBUTES	233
#endif
#ifndef KVM_CAP_GUEST_MEMFD
#define KVM_CAP_GUEST_MEMFD		234
#endif
#ifndef KVM_CAP_VM_TYPES
#define KVM_CAP_VM_TYPES		235
#endif
#ifndef KVM_CAP_PRE_FAULT_MEMORY
#define KVM_CAP_PRE_FAULT_MEMORY	236
#endif
#ifndef KVM_CAP_GUEST_MEMFD_FLAGS
#define KVM_CAP_GUEST_MEMFD_FLAGS	244
#endif

/* guest_memfd creation flags (docs/tdx-kvm-abi.md §1.1; in the v6.19 uAPI). */
#ifndef GUEST_MEMFD_FLAG_MMAP
#define GUEST_MEMFD_FLAG_MMAP		(1ULL << 0)
#endif
#ifndef GUEST_MEMFD_FLAG_INIT_SHARED
#define GUEST_MEMFD_FLAG_INIT_SHARED	(1ULL << 1)
#endif
#ifndef KVM_MEM_GUEST_MEMFD
#define KVM_MEM_GUEST_MEMFD		(1UL << 2)
#endif
#ifndef KVM_MEMORY_ATTRIBUTE_PRIVATE
#define KVM_MEMORY_ATTRIBUTE_PRIVATE	(1ULL << 3)
#endif
#ifndef KVM_MEMORY_EXIT_FLAG_PRIVATE
#define KVM_MEMORY_EXIT_FLAG_PRIVATE	(1ULL << 3)
#endif

/* Exit reasons and system events (docs/tdx-kvm-abi.md §1.1). */
#ifndef KVM_EXIT_MEMORY_FAULT
#define KVM_EXIT_MEMORY_FAULT		39
#endif
#ifndef KVM_EXIT_TDX
#define KVM_EXIT_TDX			40
#endif
#ifndef KVM_SYSTEM_EVENT_TDX_FATAL
#define KVM_SYSTEM_EVENT_TDX_FATAL	7
#endif

/* Hypercalls (docs/tdx-kvm-abi.md §1.1). */
#define SEAM_KVM_HC_MAP_GPA_RANGE	12
#define SEAM_MAP_GPA_RANGE_ENCRYPTED	(1ULL << 4)
#define SEAM_MAP_GPA_RANGE_PAGE_SZ_2M	(1ULL << 0)
#define SEAM_MAP_GPA_RANGE_PAGE_SZ_1G	(1ULL << 1)
#ifndef KVM_EXIT_HYPERCALL_LONG_MODE
#define KVM_EXIT_HYPERCALL_LONG_MODE	(1ULL << 0)
#endif

/* TD attributes (docs/tdx-kvm-abi.md §2). */
#define TDX_TD_ATTR_DEBUG		(1ULL << 0)
#define TDX_TD_ATTR_SEPT_VE_DISABLE	(1ULL << 28)

#ifdef SEAMSTRESS_OWN_TDX_UAPI
/* KVM_MEMORY_ENCRYPT_OP sub-commands: value = position (docs/tdx-kvm-abi.md §1.3). */
enum kvm_tdx_cmd_id {
	KVM_TDX_CAPABILITIES = 0,
	KVM_TDX_INIT_VM,
	KVM_TDX_INIT_VCPU,
	KVM_TDX_INIT_MEM_REGION,
	KVM_TDX_FINALIZE_VM,
	KVM_TDX_GET_CPUID,
	KVM_TDX_CMD_NR_MAX,
};

#define KVM_TDX_MEASURE_MEMORY_REGION	(1ULL << 0)

struct kvm_tdx_cmd {
	__u32 id;
	__u32 flags;
	__u64 data;
	__u64 hw_error;
};

struct kvm_tdx_capabilities {
	__u64 supported_attrs;
	__u64 supported_xfam;
	__u64 kernel_tdvmcallinfo_1_r11;
	__u64 user_tdvmcallinfo_1_r11;
	__u64 kernel_tdvmcallinfo_1_r12;
	__u64 user_tdvmcallinfo_1_r12;
	__u64 reserved[250];
	struct kvm_cpuid2 cpuid;
};

struct kvm_tdx_init_vm {
	__u64 attributes;
	__u64 xfam;
	__u64 mrconfigid[6];
	__u64 mrowner[6];
	__u64 mrownerconfig[6];
	__u64 reserved[12];
	struct kvm_cpuid2 cpuid;
};

struct kvm_tdx_init_mem_region {
	__u64 source_addr;
	__u64 gpa;
	__u64 nr_pages;
};
#endif /* SEAMSTRESS_OWN_TDX_UAPI */

#ifndef KVM_MEMORY_ENCRYPT_OP
#define KVM_MEMORY_ENCRYPT_OP		_IOWR(KVMIO, 0xba, unsigned long)
#endif

/*
 * The kvm_run union member for KVM_EXIT_TDX (v6.19 uAPI,
 * docs/tdx-kvm-abi.md §2).  6.12's struct kvm_run has no such member, so it is
 * read through this overlay at the offset of the exit union.
 */
struct seam_kvm_exit_tdx {
	__u64 flags;
	__u64 nr;
	union {
		struct {
			__u64 ret;
			__u64 data[5];
		} unknown;
		struct {
			__u64 ret, gpa, size;
		} get_quote;
		struct {
			__u64 ret, leaf, r11, r12, r13, r14;
		} get_tdvmcall_info;
		struct {
			__u64 ret, vector;
		} setup_event_notify;
	};
};

static inline struct seam_kvm_exit_tdx *seam_run_tdx(struct kvm_run *run)
{
	return (struct seam_kvm_exit_tdx *)&run->hypercall;
}

/* Guest physical address width: 48 (52 only with 5-level EPT, docs/tdx-kvm-abi.md §3.6). */
#define TD_GPAW_DEFAULT		48

/* TDCALL leaves (docs/tdx-kvm-abi.md §7, docs/tdx-module-and-kvm.md §1.1). */
#define TDG_VP_VMCALL			0
#define TDG_VP_INFO			1
#define TDG_VP_VEINFO_GET		3
#define TDG_MR_REPORT			4
#define TDG_MEM_PAGE_ACCEPT		6
#define TDG_VM_WR			8

/* TDG.VP.VMCALL sub-functions and statuses (docs/tdx-kvm-abi.md §7). */
#define TDVMCALL_GET_TD_VM_CALL_INFO	0x10000
#define TDVMCALL_MAP_GPA		0x10001
#define TDVMCALL_GET_QUOTE		0x10002
#define TDVMCALL_REPORT_FATAL_ERROR	0x10003
#define TDVMCALL_SETUP_EVENT_NOTIFY	0x10004
#define TDVMCALL_EXIT_CPUID		10
#define TDVMCALL_EXIT_HLT		12
#define TDVMCALL_EXIT_IO		30
#define TDVMCALL_EXIT_RDMSR		31
#define TDVMCALL_EXIT_WRMSR		32
#define TDVMCALL_EXIT_MMIO		48

#define TDVMCALL_STATUS_SUCCESS			0x0000000000000000ULL
#define TDVMCALL_STATUS_RETRY			0x0000000000000001ULL
#define TDVMCALL_STATUS_INVALID_OPERAND		0x8000000000000000ULL
#define TDVMCALL_STATUS_GPA_INUSE		0x8000000000000001ULL
#define TDVMCALL_STATUS_ALIGN_ERROR		0x8000000000000002ULL
#define TDVMCALL_STATUS_SUBFUNC_UNSUPPORTED	0x8000000000000003ULL

/* SEAMCALL leaves (docs/tdx-module-and-kvm.md §1.1). */
#define TDH_VP_ENTER			0
#define TDH_MEM_PAGE_ADD		2
#define TDH_MEM_SEPT_ADD		3
#define TDH_VP_ADDCX			4
#define TDH_MEM_PAGE_AUG		6
#define TDH_MEM_RANGE_BLOCK		7
#define TDH_VP_CREATE			10
#define TDH_MR_EXTEND			16
#define TDH_MR_FINALIZE			17
#define TDH_VP_INIT			22
#define TDH_MEM_PAGE_REMOVE		29
#define TDH_MEM_SEPT_REMOVE		30
#define TDH_MEM_TRACK			38
#define TDH_MEM_RANGE_UNBLOCK		39
#define TDH_PHYMEM_PAGE_WBINVD		41

/* TDH.MR.EXTEND measures 256 bytes a call (KVM's TDX_EXTENDMR_CHUNKSIZE). */
#define TDX_EXTENDMR_CHUNK		256

/* Status layout and codes (docs/tdx-module-and-kvm.md §1.2). */
#define TDX_STATUS_ERROR		(1ULL << 63)
#define TDX_STATUS_NON_RECOVERABLE	(1ULL << 62)
#define TDX_STATUS_FATAL		(1ULL << 61)
#define TDX_SEAMCALL_STATUS_MASK	0xFFFFFFFF00000000ULL
#define TDX_STATUS_CLASS(s)		(((s) >> 40) & 0xff)
#define TDX_STATUS_OPERAND(s)		((__u32)(s))

#define TDX_SUCCESS				0x0000000000000000ULL
#define TDX_OPERAND_INVALID			0xC000010000000000ULL
#define TDX_OPERAND_BUSY			0x8000020000000000ULL
#define TDX_PREVIOUS_TLB_EPOCH_BUSY		0x8000020100000000ULL
#define TDX_SYS_BUSY				0x8000020200000000ULL
#define TDX_RND_NO_ENTROPY			0x8000020300000000ULL
#define TDX_OPERAND_BUSY_HOST_PRIORITY		0x8000020400000000ULL
#define TDX_HOST_PRIORITY_BUSY_TIMEOUT		0x9000020500000000ULL
#define TDX_TD_FATAL				0xE000060400000000ULL
#define TDX_OP_STATE_INCORRECT			0xC000060800000000ULL
#define TDX_VCPU_STATE_INCORRECT		0xC000070000000000ULL
#define TDX_NO_VCPUS				0xC000060900000000ULL
#define TDX_EPT_WALK_FAILED			0xC0000B0000000000ULL
#define TDX_EPT_ENTRY_FREE			0xC0000B0100000000ULL
#define TDX_EPT_ENTRY_NOT_FREE			0xC0000B0200000000ULL
#define TDX_EPT_ENTRY_NOT_PRESENT		0xC0000B0300000000ULL
#define TDX_GPA_RANGE_NOT_BLOCKED		0xC0000B0600000000ULL
#define TDX_GPA_RANGE_ALREADY_BLOCKED		0x00000B0700000000ULL
#define TDX_TLB_TRACKING_NOT_DONE		0xC0000B0800000000ULL
#define TDX_PAGE_ALREADY_ACCEPTED		0x00000B0A00000000ULL
#define TDX_PAGE_SIZE_MISMATCH			0xC0000B0B00000000ULL
#define TDX_EPT_ENTRY_STATE_INCORRECT		0xC0000B0D00000000ULL
#define TDX_NON_RECOVERABLE_VCPU		0x4000000100000000ULL
#define TDX_NON_RECOVERABLE_TD			0x6000000200000000ULL
#define TDX_INTERRUPTED_RESUMABLE		0x8000000300000000ULL
#define TDX_SW_ERROR				0x8000FF0000000000ULL
#define TDX_SEAMCALL_VMFAILINVALID		0x8000FF00FFFF0000ULL

/* Operand ids in status bits 31:0 (docs/tdx-module-and-kvm.md §1.2). */
#define TDX_OPERAND_ID_RCX		1
#define TDX_OPERAND_ID_RDX		2
#define TDX_OPERAND_ID_R8		8
#define TDX_OPERAND_ID_TDR		0x80
#define TDX_OPERAND_ID_TDVPR		0x82
#define TDX_OPERAND_ID_TDCS		0x90
#define TDX_OPERAND_ID_SEPT		0x92
#define TDX_OPERAND_ID_SEPT_ENTRY	0x93
#define TDX_OPERAND_ID_TD_EPOCH		0xa9
#define TDX_OPERAND_ID_OP_STATE		0xac

/* Layouts of docs/tdx-kvm-abi.md §2, checked against whichever definition is in use. */
#define SEAM_ASSERT_LAYOUT(type, member, off) \
	_Static_assert(offsetof(type, member) == (off), \
		       #type "." #member " must be at offset " #off " (abi §2)")
#define SEAM_ASSERT_SIZE(type, size) \
	_Static_assert(sizeof(type) == (size), #type " must be " #size " bytes (abi §2)")

SEAM_ASSERT_SIZE(struct kvm_tdx_cmd, 24);
SEAM_ASSERT_LAYOUT(struct kvm_tdx_cmd, id, 0);
SEAM_ASSERT_LAYOUT(struct kvm_tdx_cmd, flags, 4);
SEAM_ASSERT_LAYOUT(struct kvm_tdx_cmd, data, 8);
SEAM_ASSERT_LAYOUT(struct kvm_tdx_cmd, hw_error, 16);

SEAM_ASSERT_SIZE(struct kvm_tdx_capabilities, 2056);
SEAM_ASSERT_LAYOUT(struct kvm_tdx_capabilities, supported_attrs, 0);
SEAM_ASSERT_LAYOUT(struct kvm_tdx_capabilities, supported_xfam, 8);
SEAM_ASSERT_LAYOUT(struct kvm_tdx_capabilities, kernel_tdvmcallinfo_1_r11, 16);
SEAM_ASSERT_LAYOUT(struct kvm_tdx_capabilities, user_tdvmcallinfo_1_r11, 24);
SEAM_ASSERT_LAYOUT(struct kvm_tdx_capabilities, kernel_tdvmcallinfo_1_r12, 32);
SEAM_ASSERT_LAYOUT(struct kvm_tdx_capabilities, user_tdvmcallinfo_1_r12, 40);
SEAM_ASSERT_LAYOUT(struct kvm_tdx_capabilities, reserved, 48);
SEAM_ASSERT_LAYOUT(struct kvm_tdx_capabilities, cpuid, 2048);

SEAM_ASSERT_SIZE(struct kvm_tdx_init_vm, 264);
SEAM_ASSERT_LAYOUT(struct kvm_tdx_init_vm, attributes, 0);
SEAM_ASSERT_LAYOUT(struct kvm_tdx_init_vm, xfam, 8);
SEAM_ASSERT_LAYOUT(struct kvm_tdx_init_vm, mrconfigid, 16);
SEAM_ASSERT_LAYOUT(struct kvm_tdx_init_vm, mrowner, 64);
SEAM_ASSERT_LAYOUT(struct kvm_tdx_init_vm, mrownerconfig, 112);
SEAM_ASSERT_LAYOUT(struct kvm_tdx_init_vm, reserved, 160);
SEAM_ASSERT_LAYOUT(struct kvm_tdx_init_vm, cpuid, 256);

SEAM_ASSERT_SIZE(struct kvm_tdx_init_mem_region, 24);
SEAM_ASSERT_LAYOUT(struct kvm_tdx_init_mem_region, source_addr, 0);
SEAM_ASSERT_LAYOUT(struct kvm_tdx_init_mem_region, gpa, 8);
SEAM_ASSERT_LAYOUT(struct kvm_tdx_init_mem_region, nr_pages, 16);

SEAM_ASSERT_SIZE(struct kvm_cpuid2, 8);
SEAM_ASSERT_SIZE(struct kvm_cpuid_entry2, 40);
SEAM_ASSERT_LAYOUT(struct kvm_cpuid_entry2, eax, 12);
SEAM_ASSERT_LAYOUT(struct kvm_cpuid_entry2, padding, 28);

SEAM_ASSERT_SIZE(struct kvm_create_guest_memfd, 64);
SEAM_ASSERT_LAYOUT(struct kvm_create_guest_memfd, flags, 8);

SEAM_ASSERT_SIZE(struct kvm_userspace_memory_region2, 160);
SEAM_ASSERT_LAYOUT(struct kvm_userspace_memory_region2, guest_phys_addr, 8);
SEAM_ASSERT_LAYOUT(struct kvm_userspace_memory_region2, userspace_addr, 24);
SEAM_ASSERT_LAYOUT(struct kvm_userspace_memory_region2, guest_memfd_offset, 32);
SEAM_ASSERT_LAYOUT(struct kvm_userspace_memory_region2, guest_memfd, 40);

SEAM_ASSERT_SIZE(struct kvm_memory_attributes, 32);
SEAM_ASSERT_SIZE(struct kvm_pre_fault_memory, 64);

SEAM_ASSERT_LAYOUT(struct seam_kvm_exit_tdx, nr, 8);
SEAM_ASSERT_LAYOUT(struct seam_kvm_exit_tdx, unknown.ret, 16);
SEAM_ASSERT_LAYOUT(struct seam_kvm_exit_tdx, get_quote.gpa, 24);
SEAM_ASSERT_LAYOUT(struct seam_kvm_exit_tdx, get_tdvmcall_info.r14, 56);
_Static_assert(sizeof(struct seam_kvm_exit_tdx) <= 256,
	       "the KVM_EXIT_TDX member must fit kvm_run's 256-byte exit union");

/* ioctl numbers as docs/tdx-kvm-abi.md §1.2 computed them. */
_Static_assert(KVM_MEMORY_ENCRYPT_OP == 0xC008AEBA, "KVM_MEMORY_ENCRYPT_OP (abi §1)");
_Static_assert(KVM_SET_USER_MEMORY_REGION2 == 0x40A0AE49, "KVM_SET_USER_MEMORY_REGION2 (abi §1)");
_Static_assert(KVM_SET_MEMORY_ATTRIBUTES == 0x4020AED2, "KVM_SET_MEMORY_ATTRIBUTES (abi §1)");
_Static_assert(KVM_CREATE_GUEST_MEMFD == 0xC040AED4, "KVM_CREATE_GUEST_MEMFD (abi §1)");
_Static_assert(KVM_PRE_FAULT_MEMORY == 0xC040AED5, "KVM_PRE_FAULT_MEMORY (abi §1)");

#endif /* SEAMSTRESS_TDX_ABI_H */
