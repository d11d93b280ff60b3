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
#include "kselftest_harness.h"
#include "vm_probe.h"

static struct seam_report rep;

TEST(fixture_records_classify)
{
	FILE *f = fopen("tests/fixtures/kmsg.txt", "r");
	char line[1024], *tab;
	struct kmsg_event ev;
	int n = 0;

	EXPECT_NE(NULL, f) TH_LOG("tests/fixtures/kmsg.txt (run from the repository root)");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || !(tab = strchr(line, '\t')))
			continue;
		*tab = 0;
		line[strcspn(tab + 1, "\n") + (tab + 1 - line)] = 0;
		kmsg_classify(strchr(tab + 1, ';') + 1, &ev);
		EXPECT_TRUE(!strcmp(kmsg_class_name(ev.cls), line)) TH_LOG("'%s' classified %s, want %s",
			    tab + 1, kmsg_class_name(ev.cls), line);
		n++;
	}
	fclose(f);
	EXPECT_TRUE(n >= 19) TH_LOG("only %d fixtures", n);
}

TEST(warning_fields)
{
	struct kmsg_event ev;

	kmsg_classify("WARNING: CPU: 3 PID: 4567 at arch/x86/kvm/vmx/tdx.c:1701 "
		      "tdx_sept_remove_private_spte+0x1b4/0x1f0 [kvm_intel]", &ev);
	EXPECT_STREQ("arch/x86/kvm/vmx/tdx.c", ev.file);
	EXPECT_TRUE(ev.line == 1701) TH_LOG("line %u", ev.line);
	EXPECT_STREQ("tdx_sept_remove_private_spte", ev.function);

	kmsg_classify("WARNING: arch/x86/kvm/mmu/tdp_mmu.c:1201 at kvm_tdp_mmu_map+0x3c/0x5d0, "
		      "CPU#1: qemu-system-x86/6051", &ev);
	EXPECT_STREQ("arch/x86/kvm/mmu/tdp_mmu.c", ev.file);
	EXPECT_TRUE(ev.line == 1201) TH_LOG("line %u", ev.line);
	EXPECT_STREQ("kvm_tdp_mmu_map", ev.function);
}

TEST(seamcall_decoded)
{
	struct kmsg_event ev;
	char buf[96];

	kmsg_classify("SEAMCALL TDH_MEM_RANGE_BLOCK failed: 0x8000020000000092, rcx 0x0", &ev);
	EXPECT_STREQ("TDH_MEM_RANGE_BLOCK", ev.function);
	EXPECT_TRUE(ev.status == 0x8000020000000092ULL) TH_LOG("status");
	EXPECT_STREQ("OPERAND_BUSY operand SEPT_TREE (0x92)", ev.decoded);

	kmsg_classify("SEAMCALL (0x000000000000000f) failed: 0xc0000b0800000001 RCX 0x0", &ev);
	EXPECT_STREQ("leaf 15", ev.function);
	EXPECT_STREQ("TLB_TRACKING_NOT_DONE operand RCX (S-EPT entry) (0x1)", ev.decoded);

	tdx_status_decode(TDX_OPERAND_BUSY | TDX_OPERAND_ID_TD_EPOCH, buf, sizeof(buf));
	EXPECT_STREQ("OPERAND_BUSY operand TD_EPOCH (0xa9)", buf);
	tdx_status_decode(TDX_HOST_PRIORITY_BUSY_TIMEOUT, buf, sizeof(buf));
	EXPECT_STREQ("HOST_PRIORITY_BUSY_TIMEOUT", buf);
	tdx_status_decode(0x8000777700000000ULL, buf, sizeof(buf));
	EXPECT_STREQ("class 0x77 details 0x77", buf);
}

