/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A test double of /dev/kvm for a TDX host, linked in with
 * -Wl,--wrap=ioctl,--wrap=open so that the real TD-creation code (ours and
 * the KVM selftests library's) talks to it.  It answers with capability data
 * following docs/tdx-kvm-abi.md and records every breach of the rules of
 * docs/tdx-kvm-abi.md §3-§5 as a violation, rejecting the call the way KVM
 * would.  Failures can be injected per TDX sub-command.
 */
#ifndef SEAMSTRESS_KVM_DOUBLE_H
#define SEAMSTRESS_KVM_DOUBLE_H

#include <stdbool.h>
#include <stdint.h>

#define DOUBLE_MAX_VIOLATIONS	32
#define DOUBLE_MAX_LOG		512

struct kvm_double {
	int nr_violations;
	char violation[DOUBLE_MAX_VIOLATIONS][200];
	/* The TDX sub-commands and ioctls in the order they came. */
	int nr_log;
	char log[DOUBLE_MAX_LOG][48];

	/* Inject: the next @inject_cmd fails with -@inject_errno and @inject_hw_error. */
	int inject_cmd;
	int inject_errno;
	uint64_t inject_hw_error;

	/* The host: its present CPUs cap a TD's vCPUs (tdx_vm_init()). */
	int present_cpus;

	/* What the double saw. */
	int nr_configurable;		/* CPUID leaves it reports configurable */
	uint64_t supported_attrs;
	uint32_t init_vm_gpaw;
	uint64_t init_vm_attributes;
	int vcpus_created, vcpus_initialized;
	bool init_vm_done, finalized, split_irqchip;
	uint64_t exit_hypercall;
	int nr_init_regions;
	struct { uint64_t gpa, nr_pages; } init_region[16];
	int nr_private;
	struct { uint64_t gpa, size; } private_range[64];
};

extern struct kvm_double kvm_double;

/* Reset the double (all state, no injection). */
void kvm_double_reset(void);
/* Whether a violation containing @part was recorded. */
bool kvm_double_violated(const char *part);
/* Whether [gpa, gpa + size) is PRIVATE by KVM_SET_MEMORY_ATTRIBUTES. */
bool kvm_double_is_private(uint64_t gpa, uint64_t size);

/* The real calls, for the double's own tests. */
int __real_ioctl(int fd, unsigned long req, ...);

#endif /* SEAMSTRESS_KVM_DOUBLE_H */
