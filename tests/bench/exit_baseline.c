// SPDX-License-Identifier: GPL-2.0
/*
 * Bench baseline: vCPUs that do nothing but OUT to a port no in-kernel
 * device claims, so every iteration is a full userspace exit.  Its rate is
 * the ceiling any exit-bound stress can reach on this host; make bench
 * reports the stress rates as ratios to it.
 *
 *   exit_baseline [-v vcpus] [-d seconds]
 */
#include "bench_vcpus.h"
#include "processor.h"

#define BASELINE_PORT	0x5ea3

static void guest_out_loop(void)
{
	for (;;)
		asm volatile("outb %%al, %%dx" : : "a"(0), "d"(BASELINE_PORT));
}

int main(int argc, char *argv[])
{
	struct kvm_vcpu *vcpus[KVM_MAX_VCPUS];
	struct bench_vcpu b[KVM_MAX_VCPUS];
	struct bench_opts o;
	uint64_t total = 0;
	struct kvm_vm *vm;
	int i;

	bench_parse(argc, argv, false, &o);
	vm = vm_create_with_vcpus(o.vcpus, guest_out_loop, vcpus);
	bench_run_vcpus(vcpus, o.vcpus, o.secs, BASELINE_PORT, b);
	for (i = 0; i < o.vcpus; i++)
		total += b[i].exits;
	kvm_vm_free(vm);

	printf("exits_per_s_per_vcpu %.1f\n", (double)total / o.secs / o.vcpus);
	printf("exits_per_s %.1f\n", (double)total / o.secs);
	return 0;
}
