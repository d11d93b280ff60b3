// SPDX-License-Identifier: GPL-2.0
/*
 * A TD's exits to userspace, crafted in a struct kvm_run
 * (docs/tdx-kvm-abi.md §6): the ReportFatalError message, MapGPA and
 * memory-fault conversions, KVM_EXIT_TDX sub-functions, and TDH.VP.ENTER
 * failures by name.
 */
#include "td_exit.h"
#include "tdx_abi.h"
#include "unit.h"

static struct seam_report rep;
static struct kvm_run run;
static struct {
	int calls;
	uint64_t gpa, size;
	bool private;
	int ret;
} conv;

static int fake_set_attributes(void *ctx, uint64_t gpa, uint64_t size, bool private)
{
	conv.calls++;
	conv.gpa = gpa;
	conv.size = size;
	conv.private = private;
	return conv.ret;
}

static const struct td_exit_ops ops = { .set_attributes = fake_set_attributes };

static void reset(uint32_t reason)
{
	memset(&run, 0, sizeof(run));
	memset(&conv, 0, sizeof(conv));
	report_init(&rep, "t", NULL);
	run.exit_reason = reason;
}

static void test_message_in_report_fatal_error(void)
{
	struct seam_msg msg;

	reset(KVM_EXIT_SYSTEM_EVENT);
	run.system_event.type = KVM_SYSTEM_EVENT_TDX_FATAL;
	run.system_event.ndata = 16;
	run.system_event.data[12] = SEAM_TDX_UCALL_MAGIC;	/* R12 */
	run.system_event.data[13] = SEAM_CMD_SYNC;		/* R13 */
	run.system_event.data[14] = SEAM_SYNC_CORRUPT;		/* R14 */
	run.system_event.data[15] = 0x100000040;		/* R15 */
	run.system_event.data[3] = 0x5ea3000000000001;		/* RBX */
	run.system_event.data[6] = 0xbad;			/* RSI */
	run.system_event.data[7] = SEAM_PHASE_READBACK;		/* RDI */
	UNIT_EXPECT(td_handle_exit(&run, 1, &ops, &msg, &rep) == TD_EXIT_MSG, "a message");
	UNIT_EXPECT(msg.cmd == SEAM_CMD_SYNC && msg.args[1] == SEAM_SYNC_CORRUPT &&
		    msg.args[2] == 0x100000040 && msg.args[3] == 0x5ea3000000000001 &&
		    msg.args[4] == 0xbad && msg.args[5] == SEAM_PHASE_READBACK, "fields");

	run.system_event.data[12] = 0x42;
	UNIT_EXPECT(td_handle_exit(&run, 1, &ops, &msg, &rep) == TD_EXIT_FAILED, "real fatal");
	UNIT_EXPECT(report_has_finding(&rep, "td_fatal"), "td_fatal finding");
}

static void test_map_gpa_converts(void)
{
	struct seam_msg msg;

	reset(KVM_EXIT_HYPERCALL);
	run.hypercall.nr = SEAM_KVM_HC_MAP_GPA_RANGE;
	run.hypercall.args[0] = 0x100000000;
	run.hypercall.args[1] = 4;
	run.hypercall.args[2] = SEAM_MAP_GPA_RANGE_ENCRYPTED;
	run.hypercall.ret = 99;
	UNIT_EXPECT(td_handle_exit(&run, 0, &ops, &msg, &rep) == TD_EXIT_RESUME, "resume");
	UNIT_EXPECT(conv.calls == 1 && conv.gpa == 0x100000000 && conv.size == 4 * 4096 &&
		    conv.private, "to private");
	UNIT_EXPECT(run.hypercall.ret == 0, "success to the guest");

	run.hypercall.args[2] = 0;
	conv.ret = -EINVAL;
	UNIT_EXPECT(td_handle_exit(&run, 0, &ops, &msg, &rep) == TD_EXIT_FAILED, "failure");
	UNIT_EXPECT(!conv.private && run.hypercall.ret != 0, "to shared, error to the guest");
	UNIT_EXPECT(report_has_finding(&rep, "conversion"), "conversion finding");
}

static void test_memory_fault_converts(void)
{
	struct seam_msg msg;

	reset(KVM_EXIT_MEMORY_FAULT);
	run.memory_fault.gpa = 0x100003000;
	run.memory_fault.size = 4096;
	run.memory_fault.flags = KVM_MEMORY_EXIT_FLAG_PRIVATE;
	UNIT_EXPECT(td_handle_exit(&run, 0, &ops, &msg, &rep) == TD_EXIT_RESUME, "resume");
	UNIT_EXPECT(conv.calls == 1 && conv.gpa == 0x100003000 && conv.private, "implicit");
}

static void test_tdx_subfunctions(void)
{
	struct seam_kvm_exit_tdx *tdx = seam_run_tdx(&run);
	struct seam_msg msg;

	reset(KVM_EXIT_TDX);
	tdx->nr = TDVMCALL_GET_QUOTE;
	UNIT_EXPECT(td_handle_exit(&run, 0, &ops, &msg, &rep) == TD_EXIT_RESUME, "resume");
	UNIT_EXPECT(tdx->unknown.ret == TDVMCALL_STATUS_SUBFUNC_UNSUPPORTED, "unsupported");
	tdx->nr = TDVMCALL_GET_TD_VM_CALL_INFO;
	tdx->get_tdvmcall_info.r11 = 7;
	UNIT_EXPECT(td_handle_exit(&run, 0, &ops, &msg, &rep) == TD_EXIT_RESUME &&
		    !tdx->get_tdvmcall_info.r11 && !tdx->get_tdvmcall_info.ret, "info leaf");
}

static void test_vp_enter_failure_named(void)
{
	struct seam_msg msg;

	reset(KVM_EXIT_INTERNAL_ERROR);
	run.internal.suberror = 4;	/* KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON */
	run.internal.ndata = 1;
	run.internal.data[0] = TDX_HOST_PRIORITY_BUSY_TIMEOUT;
	UNIT_EXPECT(td_handle_exit(&run, 2, &ops, &msg, &rep) == TD_EXIT_FAILED, "stop");
	UNIT_EXPECT(rep.nr_findings == 1, "one finding");
	UNIT_EXPECT_STR(rep.findings[0].detector, "td_exit");
	UNIT_EXPECT_CONTAINS(rep.findings[0].message, "HOST_PRIORITY_BUSY_TIMEOUT");

	reset(KVM_EXIT_SHUTDOWN);
	UNIT_EXPECT(td_handle_exit(&run, 0, &ops, &msg, &rep) == TD_EXIT_FAILED &&
		    report_has_finding(&rep, "unexpected_exit"), "shutdown");
	reset(KVM_EXIT_INTR);
	UNIT_EXPECT(td_handle_exit(&run, 0, &ops, &msg, &rep) == TD_EXIT_RESUME, "kick");
}

UNIT_MAIN(UNIT(test_message_in_report_fatal_error),
	  UNIT(test_map_gpa_converts),
	  UNIT(test_memory_fault_converts),
	  UNIT(test_tdx_subfunctions),
	  UNIT(test_vp_enter_failure_named))
