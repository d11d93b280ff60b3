// SPDX-License-Identifier: GPL-2.0
/*
 * The TDX ioctl sequence (include/td_create.h).  Every failure names the
 * step, the errno and, where KVM filled it, the SEAMCALL status decoded.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/ioctl.h>

#include "kmsg.h"
#include "processor.h"
#include "td_create.h"

static const char *const step_names[] = {
	[KVM_TDX_CAPABILITIES] = "KVM_TDX_CAPABILITIES",
	[KVM_TDX_INIT_VM] = "KVM_TDX_INIT_VM",
	[KVM_TDX_INIT_VCPU] = "KVM_TDX_INIT_VCPU",
	[KVM_TDX_INIT_MEM_REGION] = "KVM_TDX_INIT_MEM_REGION",
	[KVM_TDX_FINALIZE_VM] = "KVM_TDX_FINALIZE_VM",
	[KVM_TDX_GET_CPUID] = "KVM_TDX_GET_CPUID",
};

int __td_ioctl(int fd, uint32_t id, uint32_t flags, uint64_t data, uint64_t *hw_error)
{
	/* hw_error must be 0 on input (docs/tdx-kvm-abi.md §2), or KVM says -EINVAL. */
	struct kvm_tdx_cmd cmd = { .id = id, .flags = flags, .data = data, .hw_error = 0 };
	int r = ioctl(fd, KVM_MEMORY_ENCRYPT_OP, &cmd);

	if (hw_error)
		*hw_error = cmd.hw_error;
	return r < 0 ? -errno : r;
}

static void td_ioctl(int fd, uint32_t id, uint32_t flags, uint64_t data)
{
	uint64_t hw_error;
	char decoded[96] = "none";
	int r = __td_ioctl(fd, id, flags, data, &hw_error);

	if (hw_error)
		tdx_status_decode(hw_error, decoded, sizeof(decoded));
	TEST_ASSERT(!r, "%s failed: %s (errno %d), hw_error 0x%llx (%s)",
		    step_names[id], strerror(-r), -r, (unsigned long long)hw_error, decoded);
}

struct kvm_tdx_capabilities *td_get_capabilities(struct kvm_vm *vm)
{
	struct kvm_tdx_capabilities *caps = NULL;
	uint32_t nent = 64;
	uint64_t hw_error;
	int r;

	/* -E2BIG: the CPUID array is too small for the configurable leaves. */
	for (;;) {
		free(caps);
		caps = calloc(1, sizeof(*caps) + nent * sizeof(struct kvm_cpuid_entry2));
		TEST_ASSERT(caps, "calloc(kvm_tdx_capabilities) failed");
		caps->cpuid.nent = nent;
		r = __td_ioctl(vm->fd, KVM_TDX_CAPABILITIES, 0, (uint64_t)caps, &hw_error);
		if (r != -E2BIG)
			break;
		TEST_ASSERT(nent < 4096, "KVM_TDX_CAPABILITIES still -E2BIG with %u CPUID entries", nent);
		nent *= 2;
	}
	TEST_ASSERT(!r, "KVM_TDX_CAPABILITIES failed: %s (errno %d), hw_error 0x%llx",
		    strerror(-r), -r, (unsigned long long)hw_error);
	return caps;
}

void td_init_vm(struct kvm_vm *vm, const struct kvm_tdx_capabilities *caps,
		uint64_t attributes, unsigned int gpaw)
{
	const struct kvm_cpuid2 *supported = kvm_get_supported_cpuid();
	struct kvm_tdx_init_vm *init;
	int n;

	TEST_ASSERT(!(attributes & ~caps->supported_attrs),
		    "TD attributes 0x%llx not within supported_attrs 0x%llx",
		    (unsigned long long)attributes, (unsigned long long)caps->supported_attrs);

	init = calloc(1, sizeof(*init) + 256 * sizeof(struct kvm_cpuid_entry2));
	TEST_ASSERT(init, "calloc(kvm_tdx_init_vm) failed");
	init->attributes = attributes;
	/* xfam 0: KVM takes the fixed-1 bits (docs/tdx-kvm-abi.md §3.6). */
	n = td_cpuid_filter(supported, &caps->cpuid, gpaw, init->cpuid.entries, 256);
	TEST_ASSERT(n >= 0, "GPAW %u: KVM_TDX_INIT_VM takes 48 or 52", gpaw);
	init->cpuid.nent = n;
	td_ioctl(vm->fd, KVM_TDX_INIT_VM, 0, (uint64_t)init);
	free(init);
}

void td_init_vcpu(struct kvm_vcpu *vcpu)
{
	struct kvm_cpuid2 *cpuid = NULL;
	uint32_t nent = 64;
	int r;

	for (;;) {
		free(cpuid);
		cpuid = allocate_kvm_cpuid2(nent);
		r = __td_ioctl(vcpu->fd, KVM_TDX_GET_CPUID, 0, (uint64_t)cpuid, NULL);
		if (r != -E2BIG)
			break;
		TEST_ASSERT(nent < 4096, "KVM_TDX_GET_CPUID still -E2BIG with %u entries", nent);
		nent *= 2;
	}
	TEST_ASSERT(!r, "KVM_TDX_GET_CPUID of vCPU %u failed: %s", vcpu->id, strerror(-r));
	vcpu_init_cpuid(vcpu, cpuid);
	free(cpuid);

	/* data = initial RCX/R8; the trampoline does not use them. */
	td_ioctl(vcpu->fd, KVM_TDX_INIT_VCPU, 0, 0);
}

void td_init_mem_region(struct kvm_vcpu *vcpu, uint64_t gpa, void *src,
			uint64_t nr_pages)
{
	struct kvm_tdx_init_mem_region region = {
		.source_addr = (uint64_t)src,
		.gpa = gpa,
		.nr_pages = nr_pages,
	};

	uint64_t hw_error;
	char decoded[96] = "none";
	int r;

	vm_mem_set_private(vcpu->vm, gpa, nr_pages * vcpu->vm->page_size);
	/* KVM writes its progress back into @region and stops on a signal. */
	do {
		r = __td_ioctl(vcpu->fd, KVM_TDX_INIT_MEM_REGION,
			       KVM_TDX_MEASURE_MEMORY_REGION, (uint64_t)&region, &hw_error);
	} while ((r == -EINTR || r == -EAGAIN) && region.nr_pages);
	if (hw_error)
		tdx_status_decode(hw_error, decoded, sizeof(decoded));
	TEST_ASSERT(!r, "KVM_TDX_INIT_MEM_REGION of gpa 0x%llx (+%llu pages left) failed: %s (errno %d), hw_error 0x%llx (%s)",
		    (unsigned long long)region.gpa, (unsigned long long)region.nr_pages,
		    strerror(-r), -r, (unsigned long long)hw_error, decoded);
}

void td_finalize(struct kvm_vm *vm)
{
	td_ioctl(vm->fd, KVM_TDX_FINALIZE_VM, 0, 0);
}
