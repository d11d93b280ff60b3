/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A stress VM: N vCPUs and one contended region of M pages, built as the
 * flavor says (lib/tdx_vm.c).  Host threads punch holes in the region
 * through stress_vm_punch() without knowing the flavor.
 */
#ifndef SEAMSTRESS_STRESS_VM_H
#define SEAMSTRESS_STRESS_VM_H

#include <stdbool.h>
#include <stdint.h>

#include "kvm_util.h"
#include "ucall_common.h"
#include "flavor.h"
#include "seamstress.h"
#include "td_exit.h"
#include "report.h"

struct stress_vm {
	enum seam_flavor flavor;
	struct seam_flavor_plan plan;
	struct kvm_vm *vm;
	uint32_t nr_vcpus;
	struct kvm_vcpu *vcpus[SEAM_MAX_VCPUS];

	uint64_t nr_pages;
	uint64_t region_gpa;
	uint64_t region_size;
	uint8_t *region_hva;		/* host mapping, NULL if !plan.host_visible */
	uint8_t *shared_hva;		/* shared backing of a private region, or NULL */
	int gmem_fd;			/* -1 without guest_memfd */
	uint64_t gmem_offset;

	/* The shared progress pages as the host sees them, for live reads. */
	uint64_t progress_gpa;
	struct seam_progress *progress;

	/* tdx: the shared bit, and what the boot block will hold. */
	uint64_t shared_bit;
	uint64_t td_guest_code;
	uint64_t td_stack_top[SEAM_MAX_VCPUS];
	uint64_t td_idt;		/* GVA of the TD's IDT, below 4 GiB */

	uint64_t guest_map_gpa;		/* KVM_EXIT_HYPERCALL(MAP_GPA_RANGE) handled */
};

/* TD parameters (docs/tdx-kvm-abi.md §2-§3), for stress_vm_create(). */
struct td_params {
	uint32_t gpaw;		/* 48, or 52 with 5-level EPT */
	uint64_t attributes;	/* TDX_TD_ATTR_SEPT_VE_DISABLE by default */
};

/* Probe /dev/kvm (and a SW_PROTECTED VM where offered) for flavor choice. */
void host_caps_probe(struct seam_host_caps *caps);

/*
 * Resolve @want (auto picks the strongest) against this host.  Returns the
 * concrete flavor, or FLAVOR_AUTO with @reason filled when it cannot run.
 */
enum seam_flavor stress_flavor_resolve(enum seam_flavor want, char *reason,
				       size_t len);

/*
 * Whether a VM of @flavor cannot have @nr_vcpus vCPUs (KVM_CAP_MAX_VCPUS,
 * asked of a VM of its type); @why then says so.
 */
bool stress_vm_too_many_vcpus(enum seam_flavor flavor, uint32_t nr_vcpus, char *why, size_t len);

/*
 * Create the VM with @nr_vcpus vCPUs running @guest_code(vcpu_index) and a
 * contended region of @nr_pages pages; @extra_pages of memslot 0 are left for
 * the caller's guest allocations.  A TD is built with @td (NULL: GPAW 48,
 * SEPT_VE_DISABLE).
 */
struct stress_vm *stress_vm_create(enum seam_flavor flavor, uint32_t nr_vcpus,
				   uint64_t nr_pages, uint64_t extra_pages,
				   void *guest_code, const struct td_params *td);
void stress_vm_destroy(struct stress_vm *svm);
/*
 * After the guest's data is written and before any vCPU runs: for a TD,
 * fill the boot block, measure the image and finalize; a no-op otherwise.
 */
void stress_vm_finalize(struct stress_vm *svm);
/* Give vCPU @vcpu its index as the first argument of the guest code. */
void stress_vm_set_args(struct stress_vm *svm, uint32_t vcpu);

/*
 * Turn the exit of the last KVM_RUN into a guest message, or handle it
 * (conversions, kicks, TDX sub-functions), or record why the vCPU must stop.
 */
enum td_exit_action stress_vm_exit_msg(struct stress_vm *svm, struct kvm_vcpu *vcpu,
				       struct seam_msg *msg, struct seam_report *r);

/* Punch [offset, offset + len) of the region; 0 or -errno. */
int stress_vm_punch(struct stress_vm *svm, uint64_t offset, uint64_t len);

/*
 * Convert [offset, offset + len) private -> shared -> private, emptying both
 * backings on the way so the guest can only ever read its tag or zero.
 * Only for flavors with memory attributes (plan.set_private).
 */
int stress_vm_convert(struct stress_vm *svm, uint64_t offset, uint64_t len);

/* Host pointer to the slot @vcpu owns in page @page, or NULL. */
static inline volatile uint64_t *stress_vm_slot(struct stress_vm *svm,
						uint64_t page, uint32_t vcpu)
{
	if (!svm->region_hva)
		return NULL;
	return (volatile uint64_t *)(svm->region_hva + page * SEAM_PAGE_SIZE +
				     vcpu * SEAM_SLOT_BYTES);
}

#endif /* SEAMSTRESS_STRESS_VM_H */
