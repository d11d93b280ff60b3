// SPDX-License-Identifier: GPL-2.0
/*
 * A TD's exits to userspace, crafted in a struct kvm_run
 * (docs/tdx-kvm-abi.md §6): the message doorbell (a TD's MMIO write, and
 * any other VM's port write), ReportFatalError as the TD's own fatal
 * error, MapGPA and memory-fault conversions, KVM_EXIT_TDX sub-functions,
 * and TDH.VP.ENTER failures by name.
 */
#include <errno.h>

#include "td_exit.h"
#include "tdx_abi.h"
#include "kselftest_harness.h"

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

/*
 * A message: the vCPU's shared progress block holds it, and an 8-byte MMIO
 * write of its index + 1 to the doorbell GPA announces it (the channel of
 * the posted TDX selftests, v13: #VE.RequestMMIO, KVM_EXIT_MMIO with the
 * shared bit stripped).
 */
TEST(message_through_the_mmio_doorbell)
{
	static struct seam_progress progress[2];
	struct td_exit_ops with_progress = ops;
	uint64_t who = 2;
	struct seam_msg msg;

	with_progress.progress = progress;
	reset(KVM_EXIT_MMIO);
	run.mmio.phys_addr = SEAM_TD_MSG_MMIO_GPA;
	run.mmio.len = 8;
	run.mmio.is_write = 1;
	memcpy(run.mmio.data, &who, sizeof(who));
	progress[1].msg = (struct seam_msg) {
		.cmd = SEAM_CMD_SYNC,
		.args = { 0, SEAM_SYNC_CORRUPT, 0x100000040, 0x5ea3000000000001, 0xbad,
			  SEAM_PHASE_READBACK, 0x77 },
	};
	EXPECT_TRUE(td_handle_exit(&run, 1, &with_progress, &msg, &rep) == TD_EXIT_MSG) TH_LOG("a message");
	EXPECT_TRUE(msg.cmd == SEAM_CMD_SYNC && msg.args[1] == SEAM_SYNC_CORRUPT &&
		    msg.args[2] == 0x100000040 && msg.args[3] == 0x5ea3000000000001 &&
		    msg.args[4] == 0xbad && msg.args[5] == SEAM_PHASE_READBACK &&
		    msg.args[6] == 0x77) TH_LOG("fields");
	EXPECT_EQ(0, rep.nr_findings);

	/* The doorbell rung for another vCPU's block: the guest's stack lookup broke. */
	EXPECT_TRUE(td_handle_exit(&run, 0, &with_progress, &msg, &rep) == TD_EXIT_FAILED) TH_LOG("wrong vCPU");
	ASSERT_EQ(1, rep.nr_findings);
	EXPECT_STREQ("unexpected_exit", rep.findings[0].detector);
	EXPECT_STREQ("vCPU 0 rang the message doorbell for vCPU 1", rep.findings[0].message);

	/* Any other MMIO: a read, another GPA, another width. */
	reset(KVM_EXIT_MMIO);
	run.mmio.phys_addr = SEAM_TD_MSG_MMIO_GPA;
	run.mmio.len = 8;
	EXPECT_TRUE(td_handle_exit(&run, 1, &with_progress, &msg, &rep) == TD_EXIT_FAILED &&
		    report_has_finding(&rep, "unexpected_exit")) TH_LOG("a read");
	EXPECT_STREQ("vCPU 1: MMIO read of 8 bytes at 0xfed00000, not the message doorbell (an 8-byte write to 0xfed00000)",
		     rep.findings[0].message);

	/* ReportFatalError is the TD's own fatal error now, never a message. */
	reset(KVM_EXIT_SYSTEM_EVENT);
	run.system_event.type = KVM_SYSTEM_EVENT_TDX_FATAL;
	run.system_event.ndata = 16;
	run.system_event.data[12] = 0x5ea3ca11;		/* R12: the old message magic */
	EXPECT_TRUE(td_handle_exit(&run, 1, &with_progress, &msg, &rep) == TD_EXIT_FAILED) TH_LOG("real fatal");
	EXPECT_TRUE(report_has_finding(&rep, "td_fatal")) TH_LOG("td_fatal finding");
}

/*
 * Any other VM rings the same doorbell with a 4-byte OUT of its index + 1
 * to SEAM_MSG_PORT; KVM leaves the data in the kvm_run mapping's PIO page,
 * one page in (KVM_PIO_PAGE_OFFSET), at kvm_run.io.data_offset.
 */
