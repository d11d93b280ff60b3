// SPDX-License-Identifier: GPL-2.0
/*
 * TD exits to userspace (include/td_exit.h).
 */
#include <stdio.h>
#include <string.h>

#include "kmsg.h"
#include <errno.h>

#include "td_boot.h"
#include "td_exit.h"
#include "tdx_abi.h"

#ifndef KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON
#define KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON	4
#endif

/* kvm_run.system_event.data[] holds GPR i at index i (docs/tdx-kvm-abi.md §6). */
enum { GPR_RBX = 3, GPR_RSI = 6, GPR_RDI = 7, GPR_R8, GPR_R12 = 12, GPR_R13, GPR_R14, GPR_R15 };

static enum td_exit_action fatal(struct kvm_run *run, uint32_t vcpu,
				 struct seam_msg *msg, struct seam_report *r)
{
	const __u64 *d = run->system_event.data;
	struct seam_finding *f;

	if (run->system_event.type != KVM_SYSTEM_EVENT_TDX_FATAL) {
		f = report_add_finding(r, "unexpected_exit", "vCPU %u: system event %u",
				       vcpu, run->system_event.type);
		finding_u64(f, "vcpu", vcpu);
		finding_u64(f, "type", run->system_event.type);
		return TD_EXIT_FAILED;
	}
	/* Never a message (include/seamstress.h): the TD's own fatal error. */
	f = report_add_finding(r, "td_fatal", "vCPU %u: the TD reported a fatal error, code 0x%llx",
			       vcpu, (unsigned long long)(run->system_event.ndata > GPR_R12 ?
							  d[GPR_R12] : 0));
	finding_u64(f, "vcpu", vcpu);
	finding_hex(f, "code", run->system_event.ndata > GPR_R12 ? d[GPR_R12] : 0);
	return TD_EXIT_FAILED;
}

/*
 * The message doorbell rung with @who, the vCPU index + 1 of the progress
 * block that holds the message (include/seamstress.h).
 */
static enum td_exit_action doorbell(uint32_t vcpu, uint64_t who, const struct td_exit_ops *ops,
				    struct seam_msg *msg, struct seam_report *r)
{
	struct seam_finding *f;

	if (who != (uint64_t)vcpu + 1) {
		f = report_add_finding(r, "unexpected_exit", "vCPU %u rang the message doorbell for vCPU %lld",
				       vcpu, (long long)who - 1);
		finding_u64(f, "vcpu", vcpu);
		return TD_EXIT_FAILED;
	}
	*msg = ops->progress[vcpu].msg;
	return TD_EXIT_MSG;
}

/* A TD's doorbell: an 8-byte MMIO write. */
static enum td_exit_action message(struct kvm_run *run, uint32_t vcpu,
				   const struct td_exit_ops *ops, struct seam_msg *msg,
				   struct seam_report *r)
{
	struct seam_finding *f;
	uint64_t who;

	if (run->mmio.phys_addr != SEAM_TD_MSG_MMIO_GPA || run->mmio.len != 8 ||
	    !run->mmio.is_write || !ops->progress) {
		f = report_add_finding(r, "unexpected_exit", "vCPU %u: MMIO %s of %u bytes at 0x%llx, not the message doorbell (an 8-byte write to 0x%llx)",
				       vcpu, run->mmio.is_write ? "write" : "read", run->mmio.len,
				       (unsigned long long)run->mmio.phys_addr,
				       (unsigned long long)SEAM_TD_MSG_MMIO_GPA);
		finding_u64(f, "vcpu", vcpu);
		finding_hex(f, "gpa", run->mmio.phys_addr);
		return TD_EXIT_FAILED;
	}
	memcpy(&who, run->mmio.data, sizeof(who));
	return doorbell(vcpu, who, ops, msg, r);
}

enum td_exit_action vm_handle_doorbell(struct kvm_run *run, uint32_t vcpu,
				       const struct td_exit_ops *ops, struct seam_msg *msg,
				       struct seam_report *r)
{
	struct seam_finding *f;
	uint32_t who;

