// SPDX-License-Identifier: GPL-2.0
/*
 * The fault tracer and probes on libtracefs/libtraceevent (see
 * include/faulttrace.h).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include <event-parse.h>
#include <tracefs.h>

#include "faulttrace.h"
#include "instance_name.h"
#include "seamstress.h"

#define PROBE_SYSTEM_PREFIX	"seamstress_"
#define BUFFER_KB_PER_CPU	16384

/*
 * Instances of runs that died without cleaning up (SIGKILL): remove those
 * whose creator is provably gone (include/instance_name.h), never another
 * live run's, never one from another PID namespace.
 */
static void remove_stale_instances(const struct instance_owner *self)
{
	/*
	 * All instances, filtered here: with a regex, libtracefs 1.6 keeps the
	 * regex it compiled (a leak LeakSanitizer reports under SANITIZE=1).
	 */
	char **names = tracefs_instances(NULL);
	struct tracefs_instance *inst;
	int i;

	for (i = 0; names && names[i]; i++) {
		if (strncmp(names[i], INSTANCE_PREFIX, strlen(INSTANCE_PREFIX)) ||
		    !instance_name_stale(names[i], self, instance_proc_start))
			continue;
		inst = tracefs_instance_alloc(NULL, names[i]);
		if (inst) {
			tracefs_instance_destroy(inst);
			tracefs_instance_free(inst);
		}
	}
	tracefs_list_free(names);
}

static int event_id(struct tep_handle *tep, const char *sys, const char *name)
{
	struct tep_event *ev = tep_find_event_by_name(tep, sys, name);

	return ev ? ev->id : -1;
}

static void probes_start(struct faulttrace *ft, char *system)
{
	const char *const *syms;
	struct tracefs_dynevent *de;
	struct seamprobe *p;
	bool kprobes;
	int i;

	/* The TDX wrappers where kvm_intel has TDX; else this host's stand-ins. */
	for (i = 0; seamprobe_tdx_symbols[i] && !ft->probes_tdx; i++)
		ft->probes_tdx = seamprobe_kallsyms_has(seamprobe_tdx_symbols[i]);
	syms = ft->probes_tdx ? seamprobe_tdx_symbols : seamprobe_kvm_symbols;
	kprobes = tracefs_file_exists(NULL, "kprobe_events");

	for (i = 0; syms[i] && ft->nr_probes < SEAMPROBE_MAX; i++) {
		p = &ft->probe[ft->nr_probes++];
		memset(p, 0, sizeof(*p));
		snprintf(p->symbol, sizeof(p->symbol), "%s", syms[i]);
		if (!kprobes) {
			snprintf(p->skip_reason, sizeof(p->skip_reason),
				 "skipped: this kernel has no kprobe events (no tracefs kprobe_events; CONFIG_KPROBE_EVENTS is not set)");
			continue;
		}
		de = tracefs_kretprobe_alloc(system, syms[i], syms[i], "ret=$retval:x64", 0);
		if (!de || tracefs_dynevent_create(de)) {
			snprintf(p->skip_reason, sizeof(p->skip_reason),
				 "skipped: kretprobe on %s rejected (symbol missing from /proc/kallsyms or not probeable)",
				 syms[i]);
			tracefs_dynevent_free(de);
			continue;
		}
		p->dynevent = de;
		if (tracefs_event_enable(ft->instance, system, syms[i])) {
			snprintf(p->skip_reason, sizeof(p->skip_reason), "cannot enable %s/%s",
				 system, syms[i]);
			continue;
		}
		p->active = true;
	}
}

void faulttrace_start(struct faulttrace *ft, const struct seam_opts *o,
		      struct watch_table *watch)
{
	struct tracefs_instance *inst;
	const char *systems[] = { "kvm", "kvmmmu", NULL, NULL };
	char filter[256], system[48];
	struct instance_owner self;
	const char *dir;

	memset(ft, 0, sizeof(*ft));
	ft->watch = watch;
	ft->region_lo = SEAM_REGION_GPA;
	ft->region_hi = SEAM_REGION_GPA + o->pages * SEAM_PAGE_SIZE;
	streak_init(&ft->streaks, o->zero_step ?: STREAK_TDX_THRESHOLD);
	/*
	 * A streak is a verdict where something acts on it: the TDX module's
	 * filter, or a user who asked with --zero-step.  Elsewhere KVM resumes
	 * the guest after RET_PF_RETRY by design (every invalidation in the VM
	 * retries the faults in flight): the streaks are measured, not findings.
	 */
	ft->streaks_are_findings = o->zero_step || o->flavor == FLAVOR_TDX;

