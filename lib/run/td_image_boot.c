// SPDX-License-Identifier: GPL-2.0
/*
 * The td_image flavor: the tdx flavor's image (the reset-vector JMP, the
 * trampoline, the boot block and GDT, the page tables with the shared bit,
 * the IDT and the test's own workload) booted in an ordinary VM whose
 * vCPUs start as TDH.VP.INIT starts a TD's.  No TDX is needed, and none is
 * pretended: the workload's first TDCALL raises #UD outside a TD, the TD's
 * exception handler records it in the shared progress page and
 * triple-faults.  What is judged is that every vCPU got there with its own
 * index, on its own stack and page tables, and stopped at a TDCALL.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kvm_util.h"
#include "processor.h"

#include "guest_code.h"
#include "td_boot.h"
#include "td_image_boot.h"

/* A vCPU that has not stopped by then is reported, and the next one runs. */
#define TD_IMAGE_RUN_TIMEOUT_S	10

static const uint8_t tdcall_insn[] = { 0x66, 0x0f, 0x01, 0xcc };

static void on_alarm(int sig)
{
}

/*
 * QEMU's TCG (7.2) hangs its CPU for good when the L1 KVM enters a nested
 * guest with EFER.LME set and CR0.PG clear, which is exactly where a TD
 * starts: measured with a HLT at the reset vector, which never exits (the
 * L1 kernel reports an RCU stall), while EFER 0 or EFER.NXE alone exit
 * with HLT at once.  Under QEMU's TCG the vCPU therefore starts with
 * EFER.LME clear and a breakpoint on the trampoline's MOV to CR0, and the
 * host performs that one instruction as the CPU would: CR0 from EAX,
 * EFER.LME and LMA set, RIP past it.  Elsewhere the guest runs it itself.
 */
static bool under_qemu_tcg(void)
{
	uint32_t eax, ebx, ecx, edx, sig[3];

	__cpuid(1, 0, &eax, &ebx, &ecx, &edx);
	if (!(ecx & (1u << 31)))	/* CPUID.1:ECX.hypervisor */
		return false;
	__cpuid(0x40000000, 0, &eax, &sig[0], &sig[1], &sig[2]);
	return !memcmp(sig, "TCGTCGTCGTCG", sizeof(sig));
}

static uint64_t paging_insn_gva(void)
{
	return TD_BOOT_CODE_GPA + (td_boot_paging - td_boot_start);
}

static void paging_breakpoint(struct kvm_vcpu *vcpu, bool on)
{
	struct kvm_guest_debug dbg = { 0 };

	if (on) {
		dbg.control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW_BP;
		dbg.arch.debugreg[0] = paging_insn_gva();
		dbg.arch.debugreg[7] = 0x1;	/* DR0 enabled, locally, on execution */
	}
	vcpu_guest_debug_set(vcpu, &dbg);
}

/*
 * Run @vcpu to its stop, through the host-performed CR0 write when
 * @host_paging; KVM_RUN's result and errno as __vcpu_run() gives them.
 */
static int run_to_stop(struct kvm_vcpu *vcpu, bool host_paging, int *err)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	int rc;

	if (host_paging)
		paging_breakpoint(vcpu, true);
	rc = __vcpu_run(vcpu);
	*err = errno;
	if (!host_paging || rc || vcpu->run->exit_reason != KVM_EXIT_DEBUG ||
	    vcpu->run->debug.arch.pc != paging_insn_gva())
		return rc;
	paging_breakpoint(vcpu, false);
	vcpu_regs_get(vcpu, &regs);
	vcpu_sregs_get(vcpu, &sregs);
	sregs.cr0 = (uint32_t)regs.rax;
	sregs.efer |= EFER_LME | EFER_LMA;
	vcpu_sregs_set(vcpu, &sregs);
	regs.rip += TD_BOOT_PAGING_INSN_LEN;
	vcpu_regs_set(vcpu, &regs);
	rc = __vcpu_run(vcpu);
	*err = errno;
	return rc;
}

