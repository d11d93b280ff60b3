// SPDX-License-Identifier: GPL-2.0
/*
 * The watchdog: a table in shared memory written by the workers, read by
 * the supervisor (see include/watchdog.h).
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "watchdog.h"

static struct watch_table *table;

uint64_t watch_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

void watch_attach(struct watch_table *t)
{
	table = t;
}

struct watch_slot *watch_register(const char *name, int vcpu)
{
	struct watch_slot *s;
	uint32_t i;

	if (!table)
		return NULL;
	i = __atomic_fetch_add(&table->nr, 1, __ATOMIC_SEQ_CST);
	if (i >= WATCH_MAX_SLOTS)
		return NULL;
	s = &table->slot[i];
	s->tid = syscall(SYS_gettid);
	s->vcpu = vcpu;
	snprintf(s->name, sizeof(s->name), "%s", name);
	__atomic_store_n(&s->state, WATCH_ACTIVE, __ATOMIC_RELEASE);
	return s;
}

void watch_begin(struct watch_slot *s, const char *op)
{
	if (!s)
		return;
	snprintf(s->op, sizeof(s->op), "%s", op);
	__atomic_store_n(&s->op_start_ns, watch_now_ns(), __ATOMIC_RELEASE);
}

void watch_end(struct watch_slot *s)
{
	if (!s)
		return;
	__atomic_store_n(&s->op_start_ns, 0, __ATOMIC_RELEASE);
	s->ops++;
}

void watch_exit(struct watch_slot *s)
{
	if (!s)
		return;
	s->op_start_ns = 0;
	__atomic_store_n(&s->state, WATCH_EXITED, __ATOMIC_RELEASE);
}

void watch_setup_end(void)
{
	uint32_t i;

	if (!table || !(i = __atomic_exchange_n(&table->setup_slot, 0, __ATOMIC_ACQ_REL)))
		return;
	watch_exit(&table->slot[i - 1]);
}

void watch_setup_begin(struct watch_table *t, pid_t worker)
{
	uint32_t i = __atomic_fetch_add(&t->nr, 1, __ATOMIC_SEQ_CST);
	struct watch_slot *s;

	if (i >= WATCH_MAX_SLOTS)
		return;
	s = &t->slot[i];
	s->tid = worker;
	s->vcpu = -1;
	snprintf(s->name, sizeof(s->name), "worker setup");
	snprintf(s->op, sizeof(s->op), "start and VM setup");
	__atomic_store_n(&s->op_start_ns, watch_now_ns(), __ATOMIC_RELEASE);
	__atomic_store_n(&s->state, WATCH_ACTIVE, __ATOMIC_RELEASE);
	__atomic_store_n(&t->setup_slot, i + 1, __ATOMIC_RELEASE);
}

void watch_vcpus_running(uint64_t progress_hva, uint32_t nr_vcpus, bool running)
{
	if (!table)
		return;
	table->progress_hva = progress_hva;
	table->nr_vcpus = nr_vcpus;
	__atomic_store_n(&table->vcpus_since_ns, running ? watch_now_ns() : 0,
			 __ATOMIC_RELEASE);
}

static void read_proc(pid_t pid, pid_t tid, const char *file, char *buf, size_t len)
{
	char path[96];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/%s", pid, tid, file);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		snprintf(buf, len, "(%s unreadable)", file);
		return;
	}
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		n = 0;
	buf[n] = 0;
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = 0;
}

static const char *syscall_name(long nr)
{
	switch (nr) {
	case SYS_ioctl:
		return "ioctl";
	case SYS_fallocate:
		return "fallocate";
	case SYS_madvise:
		return "madvise";
	case SYS_nanosleep:
		return "nanosleep";
	case SYS_clock_nanosleep:
		return "clock_nanosleep";
	case SYS_futex:
		return "futex";
	case SYS_tgkill:
		return "tgkill";
	default:
		return NULL;
	}
}

static void add_evidence(struct seam_finding *f, pid_t pid, const struct watch_slot *s)
{
	char buf[512], sc[96];
	const char *name;
	long nr;

	finding_str(f, "thread", s->name);
	finding_u64(f, "tid", s->tid);
	read_proc(pid, s->tid, "wchan", buf, sizeof(buf));
	finding_str(f, "wchan", buf);
	read_proc(pid, s->tid, "syscall", buf, sizeof(buf));
	if (sscanf(buf, "%ld", &nr) == 1 && (name = syscall_name(nr)))
		snprintf(sc, sizeof(sc), "%s (%ld)", name, nr);
	else
		snprintf(sc, sizeof(sc), "%.90s", buf);
	finding_str(f, "syscall", sc);
	read_proc(pid, s->tid, "stack", buf, sizeof(buf));
	finding_str(f, "stack", buf);
}

/* Fold a vCPU's published counters into one value that moves with it. */
static uint64_t progress_key(const struct seam_progress *p)
{
	return p->sweep * 0x100000001ULL + p->idx * 31 + p->writes;
}

