/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TD boot layout, shared by the trampoline (lib/flavor/td_boot.S) and the host
 * code that fills it (lib/flavor/td_create.c).  A TD starts at the reset vector in
 * 32-bit protected mode with paging off, RSI = its VCPU_INDEX, and nobody
 * may set its registers (docs/tdx-kvm-abi.md §4); everything it needs to reach
 * 64-bit C code is read from this block below 4 GiB (docs/tdx-kvm-abi.md §8.4).
 *
 * Offsets are defined once, here, for C and assembler alike; the
 * _Static_asserts tie the C structs to them.
 */
#ifndef SEAMSTRESS_TD_BOOT_H
#define SEAMSTRESS_TD_BOOT_H

/* One private memslot holding the boot block, the GDT and the trampoline. */
#define TD_BOOT_SLOT		2
#define TD_BOOT_REGION_GPA	0xFFFF0000
#define TD_BOOT_REGION_SIZE	0x10000
/*
 * A TD vCPU's state as TDH.VP.INIT leaves it (intel/tdx-module, tdx_1.5,
 * src/common/data_structures/td_vmcs_init.c; docs/tdx-kvm-abi.md §4):
 * RIP 0xFFFFFFF0, RFLAGS 0x2, CR0 PE|NE, EFER SCE|LME|NXE, flat 32-bit CS
 * (AR 0xC09B) and data segments (0xC093), busy TSS (0x8B, limit 0xFFFF),
 * unusable LDTR, GDTR limit 0xFFFF.  The VMCS's CR4 is MCE|VMXE; the guest
 * reads MCE only (VMXE is VMX's own, hidden by the read shadow), which is
 * what the td_image flavor gives an ordinary VM.
 */
#define TD_INIT_CR0		0x21
#define TD_INIT_CR4		0x40
#define TD_INIT_EFER		0x901

/* td_image: the progress pages again, at their GPA with the shared bit. */
#define TD_IMAGE_ALIAS_SLOT	3

/* The IDT: 256 gates; seam_guest_fault() handles the 32 exception vectors. */
#define TD_IDT_VECTORS		256
#define TD_EXCEPTION_VECTORS	32
#define TD_BOOT_PARAMS_GPA	0xFFFF0000	/* docs/tdx-kvm-abi.md §8.4 */
#define TD_BOOT_CODE_GPA	0xFFFFF000	/* the trampoline, copied here */
#define TD_RESET_VECTOR		0xFFFFFFF0	/* a JMP to TD_BOOT_CODE_GPA */

/* struct td_boot_params */
#define TD_BOOT_CR0		0
#define TD_BOOT_CR3		4
#define TD_BOOT_CR4		8
#define TD_BOOT_GDTR		12	/* u16 limit, u32 base (LGDT in 32-bit mode) */
#define TD_BOOT_IDTR		18
#define TD_BOOT_GDT		24	/* three descriptors: null, code64, data */
#define TD_BOOT_PER_VCPU	48
/* struct td_per_vcpu */
#define TD_PER_VCPU_ESP		0	/* stack top, < 4 GiB */
#define TD_PER_VCPU_RIP		8	/* 64-bit entry, called with RDI = VCPU_INDEX */
#define TD_PER_VCPU_SIZE	16
#define TD_PER_VCPU_SHIFT	4

#define TD_BOOT_CODE64_SEL	0x08
#define TD_BOOT_DATA_SEL	0x10

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct td_dtr {
	uint16_t limit;
	uint32_t base;
} __attribute__((packed));

struct td_per_vcpu {
	uint32_t esp;
	uint32_t pad;
	uint64_t rip;
};

struct td_boot_params {
	uint32_t cr0;
	uint32_t cr3;
	uint32_t cr4;
	struct td_dtr gdtr;
	struct td_dtr idtr;
	uint64_t gdt[3];
	struct td_per_vcpu per_vcpu[];
};

_Static_assert(offsetof(struct td_boot_params, cr0) == TD_BOOT_CR0, "cr0");
_Static_assert(offsetof(struct td_boot_params, cr3) == TD_BOOT_CR3, "cr3");
_Static_assert(offsetof(struct td_boot_params, cr4) == TD_BOOT_CR4, "cr4");
_Static_assert(offsetof(struct td_boot_params, gdtr) == TD_BOOT_GDTR, "gdtr");
_Static_assert(offsetof(struct td_boot_params, idtr) == TD_BOOT_IDTR, "idtr");
_Static_assert(offsetof(struct td_boot_params, gdt) == TD_BOOT_GDT, "gdt");
_Static_assert(offsetof(struct td_boot_params, per_vcpu) == TD_BOOT_PER_VCPU, "per_vcpu");
_Static_assert(sizeof(struct td_dtr) == 6, "LGDT/LIDT operand in 32-bit mode");
_Static_assert(sizeof(struct td_per_vcpu) == TD_PER_VCPU_SIZE, "per-vCPU size");
_Static_assert(TD_PER_VCPU_SIZE == 1 << TD_PER_VCPU_SHIFT, "the trampoline shifts");
_Static_assert(offsetof(struct td_per_vcpu, esp) == TD_PER_VCPU_ESP, "esp");
_Static_assert(offsetof(struct td_per_vcpu, rip) == TD_PER_VCPU_RIP, "rip");
_Static_assert(TD_BOOT_GDT + 3 * 8 <= TD_BOOT_PER_VCPU, "GDT overlaps per-vCPU block");
_Static_assert(TD_BOOT_CODE64_SEL == 1 * 8 && TD_BOOT_DATA_SEL == 2 * 8, "GDT order");
_Static_assert(TD_BOOT_PARAMS_GPA >= TD_BOOT_REGION_GPA &&
	       TD_BOOT_CODE_GPA + 0x1000 == TD_BOOT_REGION_GPA + TD_BOOT_REGION_SIZE,
	       "boot block and trampoline inside the boot memslot, ending at 4 GiB");

/* The trampoline, linked into the test binary and copied to TD_BOOT_CODE_GPA. */
extern const char td_boot_start[], td_boot_end[];
/* The trampoline's MOV to CR0 that turns paging on (3 bytes: 0F 22 C0). */
extern const char td_boot_paging[];
#define TD_BOOT_PAGING_INSN_LEN	3

/* The most vCPUs whose per-vCPU block fits below the trampoline. */
#define TD_BOOT_MAX_VCPUS \
	((TD_BOOT_CODE_GPA - TD_BOOT_PARAMS_GPA - TD_BOOT_PER_VCPU) / TD_PER_VCPU_SIZE)
#endif

#endif /* SEAMSTRESS_TD_BOOT_H */