	if (run->io.port != SEAM_MSG_PORT || run->io.direction != KVM_EXIT_IO_OUT ||
	    run->io.size != 4 || run->io.count != 1 || !ops->progress) {
		f = report_add_finding(r, "unexpected_exit", "vCPU %u: port I/O %s of %u bytes x %u at 0x%x, not the message doorbell (a 4-byte out to 0x%x)",
				       vcpu, run->io.direction == KVM_EXIT_IO_OUT ? "out" : "in",
				       run->io.size, run->io.count, run->io.port, SEAM_MSG_PORT);
		finding_u64(f, "vcpu", vcpu);
		finding_hex(f, "port", run->io.port);
		return TD_EXIT_FAILED;
	}
	/* KVM leaves the data in the PIO page of the kvm_run mapping. */
	memcpy(&who, (uint8_t *)run + run->io.data_offset, sizeof(who));
	return doorbell(vcpu, who, ops, msg, r);
}

static enum td_exit_action convert(const struct td_exit_ops *ops, uint32_t vcpu,
				   uint64_t gpa, uint64_t size, bool private,
				   const char *why, struct seam_report *r)
{
	struct seam_finding *f;
	int err = ops->set_attributes(ops->ctx, gpa, size, private);

	if (!err)
		return TD_EXIT_RESUME;
	f = report_add_finding(r, "conversion", "vCPU %u: %s: KVM_SET_MEMORY_ATTRIBUTES(%s) of [0x%llx, +0x%llx) failed: %s",
			       vcpu, why, private ? "PRIVATE" : "shared",
			       (unsigned long long)gpa, (unsigned long long)size, strerror(-err));
	finding_hex(f, "gpa", gpa);
	finding_u64(f, "errno", -err);
	return TD_EXIT_FAILED;
}

static const char *const vector_names[TD_EXCEPTION_VECTORS] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "vector 9",
	"#TS", "#NP", "#SS", "#GP", "#PF", "vector 15", "#MF", "#AC", "#MC", "#XM",
	"#VE", "#CP",
};

/*
 * KVM_EXIT_SHUTDOWN: the TD triple-faulted.  Its exception handler
 * recorded the first exception in the shared progress page, and ends every
 * exception in a triple fault (docs/design.md §6).
 */
static enum td_exit_action guest_fault(const struct td_exit_ops *ops, uint32_t vcpu,
				       struct seam_report *r)
{
	const struct seam_td_trace *t = ops->progress ? &ops->progress[vcpu].td : NULL;
	const char *name;
	struct seam_finding *f;

	if (!t || !t->faults) {
		f = report_add_finding(r, "td_fatal", "vCPU %u: the TD triple-faulted (KVM_EXIT_SHUTDOWN) with no exception recorded: before it reached the workload (entry mark %llu), or inside its exception handler",
				       vcpu, t ? (unsigned long long)t->entered : 0ULL);
		finding_u64(f, "vcpu", vcpu);
		return TD_EXIT_FAILED;
	}
	name = t->vector < TD_EXCEPTION_VECTORS && vector_names[t->vector] ?
	       vector_names[t->vector] : "an exception";
	if (t->vector == VE_VECTOR)
		/* A #VE the handler could not take: what TDG.VP.VEINFO.GET said. */
		f = report_add_finding(r, "td_fatal", "vCPU %u: the TD triple-faulted after a #VE it does not handle at rip 0x%llx: TDG.VP.VEINFO.GET status 0x%llx, exit reason %llu, GPA 0x%llx",
				       vcpu, (unsigned long long)t->rip, (unsigned long long)t->ve_status,
				       (unsigned long long)(uint32_t)t->ve_exit_reason,
				       (unsigned long long)t->ve_gpa);
	else
		f = report_add_finding(r, "td_fatal", "vCPU %u: the TD triple-faulted after %s (vector %llu) at rip 0x%llx, error code 0x%llx, cr2 0x%llx",
				       vcpu, name, (unsigned long long)t->vector, (unsigned long long)t->rip,
				       (unsigned long long)t->error_code, (unsigned long long)t->cr2);
	finding_u64(f, "vcpu", vcpu);
	finding_u64(f, "vector", t->vector);
	finding_hex(f, "rip", t->rip);
	finding_hex(f, "error_code", t->error_code);
	finding_hex(f, "cr2", t->cr2);
	finding_hex(f, "rsp", t->rsp);
	finding_u64(f, "exceptions", t->faults);
	return TD_EXIT_FAILED;
}