int watch_scan(struct watch_table *t, pid_t pid, double deadline_s,
	       struct seam_report *r, uint64_t now_ns)
{
	struct seam_progress prog[SEAM_MAX_VCPUS];
	uint64_t deadline_ns = deadline_s * 1e9, since, start, key;
	bool have_prog = false;
	struct seam_finding *f;
	uint32_t i, nr = t->nr;
	int hung = 0;

	since = __atomic_load_n(&t->vcpus_since_ns, __ATOMIC_ACQUIRE);
	if (since && t->progress_hva && t->nr_vcpus <= SEAM_MAX_VCPUS) {
		/* Reads the child's memory even when it is stopped. */
		struct iovec local = { prog, t->nr_vcpus * sizeof(prog[0]) };
		struct iovec remote = { (void *)t->progress_hva, local.iov_len };

		have_prog = process_vm_readv(pid, &local, 1, &remote, 1, 0) ==
			    (ssize_t)local.iov_len;
	}

	for (i = 0; i < nr && i < WATCH_MAX_SLOTS; i++) {
		struct watch_slot *s = &t->slot[i];

		if (s->state != WATCH_ACTIVE || s->reported)
			continue;

		start = __atomic_load_n(&s->op_start_ns, __ATOMIC_ACQUIRE);
		if (s->vcpu >= 0 && have_prog && s->vcpu < (int)t->nr_vcpus) {
			key = progress_key(&prog[s->vcpu]);
			if (key != s->seen_progress || !s->seen_progress_ns ||
			    s->seen_progress_ns < since) {
				s->seen_progress = key;
				s->seen_progress_ns = now_ns;
				continue;
			}
			if (now_ns - s->seen_progress_ns <= deadline_ns)
				continue;
			f = report_add_finding(r, "hung",
					       "%s made no guest progress for %.1f s (deadline %.1f s; %s%s at sweep %llu, page %llu)",
					       s->name, (now_ns - s->seen_progress_ns) / 1e9, deadline_s,
					       start ? "in " : "between operations",
					       start ? s->op : "",
					       (unsigned long long)prog[s->vcpu].sweep,
					       (unsigned long long)prog[s->vcpu].page);
			finding_str(f, "operation", start ? s->op : "(none)");
			finding_u64(f, "vcpu", s->vcpu);
			finding_u64(f, "guest_sweep", prog[s->vcpu].sweep);
		} else if (start && now_ns > start && now_ns - start > deadline_ns) {
			f = report_add_finding(r, "hung", "%s in %s for %.1f s (deadline %.1f s)",
					       s->name, s->op, (now_ns - start) / 1e9, deadline_s);
			finding_str(f, "operation", s->op);
		} else {
			continue;
		}
		s->reported = true;
		hung++;
		if (!f)
			continue;
		finding_u64(f, "age_ms", (now_ns - (start ? start : s->seen_progress_ns)) / 1000000);
		add_evidence(f, pid, s);
	}
	return hung;
}

bool watch_knows_tid(const struct watch_table *t, pid_t tid)
{
	uint32_t i;

	for (i = 0; t && i < t->nr && i < WATCH_MAX_SLOTS; i++)
		if (t->slot[i].tid == tid)
			return true;
	return false;
}

/* A task's state letter (/proc/PID/task/TID/stat field 3), '?' if gone. */
static char task_state(pid_t pid, pid_t tid)
{
	char buf[512], *close;

	read_proc(pid, tid, "stat", buf, sizeof(buf));
	close = strrchr(buf, ')');
	return close && close[1] == ' ' && close[2] ? close[2] : '?';
}

void watch_report_abandoned(pid_t pid, int grace_ms, struct seam_report *r)
{
	char path[64], buf[4096], states[256] = "";
	pid_t tid, stuck = pid;
	unsigned int in_d = 0, n = 0;
	struct seam_finding *f;
	struct dirent *e;
	size_t used = 0;
	DIR *d;
	char st;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = opendir(path);
	while (d && (e = readdir(d))) {
		tid = atoi(e->d_name);
		if (tid <= 0)
			continue;
		st = task_state(pid, tid);
		n++;
		if (st == 'D' && !in_d++)
			stuck = tid;
		if (used + 16 < sizeof(states))
			used += snprintf(states + used, sizeof(states) - used, "%s%d:%c",
					 used ? " " : "", tid, st);
	}
	if (d)
		closedir(d);

	f = report_add_finding(r, "hung",
			       "worker %d abandoned: alive %d ms after SIGKILL, %u of %u threads in D state",
			       pid, grace_ms, in_d, n);
	finding_str(f, "operation", "exit after SIGKILL");
	finding_u64(f, "tid", stuck);
	finding_str(f, "thread_states", states);
	buf[0] = task_state(pid, stuck);
	buf[1] = 0;
	finding_str(f, "state", buf);
	read_proc(pid, stuck, "wchan", buf, sizeof(buf));
	finding_str(f, "wchan", buf);
	read_proc(pid, stuck, "stack", buf, sizeof(buf));
	finding_str(f, "stack", buf);
}
