// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel log detector (include/kmsg.h).  Line formats are those of
 * docs/kernel-log.md §1-§5 and docs/tdx-module-and-kvm.md §2.5.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kmsg.h"
#include "tdx_abi.h"

static const char *const class_names[] = {
	[KMSG_NONE] = "none",
	[KMSG_WARNING] = "warning",
	[KMSG_KVM_BUG_ON] = "kvm_bug_on",
	[KMSG_SEAMCALL] = "seamcall_failed",
	[KMSG_GUEST_ACCESS] = "guest_access_before_accept",
	[KMSG_BUG] = "bug",
	[KMSG_OOPS] = "oops",
	[KMSG_SOFT_LOCKUP] = "soft_lockup",
	[KMSG_HUNG_TASK] = "hung_task",
	[KMSG_RCU_STALL] = "rcu_stall",
	[KMSG_PANIC] = "panic",
};

const char *kmsg_class_name(enum kmsg_class cls)
{
	return class_names[cls];
}

const char *kmsg_class_detector(enum kmsg_class cls)
{
	switch (cls) {
	case KMSG_KVM_BUG_ON:
		return "kvm_bug_on";
	case KMSG_SEAMCALL:
		return "seamcall";
	default:
		return "splat";
	}
}

const char *tdx_operand_name(uint32_t id)
{
	switch (id) {
	case TDX_OPERAND_ID_RCX:
		return "RCX (S-EPT entry)";
	case TDX_OPERAND_ID_RDX:
		return "RDX";
	case TDX_OPERAND_ID_R8:
		return "R8";
	case TDX_OPERAND_ID_TDR:
		return "TDR";
	case TDX_OPERAND_ID_TDVPR:
		return "TDVPR";
	case TDX_OPERAND_ID_TDCS:
		return "TDCS";
	case TDX_OPERAND_ID_SEPT:
		return "SEPT_TREE";
	case TDX_OPERAND_ID_SEPT_ENTRY:
		return "SEPT_ENTRY";
	case TDX_OPERAND_ID_TD_EPOCH:
		return "TD_EPOCH";
	case TDX_OPERAND_ID_OP_STATE:
		return "OP_STATE";
	default:
		return NULL;
	}
}

void tdx_status_decode(uint64_t status, char *buf, size_t len)
{
	static const struct {
		uint64_t code;
		const char *name;
	} codes[] = {
		{ TDX_SUCCESS, "SUCCESS" },
		{ TDX_OPERAND_INVALID, "OPERAND_INVALID" },
		{ TDX_OPERAND_BUSY, "OPERAND_BUSY" },
		{ TDX_PREVIOUS_TLB_EPOCH_BUSY, "PREVIOUS_TLB_EPOCH_BUSY" },
		{ TDX_SYS_BUSY, "SYS_BUSY" },
		{ TDX_RND_NO_ENTROPY, "RND_NO_ENTROPY" },
		{ TDX_OPERAND_BUSY_HOST_PRIORITY, "OPERAND_BUSY_HOST_PRIORITY" },
		{ TDX_HOST_PRIORITY_BUSY_TIMEOUT, "HOST_PRIORITY_BUSY_TIMEOUT" },
		{ TDX_TD_FATAL, "TD_FATAL" },
		{ TDX_OP_STATE_INCORRECT, "OP_STATE_INCORRECT" },
		{ TDX_NO_VCPUS, "NO_VCPUS" },
		{ TDX_EPT_WALK_FAILED, "EPT_WALK_FAILED" },
		{ TDX_EPT_ENTRY_FREE, "EPT_ENTRY_FREE" },
		{ TDX_EPT_ENTRY_NOT_FREE, "EPT_ENTRY_NOT_FREE" },
		{ TDX_EPT_ENTRY_NOT_PRESENT, "EPT_ENTRY_NOT_PRESENT" },
		{ TDX_GPA_RANGE_NOT_BLOCKED, "GPA_RANGE_NOT_BLOCKED" },
		{ TDX_GPA_RANGE_ALREADY_BLOCKED, "GPA_RANGE_ALREADY_BLOCKED" },
		{ TDX_TLB_TRACKING_NOT_DONE, "TLB_TRACKING_NOT_DONE" },
		{ TDX_PAGE_ALREADY_ACCEPTED, "PAGE_ALREADY_ACCEPTED" },
		{ TDX_PAGE_SIZE_MISMATCH, "PAGE_SIZE_MISMATCH" },
		{ TDX_EPT_ENTRY_STATE_INCORRECT, "EPT_ENTRY_STATE_INCORRECT" },
		{ TDX_NON_RECOVERABLE_VCPU, "NON_RECOVERABLE_VCPU" },
		{ TDX_NON_RECOVERABLE_TD, "NON_RECOVERABLE_TD" },
		{ TDX_INTERRUPTED_RESUMABLE, "INTERRUPTED_RESUMABLE" },
		{ TDX_SEAMCALL_VMFAILINVALID, "SEAMCALL_VMFAILINVALID" },
		{ TDX_SW_ERROR, "SW_ERROR" },
	};
	uint64_t base = status & TDX_SEAMCALL_STATUS_MASK;
	uint32_t operand = TDX_STATUS_OPERAND(status);
	const char *name = NULL, *op;
	size_t i;

	if (status == TDX_SEAMCALL_VMFAILINVALID)
		base = status;
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (codes[i].code == base)
			name = codes[i].name;
	op = tdx_operand_name(operand);
	if (!name)
		snprintf(buf, len, "class 0x%02llx details 0x%02llx",
			 (unsigned long long)TDX_STATUS_CLASS(status),
			 (unsigned long long)((status >> 32) & 0xff));
	else
		snprintf(buf, len, "%s", name);
	if (operand && base != TDX_SEAMCALL_VMFAILINVALID) {
		size_t n = strlen(buf);

		if (op)
			snprintf(buf + n, len - n, " operand %s (0x%x)", op, operand);
		else
			snprintf(buf + n, len - n, " operand 0x%x", operand);
	}
}

