// SPDX-License-Identifier: GPL-2.0
/*
 * Bench baseline: vCPUs that do nothing but OUT to a port no in-kernel
 * device claims, so every iteration is a full userspace exit.  Its rate is
 * the ceiling any exit-bound stress can reach on this host; make bench
 * reports the stress rates as ratios to it.
 *
 *   exit_baseline [-v vcpus] [-d seconds]
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "kvm_util.h"
#include "processor.h"

#define BASELINE_PORT	0x5ea3

static volatile bool stop;
static uint64_t exits[KVM_MAX_VCPUS];

static void guest_out_loop(void)
{
	for (;;)
		asm volatile("outb %%al, %%dx" : : "a"(0), "d"(BASELINE_PORT));
}

static void *vcpu_thread(void *arg)
{
	struct kvm_vcpu *vcpu = arg;

	while (!stop) {
		vcpu_run(vcpu);
		TEST_ASSERT(vcpu->run->exit_reason == KVM_EXIT_IO &&
			    vcpu->run->io.port == BASELINE_PORT,
			    "vCPU %u: expected KVM_EXIT_IO on port 0x%x, got exit %s port 0x%x",
			    vcpu->id, BASELINE_PORT, exit_reason_str(vcpu->run->exit_reason),
			    vcpu->run->io.port);
		exits[vcpu->id]++;
	}
	return NULL;
}

int main(int argc, char *argv[])
{
	struct kvm_vcpu *vcpus[KVM_MAX_VCPUS];
	pthread_t threads[KVM_MAX_VCPUS];
	int nr_vcpus = 2, secs = 5, opt, i;
	uint64_t total = 0;
	struct kvm_vm *vm;

	while ((opt = getopt(argc, argv, "v:d:")) != -1) {
		switch (opt) {
		case 'v':
			nr_vcpus = atoi_positive("vCPUs (-v)", optarg);
			break;
		case 'd':
			secs = atoi_positive("seconds (-d)", optarg);
			break;
		default:
			fprintf(stderr, "usage: %s [-v vcpus] [-d seconds]\n", argv[0]);
			return 2;
		}
	}
	TEST_ASSERT(nr_vcpus <= KVM_MAX_VCPUS, "-v: at most %d vCPUs", KVM_MAX_VCPUS);

	vm = vm_create_with_vcpus(nr_vcpus, guest_out_loop, vcpus);
	for (i = 0; i < nr_vcpus; i++)
		pthread_create(&threads[i], NULL, vcpu_thread, vcpus[i]);
	sleep(secs);
	stop = true;
	for (i = 0; i < nr_vcpus; i++) {
		pthread_join(threads[i], NULL);
		total += exits[i];
	}
	kvm_vm_free(vm);

	printf("exits_per_s_per_vcpu %.1f\n", (double)total / secs / nr_vcpus);
	printf("exits_per_s %.1f\n", (double)total / secs);
	return 0;
}
