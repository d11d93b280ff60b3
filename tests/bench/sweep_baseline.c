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
#include "bench_vcpus.h"
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
	struct bench_vcpu b[KVM_MAX_VCPUS];
	uint64_t total = 0, insn = 0;
	struct bench_opts o;
	struct kvm_vm *vm;
	int i;

	bench_parse(argc, argv, true, &o);
	TEST_ASSERT(o.vcpus * SWEEP_SLOT_BYTES <= PAGE_SIZE,
		    "-v: %d vCPUs' slots do not fit in a page", o.vcpus);

	vm = vm_create_with_vcpus(o.vcpus, guest_sweep_loop, vcpus);
	vm_userspace_mem_region_add(vm, VM_MEM_SRC_ANONYMOUS, SWEEP_REGION_GPA,
				    SWEEP_REGION_SLOT, o.pages, 0);
	region_gva = SWEEP_REGION_GPA;
	nr_pages = o.pages;
	virt_map(vm, region_gva, SWEEP_REGION_GPA, nr_pages);
	sync_global_to_guest(vm, region_gva);
	sync_global_to_guest(vm, nr_pages);
	for (i = 0; i < o.vcpus; i++) {
		vcpu_args_set(vcpus[i], 1, i);
		insn -= vcpu_insn_emulation(vcpus[i]);
	}

	bench_run_vcpus(vcpus, o.vcpus, o.secs, SWEEP_PORT, b);
	for (i = 0; i < o.vcpus; i++) {
		total += b[i].exits;
		insn += vcpu_insn_emulation(vcpus[i]);
	}
	sync_global_from_guest(vm, guest_mismatches);
	kvm_vm_free(vm);

	printf("sweeps_per_s_per_vcpu %.1f\n", (double)total / o.secs / o.vcpus);
	if (insn && total)
		printf("insn_per_page %.1f\n", (double)insn / (total * nr_pages));
	else
		printf("insn_per_page n/a\n");
	printf("mismatches %llu\n", (unsigned long long)guest_mismatches);
	return 0;
}
