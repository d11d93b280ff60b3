// SPDX-License-Identifier: GPL-2.0
/*
 * Flavor names, availability and setup plans (docs/design.md §3).
 */
#include <stdio.h>
#include <string.h>

#include "flavor.h"
#include "tdx_abi.h"

static const char *const names[NR_FLAVORS] = {
	[FLAVOR_AUTO] = "auto",
	[FLAVOR_TDX] = "tdx",
	[FLAVOR_SW_PROTECTED] = "sw_protected",
	[FLAVOR_GMEM_SHARED] = "gmem_shared",
	[FLAVOR_ANON] = "anon",
	[FLAVOR_TDX_MODEL] = "tdx_model",
	[FLAVOR_TD_IMAGE] = "td_image",
};

const char *flavor_name(enum seam_flavor f)
{
	return f < NR_FLAVORS ? names[f] : "?";
}

const char *flavor_names(void)
{
	return "auto, tdx, sw_protected, gmem_shared, anon, tdx_model, td_image";
}

bool flavor_parse(const char *name, enum seam_flavor *f)
{
	int i;

	for (i = 0; i < NR_FLAVORS; i++) {
		if (!strcmp(name, names[i])) {
			*f = i;
			return true;
		}
	}
	return false;
}

const char *flavor_unavailable(enum seam_flavor f,
			       const struct seam_host_caps *caps,
			       char *buf, size_t len)
{
	const uint64_t shared_flags = GUEST_MEMFD_FLAG_MMAP |
				      GUEST_MEMFD_FLAG_INIT_SHARED;

	/* The software module needs no KVM at all. */
	if (f == FLAVOR_TDX_MODEL)
		return NULL;
	if (!caps->kvm) {
		snprintf(buf, len, "/dev/kvm cannot be opened: is KVM loaded and enabled?");
		return buf;
	}

	switch (f) {
	case FLAVOR_TDX:
		/* What TD creation needs (docs/tdx-kvm-abi.md §1, §3). */
		if (!(caps->vm_types & (1ULL << KVM_X86_TDX_VM)))
			snprintf(buf, len, "KVM_CAP_VM_TYPES (0x%llx) lacks KVM_X86_TDX_VM",
				 (unsigned long long)caps->vm_types);
		else if (!caps->guest_memfd)
			snprintf(buf, len, "KVM_CAP_GUEST_MEMFD is 0");
		else if (!caps->user_memory2)
			snprintf(buf, len, "KVM_CAP_USER_MEMORY2 is 0");
		else if (!caps->split_irqchip)
			snprintf(buf, len, "KVM_CAP_SPLIT_IRQCHIP is 0");
		else if (!(caps->exit_hypercall & (1ULL << SEAM_KVM_HC_MAP_GPA_RANGE)))
			snprintf(buf, len, "KVM_CAP_EXIT_HYPERCALL (0x%llx) lacks KVM_HC_MAP_GPA_RANGE",
				 (unsigned long long)caps->exit_hypercall);
		else if (!(caps->tdx_mem_attrs & KVM_MEMORY_ATTRIBUTE_PRIVATE))
			snprintf(buf, len, "KVM_CAP_MEMORY_ATTRIBUTES (0x%llx) of a TDX VM lacks KVM_MEMORY_ATTRIBUTE_PRIVATE",
				 (unsigned long long)caps->tdx_mem_attrs);
		else
			return NULL;
		return buf;
	case FLAVOR_SW_PROTECTED:
		if (!(caps->vm_types & (1ULL << KVM_X86_SW_PROTECTED_VM)))
			snprintf(buf, len, "KVM_CAP_VM_TYPES (0x%llx) lacks KVM_X86_SW_PROTECTED_VM",
				 (unsigned long long)caps->vm_types);
		else if (!caps->guest_memfd)
			snprintf(buf, len, "KVM_CAP_GUEST_MEMFD is 0");
		else if (!caps->user_memory2)
			snprintf(buf, len, "KVM_CAP_USER_MEMORY2 is 0");
		else if (!(caps->sw_mem_attrs & KVM_MEMORY_ATTRIBUTE_PRIVATE))
			snprintf(buf, len, "KVM_CAP_MEMORY_ATTRIBUTES (0x%llx) lacks KVM_MEMORY_ATTRIBUTE_PRIVATE",
				 (unsigned long long)caps->sw_mem_attrs);
		else
			return NULL;
		return buf;
	case FLAVOR_GMEM_SHARED:
		if (!caps->guest_memfd)
			snprintf(buf, len, "KVM_CAP_GUEST_MEMFD is 0");
		else if (!caps->user_memory2)
			snprintf(buf, len, "KVM_CAP_USER_MEMORY2 is 0");
		else if ((caps->gmem_flags & shared_flags) != shared_flags)
			snprintf(buf, len, "KVM_CAP_GUEST_MEMFD_FLAGS (0x%llx) lacks GUEST_MEMFD_FLAG_MMAP|GUEST_MEMFD_FLAG_INIT_SHARED",
				 (unsigned long long)caps->gmem_flags);
		else
			return NULL;
		return buf;
	case FLAVOR_ANON:
		return NULL;
	case FLAVOR_TD_IMAGE:
		/*
		 * The TD's page tables map the progress pages with the shared
		 * bit, 47 for the default GPAW 48: the guest must take it as
		 * an address bit, not a reserved one.
		 */
		if (caps->guest_maxphyaddr < TD_GPAW_DEFAULT)
			snprintf(buf, len, "the guest MAXPHYADDR (%u, KVM_GET_SUPPORTED_CPUID 0x80000008) is below the TD's GPAW %u: its shared bit %u would be a reserved bit (QEMU: -cpu max,phys-bits=48)",
				 caps->guest_maxphyaddr, TD_GPAW_DEFAULT, TD_GPAW_DEFAULT - 1);
		else
			return NULL;
		return buf;
	default:
		snprintf(buf, len, "flavor %s is not a concrete flavor", flavor_name(f));
		return buf;
	}
}

