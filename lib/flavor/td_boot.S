/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TD reset-vector trampoline.  The host copies td_boot_start..td_boot_end to
 * TD_BOOT_CODE_GPA and puts a JMP to it at the reset vector.  The TD arrives
 * in 32-bit protected mode, paging off, EFER.LME already set by the TDX
 * module, RSI = VCPU_INDEX (docs/tdx-kvm-abi.md §4).  Loading CR3/CR4 and then
 * CR0.PG therefore enters IA-32e mode; the far jump switches CS to the
 * 64-bit code segment, and the vCPU's entry point is called with its index
 * in RDI (the first argument of seam_guest_sweep()).
 *
 * The code runs at TD_BOOT_CODE_GPA, not where it is linked, so every
 * absolute address is computed from that base.
 */
#include "td_boot.h"

#define RUNTIME(label)	(TD_BOOT_CODE_GPA + ((label) - td_boot_start))

	.section .rodata.td_boot, "a"
	.code32
	.globl td_boot_start, td_boot_end, td_boot_paging
td_boot_start:
	cli
	movl	$TD_BOOT_PARAMS_GPA, %ebx
	lgdt	TD_BOOT_GDTR(%ebx)
	lidt	TD_BOOT_IDTR(%ebx)
	movl	TD_BOOT_CR4(%ebx), %eax
	movl	%eax, %cr4
	movl	TD_BOOT_CR3(%ebx), %eax
	movl	%eax, %cr3
	movl	TD_BOOT_CR0(%ebx), %eax
	/* Paging on: IA-32e mode.  The td_image flavor may stop here (lib/run/td_image_boot.c). */
td_boot_paging:
	movl	%eax, %cr0

	/* EAX = &per_vcpu[VCPU_INDEX] */
	movl	%esi, %eax
	shll	$TD_PER_VCPU_SHIFT, %eax
	leal	TD_BOOT_PER_VCPU(%ebx, %eax), %eax
	movl	TD_PER_VCPU_ESP(%eax), %esp
	movw	$TD_BOOT_DATA_SEL, %cx
	movw	%cx, %ds
	movw	%cx, %es
	movw	%cx, %ss
	ljmp	$TD_BOOT_CODE64_SEL, $RUNTIME(1f)

	.code64
1:
	/* Upper halves are undefined after the switch: 32-bit moves clear them. */
	movl	%eax, %eax
	movl	%esp, %esp
	movl	%esi, %edi
	movq	TD_PER_VCPU_RIP(%rax), %rax
	call	*%rax
	/* The entry point never returns; if it does, stop here. */
2:	hlt
	jmp	2b
td_boot_end:

	.section .note.GNU-stack, "", @progbits