/* TD_INIT_* and the segments of include/td_boot.h; RSI = VCPU_INDEX. */
static int td_initial_state(struct kvm_vcpu *vcpu, uint32_t index, bool host_paging,
			    char *why, size_t len)
{
	const struct kvm_segment code = {
		.limit = 0xffffffff, .type = 0xb, .present = 1, .s = 1, .db = 1, .g = 1,
	};
	const struct kvm_segment data = {
		.limit = 0xffffffff, .type = 0x3, .present = 1, .s = 1, .db = 1, .g = 1,
	};
	struct kvm_regs regs = { .rip = TD_RESET_VECTOR, .rflags = 0x2, .rsi = index };
	struct kvm_sregs sregs;

	vcpu_init_cpuid(vcpu, kvm_get_supported_cpuid());
	vcpu_sregs_get(vcpu, &sregs);
	sregs.cs = code;
	sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss = data;
	sregs.tr = (struct kvm_segment) { .limit = 0xffff, .type = 0xb, .present = 1 };
	sregs.ldt = (struct kvm_segment) { .limit = 0xffff, .type = 0x2, .present = 1, .unusable = 1 };
	sregs.gdt = (struct kvm_dtable) { .limit = 0xffff };
	sregs.idt = (struct kvm_dtable) { 0 };
	sregs.cr0 = TD_INIT_CR0;
	sregs.cr3 = 0;
	sregs.cr4 = TD_INIT_CR4;
	sregs.efer = host_paging ? TD_INIT_EFER & ~EFER_LME : TD_INIT_EFER;
	if (__vcpu_ioctl(vcpu, KVM_SET_SREGS, &sregs)) {
		snprintf(why, len, "this KVM refuses a TD vCPU's initial state (KVM_SET_SREGS with CR0 0x%x: protected mode, paging off; EFER 0x%x): %s",
			 TD_INIT_CR0, TD_INIT_EFER, strerror(errno));
		return -1;
	}
	vcpu_regs_set(vcpu, &regs);
	return 0;
}

static struct seam_finding *image_finding(struct seam_report *r, uint32_t v, const char *msg)
{
	struct seam_finding *f = report_add_finding(r, "td_image", "vCPU %u: %s", v, msg);

	finding_u64(f, "vcpu", v);
	return f;
}

static bool at_tdcall(struct kvm_vm *vm, uint64_t rip)
{
	/* The workload's code is the ELF in memslot 0, identity mapped. */
	if (rip < KVM_UTIL_MIN_VADDR || rip + sizeof(tdcall_insn) > (1ULL << 32))
		return false;
	return !memcmp(addr_gva2hva(vm, rip), tdcall_insn, sizeof(tdcall_insn));
}

enum vcpu_verdict {
	VCPU_BOOTED,		/* at #UD of a TDCALL, with its own index, stack, CR3 */
	VCPU_BROKEN,		/* a td_image finding says how */
	VCPU_UNPROVEN,		/* entered right, but this KVM cannot raise the #UD */
};

/* Judge vCPU @v's stop; @why gets the reason of an unproven one. */
static enum vcpu_verdict vcpu_judged(struct stress_vm *svm, uint32_t v, int rc, int err,
				     struct seam_report *r, char *why, size_t len)
{
	const struct seam_td_trace *t = &svm->progress[v].td;
	uint64_t top = svm->td_stack_top[v], size = DEFAULT_STACK_PGS * SEAM_PAGE_SIZE;
	struct kvm_run *run = svm->vcpus[v]->run;
	struct seam_finding *f;
	struct kvm_regs regs;
	char msg[240];

	if (rc) {
		snprintf(msg, sizeof(msg), err == EINTR ?
			 "did not stop within %d s (KVM_RUN: %s): a loop before any exception" :
			 "KVM_RUN failed after %d s at most: %s", TD_IMAGE_RUN_TIMEOUT_S, strerror(err));
		image_finding(r, v, msg);
		return VCPU_BROKEN;
	}
	if (run->exit_reason != KVM_EXIT_SHUTDOWN && run->exit_reason != KVM_EXIT_INTERNAL_ERROR) {
		snprintf(msg, sizeof(msg), "exited with %s (%u), not the triple fault the TD's exception handler ends in",
			 exit_reason_str(run->exit_reason), run->exit_reason);
		f = image_finding(r, v, msg);
		finding_u64(f, "exit_reason", run->exit_reason);
		return VCPU_BROKEN;
	}
	if (t->entered != v + 1) {
		snprintf(msg, sizeof(msg), "stopped (%s) before the workload's entry (its mark is %llu, expected %u): the reset vector, trampoline, GDT, page tables or IDT",
			 exit_reason_str(run->exit_reason), (unsigned long long)t->entered, v + 1);
		image_finding(r, v, msg);
		return VCPU_BROKEN;
	}
	if (t->entry_rsp > top || t->entry_rsp <= top - size || t->entry_cr3 != svm->vm->pgd) {
		snprintf(msg, sizeof(msg), "entered the workload on rsp 0x%llx, CR3 0x%llx; expected its own stack (0x%llx, 0x%llx] and the image's page tables 0x%llx",
			 (unsigned long long)t->entry_rsp, (unsigned long long)t->entry_cr3,
			 (unsigned long long)(top - size), (unsigned long long)top,
			 (unsigned long long)svm->vm->pgd);
		image_finding(r, v, msg);
		return VCPU_BROKEN;
	}
	printf("# td_image: vCPU %u reached the workload with index %u on its own stack (rsp 0x%llx) and page tables (CR3 0x%llx)\n",
	       v, v, (unsigned long long)t->entry_rsp, (unsigned long long)t->entry_cr3);