enum seam_flavor flavor_pick_auto(const struct seam_host_caps *caps)
{
	static const enum seam_flavor strongest_first[] = {
		FLAVOR_TDX, FLAVOR_SW_PROTECTED, FLAVOR_GMEM_SHARED, FLAVOR_ANON,
	};
	char buf[160];
	size_t i;

	for (i = 0; i < sizeof(strongest_first) / sizeof(strongest_first[0]); i++) {
		if (!flavor_unavailable(strongest_first[i], caps, buf, sizeof(buf)))
			return strongest_first[i];
	}
	return FLAVOR_AUTO;
}

bool flavor_plan(enum seam_flavor f, struct seam_flavor_plan *plan)
{
	memset(plan, 0, sizeof(*plan));
	switch (f) {
	case FLAVOR_TDX:
		/*
		 * All guest memory private, in guest_memfd without flags
		 * (docs/tdx-kvm-abi.md §5).
		 */
		plan->vm_type = KVM_X86_TDX_VM;
		plan->use_gmem = true;
		plan->memslot_flags = KVM_MEM_GUEST_MEMFD;
		plan->set_private = true;
		plan->punch = PUNCH_GMEM_FALLOCATE;
		return true;
	case FLAVOR_SW_PROTECTED:
		/* Private memory lives only in guest_memfd; the host cannot map it. */
		plan->vm_type = KVM_X86_SW_PROTECTED_VM;
		plan->use_gmem = true;
		plan->memslot_flags = KVM_MEM_GUEST_MEMFD;
		plan->set_private = true;
		plan->punch = PUNCH_GMEM_FALLOCATE;
		return true;
	case FLAVOR_GMEM_SHARED:
		/* The host maps the same guest_memfd pages the guest faults in. */
		plan->vm_type = KVM_X86_DEFAULT_VM;
		plan->use_gmem = true;
		plan->gmem_flags = GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED;
		plan->memslot_flags = KVM_MEM_GUEST_MEMFD;
		plan->host_visible = true;
		plan->punch = PUNCH_GMEM_FALLOCATE;
		return true;
	case FLAVOR_ANON:
	case FLAVOR_TD_IMAGE:
		/* td_image: nothing is punched; the boot stops at the first TDCALL. */
		plan->vm_type = KVM_X86_DEFAULT_VM;
		plan->host_visible = true;
		plan->punch = PUNCH_MADV_DONTNEED;
		return true;
	default:
		return false;
	}
}