TEST(message_through_the_port_doorbell)
{
	static union {
		struct kvm_run run;
		uint8_t page[2 * 4096];
	} io;
	static struct seam_progress progress[2];
	struct td_exit_ops with_progress = ops;
	uint32_t who = 2;
	struct seam_msg msg;

	with_progress.progress = progress;
	report_init(&rep, "t", NULL);
	io.run.exit_reason = KVM_EXIT_IO;
	io.run.io.direction = KVM_EXIT_IO_OUT;
	io.run.io.size = 4;
	io.run.io.port = SEAM_MSG_PORT;
	io.run.io.count = 1;
	io.run.io.data_offset = 4096;
	memcpy(io.page + 4096, &who, sizeof(who));
	progress[1].msg = (struct seam_msg) {
		.cmd = SEAM_CMD_SYNC, .args = { 0, SEAM_SYNC_SWEEP, 41 },
	};
	EXPECT_TRUE(vm_handle_doorbell(&io.run, 1, &with_progress, &msg, &rep) == TD_EXIT_MSG) TH_LOG("a message");
	EXPECT_TRUE(msg.cmd == SEAM_CMD_SYNC && msg.args[1] == SEAM_SYNC_SWEEP &&
		    msg.args[2] == 41) TH_LOG("fields");
	EXPECT_EQ(0, rep.nr_findings);

	EXPECT_TRUE(vm_handle_doorbell(&io.run, 0, &with_progress, &msg, &rep) == TD_EXIT_FAILED) TH_LOG("wrong vCPU");
	ASSERT_EQ(1, rep.nr_findings);
	EXPECT_STREQ("vCPU 0 rang the message doorbell for vCPU 1", rep.findings[0].message);

	/* A read of the port, or another width: not the doorbell. */
	report_init(&rep, "t", NULL);
	io.run.io.direction = KVM_EXIT_IO_IN;
	EXPECT_TRUE(vm_handle_doorbell(&io.run, 1, &with_progress, &msg, &rep) == TD_EXIT_FAILED) TH_LOG("an IN");
	ASSERT_EQ(1, rep.nr_findings);
	EXPECT_STREQ("unexpected_exit", rep.findings[0].detector);
	EXPECT_STREQ("vCPU 1: port I/O in of 4 bytes x 1 at 0x5ea5, not the message doorbell (a 4-byte out to 0x5ea5)",
		     rep.findings[0].message);
	report_init(&rep, "t", NULL);
	io.run.io.direction = KVM_EXIT_IO_OUT;
	io.run.io.size = 1;
	EXPECT_TRUE(vm_handle_doorbell(&io.run, 1, &with_progress, &msg, &rep) == TD_EXIT_FAILED) TH_LOG("a byte");
}

TEST(map_gpa_converts)
{
	struct seam_msg msg;

	reset(KVM_EXIT_HYPERCALL);
	run.hypercall.nr = SEAM_KVM_HC_MAP_GPA_RANGE;
	run.hypercall.args[0] = 0x100000000;
	run.hypercall.args[1] = 4;
	run.hypercall.args[2] = SEAM_MAP_GPA_RANGE_ENCRYPTED;
	run.hypercall.ret = 99;
	EXPECT_TRUE(td_handle_exit(&run, 0, &ops, &msg, &rep) == TD_EXIT_RESUME) TH_LOG("resume");
	EXPECT_TRUE(conv.calls == 1 && conv.gpa == 0x100000000 && conv.size == 4 * 4096 &&
		    conv.private) TH_LOG("to private");
	EXPECT_TRUE(run.hypercall.ret == 0) TH_LOG("success to the guest");

	run.hypercall.args[2] = 0;
	conv.ret = -EINVAL;
	EXPECT_TRUE(td_handle_exit(&run, 0, &ops, &msg, &rep) == TD_EXIT_FAILED) TH_LOG("failure");
	/*
	 * EINVAL: KVM turns it into TDVMCALL_STATUS_INVALID_OPERAND; newer KVM
	 * fails KVM_RUN on anything but 0, EAGAIN and EINVAL
	 * (tdx_complete_vmcall_map_gpa(), arch/x86/kvm/vmx/tdx.c).
	 */
	EXPECT_EQ(EINVAL, run.hypercall.ret) TH_LOG("to shared: EINVAL to KVM, not %llu",
		  (unsigned long long)run.hypercall.ret);
	EXPECT_FALSE(conv.private);
	EXPECT_TRUE(report_has_finding(&rep, "conversion")) TH_LOG("conversion finding");
}

