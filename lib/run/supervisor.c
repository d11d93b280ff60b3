// SPDX-License-Identifier: GPL-2.0
/*
 * The supervisor: the parent owns the detectors and the report, the child
 * owns the VM.  The two share one mapping holding the report and the
 * watchdog table.  The parent returns within the watchdog deadline plus a
 * second of a worker hanging, whatever state the worker is in.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "detectors.h"
#include "faulttrace.h"
#include "kmsg.h"
#include "known_issues.h"
#include "options.h"
#include "report.h"
#include "stress_run.h"
#include "safe_file.h"
#include "seam_test.h"
#include "seam_version.h"
#include "watchdog.h"

/* The selftests library's TEST_ASSERT ends the process with this (lib/assert.c). */
#define KVM_TEST_ASSERT_EXIT	254

/* How often the parent looks at the worker. */
#define SUPERVISE_TICK_MS	50
/* How long a SIGKILLed worker gets to be reaped before the parent moves on. */
#define REAP_GRACE_MS		500

struct seam_shared {
	struct seam_report report;
	struct watch_table watch;
	volatile int child_done;
};

static volatile sig_atomic_t parent_signal;
static struct faulttrace tracer;
static pid_t supervisor_pid, worker_pid;

static void on_parent_signal(int sig)
{
	parent_signal = sig;
}

/* TEST_ASSERT in the parent exits: the tracefs instance must still go. */
static void cleanup_at_exit(void)
{
	if (getpid() == supervisor_pid)
		faulttrace_cleanup(&tracer);
}

static void sleep_ms(int ms)
{
	const struct timespec ts = { .tv_nsec = ms * 1000000L };

	nanosleep(&ts, NULL);
}

static int worker_main(const struct seam_opts *o, struct seam_shared *sh, int go_fd)
{
	char go;

	/* A supervisor killed outright takes its worker (and its VM) along. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != supervisor_pid)
		_exit(1);
	/* Start once the tracer follows this pid, before any thread exists. */
	if (read(go_fd, &go, 1) != 1)
		_exit(1);
	close(go_fd);
	report_detach();
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	watch_attach(&sh->watch);
	stress_run(o, &sh->report);
	sh->child_done = 1;
	return 0;
}

/* Wait for the worker; false if it had to be abandoned. */
static bool supervise(const struct seam_opts *o, struct seam_shared *sh, pid_t pid,
		      int *status)
{
	uint64_t signalled_ns = 0, now;
	int waited;

	for (;;) {
		if (waitpid(pid, status, WNOHANG) == pid)
			return true;
		now = watch_now_ns();

		/* Ctrl-C reaches the worker too; forward other signals. */
		if (parent_signal && !signalled_ns) {
			kill(pid, SIGINT);
			signalled_ns = now;
		}
		if (signalled_ns && now - signalled_ns > o->deadline_s * 1e9) {
			report_add_finding(&sh->report, "hung",
					   "worker did not stop within %g s of signal %d",
					   o->deadline_s, (int)parent_signal);
			break;
		}
		if (watch_scan(&sh->watch, pid, o->deadline_s, &sh->report, now))
			break;
		faulttrace_poll(&tracer);
		sleep_ms(SUPERVISE_TICK_MS);
	}

	/* A worker stuck in the kernel may not die: give it a moment, then go. */
	kill(pid, SIGKILL);
	for (waited = 0; waited < REAP_GRACE_MS; waited += 10) {
		if (waitpid(pid, status, WNOHANG) == pid)
			return true;
		sleep_ms(10);
	}
	return false;
}

static void worker_exit_finding(struct seam_shared *sh, bool reaped, int status)
{
	struct seam_finding *f;

	if (sh->child_done || !reaped)
		return;
	if (report_has_finding(&sh->report, "hung"))
		return;		/* killed by us, for a reason already reported */
	if (WIFEXITED(status)) {
		f = report_add_finding(&sh->report, "worker",
				       "worker exited with status %d before finishing%s",
				       WEXITSTATUS(status),
				       WEXITSTATUS(status) == KVM_TEST_ASSERT_EXIT ?
				       " (a TEST_ASSERT fired: its message is on stderr)" : "");
		finding_u64(f, "exit_status", WEXITSTATUS(status));
	} else if (WIFSIGNALED(status)) {
		f = report_add_finding(&sh->report, "worker", "worker killed by signal %d (%s)",
				       WTERMSIG(status), strsignal(WTERMSIG(status)));
		finding_u64(f, "signal", WTERMSIG(status));
	}
}