TEST(records_become_findings)
{
	report_init(&rep, "t", NULL);
	EXPECT_TRUE(kmsg_report_record("4,1,2,-;WARNING: CPU: 1 PID: 2 at arch/x86/kvm/x86.c:10 "
				       "kvm_arch_vcpu_ioctl_run+0x1/0x2 [kvm]\n SUBSYSTEM=x", &rep,
				       NULL, NULL)) TH_LOG("KVM WARNING");
	EXPECT_TRUE(!kmsg_report_record("6,3,4,-;kvm: loaded", &rep, NULL, NULL)) TH_LOG("not a finding");
	EXPECT_TRUE(report_nr_findings(&rep) == 1) TH_LOG("%d findings", rep.nr_findings);
	EXPECT_STREQ("kvm_bug_on", rep.findings[0].detector);
	EXPECT_STREQ("arch/x86/kvm/x86.c", finding_get_str(&rep.findings[0], "file"));
	kmsg_report_record("3,5,6,-;SEAMCALL TDH_MEM_TRACK failed: 0x80000200000000a9", &rep,
			   NULL, NULL);
	EXPECT_STREQ("seamcall", rep.findings[1].detector);
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
TEST(foreign_warnings_are_not_findings)
{
	static const char *const foreign[] = {
		"4,1,2,-;WARNING: CPU: 1 PID: 4242 at arch/x86/kvm/mmu/mmu.c:10 f+0x1/0x2 [kvm]",
		"4,1,2,-;WARNING: arch/x86/kvm/mmu/mmu.c:10 at f+0x1/0x2, CPU#1: qemu-system-x86/4242",
	};
	struct kmsg_event ev;
	int asked = 0, i;

	for (i = 0; i < 2; i++) {
		EXPECT_TRUE(kmsg_classify(strchr(foreign[i], ';') + 1, &ev) && ev.pid == 4242) TH_LOG("format %d: pid %d, want 4242", i, ev.pid);
		report_init(&rep, "t", NULL);
		EXPECT_TRUE(!kmsg_report_record(foreign[i], &rep, pid_4242_is_foreign, &asked)) TH_LOG("format %d: another process's WARNING is not a finding", i);
		EXPECT_TRUE(rep.nr_findings == 0 && rep.kmsg_foreign_records == 1) TH_LOG("format %d: %d findings, %llu foreign", i, rep.nr_findings,
			    (unsigned long long)rep.kmsg_foreign_records);
	}
	report_init(&rep, "t", NULL);
	EXPECT_TRUE(kmsg_report_record("4,1,2,-;WARNING: CPU: 0 PID: 7 at arch/x86/kvm/x86.c:1 g+0x1/0x2",
				       &rep, pid_4242_is_foreign, &asked)) TH_LOG("this run's WARNING");
	EXPECT_TRUE(kmsg_report_record("3,5,6,-;SEAMCALL TDH_MEM_TRACK failed: 0x80000200000000a9",
				       &rep, pid_4242_is_foreign, &asked)) TH_LOG("a SEAMCALL line names no task");
	EXPECT_TRUE(rep.nr_findings == 2 && asked == 3) TH_LOG("%d findings, asked %d times",
		    rep.nr_findings, asked);
}

TEST(counters_diff)
{
	struct kernel_counters before, after;

	report_init(&rep, "t", NULL);
	kernel_counters_read("tests/fixtures/counters/before", &before);
	kernel_counters_read("tests/fixtures/counters/after", &after);
	EXPECT_TRUE(before.val[0] == 3 && after.val[0] == 5) TH_LOG("warn_count");
	EXPECT_TRUE(before.val[3] == -1) TH_LOG("missing rcu_stall_count reads -1");
	EXPECT_TRUE(kernel_counters_diff(&before, &after, &rep) == 2) TH_LOG("warn_count and softlockup_count grew");
	EXPECT_NE(NULL, strstr(rep.findings[0].message, "warn_count grew by 2")) TH_LOG("'%s' does not contain '%s'", rep.findings[0].message, "warn_count grew by 2");
	EXPECT_NE(NULL, strstr(rep.findings[1].message, "softlockup_count grew by 1")) TH_LOG("'%s' does not contain '%s'", rep.findings[1].message, "softlockup_count grew by 1");
	EXPECT_TRUE(kernel_counters_diff(&after, &after, &rep) == 0) TH_LOG("no change, no finding");
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

TEST(vm_probe)
{
	report_init(&rep, "t", NULL);
	EXPECT_TRUE(vm_probe_bugged(&rep, 3, answering_ioctl) == 0) TH_LOG("a live VM");
	EXPECT_TRUE(report_nr_findings(&rep) == 0) TH_LOG("no finding for a live VM");
	EXPECT_TRUE(vm_probe_bugged(&rep, 3, failing_ioctl) == EIO) TH_LOG("EIO");
	EXPECT_TRUE(report_has_finding(&rep, "vm_bugged")) TH_LOG("vm_bugged finding");
}

TEST_HARNESS_MAIN