TEST(memory_fault_converts)
{
	struct seam_msg msg;

	reset(KVM_EXIT_MEMORY_FAULT);
	run.memory_fault.gpa = 0x100003000;
	run.memory_fault.size = 4096;
	run.memory_fault.flags = KVM_MEMORY_EXIT_FLAG_PRIVATE;
	EXPECT_TRUE(td_handle_exit(&run, 0, &ops, &msg, &rep) == TD_EXIT_RESUME) TH_LOG("resume");
	EXPECT_TRUE(conv.calls == 1 && conv.gpa == 0x100003000 && conv.private) TH_LOG("implicit");
}

/*
 * KVM_RUN returns -1 with errno EFAULT (or EHWPOISON) when it exits with
 * KVM_EXIT_MEMORY_FAULT: the one exit that comes with an error
 * (Documentation/virt/kvm/api.rst, "KVM_EXIT_MEMORY_FAULT").  It is an exit
 * to handle, not a failed KVM_RUN; a plain EFAULT is a failure.
 */
TEST(memory_fault_exit_comes_with_efault)
{
	EXPECT_EQ(TD_RUN_EXIT, td_run_result(0, 0, KVM_EXIT_IO));
	EXPECT_EQ(TD_RUN_EXIT, td_run_result(-1, EFAULT, KVM_EXIT_MEMORY_FAULT));
	EXPECT_EQ(TD_RUN_EXIT, td_run_result(-1, EHWPOISON, KVM_EXIT_MEMORY_FAULT));
	EXPECT_EQ(TD_RUN_KICKED, td_run_result(-1, EINTR, KVM_EXIT_INTR));
	EXPECT_EQ(TD_RUN_FAILED, td_run_result(-1, EFAULT, KVM_EXIT_IO));
	EXPECT_EQ(TD_RUN_FAILED, td_run_result(-1, EIO, KVM_EXIT_MEMORY_FAULT));
}

TEST(tdx_subfunctions)
{
	struct seam_kvm_exit_tdx *tdx = seam_run_tdx(&run);
	struct seam_msg msg;

	reset(KVM_EXIT_TDX);
	tdx->nr = TDVMCALL_GET_QUOTE;
	EXPECT_TRUE(td_handle_exit(&run, 0, &ops, &msg, &rep) == TD_EXIT_RESUME) TH_LOG("resume");
	EXPECT_TRUE(tdx->unknown.ret == TDVMCALL_STATUS_SUBFUNC_UNSUPPORTED) TH_LOG("unsupported");
	tdx->nr = TDVMCALL_GET_TD_VM_CALL_INFO;
	tdx->get_tdvmcall_info.r11 = 7;
	EXPECT_TRUE(td_handle_exit(&run, 0, &ops, &msg, &rep) == TD_EXIT_RESUME &&
		    !tdx->get_tdvmcall_info.r11 && !tdx->get_tdvmcall_info.ret) TH_LOG("info leaf");
}

TEST(vp_enter_failure_named)
{
	struct seam_msg msg;

	reset(KVM_EXIT_INTERNAL_ERROR);
	run.internal.suberror = 4;	/* KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON */
	run.internal.ndata = 1;
	run.internal.data[0] = TDX_HOST_PRIORITY_BUSY_TIMEOUT;
	EXPECT_TRUE(td_handle_exit(&run, 2, &ops, &msg, &rep) == TD_EXIT_FAILED) TH_LOG("stop");
	EXPECT_TRUE(rep.nr_findings == 1) TH_LOG("one finding");
	EXPECT_STREQ("td_exit", rep.findings[0].detector);
	EXPECT_NE(NULL, strstr(rep.findings[0].message, "HOST_PRIORITY_BUSY_TIMEOUT")) TH_LOG("'%s' does not contain '%s'", rep.findings[0].message, "HOST_PRIORITY_BUSY_TIMEOUT");

	/* A TD's port I/O is a TDVMCALL, never KVM_EXIT_IO. */
	reset(KVM_EXIT_IO);
	EXPECT_TRUE(td_handle_exit(&run, 0, &ops, &msg, &rep) == TD_EXIT_FAILED &&
		    report_has_finding(&rep, "unexpected_exit")) TH_LOG("port I/O");
	reset(KVM_EXIT_INTR);
	EXPECT_TRUE(td_handle_exit(&run, 0, &ops, &msg, &rep) == TD_EXIT_RESUME) TH_LOG("kick");
}

