/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest-side TDCALLs (docs/tdx-kvm-abi.md §7): TDCALL is 66 0F 01 CC, RAX =
 * leaf, status back in RAX.  Only what the workload uses: page accept, MapGPA,
 * and ReportFatalError, which carries the ucall (see guest_code.c).
 */
#ifndef SEAMSTRESS_TDCALL_H
#define SEAMSTRESS_TDCALL_H

#include <stdint.h>

#include "tdx_abi.h"

#define TDCALL_INSN	".byte 0x66, 0x0f, 0x01, 0xcc"

/* TDG.MEM.PAGE.ACCEPT of @gpa at @level (0 = 4K, 1 = 2M); the status. */
static inline uint64_t tdg_mem_page_accept(uint64_t gpa, uint64_t level)
{
	uint64_t rax = TDG_MEM_PAGE_ACCEPT, rcx = (gpa & ~0xfffULL) | level;

	asm volatile(TDCALL_INSN : "+a"(rax), "+c"(rcx) : : "rdx", "r8", "r9",
		     "r10", "r11", "memory");
	return rax;
}

/*
 * TDG.VP.VEINFO.GET: the pending #VE's exit reason (RCX), qualification
 * (RDX), GLA (R8), GPA (R9) and instruction length and info (R10); the
 * module clears the VE info, so a later #VE can be taken.  The status.
 */
static inline uint64_t tdg_vp_veinfo_get(uint64_t *exit_reason, uint64_t *qual,
					 uint64_t *gla, uint64_t *gpa, uint64_t *info)
{
	register uint64_t r8_ asm("r8");
	register uint64_t r9_ asm("r9");
	register uint64_t r10_ asm("r10");
	uint64_t rax = TDG_VP_VEINFO_GET, rcx, rdx;

	asm volatile(TDCALL_INSN
		     : "+a"(rax), "=c"(rcx), "=d"(rdx), "=r"(r8_), "=r"(r9_), "=r"(r10_)
		     : : "r11", "memory");
	*exit_reason = rcx;
	*qual = rdx;
	*gla = r8_;
	*gpa = r9_;
	*info = r10_;
	return rax;
}

/*
 * TDG.VP.VMCALL with the GHCI register convention: R10 = 0, R11 = the
 * sub-function, R12..R15 arguments, RBX/RSI/RDI/R8/R9 extra payload.  RCX
 * says which GPRs the VMM may see (bit n = GPR n).  Returns R10.
 */
#define TDVMCALL_EXPOSE	0xffc8	/* RBX, RSI, RDI, R8-R15 */
/* KVM reads R10-R15 of every TDG.VP.VMCALL (#VE.RequestMMIO: R12-R15). */
_Static_assert((TDVMCALL_EXPOSE & 0xfc00) == 0xfc00, "TDVMCALL_EXPOSE hides R10-R15");
static inline uint64_t tdg_vp_vmcall(uint64_t fn, uint64_t r12, uint64_t r13,
				     uint64_t r14, uint64_t r15, uint64_t rbx,
				     uint64_t rsi, uint64_t rdi, uint64_t r8,
				     uint64_t r9)
{
	register uint64_t r10_ asm("r10") = 0;
	register uint64_t r11_ asm("r11") = fn;
	register uint64_t r12_ asm("r12") = r12;
	register uint64_t r13_ asm("r13") = r13;
	register uint64_t r14_ asm("r14") = r14;
	register uint64_t r15_ asm("r15") = r15;
	register uint64_t r8_ asm("r8") = r8;
	register uint64_t r9_ asm("r9") = r9;
	uint64_t rax = TDG_VP_VMCALL, rcx = TDVMCALL_EXPOSE;

	asm volatile(TDCALL_INSN
		     : "+a"(rax), "+c"(rcx), "+r"(r10_), "+r"(r11_), "+r"(r12_),
		       "+r"(r13_), "+r"(r14_), "+r"(r15_), "+r"(r8_), "+r"(r9_),
		       "+b"(rbx), "+S"(rsi), "+D"(rdi)
		     : : "rdx", "memory");
	return r10_;
}

/*
 * TDG.VP.VMCALL<MapGPA>: convert [gpa, gpa + size) to private, or to shared
 * when @gpa carries the shared bit; the host sees KVM_EXIT_HYPERCALL.
 * Returns R10 (TDVMCALL_STATUS_*); RETRY means "call again from R11".
 */
static inline uint64_t tdg_vp_vmcall_map_gpa(uint64_t gpa, uint64_t size)
{
	return tdg_vp_vmcall(TDVMCALL_MAP_GPA, gpa, size, 0, 0, 0, 0, 0, 0, 0);
}

#endif /* SEAMSTRESS_TDCALL_H */