	if (o->no_trace) {
		snprintf(ft->why_inactive, sizeof(ft->why_inactive), "--no-trace");
		return;
	}
	if (!tracefs_tracing_dir_is_mounted(true, &dir) && !tracefs_tracing_dir()) {
		snprintf(ft->why_inactive, sizeof(ft->why_inactive),
			 "tracefs is not mounted and cannot be (mount -t tracefs nodev /sys/kernel/tracing)");
		return;
	}
	if (!instance_owner_self(&self)) {
		snprintf(ft->why_inactive, sizeof(ft->why_inactive),
			 "cannot name a tracefs instance: /proc/sys/kernel/random/boot_id or /proc/self/{stat,ns/pid} unreadable");
		return;
	}
	remove_stale_instances(&self);

	instance_name_format(&self, ft->name, sizeof(ft->name));
	inst = tracefs_instance_create(ft->name);
	if (!inst) {
		snprintf(ft->why_inactive, sizeof(ft->why_inactive),
			 "cannot create tracefs instance %s: %s", ft->name, strerror(errno));
		return;
	}
	ft->instance = inst;
	ft->active = true;
	tracefs_instance_set_buffer_size(inst, BUFFER_KB_PER_CPU, -1);

	/*
	 * Only this run's worker: no event until faulttrace_follow() names it,
	 * then it and every thread it creates (event-fork).  Another VM on the
	 * host, another seamstress run included, is never seen.
	 */
	if (tracefs_option_enable(inst, TRACEFS_OPTION_EVENT_FORK) ||
	    tracefs_instance_file_write(inst, "set_event_pid", "0") < 0) {
		snprintf(ft->why_inactive, sizeof(ft->why_inactive),
			 "cannot filter tracefs instance %s by pid (options/event-fork, set_event_pid): %s",
			 ft->name, strerror(errno));
		faulttrace_cleanup(ft);
		return;
	}

	/*
	 * VMX/SVM/TDX exits, and the fault each EPT violation or NPF exit
	 * handles (its GPA: a streak is one instruction on one page); they
	 * never fire on shadow-paging PVM.
	 */
	tracefs_event_enable(inst, "kvm", "kvm_exit");
	tracefs_event_enable(inst, "kvm", "kvm_page_fault");
	/*
	 * Shadow paging: walks for the contended region, and for the guest's
	 * progress blocks, whose publish of each page is the visit's boundary:
	 * a streak is one slot's walks within one visit.
	 */
	snprintf(filter, sizeof(filter),
		 "(addr >= 0x%llx && addr < 0x%llx) || (addr >= 0x%llx && addr < 0x%llx)",
		 (unsigned long long)ft->region_lo, (unsigned long long)ft->region_hi,
		 (unsigned long long)SEAM_PROGRESS_GVA,
		 (unsigned long long)(SEAM_PROGRESS_GVA + SEAM_PROGRESS_PAGES * SEAM_PAGE_SIZE));
	tracefs_event_file_write(inst, "kvmmmu", "kvm_mmu_pagetable_walk", "filter", filter);
	tracefs_event_enable(inst, "kvmmmu", "kvm_mmu_pagetable_walk");

	snprintf(system, sizeof(system), PROBE_SYSTEM_PREFIX "%d", getpid());
	/*
	 * Only the formats of the systems read here: parsing every system's
	 * (over a thousand events) is most of a run's start-up time.
	 */
	systems[2] = system;
	ft->tep = tracefs_local_events_system(NULL, systems);
	probes_start(ft, system);

	/* The probes' events exist only now: load the event formats again. */
	tep_free(ft->tep);
	ft->tep = tracefs_local_events_system(NULL, systems);
	ft->id_exit = event_id(ft->tep, "kvm", "kvm_exit");
	ft->id_page_fault = event_id(ft->tep, "kvm", "kvm_page_fault");
	ft->id_walk = event_id(ft->tep, "kvmmmu", "kvm_mmu_pagetable_walk");
	for (uint32_t i = 0; i < ft->nr_probes; i++)
		ft->probe[i].event_id = ft->probe[i].active ?
					event_id(ft->tep, system, ft->probe[i].symbol) : -1;
	tracefs_trace_on(inst);
}