enum td_exit_action td_handle_exit(struct kvm_run *run, uint32_t vcpu,
				   const struct td_exit_ops *ops,
				   struct seam_msg *msg, struct seam_report *r)
{
	struct seam_kvm_exit_tdx *tdx;
	struct seam_finding *f;
	char decoded[96];
	uint64_t status;

	switch (run->exit_reason) {
	case KVM_EXIT_SYSTEM_EVENT:
		return fatal(run, vcpu, msg, r);

	case KVM_EXIT_MMIO:
		return message(run, vcpu, ops, msg, r);

	case KVM_EXIT_HYPERCALL:
		/*
		 * MapGPA (docs/tdx-kvm-abi.md §6): args[0] gpa, [1] pages, [2]
		 * ENCRYPTED = to private.
		 */
		if (run->hypercall.nr != SEAM_KVM_HC_MAP_GPA_RANGE)
			break;
		run->hypercall.ret = 0;
		if (convert(ops, vcpu, run->hypercall.args[0],
			    run->hypercall.args[1] * SEAM_PAGE_SIZE,
			    run->hypercall.args[2] & SEAM_MAP_GPA_RANGE_ENCRYPTED,
			    "MapGPA", r) == TD_EXIT_RESUME)
			return TD_EXIT_RESUME;
		/*
		 * EINVAL: the guest sees INVALID_OPERAND.  The only other error
		 * KVM takes is EAGAIN (RETRY); newer KVM fails KVM_RUN on any
		 * other value (tdx_complete_vmcall_map_gpa()).
		 */
		run->hypercall.ret = EINVAL;
		return TD_EXIT_FAILED;

	case KVM_EXIT_MEMORY_FAULT:
		/* An access whose private/shared-ness differs from the attribute. */
		return convert(ops, vcpu, run->memory_fault.gpa, run->memory_fault.size,
			       run->memory_fault.flags & KVM_MEMORY_EXIT_FLAG_PRIVATE,
			       "implicit conversion on KVM_EXIT_MEMORY_FAULT", r);

	case KVM_EXIT_TDX:
		/* Sub-functions the harness does not offer (GetQuote, ...). */
		tdx = seam_run_tdx(run);
		if (tdx->nr == TDVMCALL_GET_TD_VM_CALL_INFO) {
			memset(&tdx->get_tdvmcall_info, 0, sizeof(tdx->get_tdvmcall_info));
			return TD_EXIT_RESUME;
		}
		tdx->unknown.ret = TDVMCALL_STATUS_SUBFUNC_UNSUPPORTED;
		return TD_EXIT_RESUME;

	case KVM_EXIT_INTR:
		return TD_EXIT_RESUME;

	case KVM_EXIT_SHUTDOWN:
		return guest_fault(ops, vcpu, r);

	case KVM_EXIT_INTERNAL_ERROR:
		/*
		 * data[0] = TDH.VP.ENTER's status (docs/tdx-kvm-abi.md §6,
		 * docs/tdx-module-and-kvm.md §2.5).
		 */
		if (run->internal.suberror != KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON ||
		    !run->internal.ndata)
			break;
		status = run->internal.data[0];
		tdx_status_decode(status, decoded, sizeof(decoded));
		f = report_add_finding(r, "td_exit", "vCPU %u: TDH.VP.ENTER failed with 0x%llx (%s)",
				       vcpu, (unsigned long long)status, decoded);
		finding_u64(f, "vcpu", vcpu);
		finding_hex(f, "vp_enter_ret", status);
		finding_str(f, "decoded", decoded);
		return TD_EXIT_FAILED;
	}

	f = report_add_finding(r, "unexpected_exit", "vCPU %u: exit reason %u from a TD",
			       vcpu, run->exit_reason);
	finding_u64(f, "vcpu", vcpu);
	finding_u64(f, "exit_reason", run->exit_reason);
	return TD_EXIT_FAILED;
}

enum td_run_result td_run_result(int r, int err, uint32_t exit_reason)
{
	if (!r)
		return TD_RUN_EXIT;
	if (err == EINTR)
		return TD_RUN_KICKED;
	if ((err == EFAULT || err == EHWPOISON) && exit_reason == KVM_EXIT_MEMORY_FAULT)
		return TD_RUN_EXIT;
	return TD_RUN_FAILED;
}
