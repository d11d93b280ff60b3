// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel-log detector on fixtures: every record of
 * tests/fixtures/kmsg.txt through the same classifier the live scan uses,
 * SEAMCALL statuses decoded, /sys/kernel counters diffed on fixture files,
 * and the EIO probe through a VM fd whose ioctls fail.
 */
#include <errno.h>
#include <stdlib.h>

#include "kmsg.h"
#include "tdx_abi.h"
#include "unit.h"
#include "vm_probe.h"

static struct seam_report rep;

static void test_fixture_records_classify(void)
{
	FILE *f = fopen("tests/fixtures/kmsg.txt", "r");
	char line[1024], *tab;
	struct kmsg_event ev;
	int n = 0;

	UNIT_EXPECT(f, "tests/fixtures/kmsg.txt (run from the repository root)");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || !(tab = strchr(line, '\t')))
			continue;
		*tab = 0;
		line[strcspn(tab + 1, "\n") + (tab + 1 - line)] = 0;
		kmsg_classify(strchr(tab + 1, ';') + 1, &ev);
		UNIT_EXPECT(!strcmp(kmsg_class_name(ev.cls), line), "'%s' classified %s, want %s",
			    tab + 1, kmsg_class_name(ev.cls), line);
		n++;
	}
	fclose(f);
	UNIT_EXPECT(n >= 19, "only %d fixtures", n);
}

static void test_warning_fields(void)
{
	struct kmsg_event ev;

	kmsg_classify("WARNING: CPU: 3 PID: 4567 at arch/x86/kvm/vmx/tdx.c:1701 "
		      "tdx_sept_remove_private_spte+0x1b4/0x1f0 [kvm_intel]", &ev);
	UNIT_EXPECT_STR(ev.file, "arch/x86/kvm/vmx/tdx.c");
	UNIT_EXPECT(ev.line == 1701, "line %u", ev.line);
	UNIT_EXPECT_STR(ev.function, "tdx_sept_remove_private_spte");

	kmsg_classify("WARNING: arch/x86/kvm/mmu/tdp_mmu.c:1201 at kvm_tdp_mmu_map+0x3c/0x5d0, "
		      "CPU#1: qemu-system-x86/6051", &ev);
	UNIT_EXPECT_STR(ev.file, "arch/x86/kvm/mmu/tdp_mmu.c");
	UNIT_EXPECT(ev.line == 1201, "line %u", ev.line);
	UNIT_EXPECT_STR(ev.function, "kvm_tdp_mmu_map");
}

static void test_seamcall_decoded(void)
{
	struct kmsg_event ev;
	char buf[96];

	kmsg_classify("SEAMCALL TDH_MEM_RANGE_BLOCK failed: 0x8000020000000092, rcx 0x0", &ev);
	UNIT_EXPECT_STR(ev.function, "TDH_MEM_RANGE_BLOCK");
	UNIT_EXPECT(ev.status == 0x8000020000000092ULL, "status");
	UNIT_EXPECT_STR(ev.decoded, "OPERAND_BUSY operand SEPT_TREE (0x92)");

	kmsg_classify("SEAMCALL (0x000000000000000f) failed: 0xc0000b0800000001 RCX 0x0", &ev);
	UNIT_EXPECT_STR(ev.function, "leaf 15");
	UNIT_EXPECT_STR(ev.decoded, "TLB_TRACKING_NOT_DONE operand RCX (S-EPT entry) (0x1)");

	tdx_status_decode(TDX_OPERAND_BUSY | TDX_OPERAND_ID_TD_EPOCH, buf, sizeof(buf));
	UNIT_EXPECT_STR(buf, "OPERAND_BUSY operand TD_EPOCH (0xa9)");
	tdx_status_decode(TDX_HOST_PRIORITY_BUSY_TIMEOUT, buf, sizeof(buf));
	UNIT_EXPECT_STR(buf, "HOST_PRIORITY_BUSY_TIMEOUT");
	tdx_status_decode(0x8000777700000000ULL, buf, sizeof(buf));
	UNIT_EXPECT_STR(buf, "class 0x77 details 0x77");
}

static void test_records_become_findings(void)
{
	report_init(&rep, "t", NULL);
	UNIT_EXPECT(kmsg_report_record("4,1,2,-;WARNING: CPU: 1 PID: 2 at arch/x86/kvm/x86.c:10 "
				       "kvm_arch_vcpu_ioctl_run+0x1/0x2 [kvm]\n SUBSYSTEM=x", &rep,
				       NULL, NULL),
		    "KVM WARNING");
	UNIT_EXPECT(!kmsg_report_record("6,3,4,-;kvm: loaded", &rep, NULL, NULL), "not a finding");
	UNIT_EXPECT(report_nr_findings(&rep) == 1, "%d findings", rep.nr_findings);
	UNIT_EXPECT_STR(rep.findings[0].detector, "kvm_bug_on");
	UNIT_EXPECT_STR(finding_get_str(&rep.findings[0], "file"), "arch/x86/kvm/x86.c");
	kmsg_report_record("3,5,6,-;SEAMCALL TDH_MEM_TRACK failed: 0x80000200000000a9", &rep,
			   NULL, NULL);
	UNIT_EXPECT_STR(rep.findings[1].detector, "seamcall");
}