/* Source paths of KVM: a WARNING there is a KVM_BUG_ON (or a WARN in KVM). */
static bool kvm_source(const char *file)
{
	return strstr(file, "arch/x86/kvm/") || strstr(file, "virt/kvm/");
}

static bool parse_warning(const char *msg, struct kmsg_event *ev)
{
	const char *at;

	const char *cpu, *slash;

	/* Old format: WARNING: CPU: 3 PID: 1234 at arch/x86/kvm/vmx/tdx.c:1701 func+0x1/0x2 [kvm_intel] */
	if (!strncmp(msg, "WARNING: CPU:", 13)) {
		at = strstr(msg, " at ");
		if (!at || sscanf(at + 4, "%95[^:]:%u %63[^+ ]", ev->file, &ev->line,
				  ev->function) < 2)
			return false;
		if (sscanf(msg, "WARNING: CPU: %*d PID: %d", &ev->pid) != 1)
			ev->pid = 0;
		return true;
	}
	/* New format: WARNING: arch/x86/kvm/mmu/mmu.c:123 at func+0x1/0x2, CPU#1: comm/6051 */
	if (sscanf(msg, "WARNING: %95[^: ]:%u at %63[^+ ,]", ev->file, &ev->line,
		   ev->function) >= 2) {
		cpu = strstr(msg, ", CPU#");
		slash = cpu ? strrchr(cpu, '/') : NULL;
		ev->pid = slash ? atoi(slash + 1) : 0;
		return true;
	}
	return false;
}

static bool parse_seamcall(const char *msg, struct kmsg_event *ev)
{
	const char *failed = strstr(msg, " failed: 0x");
	const char *name = msg + 9;	/* after "SEAMCALL " */

	if (!failed)
		return false;
	ev->status = strtoull(failed + 11, NULL, 16);
	/* "SEAMCALL TDH_MEM_PAGE_AUG failed" or the older "SEAMCALL (0x...06) failed". */
	if (*name == '(')
		snprintf(ev->function, sizeof(ev->function), "leaf %llu",
			 (unsigned long long)(strtoull(name + 1, NULL, 16) & 0xffff));
	else
		snprintf(ev->function, sizeof(ev->function), "%.*s",
			 (int)(failed - name), name);
	tdx_status_decode(ev->status, ev->decoded, sizeof(ev->decoded));
	return true;
}

bool kmsg_classify(const char *msg, struct kmsg_event *ev)
{
	memset(ev, 0, sizeof(*ev));

	if (!strncmp(msg, "WARNING:", 8)) {
		if (!parse_warning(msg, ev))
			snprintf(ev->file, sizeof(ev->file), "(unparsed)");
		ev->cls = kvm_source(ev->file) ? KMSG_KVM_BUG_ON : KMSG_WARNING;
	} else if (!strncmp(msg, "SEAMCALL ", 9) && parse_seamcall(msg, ev)) {
		ev->cls = KMSG_SEAMCALL;
	} else if (strstr(msg, "Guest access before accepting")) {
		ev->cls = KMSG_GUEST_ACCESS;
	} else if (strstr(msg, "soft lockup")) {
		/* Before BUG:: "watchdog: BUG: soft lockup - CPU#1 stuck for 22s!" */
		ev->cls = KMSG_SOFT_LOCKUP;
	} else if (!strncmp(msg, "INFO: task ", 11) && strstr(msg, "blocked for more than")) {
		ev->cls = KMSG_HUNG_TASK;
	} else if (strstr(msg, "detected stall") || strstr(msg, "self-detected stall")) {
		ev->cls = KMSG_RCU_STALL;
	} else if (!strncmp(msg, "BUG:", 4) || !strncmp(msg, "kernel BUG at", 13)) {
		ev->cls = KMSG_BUG;
	} else if (!strncmp(msg, "Oops:", 5)) {
		ev->cls = KMSG_OOPS;
	} else if (!strncmp(msg, "Kernel panic", 12)) {
		ev->cls = KMSG_PANIC;
	}
	return ev->cls != KMSG_NONE;
}

