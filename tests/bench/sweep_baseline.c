// SPDX-License-Identifier: GPL-2.0
/*
 * Bench baseline for the guest's per-page cost: the least guest code that
 * does concurrent_fault's sweep.  Each vCPU loads its 8-byte slot in every
 * page (the previous sweep's tag, or zero), stores its tag, reads it back,
 * and exits to userspace with one OUT per sweep; no shuffled order, no
 * published position, no ucall.  On a host that emulates the guest every
 * instruction is paid for, so make bench sets concurrent_fault's emulated
 * instructions per page and sweeps/s per vCPU against this loop's, over the
 * same pages and vCPUs, measured in the same invocation.
 *
 *   sweep_baseline [-v vcpus] [-n pages] [-d seconds]
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "kvm_util.h"
#include "processor.h"
#include "kvm_stats.h"

#define SWEEP_PORT		0x5ea4
/* Far above the default memslot, as concurrent_fault's region is. */
#define SWEEP_REGION_GPA	(1ULL << 32)
#define SWEEP_REGION_SLOT	1
#define SWEEP_SLOT_BYTES	8

static uint64_t region_gva, nr_pages, guest_mismatches;

/* Off the per-page path: count a value that is neither the last tag nor 0. */
static noinline __attribute__((cold)) void guest_mismatch(void)
{
	__atomic_add_fetch(&guest_mismatches, 1, __ATOMIC_RELAXED);
}

/*
 * The sweep: read what the slot holds, write the tag, read it back.  The
 * globals are read once and a mismatch is counted out of line, so the
 * per-page path is two loads, one store, the compares and the loop.
 */
static void guest_sweep_loop(uint32_t vcpu)
{
	uint64_t first = region_gva + vcpu * SWEEP_SLOT_BYTES, n = nr_pages;
	uint64_t end = first + n * PAGE_SIZE, sweep, prev = 0, tag, seen, slot;

	for (sweep = 1;; sweep++) {
		tag = (uint64_t)(vcpu + 1) << 48 | sweep;
		for (slot = first; slot < end; slot += PAGE_SIZE) {
			seen = *(volatile uint64_t *)slot;
			if (seen != prev && seen)
				guest_mismatch();
			*(volatile uint64_t *)slot = tag;
			if (*(volatile uint64_t *)slot != tag)
				guest_mismatch();
		}
		prev = tag;
		asm volatile("outb %%al, %%dx" : : "a"(0), "d"(SWEEP_PORT) : "memory");
	}
}

static volatile bool stop;
static uint64_t sweeps[KVM_MAX_VCPUS];

static void *vcpu_thread(void *arg)
{
	struct kvm_vcpu *vcpu = arg;
	struct kvm_run *run = vcpu->run;

	while (!stop) {
		vcpu_run(vcpu);
		TEST_ASSERT(run->exit_reason == KVM_EXIT_IO && run->io.port == SWEEP_PORT,
			    "vCPU %u: expected KVM_EXIT_IO on port 0x%x, got exit %s port 0x%x",
			    vcpu->id, SWEEP_PORT, exit_reason_str(run->exit_reason), run->io.port);
		sweeps[vcpu->id]++;
	}
	return NULL;
}

/* The vCPU's insn_emulation stat: 0 where KVM does not count it. */
static uint64_t vcpu_insn_emulation(struct kvm_vcpu *vcpu)
{
	struct kvm_stats_snap snap;
	uint64_t v = 0;

	kvm_stats_snapshot_vcpu(vcpu, &snap);
	kvm_stats_value(&snap, "insn_emulation", &v);
	return v;
}

int main(int argc, char *argv[])
{
	struct kvm_vcpu *vcpus[KVM_MAX_VCPUS];
	pthread_t threads[KVM_MAX_VCPUS];
	int nr_vcpus = 2, secs = 5, opt, i;
	uint64_t total = 0, insn = 0;
	struct kvm_vm *vm;

	nr_pages = 512;
	while ((opt = getopt(argc, argv, "v:n:d:")) != -1) {
		switch (opt) {
		case 'v':
			nr_vcpus = atoi_positive("vCPUs (-v)", optarg);
			break;
		case 'n':
			nr_pages = atoi_positive("pages (-n)", optarg);
			break;
		case 'd':
			secs = atoi_positive("seconds (-d)", optarg);
			break;
		default:
			fprintf(stderr, "usage: %s [-v vcpus] [-n pages] [-d seconds]\n", argv[0]);
			return 2;
		}
	}
	TEST_ASSERT(nr_vcpus <= KVM_MAX_VCPUS, "-v: at most %d vCPUs", KVM_MAX_VCPUS);
	TEST_ASSERT(nr_vcpus * SWEEP_SLOT_BYTES <= PAGE_SIZE,
		    "-v: %d vCPUs' slots do not fit in a page", nr_vcpus);

	vm = vm_create_with_vcpus(nr_vcpus, guest_sweep_loop, vcpus);
	vm_userspace_mem_region_add(vm, VM_MEM_SRC_ANONYMOUS, SWEEP_REGION_GPA,
				    SWEEP_REGION_SLOT, nr_pages, 0);
	region_gva = SWEEP_REGION_GPA;
	virt_map(vm, region_gva, SWEEP_REGION_GPA, nr_pages);
	sync_global_to_guest(vm, region_gva);
	sync_global_to_guest(vm, nr_pages);
	for (i = 0; i < nr_vcpus; i++) {
		vcpu_args_set(vcpus[i], 1, i);
		insn -= vcpu_insn_emulation(vcpus[i]);
	}

	for (i = 0; i < nr_vcpus; i++)
		pthread_create(&threads[i], NULL, vcpu_thread, vcpus[i]);
	sleep(secs);
	stop = true;
	for (i = 0; i < nr_vcpus; i++) {
		pthread_join(threads[i], NULL);
		total += sweeps[i];
		insn += vcpu_insn_emulation(vcpus[i]);
	}
	sync_global_from_guest(vm, guest_mismatches);
	kvm_vm_free(vm);

	printf("sweeps_per_s_per_vcpu %.1f\n", (double)total / secs / nr_vcpus);
	if (insn && total)
		printf("insn_per_page %.1f\n", (double)insn / (total * nr_pages));
	else
		printf("insn_per_page n/a\n");
	printf("mismatches %llu\n", (unsigned long long)guest_mismatches);
	return 0;
}