/* A line "Key:\tvalue" of /proc/@pid/status; false if there is none. */
static bool proc_status_line(const char *pid, const char *key, char *val, size_t len)
{
	char path[64], line[256];
	size_t klen = strlen(key);
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	f = fopen(path, "r");
	while (f && !found && fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen) || line[klen] != ':')
			continue;
		snprintf(val, len, "%s", line + klen + 1);
		found = true;
	}
	if (f)
		fclose(f);
	return found;
}

/*
 * Whether the task @pid a WARNING names is provably another process's:
 * this run sees the kernel's own PID numbers (it is in the initial PID
 * namespace: NSpid has one entry), the task still exists, it is a user
 * process (a kernel thread, which may be working for this run's VM, has
 * no command line), and neither it nor its thread group is the
 * supervisor, the worker or a thread the watchdog knew.  Anything that
 * cannot be proven stays this run's finding.
 */
static bool warning_is_foreign(int pid, void *arg)
{
	struct seam_shared *sh = arg;
	char val[128], path[64], id[16], c;
	int tgid, fd, inner;
	ssize_t n;

	/* One pid in NSpid: the initial namespace, whose numbers the kernel prints. */
	if (!proc_status_line("self", "NSpid", val, sizeof(val)) ||
	    sscanf(val, "%d %d", &tgid, &inner) != 1)
		return false;
	if (pid == supervisor_pid || pid == worker_pid || watch_knows_tid(&sh->watch, pid))
		return false;
	snprintf(id, sizeof(id), "%d", pid);
	if (!proc_status_line(id, "Tgid", val, sizeof(val)))
		return false;
	tgid = atoi(val);
	if (tgid == supervisor_pid || tgid == worker_pid)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, &c, 1);
	close(fd);
	return n == 1;
}

/* Whether the finding @f is one that o->expect asks for. */
static bool expected_finding(const struct seam_opts *o, const struct seam_finding *f)
{
	return options_expects_class(o, f->detector, finding_get_str(f, "class"));
}

/*
 * With --expect, the named detectors must fire, and then the run passes
 * unless something else fired too; consequences of a bugged VM (EIO from
 * KVM_RUN, the EIO probe, the WARNING's splat counter) and known issues
 * are not "else".  A broken harness is still an error.
 */
static void apply_expectations(const struct seam_opts *o, struct seam_report *r)
{
	static const char *const consequences[] = {
		"kvm_run", "vm_bugged", "splat", "kvm_bug_on", "unexpected_exit", NULL,
	};
	char list[sizeof(o->expect)], *tok, *save;
	bool met = true, other = false, harness = false, hit;
	const struct detector *d;
	int i, j;

	if (!o->expect[0] || r->result == RESULT_SKIP)
		return;
	snprintf(list, sizeof(list), "%s", o->expect);
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0, hit = false; i < r->nr_findings && !hit; i++)
			hit = expect_entry_takes(tok, r->findings[i].detector,
						 finding_get_str(&r->findings[i], "class"));
		if (!hit) {
			met = false;
			report_add_finding(r, "expectation", "--expect %s: no such finding was raised",
					   tok);
		}
	}
	for (i = 0; i < r->nr_findings; i++) {
		const struct seam_finding *f = &r->findings[i];

		if (expected_finding(o, f) || !strcmp(f->detector, "expectation") ||
		    f->known_issue[0])
			continue;
		d = detector_find(f->detector);
		if (d && d->kind == DETECTOR_HARNESS) {
			harness = true;
			continue;
		}
		for (j = 0; consequences[j] && strcmp(consequences[j], f->detector); j++)
			;
		if (!consequences[j])
			other = true;
	}
	r->result = !met || other ? RESULT_FAIL : harness ? RESULT_ERROR : RESULT_PASS;
}

/*
 * The known-issues file: the one asked for, else the shipped one, if this
 * build's tree still has it.  The report names the file either way.
 */
static int known_issues_setup(const struct seam_opts *o, struct known_issues *ki,
			      struct seam_report *r, char *err, size_t len)
{
	const char *path = o->known_issues ? o->known_issues :
			   !access(SEAMSTRESS_KNOWN_ISSUES, R_OK) ? SEAMSTRESS_KNOWN_ISSUES : "none";

	if (known_issues_load(path, ki, err, len))
		return -1;
	snprintf(r->known_issues_file, sizeof(r->known_issues_file), "%s",
		 ki->path[0] ? ki->path : "none");
	r->known_issues_entries = ki->nr;
	return 0;
}