bool kmsg_report_record(const char *record, struct seam_report *r, kmsg_foreign_fn foreign,
			void *arg)
{
	const char *msg = strchr(record, ';');
	struct kmsg_event ev;
	struct seam_finding *f;
	char line[512];
	size_t n;

	msg = msg ? msg + 1 : record;
	n = strcspn(msg, "\n");
	snprintf(line, sizeof(line), "%.*s", (int)n, msg);
	if (!kmsg_classify(line, &ev))
		return false;
	/* Another process's WARNING (another VM's) is not this run's finding. */
	if (ev.pid && foreign && foreign(ev.pid, arg)) {
		report_counter(r, "kmsg_foreign_records", ++r->kmsg_foreign_records);
		report_config_str(r, "kmsg_foreign_last", line);
		return false;
	}

	f = report_add_finding(r, kmsg_class_detector(ev.cls), "%s: %s",
			       kmsg_class_name(ev.cls), line);
	finding_str(f, "class", kmsg_class_name(ev.cls));
	finding_str(f, "line", line);
	if (ev.cls == KMSG_WARNING || ev.cls == KMSG_KVM_BUG_ON) {
		if (ev.pid)
			finding_u64(f, "pid", ev.pid);
		finding_str(f, "file", ev.file);
		finding_u64(f, "source_line", ev.line);
		finding_str(f, "function", ev.function);
	}
	if (ev.cls == KMSG_SEAMCALL) {
		finding_str(f, "seamcall", ev.function);
		finding_hex(f, "status", ev.status);
		finding_str(f, "decoded", ev.decoded);
	}
	return true;
}

int kmsg_open_at_end(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (lseek(fd, 0, SEEK_END) < 0) {
		close(fd);
		return -errno;
	}
	return fd;
}

int kmsg_for_each(int fd, void (*fn)(const char *record, void *arg), void *arg)
{
	char rec[8192];
	ssize_t n;
	int count = 0;

	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && (errno == EPIPE || errno == EINTR))
			continue;	/* overrun: records were lost, read on */
		if (n < 0)
			return errno == EAGAIN ? count : -errno;
		if (!n)
			return count;
		rec[n] = 0;
		fn(rec, arg);
		count++;
	}
}

struct scan_ctx {
	struct seam_report *r;
	kmsg_foreign_fn foreign;
	void *arg;
};

static void scan_one(const char *record, void *arg)
{
	struct scan_ctx *c = arg;

	kmsg_report_record(record, c->r, c->foreign, c->arg);
}

int kmsg_scan(int fd, struct seam_report *r, kmsg_foreign_fn foreign, void *arg)
{
	struct scan_ctx c = { r, foreign, arg };

	return kmsg_for_each(fd, scan_one, &c);
}

const char *const kernel_counter_names[KSTAT_NR] = {
	"warn_count", "oops_count", "softlockup_count", "rcu_stall_count",
};

void kernel_counters_read(const char *dir, struct kernel_counters *c)
{
	char path[256];
	long long v;
	FILE *f;
	int i;

	for (i = 0; i < KSTAT_NR; i++) {
		c->val[i] = -1;
		snprintf(path, sizeof(path), "%s/%s", dir, kernel_counter_names[i]);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fscanf(f, "%lld", &v) == 1)
			c->val[i] = v;
		fclose(f);
	}
}

int kernel_counters_diff(const struct kernel_counters *before,
			 const struct kernel_counters *after, struct seam_report *r)
{
	struct seam_finding *f;
	int i, grew = 0;

	for (i = 0; i < KSTAT_NR; i++) {
		if (before->val[i] < 0 || after->val[i] < 0)
			continue;
		report_section_u64(r, "kernel_counters", kernel_counter_names[i],
				   after->val[i] - before->val[i]);
		if (after->val[i] <= before->val[i])
			continue;
		f = report_add_finding(r, "splat", "/sys/kernel/%s grew by %lld during the run",
				       kernel_counter_names[i],
				       (long long)(after->val[i] - before->val[i]));
		finding_str(f, "counter", kernel_counter_names[i]);
		finding_u64(f, "before", before->val[i]);
		finding_u64(f, "after", after->val[i]);
		grew++;
	}
	return grew;
}
