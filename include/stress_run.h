/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One stress run: the stress VM, its vCPU threads, the host chaos threads
 * and the shared stop/quiesce protocol between them (lib/run/stress_run.c).
 */
#ifndef SEAMSTRESS_STRESS_RUN_H
#define SEAMSTRESS_STRESS_RUN_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "chaos_pick.h"
#include "latency.h"
#include "options.h"
#include "report.h"
#include "stress_vm.h"
#include "tag_class.h"
#include "watchdog.h"
#include "widen.h"

struct seam_vcpu_state {
	pthread_t thread;
	uint32_t index;
	struct watch_slot *watch;
	uint64_t sweeps;	/* last sweep the guest reported complete */
	uint64_t final_sweep;	/* the clean sweep, run after chaos stopped */
	uint64_t entries;	/* KVM_RUN calls */
	uint64_t kick_exits;	/* KVM_RUN returns with EINTR */
	uint64_t memory_fault_exits;	/* KVM_EXIT_MEMORY_FAULT, converted */
	bool clean_started;
	bool done;		/* GUEST_DONE seen */
	bool failed;		/* left the run loop on an error */
	bool stopped;		/* left the run loop because the run aborted */
};

struct seam_puncher {
	pthread_t thread;
	uint32_t index;
	uint64_t punches;
	uint64_t conversions;
	uint64_t errors;
	/* Operations that completed while a vCPU stayed on the punched page. */
	uint64_t collisions;
	struct latency_hist lat;

	/* --widen: the fuzzy-sync state and what each vCPU was last seen doing. */
	struct widen widen;
	uint64_t last_move_ns[SEAM_MAX_VCPUS];
	uint64_t last_idx[SEAM_MAX_VCPUS];
	uint64_t widen_timed, widen_missed, widen_hits;
	/* The timed punch whose result is still to be read: its vCPU's wipes before it. */
	bool widen_pending;
	uint32_t widen_vcpu;
	uint64_t widen_wiped_before;
};

struct seam_run {
	const struct seam_opts *opts;
	struct seam_report *report;
	struct stress_vm *svm;
	const uint32_t *order;	/* host view of the guest's sweep orders */
	struct chaos_view view;	/* what the chaos threads see of the vCPUs */

	/* Protocol flags, written by the supervisor, polled by the workers. */
	volatile bool stop_chaos;	/* chaos threads: return */
	volatile bool quiesced;		/* chaos joined: vCPUs run one clean sweep */
	volatile bool abort;		/* a finding or a signal: everyone out */

	struct seam_vcpu_state vcpu[SEAM_MAX_VCPUS];
	uint32_t nr_punchers;
	struct seam_puncher puncher[SEAM_MAX_PUNCHERS];
	pthread_t injector, kicker, reader;
	bool injector_started, kicker_started, reader_started;
	uint64_t host_reads;
	uint64_t injected;
	uint64_t kicks;

	/* Integrity mismatches by class (enum tag_class), and how many have evidence. */
	uint64_t integrity_class[NR_TAG_CLASSES];
	uint64_t integrity_detailed;
	/* Torn read-backs by what the second read says was split. */
	uint64_t torn_store, torn_load, torn_unknown;
};

/*
 * Run @o->test on the flavor @o asks for; fill @r (result stays NONE unless
 * the run is a SKIP) and return.  Findings decide pass or fail.
 */
void stress_run(const struct seam_opts *o, struct seam_report *r);

/* Host chaos threads (lib/chaos/chaos.c). */
void chaos_start(struct seam_run *run);
void chaos_stop(struct seam_run *run);
void chaos_report(struct seam_run *run, double secs);
/* Kicks are SIGUSR1: the handler is installed before any thread exists. */
void kick_handler_install(void);
/* Each vCPU thread names its kvm_run once, for the kicks that reach it. */
void kick_target_init(struct kvm_run *run);

/* Integrity findings (lib/detectors/integrity.c). */
void integrity_guest_report(struct seam_run *run, uint32_t vcpu,
			    const uint64_t *args);
/* After the clean sweep: every slot must hold its vCPU's final tag. */
uint64_t integrity_check_final(struct seam_run *run);
/*
 * Counters and per-minute rates by class; with the run's KVM stats sums,
 * torn findings name the host's emulator when it performed the stores.
 */
void integrity_report(struct seam_run *run, double secs, uint64_t insn_emulation,
		      uint64_t exits);

/* Thread placement from --cpus/--nodes (lib/run/placement.c). */
int placement_init(const char *cpus, const char *nodes, char *err, size_t len);
/* Pin the calling thread, the @index-th placed thread, round-robin. */
void placement_apply(uint32_t index);

/* Value the corruption injector writes; no tag has it. */
#define SEAM_FOREIGN_VALUE	0xbadc0ffee0ddf00dULL

#endif /* SEAMSTRESS_STRESS_RUN_H */