int seam_test_main(const struct seam_test *t, int argc, char *argv[])
{
	const char *name = t->name;
	struct kernel_counters kc_before, kc_after;
	static struct known_issues known;
	struct seam_shared *sh;
	struct seam_opts opts;
	int kmsg_fd, status = 0, go[2], err_follow;
	bool reaped;
	char err[256];
	pid_t pid;

	options_defaults(&opts);
	if (options_test_defaults(&opts, t, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", name, err);
		return SEAM_EXIT_HARNESS_ERROR;
	}
	switch (options_parse(&opts, argc, argv, err, sizeof(err))) {
	case OPTS_VERSION:
		printf("%s (seamstress %s)\n", name, SEAMSTRESS_VERSION);
		return 0;
	case OPTS_HELP:
		options_usage(t, stdout);
		return 0;
	case OPTS_USAGE:
		fprintf(stderr, "%s: %s\n", name, err);
		return SEAM_EXIT_HARNESS_ERROR;
	case OPTS_OK:
		break;
	}
	/* Where the report goes is checked before anything runs (-j /dev/null, a link). */
	if (opts.json && safe_path_check(opts.json, err, sizeof(err))) {
		fprintf(stderr, "%s: -j/--json: %s\n", name, err);
		return SEAM_EXIT_HARNESS_ERROR;
	}
	if (placement_init(opts.cpus, opts.nodes, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", name, err);
		return SEAM_EXIT_HARNESS_ERROR;
	}
	if (!opts.seed_given)
		opts.seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		fprintf(stderr, "%s: mmap() of %zu bytes of shared report failed: %s\n", name,
			sizeof(*sh), strerror(errno));
		return SEAM_EXIT_HARNESS_ERROR;
	}
	report_init(&sh->report, name, opts.json);
	env_collect(&sh->report.env);
	if (known_issues_setup(&opts, &known, &sh->report, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", name, err);
		return SEAM_EXIT_HARNESS_ERROR;
	}
	report_share(&sh->report);
	report_write_at_exit(&sh->report);
	options_reproduce(&opts, argv[0], sh->report.reproduce, sizeof(sh->report.reproduce));
	printf("# seed 0x%llx (replay: %s)\n", (unsigned long long)opts.seed,
	       sh->report.reproduce);

	/*
	 * The handlers come first: a signal while the detectors start (the
	 * tracer takes about a second) must still end in a report and a
	 * removed instance, not in the default action.
	 */
	signal(SIGINT, on_parent_signal);
	signal(SIGTERM, on_parent_signal);
	signal(SIGHUP, on_parent_signal);

	/* Detectors start before the worker, so they see all of it. */
	supervisor_pid = getpid();
	atexit(cleanup_at_exit);
	kmsg_fd = kmsg_open_at_end();
	kernel_counters_read("/sys/kernel", &kc_before);
	faulttrace_start(&tracer, &opts, &sh->watch);
	if (parent_signal) {
		sh->report.interrupted = true;
		report_add_finding(&sh->report, "interrupted",
				   "run stopped by signal %d before the worker started",
				   (int)parent_signal);
		faulttrace_finish(&tracer, &sh->report);
		return report_finish(&sh->report);
	}

	fflush(stdout);
	if (pipe2(go, O_CLOEXEC)) {
		report_add_finding(&sh->report, "worker", "pipe2() failed: %s", strerror(errno));
		return report_finish(&sh->report);
	}
	pid = fork();
	if (pid < 0) {
		report_add_finding(&sh->report, "worker", "fork() of the worker failed: %s",
				   strerror(errno));
		return report_finish(&sh->report);
	}
	if (!pid) {
		close(go[1]);
		exit(worker_main(&opts, sh, go[0]));
	}
	close(go[0]);
	worker_pid = pid;
	watch_setup_begin(&sh->watch, pid);
	err_follow = faulttrace_follow(&tracer, pid);
	if (err_follow)
		report_add_finding(&sh->report, "worker",
				   "cannot point the tracefs instance at worker %d: %s", (int)pid,
				   strerror(-err_follow));
	/* Closing it without a byte makes the worker leave at once. */
	if (!err_follow && write(go[1], "g", 1) != 1)
		report_add_finding(&sh->report, "worker", "cannot start the worker: %s",
				   strerror(errno));
	close(go[1]);

	reaped = supervise(&opts, sh, pid, &status);
	if (!reaped)
		watch_report_abandoned(pid, REAP_GRACE_MS, &sh->report);
	worker_exit_finding(sh, reaped, status);
	if (parent_signal)
		sh->report.interrupted = true;

	faulttrace_finish(&tracer, &sh->report);
	if (kmsg_fd >= 0)
		kmsg_scan(kmsg_fd, &sh->report, warning_is_foreign, sh);
	else
		report_config_str(&sh->report, "kmsg", "unreadable: /dev/kmsg");
	kernel_counters_read("/sys/kernel", &kc_after);
	kernel_counters_diff(&kc_before, &kc_after, &sh->report);

	known_issues_apply(&known, &sh->report);
	apply_expectations(&opts, &sh->report);
	return report_finish(&sh->report);
}
