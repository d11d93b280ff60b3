// SPDX-License-Identifier: GPL-2.0
/*
 * seamstress-doctor: what this host can run, and why not.  CPU flags,
 * kvm_intel's tdx parameter, the TDX module's own log lines, the KVM
 * capabilities each flavor needs, tracefs, the tracepoints and kprobes the
 * detectors use, the SEAMCALL wrappers, and the flavor `-f auto` picks.
 *
 * seamstress-doctor [--json FILE]: also the same as one JSON object in
 * FILE (every row under "checks", the capabilities as numbers, each
 * flavor's availability and reason, "auto"); a file, because the KVM
 * selftests library prints its random seed on stdout before main().  Exit
 * 0, or 4 (kselftest SKIP) when `-f auto` can pick no flavor here, 125 on
 * a bad argument or an unwritable FILE.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "flavor.h"
#include "json.h"
#include "kmsg.h"
#include "safe_file.h"
#include "seam_version.h"
#include "faulttrace.h"
#include "stress_vm.h"
#include "tdx_abi.h"

/* --json: rows also go into the "checks" array of this writer. */
static struct json_writer *jw;

static void row(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void row(const char *what, const char *fmt, ...)
{
	/* A row with no name continues the one above it. */
	static char last[64];
	char value[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	if (what[0])
		snprintf(last, sizeof(last), "%s", what);
	printf("%-30s %s\n", what, value);
	if (!jw)
		return;
	json_begin_object(jw, NULL);
	json_string(jw, "check", last);
	json_string(jw, "value", value);
	json_end_object(jw);
}

static bool cpuinfo_has(const char *flag)
{
	char line[8192], *p;
	bool found = false;
	FILE *f = fopen("/proc/cpuinfo", "r");
	size_t n = strlen(flag);

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "flags", 5))
			continue;
		for (p = strstr(line, flag); p && !found; p = strstr(p + 1, flag))
			found = p[-1] == ' ' && (p[n] == ' ' || p[n] == '\n');
		break;
	}
	fclose(f);
	return found;
}

static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	if (!f || !fgets(buf, len, f))
		snprintf(buf, len, "absent");
	buf[strcspn(buf, "\n")] = 0;
	if (f)
		fclose(f);
}

static void tdx_line(const char *record, void *arg)
{
	const char *msg = strchr(record, ';');
	int *n = arg;
	char line[512];

	msg = msg ? msg + 1 : record;
	snprintf(line, sizeof(line), "%.*s", (int)strcspn(msg, "\n"), msg);
	if (strstr(line, "virt/tdx") || strstr(line, "TDX module") || strstr(line, "tdx:"))
		row((*n)++ ? "" : "TDX module (kernel log)", "%s", line);
}

/* The TDX module announces itself in the kernel log ("virt/tdx: ..."). */
static void tdx_module_lines(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK), n = 0;

	if (fd < 0) {
		row("TDX module (kernel log)", "/dev/kmsg unreadable");
		return;
	}
	kmsg_for_each(fd, tdx_line, &n);
	close(fd);
	if (!n)
		row("TDX module (kernel log)", "no TDX lines: no TDX module initialized by this kernel");
}

static const char *tracing_dir(void)
{
	static char dir[256];
	char dev[256], type[64];
	FILE *f = fopen("/proc/mounts", "r");

	while (f && fscanf(f, "%255s %255s %63s %*[^\n]", dev, dir, type) == 3)
		if (!strcmp(type, "tracefs")) {
			fclose(f);
			return dir;
		}
	if (f)
		fclose(f);
	return NULL;
}

static void tracing(void)
{
	const char *dir = tracing_dir();
	char path[512];
	int i;

	if (!dir) {
		row("tracefs", "not mounted (the tests mount it at /sys/kernel/tracing)");
		return;
	}
	row("tracefs", "mounted at %s", dir);
	snprintf(path, sizeof(path), "%s/events/kvm/kvm_exit", dir);
	row("kvm:kvm_exit", "%s", access(path, F_OK) ? "absent" :
	    "present (fires on VMX/SVM/TDX; never on shadow-paging PVM)");
	snprintf(path, sizeof(path), "%s/events/kvmmmu/kvm_mmu_pagetable_walk", dir);
	row("kvmmmu:kvm_mmu_pagetable_walk", "%s", access(path, F_OK) ? "absent" : "present");
	snprintf(path, sizeof(path), "%s/kprobe_events", dir);
	row("kprobe events", "%s", access(path, F_OK) ?
	    "unavailable: no kprobe_events (CONFIG_KPROBE_EVENTS is not set); probes are skipped" :
	    "available");
	for (i = 0; seamprobe_tdx_symbols[i]; i++)
		row(i ? "" : "SEAMCALL wrappers", "%-28s %s", seamprobe_tdx_symbols[i],
		    seamprobe_kallsyms_has(seamprobe_tdx_symbols[i]) ? "in /proc/kallsyms" :
		    "absent from /proc/kallsyms");
}

static void caps_json(const struct seam_host_caps *caps)
{
	json_begin_object(jw, "caps");
	json_boolean(jw, "kvm", caps->kvm);
	json_u64(jw, "vm_types", caps->vm_types);
	json_u64(jw, "guest_memfd", caps->guest_memfd);
	json_u64(jw, "guest_memfd_flags", caps->gmem_flags);
	json_u64(jw, "user_memory2", caps->user_memory2);
	json_u64(jw, "split_irqchip", caps->split_irqchip);
	json_u64(jw, "exit_hypercall", caps->exit_hypercall);
	json_u64(jw, "memory_attributes_sw_protected", caps->sw_mem_attrs);
	json_u64(jw, "memory_attributes_tdx", caps->tdx_mem_attrs);
	json_u64(jw, "guest_maxphyaddr", caps->guest_maxphyaddr);
	json_end_object(jw);
}