int faulttrace_follow(struct faulttrace *ft, pid_t pid)
{
	char buf[24];

	if (!ft->active)
		return 0;
	snprintf(buf, sizeof(buf), "%d", (int)pid);
	if (tracefs_instance_file_write(ft->instance, "set_event_pid", buf) < 0)
		return -errno;
	ft->followed = pid;
	return 0;
}

static uint64_t field(struct tep_event *ev, struct tep_record *rec, const char *name)
{
	unsigned long long v = 0;

	tep_get_field_val(NULL, ev, name, rec, &v, 0);
	return v;
}

/*
 * Whether @tid is one of the worker's threads.  The kernel's pid filter
 * misses a task that was already running when it was set and has not been
 * scheduled since (a busy vCPU thread of another VM), so every event is
 * checked here too: the watch table (every worker thread registers itself),
 * else /proc/<worker>/task/<tid>, the answer cached per tid.
 */
static bool tid_is_ours(struct faulttrace *ft, pid_t tid)
{
	char path[64];
	uint32_t i;
	bool ours;

	if (!ft->followed)
		return false;
	if (tid == ft->followed)
		return true;
	for (i = 0; i < ft->nr_tids; i++)
		if (ft->tids[i].tid == tid)
			return ft->tids[i].ours;
	ours = watch_knows_tid(ft->watch, tid);
	if (!ours) {
		snprintf(path, sizeof(path), "/proc/%d/task/%d", (int)ft->followed, (int)tid);
		ours = !access(path, F_OK);
	}
	if (ft->nr_tids < FAULTTRACE_MAX_TIDS) {
		ft->tids[ft->nr_tids].tid = tid;
		ft->tids[ft->nr_tids++].ours = ours;
	}
	return ours;
}

static int on_event(struct tep_event *ev, struct tep_record *rec, int cpu, void *arg)
{
	struct faulttrace *ft = arg;
	uint64_t addr;
	uint32_t i;

	if (!tid_is_ours(ft, tep_data_pid(ft->tep, rec))) {
		ft->foreign_events++;
		return 0;
	}

	if (ev->id == ft->id_exit) {
		ft->exits++;
		streak_kvm_exit(&ft->streaks, field(ev, rec, "vcpu_id"),
				field(ev, rec, "exit_reason"), field(ev, rec, "guest_rip"),
				field(ev, rec, "info1"), field(ev, rec, "info2"));
		return 0;
	}
	if (ev->id == ft->id_page_fault) {
		streak_page_fault(&ft->streaks, field(ev, rec, "vcpu_id"),
				  field(ev, rec, "guest_rip"), field(ev, rec, "fault_address"));
		return 0;
	}
	if (ev->id == ft->id_walk) {
		/* The walk names no vCPU: the thread doing it does (a vCPU thread). */
		addr = field(ev, rec, "addr");
		if (addr >= SEAM_PROGRESS_GVA &&
		    addr < SEAM_PROGRESS_GVA + SEAM_PROGRESS_PAGES * SEAM_PAGE_SIZE) {
			ft->progress_walks++;
			streak_progress(&ft->streaks, tep_data_pid(ft->tep, rec));
			return 0;
		}
		ft->walks++;
		streak_walk(&ft->streaks, tep_data_pid(ft->tep, rec),
			    addr & ~(uint64_t)(SEAM_SLOT_BYTES - 1));
		return 0;
	}
	for (i = 0; i < ft->nr_probes; i++) {
		if (ft->probe[i].active && ev->id == ft->probe[i].event_id) {
			seamprobe_hit(&ft->probe[i], field(ev, rec, "ret"));
			break;
		}
	}
	return 0;
}

void faulttrace_poll(struct faulttrace *ft)
{
	if (ft->active)
		tracefs_iterate_raw_events(ft->tep, ft->instance, NULL, 0, on_event, ft);
}

/* Name the vCPU behind a streak id: a vCPU id (kvm_exit) or a thread id. */
static void name_id(struct faulttrace *ft, uint64_t id, char *buf, size_t len)
{
	uint32_t i;

	if (ft->exits) {
		snprintf(buf, len, "vcpu %llu", (unsigned long long)id);
		return;
	}
	for (i = 0; ft->watch && i < ft->watch->nr && i < WATCH_MAX_SLOTS; i++) {
		if (ft->watch->slot[i].tid == (pid_t)id && ft->watch->slot[i].vcpu >= 0) {
			snprintf(buf, len, "vcpu %d (tid %llu)", ft->watch->slot[i].vcpu,
				 (unsigned long long)id);
			return;
		}
	}
	snprintf(buf, len, "tid %llu", (unsigned long long)id);
}

