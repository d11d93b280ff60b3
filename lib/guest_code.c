// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's out-of-line pieces: the tests' loops (built from
 * include/guest_sweep.h) call these off the per-page fast path.
 *
 * The same code runs in every flavor; a TD differs where the host cannot
 * reach into it: it enters through seam_td_entry(), accepts each page
 * before touching it (TDG.MEM.PAGE.ACCEPT), takes the #VE of a page the
 * host re-added under it, reports its exceptions in its shared progress
 * block, converts with TDG.VP.VMCALL<MapGPA> and rings its messages'
 * doorbell with an MMIO write where other VMs write an I/O port.
 */
#include "kvm_util.h"
#include "processor.h"
#include "ucall_common.h"

#include "guest_code.h"
#include "tdcall.h"

struct seam_guest_args seam_guest_args;
struct seam_td_guest seam_td_guest;

void seam_td_entry(uint32_t vcpu)
{
	struct seam_progress *p = (struct seam_progress *)seam_guest_args.progress_gva;
	uint64_t rsp;

	asm volatile("mov %%rsp, %0" : "=r"(rsp));
	if (vcpu < seam_guest_args.nr_vcpus) {
		p[vcpu].td.entry_rsp = rsp;
		p[vcpu].td.entry_cr3 = get_cr3();
		WRITE_ONCE(p[vcpu].td.entered, vcpu + 1);
	}
	seam_td_guest.workload(vcpu);
}

/* The vCPU whose stack holds @rsp, + 1; 0 for none. */
static uint64_t stack_owner(uint64_t rsp)
{
	uint32_t i;

	for (i = 0; i < seam_guest_args.nr_vcpus; i++) {
		if (rsp <= seam_td_guest.stack_top[i] &&
		    rsp > seam_td_guest.stack_top[i] - seam_td_guest.stack_size)
			return i + 1;
	}
	return 0;
}

/*
 * A #VE in a TD (docs/design.md §2.4).  TDG.VP.VEINFO.GET comes first: until
 * it clears the VE info another #VE cannot be delivered.  An EPT violation
 * on a private GPA is a page the host removed and AUG'd again under the
 * guest: accept it (BUSY retried, ALREADY_ACCEPTED fine) and return, so
 * the faulting access runs again.  True when handled.
 */
static bool seam_guest_ve(struct seam_td_trace *t)
{
	uint64_t status, reason, qual, gla, gpa, info;

	status = tdg_vp_veinfo_get(&reason, &qual, &gla, &gpa, &info);
	t->ve++;
	t->ve_status = status;
	t->ve_exit_reason = reason;
	t->ve_gpa = gpa;
	if (!seam_ve_accepts(status, reason, gpa, seam_guest_args.shared_bit))
		return false;
	for (;;) {
		status = tdg_mem_page_accept(gpa, 0);
		if ((status & TDX_SEAMCALL_STATUS_MASK) != TDX_OPERAND_BUSY)
			break;
		t->ve_accept_busy++;
	}
	if (!status) {
		t->ve_accept_ok++;
		return true;
	}
	if ((status & TDX_SEAMCALL_STATUS_MASK) == TDX_PAGE_ALREADY_ACCEPTED) {
		t->ve_accept_already++;
		return true;
	}
	t->ve_accept_other++;
	t->ve_status = status;
	return false;
}

void seam_guest_fault(struct ex_regs *regs)
{
	/* LIDT operand: a zero limit, so the next exception cannot be delivered. */
	static const struct __attribute__((packed)) { uint16_t limit; uint64_t base; } no_idt;
	struct seam_progress *p = (struct seam_progress *)seam_guest_args.progress_gva;
	/*
	 * In 64-bit mode the CPU pushes SS:RSP above RFLAGS at any privilege
	 * level; the library's frame, struct ex_regs, ends at RFLAGS.
	 */
	uint64_t rsp = ((uint64_t *)(regs + 1))[0];
	uint64_t owner = stack_owner(rsp);
	struct seam_td_trace *t = &p[owner ? owner - 1 : 0].td;
	uint64_t cr2;

	if (regs->vector == VE_VECTOR && seam_guest_args.tdx && seam_guest_ve(t))
		return;	/* the library's stub IRETQs to the access */
	if (!t->faults++) {
		asm volatile("mov %%cr2, %0" : "=r"(cr2));
		t->vector = regs->vector;
		t->error_code = regs->error_code;
		t->rip = regs->rip;
		t->rsp = rsp;
		t->cr2 = cr2;
		t->cr3 = get_cr3();
		t->rax = regs->rax;
		WRITE_ONCE(t->stack_of, owner);
	}
	/*
	 * Stop where the host can see it on any VM: int3 through an IDT of
	 * limit 0 is a #GP that cannot be delivered either, a #DF, then a
	 * triple fault (KVM_EXIT_SHUTDOWN; a TD's exit reason 2 is the same).
	 */
	asm volatile("lidt %0; int3" : : "m"(no_idt));
	for (;;)
		;
}