int main(int argc, char *argv[])
{
	static struct json_writer w;
	struct seam_host_caps caps;
	char buf[256], reason[256];
	const char *json_path = NULL;
	struct utsname u;
	enum seam_flavor f;
	FILE *json_file = NULL;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json") && i + 1 < argc) {
			json_path = argv[++i];
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			printf("usage: seamstress-doctor [--json FILE] [--version]\n");
			return 0;
		} else if (!strcmp(argv[i], "--version")) {
			printf("seamstress-doctor %s\n", SEAMSTRESS_VERSION);
			return 0;
		} else {
			fprintf(stderr, "seamstress-doctor: '%s'%s is not an option; allowed: --json FILE, --version, -h\n",
				argv[i], strcmp(argv[i], "--json") ? "" : " without a FILE");
			return 125;
		}
	}
	if (json_path) {
		json_file = safe_fopen_write(json_path);
		if (!json_file) {
			fprintf(stderr, "seamstress-doctor: --json %s: %s\n", json_path, strerror(errno));
			return 125;
		}
		jw = &w;
	}

	uname(&u);
	if (jw) {
		json_init(jw, json_file);
		json_begin_object(jw, NULL);
		json_string(jw, "kernel", u.release);
		json_string(jw, "machine", u.machine);
		json_begin_array(jw, "checks");
	}
	printf("seamstress doctor: what this host can run\n\n");
	row("kernel", "%s %s", u.release, u.machine);
	row("CPU: vmx / svm", "%s / %s", cpuinfo_has("vmx") ? "yes" : "no",
	    cpuinfo_has("svm") ? "yes" : "no");
	row("CPU: tdx_host_platform", "%s", cpuinfo_has("tdx_host_platform") ? "yes" :
	    "no (the kernel found no TDX-capable platform)");
	read_line("/sys/module/kvm_intel/parameters/tdx", buf, sizeof(buf));
	row("kvm_intel.tdx", "%s%s", buf, !strcmp(buf, "absent") ?
	    " (kvm_intel not loaded, or built without TDX)" :
	    strcmp(buf, "Y") ? " (boot with kvm_intel.tdx=1)" : "");
	tdx_module_lines();

	host_caps_probe(&caps);
	if (!caps.kvm) {
		row("/dev/kvm", "cannot be opened: is KVM loaded and enabled?");
	} else {
		row("/dev/kvm", "present");
		row("KVM_CAP_VM_TYPES", "0x%llx%s%s%s", (unsigned long long)caps.vm_types,
		    caps.vm_types & BIT(KVM_X86_DEFAULT_VM) ? " default" : "",
		    caps.vm_types & BIT(KVM_X86_SW_PROTECTED_VM) ? " sw_protected" : "",
		    caps.vm_types & BIT(KVM_X86_TDX_VM) ? " tdx" : "");
		row("KVM_CAP_GUEST_MEMFD", "%llu", (unsigned long long)caps.guest_memfd);
		row("KVM_CAP_GUEST_MEMFD_FLAGS", "0x%llx%s%s", (unsigned long long)caps.gmem_flags,
		    caps.gmem_flags & GUEST_MEMFD_FLAG_MMAP ? " MMAP" : "",
		    caps.gmem_flags & GUEST_MEMFD_FLAG_INIT_SHARED ? " INIT_SHARED" : "");
		row("KVM_CAP_USER_MEMORY2", "%llu", (unsigned long long)caps.user_memory2);
		row("KVM_CAP_SPLIT_IRQCHIP", "%llu", (unsigned long long)caps.split_irqchip);
		row("KVM_CAP_EXIT_HYPERCALL", "0x%llx%s", (unsigned long long)caps.exit_hypercall,
		    caps.exit_hypercall & BIT(SEAM_KVM_HC_MAP_GPA_RANGE) ? " MAP_GPA_RANGE" : "");
		row("MEMORY_ATTRIBUTES (sw/tdx VM)", "0x%llx / 0x%llx",
		    (unsigned long long)caps.sw_mem_attrs, (unsigned long long)caps.tdx_mem_attrs);
		row("guest MAXPHYADDR", "%u (td_image needs %u)", caps.guest_maxphyaddr, TD_GPAW_DEFAULT);
	}
	tracing();

	f = flavor_pick_auto(&caps);
	if (jw) {
		json_end_array(jw);
		caps_json(&caps);
		json_begin_object(jw, "flavors");
	}
	printf("\nflavors\n");
	for (i = FLAVOR_TDX; i < NR_FLAVORS; i++) {
		const char *why = flavor_unavailable(i, &caps, reason, sizeof(reason));

		printf("  %-14s %s%s\n", flavor_name(i), why ? "no: " : "yes", why ? why : "");
		if (!jw)
			continue;
		json_begin_object(jw, flavor_name(i));
		json_boolean(jw, "available", !why);
		if (why)
			json_string(jw, "reason", why);
		else
			json_null(jw, "reason");
		json_end_object(jw);
	}
	if (jw) {
		json_end_object(jw);
		if (f == FLAVOR_AUTO)
			json_null(jw, "auto");
		else
			json_string(jw, "auto", flavor_name(f));
		json_end_object(jw);
		fputc('\n', json_file);
		if (fclose(json_file)) {
			fprintf(stderr, "seamstress-doctor: --json %s: %s\n", json_path, strerror(errno));
			return 125;
		}
	}
	printf("\nauto picks: %s\n", f == FLAVOR_AUTO ? "nothing (no flavor can run here)" :
	       flavor_name(f));
	/* kselftest SKIP: nothing here for -f auto to run on. */
	return f == FLAVOR_AUTO ? 4 : 0;
}