/* A skipped probe is listed by name with the reason, in the config. */
static void report_probe_skipped(struct seam_report *r, const struct seamprobe *p)
{
	char key[64];

	snprintf(key, sizeof(key), "probe %s", p->symbol);
	report_config_str(r, key, p->skip_reason);
}

void faulttrace_finish(struct faulttrace *ft, struct seam_report *r)
{
	struct streak_counter *sc = &ft->streaks;
	const char *source;
	struct seam_finding *f;
	char who[64], at[64], key[160];
	uint32_t i;
	int b;

	if (!ft->active) {
		report_config_str(r, "faulttrace", ft->why_inactive);
		faulttrace_cleanup(ft);
		return;
	}
	tracefs_trace_off(ft->instance);
	faulttrace_poll(ft);
	streak_finish(sc);

	source = ft->exits ? "kvm:kvm_exit+kvm:kvm_page_fault" : ft->walks ? "kvmmmu:kvm_mmu_pagetable_walk" : "none";
	report_config_str(r, "faulttrace", source);
	report_counter(r, "trace_fault_events", sc->faults);
	report_counter(r, "trace_foreign_events_dropped", ft->foreign_events);
	report_counter(r, "trace_progress_walks", ft->progress_walks);
	report_counter(r, "zero_step_suspects", sc->suspects);
	report_counter(r, "longest_fault_streak", sc->longest);
	report_counter(r, "vp_enter_busy_exits", sc->busy_exits);
	report_counter(r, "synthesized_ept_exits", sc->synthesized_exits);
	for (b = 0; b < STREAK_HIST_BUCKETS; b++)
		report_section_u64(r, "fault_streaks", streak_bucket_name(b), sc->hist[b]);

	for (i = 0; i < sc->nr_worst; i++) {
		name_id(ft, sc->worst[i].id, who, sizeof(who));
		if (ft->exits)
			snprintf(at, sizeof(at), "rip 0x%llx on gpa 0x%llx",
				 (unsigned long long)sc->worst[i].key,
				 (unsigned long long)sc->worst[i].gpa);
		else
			snprintf(at, sizeof(at), "0x%llx", (unsigned long long)sc->worst[i].key);
		if (!ft->streaks_are_findings) {
			/* The evidence, kept: "vcpu 1 at rip 0x… on gpa 0x…": length. */
			snprintf(key, sizeof(key), "%s at %s", who, at);
			report_section_u64(r, "zero_step_streaks", key, sc->worst[i].len);
			continue;
		}
		f = report_add_finding(r, "zero_step",
				       "%s faulted %llu times in a row at %s with no progress in between (threshold %u)",
				       who, (unsigned long long)sc->worst[i].len, at, sc->threshold);
		finding_str(f, "who", who);
		finding_hex(f, "address", sc->worst[i].key);
		if (ft->exits)
			finding_hex(f, "gpa", sc->worst[i].gpa);
		finding_u64(f, "streak", sc->worst[i].len);
		finding_str(f, "source", source);
	}

	for (i = 0; i < ft->nr_probes; i++) {
		if (ft->probe[i].active)
			seamprobe_report(&ft->probe[i], ft->probes_tdx, r);
		else
			report_probe_skipped(r, &ft->probe[i]);
	}
	faulttrace_cleanup(ft);
}

void faulttrace_cleanup(struct faulttrace *ft)
{
	uint32_t i;

	for (i = 0; i < ft->nr_probes; i++) {
		if (!ft->probe[i].dynevent)
			continue;
		tracefs_event_disable(ft->instance, NULL, ft->probe[i].symbol);
		tracefs_dynevent_destroy(ft->probe[i].dynevent, true);
		tracefs_dynevent_free(ft->probe[i].dynevent);
		ft->probe[i].dynevent = NULL;
	}
	if (ft->instance) {
		tracefs_instance_destroy(ft->instance);
		tracefs_instance_free(ft->instance);
		ft->instance = NULL;
	}
	if (ft->tep) {
		tep_free(ft->tep);
		ft->tep = NULL;
	}
	ft->active = false;
}