void seam_guest_msg5(struct seam_progress *p, uint64_t cmd, uint64_t stage, uint64_t a,
		     uint64_t b, uint64_t c, uint64_t d, uint64_t e)
{
	uint64_t who = p - (struct seam_progress *)seam_guest_args.progress_gva + 1;

	p->msg = (struct seam_msg) {
		.cmd = cmd, .args = { 0, stage, a, b, c, d, e },
	};
	if (seam_guest_args.tdx) {
		/* R12 size, R13 1 = write, R14 the GPA with the shared bit, R15 the data. */
		tdg_vp_vmcall(TDVMCALL_EXIT_MMIO, 8, 1,
			      SEAM_TD_MSG_MMIO_GPA | seam_guest_args.shared_bit, who,
			      0, 0, 0, 0, 0);
		return;
	}
	asm volatile("outl %%eax, %%dx" : : "a"((uint32_t)who), "d"(SEAM_MSG_PORT) : "memory");
}

void seam_guest_msg(struct seam_progress *p, uint64_t cmd, uint64_t stage, uint64_t a,
		    uint64_t b, uint64_t c, uint64_t d)
{
	seam_guest_msg5(p, cmd, stage, a, b, c, d, 0);
}

/*
 * Accept the page right before the touch: with SEPT_VE_DISABLE a touch of
 * a page that was removed and re-added but not accepted kills the TD
 * (docs/tdx-kvm-abi.md §5).  BUSY (the host holds the S-EPT entry) is retried;
 * the results are counted.  Other flavors have nothing to accept.
 */
void seam_guest_accept(struct seam_progress *p, uint64_t gpa)
{
	uint64_t status;

	p->accepts++;
	if (!seam_guest_args.tdx)
		return;
	/* Linux tries the larger level first and falls back (docs/tdx-kvm-abi.md §7). */
	if (seam_guest_args.accept_2m) {
		status = tdg_mem_page_accept(gpa & ~(0x200000ULL - 1), 1);
		if (!status) {
			p->accept_2m_ok++;
			p->accept_ok++;
			return;
		}
		/* KVM maps a TD's private memory at 4K: expect this every time. */
		p->accept_2m_fallback++;
		p->accept_2m_last_status = status;
	}
	for (;;) {
		status = tdg_mem_page_accept(gpa, 0);
		if ((status & TDX_SEAMCALL_STATUS_MASK) != TDX_OPERAND_BUSY)
			break;
		p->accept_busy++;
		p->accept_last_busy = status;
	}
	if (!status)
		p->accept_ok++;
	else if ((status & TDX_SEAMCALL_STATUS_MASK) == TDX_PAGE_ALREADY_ACCEPTED)
		p->accept_already++;
	else
		p->accept_other++;
}

/* MapGPA of one page to @private; 0 or the error (TDVMCALL status, -KVM_E*). */
static uint64_t map_gpa(uint64_t gpa, bool private)
{
	uint64_t status;

	if (!seam_guest_args.tdx)
		return kvm_hypercall(KVM_HC_MAP_GPA_RANGE, gpa, 1,
				     private ? SEAM_MAP_GPA_RANGE_ENCRYPTED : 0, 0);
	/* To shared: the GPA with the shared bit (docs/tdx-kvm-abi.md §6). */
	if (!private)
		gpa |= seam_guest_args.shared_bit;
	do
		status = tdg_vp_vmcall_map_gpa(gpa, SEAM_PAGE_SIZE);
	while (status == TDVMCALL_STATUS_RETRY);
	return status;
}

void seam_guest_convert(struct seam_progress *p, uint64_t gpa)
{
	p->guest_conversions++;
	if (map_gpa(gpa, false) || map_gpa(gpa, true))
		p->guest_conversion_errors++;
}

/*
 * The vCPU index the host passed must name a progress block.  Where it
 * does not, there is no block to write the message to: a VM asserts
 * through the library's ucall; a TD (no ucall) writes to the block of the
 * vCPU whose stack it runs on, or, with none, reports a fatal error.
 */
void seam_guest_check_vcpu(uint32_t vcpu)
{
	struct seam_progress *p = (struct seam_progress *)seam_guest_args.progress_gva;
	uint64_t rsp, owner;

	if (vcpu < seam_guest_args.nr_vcpus)
		return;
	if (!seam_guest_args.tdx) {
		__GUEST_ASSERT(0, "vCPU index %u, but the VM has %u vCPUs", vcpu,
			       seam_guest_args.nr_vcpus);
	} else {
		asm volatile("mov %%rsp, %0" : "=r"(rsp));
		owner = stack_owner(rsp);
		if (owner)
			seam_guest_msg(&p[owner - 1], SEAM_CMD_ABORT, __LINE__, 0, 0, 0, 0);
		else
			tdg_vp_vmcall(TDVMCALL_REPORT_FATAL_ERROR, SEAM_TD_FATAL_NO_STACK,
				      0, 0, 0, 0, 0, 0, 0, 0);
	}
	/* The host stops this vCPU on either; never run on with a bad index. */
	for (;;)
		;
}