	if (run->exit_reason == KVM_EXIT_INTERNAL_ERROR) {
		/*
		 * A KVM that emulates every guest instruction (PVM) fails to
		 * decode TDCALL rather than raising #UD: the exception path
		 * cannot be shown on it.  Anywhere else, an internal error is
		 * the image's.
		 */
		vcpu_regs_get(svm->vcpus[v], &regs);
		if (run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION &&
		    at_tdcall(svm->vm, regs.rip)) {
			snprintf(why, len, "the first TDCALL (rip 0x%llx) gave KVM_EXIT_INTERNAL_ERROR (emulation failure), not #UD: this KVM emulates the guest; every vCPU entered the workload right, the #UD path is unproven here",
				 (unsigned long long)regs.rip);
			return VCPU_UNPROVEN;
		}
		snprintf(msg, sizeof(msg), "KVM_EXIT_INTERNAL_ERROR (suberror %u) at rip 0x%llx, not at a TDCALL",
			 run->internal.suberror, (unsigned long long)regs.rip);
		image_finding(r, v, msg);
		return VCPU_BROKEN;
	}
	if (!t->faults) {
		image_finding(r, v, "triple-faulted in the workload without reaching the exception handler");
		return VCPU_BROKEN;
	}
	if (t->stack_of != v + 1 || t->vector != UD_VECTOR || !at_tdcall(svm->vm, t->rip)) {
		snprintf(msg, sizeof(msg), "stopped on vector %llu at rip 0x%llx (error code 0x%llx, cr2 0x%llx, on the stack of vCPU %lld), not on #UD at a TDCALL on its own stack",
			 (unsigned long long)t->vector, (unsigned long long)t->rip,
			 (unsigned long long)t->error_code, (unsigned long long)t->cr2,
			 (long long)t->stack_of - 1);
		f = image_finding(r, v, msg);
		finding_u64(f, "vector", t->vector);
		finding_hex(f, "rip", t->rip);
		return VCPU_BROKEN;
	}
	printf("# td_image: vCPU %u: its first TDCALL (leaf %llu) at rip 0x%llx raised #UD, recorded by the TD's handler on its own stack\n",
	       v, (unsigned long long)t->rax, (unsigned long long)t->rip);
	return VCPU_BOOTED;
}

void td_image_boot(struct stress_vm *svm, struct seam_report *r)
{
	/* No SA_RESTART: the alarm ends a KVM_RUN that does not return. */
	struct sigaction sa = { .sa_handler = on_alarm }, old;
	uint32_t v, booted = 0, broken = 0;
	char why[sizeof(r->skip_reason)] = "";
	bool host_paging = under_qemu_tcg();
	int rc, err;

	if (host_paging)
		printf("# td_image: under QEMU's TCG: the host performs the trampoline's CR0 write (EFER.LME with CR0.PG clear hangs TCG's nested SVM)\n");
	report_config_str(r, "td_image_paging", host_paging ? "host" : "guest");
	for (v = 0; v < svm->nr_vcpus; v++) {
		if (td_initial_state(svm->vcpus[v], v, host_paging, r->skip_reason,
				     sizeof(r->skip_reason))) {
			r->result = RESULT_SKIP;
			return;
		}
	}
	sigaction(SIGALRM, &sa, &old);
	for (v = 0; v < svm->nr_vcpus; v++) {
		alarm(TD_IMAGE_RUN_TIMEOUT_S);
		rc = run_to_stop(svm->vcpus[v], host_paging, &err);
		alarm(0);
		switch (vcpu_judged(svm, v, rc, err, r, why, sizeof(why))) {
		case VCPU_BOOTED:
			booted++;
			break;
		case VCPU_BROKEN:
			broken++;
			break;
		case VCPU_UNPROVEN:
			break;
		}
	}
	sigaction(SIGALRM, &old, NULL);
	report_counter(r, "td_image_vcpus_booted", booted);
	/* A finding outweighs what could not be shown; both outweigh a pass. */
	if (!broken && why[0]) {
		snprintf(r->skip_reason, sizeof(r->skip_reason), "%s", why);
		r->result = RESULT_SKIP;
	}
}