/* The run's attribution: pid 4242 belongs to another process, 7 to this run. */
static bool pid_4242_is_foreign(int pid, void *arg)
{
	(*(int *)arg)++;
	return pid == 4242;
}

/*
 * A WARNING names its task, in either format; another process's (another
 * VM's) is counted, not a finding; this run's, or one without a task, is.
 */
static void test_foreign_warnings_are_not_findings(void)
{
	static const char *const foreign[] = {
		"4,1,2,-;WARNING: CPU: 1 PID: 4242 at arch/x86/kvm/mmu/mmu.c:10 f+0x1/0x2 [kvm]",
		"4,1,2,-;WARNING: arch/x86/kvm/mmu/mmu.c:10 at f+0x1/0x2, CPU#1: qemu-system-x86/4242",
	};
	struct kmsg_event ev;
	int asked = 0, i;

	for (i = 0; i < 2; i++) {
		UNIT_EXPECT(kmsg_classify(strchr(foreign[i], ';') + 1, &ev) && ev.pid == 4242,
			    "format %d: pid %d, want 4242", i, ev.pid);
		report_init(&rep, "t", NULL);
		UNIT_EXPECT(!kmsg_report_record(foreign[i], &rep, pid_4242_is_foreign, &asked),
			    "format %d: another process's WARNING is not a finding", i);
		UNIT_EXPECT(rep.nr_findings == 0 && rep.kmsg_foreign_records == 1,
			    "format %d: %d findings, %llu foreign", i, rep.nr_findings,
			    (unsigned long long)rep.kmsg_foreign_records);
	}
	report_init(&rep, "t", NULL);
	UNIT_EXPECT(kmsg_report_record("4,1,2,-;WARNING: CPU: 0 PID: 7 at arch/x86/kvm/x86.c:1 g+0x1/0x2",
				       &rep, pid_4242_is_foreign, &asked), "this run's WARNING");
	UNIT_EXPECT(kmsg_report_record("3,5,6,-;SEAMCALL TDH_MEM_TRACK failed: 0x80000200000000a9",
				       &rep, pid_4242_is_foreign, &asked), "a SEAMCALL line names no task");
	UNIT_EXPECT(rep.nr_findings == 2 && asked == 3, "%d findings, asked %d times",
		    rep.nr_findings, asked);
}

static void test_counters_diff(void)
{
	struct kernel_counters before, after;

	report_init(&rep, "t", NULL);
	kernel_counters_read("tests/fixtures/counters/before", &before);
	kernel_counters_read("tests/fixtures/counters/after", &after);
	UNIT_EXPECT(before.val[0] == 3 && after.val[0] == 5, "warn_count");
	UNIT_EXPECT(before.val[3] == -1, "missing rcu_stall_count reads -1");
	UNIT_EXPECT(kernel_counters_diff(&before, &after, &rep) == 2,
		    "warn_count and softlockup_count grew");
	UNIT_EXPECT_CONTAINS(rep.findings[0].message, "warn_count grew by 2");
	UNIT_EXPECT_CONTAINS(rep.findings[1].message, "softlockup_count grew by 1");
	UNIT_EXPECT(kernel_counters_diff(&after, &after, &rep) == 0, "no change, no finding");
}

static int failing_ioctl(int fd, unsigned long req, unsigned long arg)
{
	errno = EIO;
	return -1;
}

static int answering_ioctl(int fd, unsigned long req, unsigned long arg)
{
	return 1;
}

static void test_vm_probe(void)
{
	report_init(&rep, "t", NULL);
	UNIT_EXPECT(vm_probe_bugged(&rep, 3, answering_ioctl) == 0, "a live VM");
	UNIT_EXPECT(report_nr_findings(&rep) == 0, "no finding for a live VM");
	UNIT_EXPECT(vm_probe_bugged(&rep, 3, failing_ioctl) == EIO, "EIO");
	UNIT_EXPECT(report_has_finding(&rep, "vm_bugged"), "vm_bugged finding");
}

UNIT_MAIN(UNIT(test_fixture_records_classify),
	  UNIT(test_warning_fields),
	  UNIT(test_seamcall_decoded),
	  UNIT(test_records_become_findings),
	  UNIT(test_foreign_warnings_are_not_findings),
	  UNIT(test_counters_diff),
	  UNIT(test_vm_probe))
