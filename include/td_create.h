/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TD creation through the upstream KVM TDX uAPI (docs/tdx-kvm-abi.md §3-§5), on
 * top of the KVM selftests library, which knows nothing of TDs: the VM is
 * made with ____vm_create() and vCPUs with __vm_vcpu_add(), so the library
 * never issues KVM_CREATE_IRQCHIP or REGS/SREGS, which a TD rejects.
 */
#ifndef SEAMSTRESS_TD_CREATE_H
#define SEAMSTRESS_TD_CREATE_H

#include <stdint.h>

#include "kvm_util.h"
#include "tdx_abi.h"

/* Split irqchip with 24 IOAPIC pins, the selftests' value (docs/tdx-kvm-abi.md §3.3). */
#define TD_SPLIT_IRQCHIP_PINS	24

/*
 * The CPUID for KVM_TDX_INIT_VM: the leaves of @supported that are
 * TDX-configurable in @configurable, each register masked by it, TSX and
 * WAITPKG cleared, and 0x80000008.EAX[23:16] = @gpaw
 * (docs/tdx-kvm-abi.md §3.5-§3.6, §8.3).  Pure.  Returns the number of entries
 * written to @out (at most @max), or -1 for a @gpaw other than 48 or 52.
 */
int td_cpuid_filter(const struct kvm_cpuid2 *supported,
		    const struct kvm_cpuid2 *configurable, unsigned int gpaw,
		    struct kvm_cpuid_entry2 *out, int max);

/* KVM_MEMORY_ENCRYPT_OP with a kvm_tdx_cmd; 0 or -errno, *hw_error set. */
int __td_ioctl(int fd, uint32_t id, uint32_t flags, uint64_t data, uint64_t *hw_error);

/* KVM_TDX_CAPABILITIES, growing the CPUID array on -E2BIG. Caller frees. */
struct kvm_tdx_capabilities *td_get_capabilities(struct kvm_vm *vm);
/* KVM_TDX_INIT_VM; @attributes must be within the capabilities. */
void td_init_vm(struct kvm_vm *vm, const struct kvm_tdx_capabilities *caps,
		uint64_t attributes, unsigned int gpaw);
/* KVM_TDX_GET_CPUID -> KVM_SET_CPUID2 -> KVM_TDX_INIT_VCPU (docs/tdx-kvm-abi.md §3.7). */
void td_init_vcpu(struct kvm_vcpu *vcpu);
/* PRIVATE attribute, then KVM_TDX_INIT_MEM_REGION(MEASURE) from @src. */
void td_init_mem_region(struct kvm_vcpu *vcpu, uint64_t gpa, void *src,
			uint64_t nr_pages);
void td_finalize(struct kvm_vm *vm);

#endif /* SEAMSTRESS_TD_CREATE_H */
