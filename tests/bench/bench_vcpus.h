/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What make bench's baselines share: their options, and vCPU threads that
 * re-enter the guest after each OUT to the baseline's port, for a time.
 */
#ifndef SEAMSTRESS_BENCH_VCPUS_H
#define SEAMSTRESS_BENCH_VCPUS_H

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "kvm_util.h"

struct bench_opts {
	int vcpus, secs;
	uint64_t pages;
};

/* -v vcpus, -d seconds, and -n pages where @pages_too. */
static inline void bench_parse(int argc, char *argv[], bool pages_too, struct bench_opts *o)
{
	int opt;

	*o = (struct bench_opts) { .vcpus = 2, .secs = 5, .pages = 512 };
	while ((opt = getopt(argc, argv, pages_too ? "v:d:n:" : "v:d:")) != -1) {
		switch (opt) {
		case 'v':
			o->vcpus = atoi_positive("vCPUs (-v)", optarg);
			break;
		case 'd':
			o->secs = atoi_positive("seconds (-d)", optarg);
			break;
		case 'n':
			o->pages = atoi_positive("pages (-n)", optarg);
			break;
		default:
			fprintf(stderr, "usage: %s [-v vcpus] [-d seconds]%s\n", argv[0],
				pages_too ? " [-n pages]" : "");
			exit(2);
		}
	}
	TEST_ASSERT(o->vcpus <= KVM_MAX_VCPUS, "-v: at most %d vCPUs, not %d", KVM_MAX_VCPUS,
		    o->vcpus);
}

struct bench_vcpu {
	struct kvm_vcpu *vcpu;
	uint16_t port;
	volatile bool *stop;
	uint64_t exits;
	pthread_t thread;
};

static inline void *bench_vcpu_thread(void *arg)
{
	struct bench_vcpu *b = arg;
	struct kvm_run *run = b->vcpu->run;

	while (!*b->stop) {
		vcpu_run(b->vcpu);
		TEST_ASSERT(run->exit_reason == KVM_EXIT_IO && run->io.port == b->port,
			    "vCPU %u: expected KVM_EXIT_IO on port 0x%x, got exit %s port 0x%x",
			    b->vcpu->id, b->port, exit_reason_str(run->exit_reason), run->io.port);
		b->exits++;
	}
	return NULL;
}

/* Run @nr vCPUs, a thread each, for @secs; their exits into @b[i].exits. */
static inline void bench_run_vcpus(struct kvm_vcpu **vcpus, int nr, int secs, uint16_t port,
				   struct bench_vcpu *b)
{
	volatile bool stop = false;
	int i;

	for (i = 0; i < nr; i++) {
		b[i] = (struct bench_vcpu) { .vcpu = vcpus[i], .port = port, .stop = &stop };
		pthread_create(&b[i].thread, NULL, bench_vcpu_thread, &b[i]);
	}
	sleep(secs);
	stop = true;
	for (i = 0; i < nr; i++)
		pthread_join(b[i].thread, NULL);
}

#endif /* SEAMSTRESS_BENCH_VCPUS_H */