/*
 * A TD that triple-faults: its exception handler left the first exception
 * in the shared progress page (lib/guest_code.c seam_guest_fault()), and
 * the report names it as the TD's fatal error.
 */
TEST(triple_fault_names_the_recorded_exception)
{
	static struct seam_progress progress[2];
	struct td_exit_ops with_progress = ops;
	struct seam_msg msg;

	with_progress.progress = progress;
	reset(KVM_EXIT_SHUTDOWN);
	memset(progress, 0, sizeof(progress));
	progress[1].td = (struct seam_td_trace) {
		.entered = 2, .faults = 1, .vector = 14, .error_code = 0x2,
		.rip = 0x401234, .cr2 = 0x100003000, .stack_of = 2,
	};
	EXPECT_TRUE(td_handle_exit(&run, 1, &with_progress, &msg, &rep) == TD_EXIT_FAILED) TH_LOG("fatal");
	ASSERT_EQ(1, rep.nr_findings);
	EXPECT_STREQ("td_fatal", rep.findings[0].detector);
	EXPECT_STREQ("vCPU 1: the TD triple-faulted after #PF (vector 14) at rip 0x401234, error code 0x2, cr2 0x100003000",
		     rep.findings[0].message);

	/* A #VE the handler refused: a shared GPA, an exit reason not 48. */
	reset(KVM_EXIT_SHUTDOWN);
	memset(progress, 0, sizeof(progress));
	progress[0].td = (struct seam_td_trace) {
		.entered = 1, .faults = 1, .vector = 20, .rip = 0x402000, .stack_of = 1,
		.ve = 1, .ve_exit_reason = 30, .ve_gpa = 0x800000001000,
	};
	EXPECT_TRUE(td_handle_exit(&run, 0, &with_progress, &msg, &rep) == TD_EXIT_FAILED) TH_LOG("fatal");
	ASSERT_EQ(1, rep.nr_findings);
	EXPECT_STREQ("vCPU 0: the TD triple-faulted after a #VE it does not handle at rip 0x402000: TDG.VP.VEINFO.GET status 0x0, exit reason 30, GPA 0x800000001000",
		     rep.findings[0].message);

	/* Nothing recorded: the fault came before the IDT, or in the handler. */
	reset(KVM_EXIT_SHUTDOWN);
	memset(progress, 0, sizeof(progress));
	EXPECT_TRUE(td_handle_exit(&run, 0, &with_progress, &msg, &rep) == TD_EXIT_FAILED) TH_LOG("fatal");
	ASSERT_EQ(1, rep.nr_findings);
	EXPECT_STREQ("td_fatal", rep.findings[0].detector);
	EXPECT_STREQ("vCPU 0: the TD triple-faulted (KVM_EXIT_SHUTDOWN) with no exception recorded: before it reached the workload (entry mark 0), or inside its exception handler",
		     rep.findings[0].message);
}

/*
 * The #VE handler's choice (include/seamstress.h seam_ve_accepts()): only
 * an EPT violation (exit reason 48) on a private GPA is a page to accept.
 */
TEST(ve_accepts_only_a_private_ept_violation)
{
	const uint64_t shared = 1ULL << 47;

	EXPECT_TRUE(seam_ve_accepts(0, 48, 0x100003000, shared)) TH_LOG("private EPT violation");
	EXPECT_TRUE(seam_ve_accepts(0, 0x100000030, 0x100003000, shared)) TH_LOG("RCX's upper half is not the reason");
	EXPECT_FALSE(seam_ve_accepts(0, 48, 0x100003000 | shared, shared)) TH_LOG("a shared GPA has nothing to accept");
	EXPECT_FALSE(seam_ve_accepts(0, 30, 0x100003000, shared)) TH_LOG("port I/O (30) is not a page");
	EXPECT_FALSE(seam_ve_accepts(0x8000000000000000ULL, 48, 0x100003000, shared)) TH_LOG("no valid VE info");
	EXPECT_FALSE(seam_ve_accepts(0, 48, 0x100003000, 0)) TH_LOG("not a TD");
}

TEST_HARNESS_MAIN
