/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flavors: how a stress VM is built on a given host (docs/design.md §3).
 * Everything here is pure: it decides from a recorded set of capabilities,
 * so flavor selection is unit-tested against capability sets of hosts that
 * are not this one.
 */
#ifndef SEAMSTRESS_FLAVOR_H
#define SEAMSTRESS_FLAVOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum seam_flavor {
	FLAVOR_AUTO,
	FLAVOR_TDX,
	FLAVOR_SW_PROTECTED,
	FLAVOR_GMEM_SHARED,
	FLAVOR_ANON,
	FLAVOR_TDX_MODEL,
	/*
	 * The tdx flavor's image booted in an ordinary VM at a TD vCPU's
	 * initial state: a boot test of the image, not a stress run
	 * (lib/run/td_image_boot.c).  Never picked by auto.
	 */
	FLAVOR_TD_IMAGE,
	NR_FLAVORS,
};

/* What the host offers, as KVM_CHECK_EXTENSION answered. */
struct seam_host_caps {
	bool kvm;			/* /dev/kvm opened */
	uint64_t vm_types;		/* KVM_CAP_VM_TYPES */
	uint64_t guest_memfd;		/* KVM_CAP_GUEST_MEMFD */
	uint64_t gmem_flags;		/* KVM_CAP_GUEST_MEMFD_FLAGS */
	uint64_t user_memory2;		/* KVM_CAP_USER_MEMORY2 */
	uint64_t sw_mem_attrs;		/* KVM_CAP_MEMORY_ATTRIBUTES on a SW_PROTECTED VM */
	uint64_t exit_hypercall;	/* KVM_CAP_EXIT_HYPERCALL */
	uint64_t split_irqchip;		/* KVM_CAP_SPLIT_IRQCHIP */
	uint64_t tdx_mem_attrs;		/* KVM_CAP_MEMORY_ATTRIBUTES on a TDX VM */
	uint32_t guest_maxphyaddr;	/* KVM_GET_SUPPORTED_CPUID 0x80000008 EAX[7:0] */
};

/* How a flavor backs and punches the contended region. */
enum seam_punch_method {
	PUNCH_GMEM_FALLOCATE,	/* fallocate(PUNCH_HOLE|KEEP_SIZE) on guest_memfd */
	PUNCH_MADV_DONTNEED,	/* madvise(MADV_DONTNEED) on the host mapping */
};

struct seam_flavor_plan {
	uint32_t vm_type;
	bool use_gmem;
	uint64_t gmem_flags;	/* KVM_CREATE_GUEST_MEMFD flags */
	uint32_t memslot_flags;
	bool set_private;	/* KVM_SET_MEMORY_ATTRIBUTES(PRIVATE) on the region */
	bool host_visible;	/* the host can read the region through a mapping */
	enum seam_punch_method punch;
};

const char *flavor_name(enum seam_flavor f);
/* Returns false for an unknown name. */
bool flavor_parse(const char *name, enum seam_flavor *f);
/* "auto, tdx, sw_protected, gmem_shared, anon, tdx_model, td_image" */
const char *flavor_names(void);

/*
 * NULL when @f can run on a host with @caps, else the reason it cannot,
 * naming the missing capability, written into @buf.
 */
const char *flavor_unavailable(enum seam_flavor f,
			       const struct seam_host_caps *caps,
			       char *buf, size_t len);

/* The strongest flavor @caps supports; FLAVOR_AUTO if none does. */
enum seam_flavor flavor_pick_auto(const struct seam_host_caps *caps);

/* The setup @f uses; @f must be a concrete, implemented flavor. */
bool flavor_plan(enum seam_flavor f, struct seam_flavor_plan *plan);

#endif /* SEAMSTRESS_FLAVOR_H */
