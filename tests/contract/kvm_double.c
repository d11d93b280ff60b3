// SPDX-License-Identifier: GPL-2.0
/*
 * The /dev/kvm test double (kvm_double.h).  Each rule cites the section of
 * docs/tdx-kvm-abi.md it comes from, in its message as "abi §N".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "kvm_double.h"
#include "tdx_abi.h"

struct kvm_double kvm_double;

enum fd_kind { FD_NONE, FD_KVM, FD_VM, FD_VCPU, FD_GMEM };

#define MAX_FDS		1024
#define VCPU_MMAP_SIZE	(3 * 4096)
#define SHARED_BIT_48	(1ULL << 47)

static struct {
	enum fd_kind kind;
	uint32_t vcpu_id;
	bool vcpu_initialized;
	struct kvm_cpuid2 *cpuid;	/* what SET_CPUID2 gave */
} fds[MAX_FDS];

int __real_open(const char *path, int flags, ...);

static void violation(const char *fmt, ...)
{
	va_list ap;

	if (kvm_double.nr_violations >= DOUBLE_MAX_VIOLATIONS)
		return;
	va_start(ap, fmt);
	vsnprintf(kvm_double.violation[kvm_double.nr_violations++],
		  sizeof(kvm_double.violation[0]), fmt, ap);
	va_end(ap);
}

static void log_call(const char *what)
{
	if (kvm_double.nr_log < DOUBLE_MAX_LOG)
		snprintf(kvm_double.log[kvm_double.nr_log++], sizeof(kvm_double.log[0]), "%s", what);
}

bool kvm_double_violated(const char *part)
{
	int i;

	for (i = 0; i < kvm_double.nr_violations; i++)
		if (strstr(kvm_double.violation[i], part))
			return true;
	return false;
}

void kvm_double_reset(void)
{
	int i;

	for (i = 0; i < MAX_FDS; i++) {
		free(fds[i].cpuid);
		memset(&fds[i], 0, sizeof(fds[i]));
	}
	memset(&kvm_double, 0, sizeof(kvm_double));
	kvm_double.nr_configurable = 80;	/* > 64: the first CAPABILITIES is -E2BIG */
	kvm_double.supported_attrs = TDX_TD_ATTR_SEPT_VE_DISABLE;	/* docs/tdx-kvm-abi.md §2 */
	kvm_double.present_cpus = 8;
}

/*
 * KVM_MAX_VCPUS of x86 (4096 with CONFIG_MAXSMP); a TD's kvm->max_vcpus
 * is min(that, num_present_cpus()) from tdx_vm_init(), and
 * kvm_vm_ioctl_check_extension() answers kvm->max_vcpus on a VM fd.
 */
#define DOUBLE_KVM_MAX_VCPUS	4096
static int td_max_vcpus(void)
{
	return kvm_double.present_cpus < DOUBLE_KVM_MAX_VCPUS ? kvm_double.present_cpus :
							       DOUBLE_KVM_MAX_VCPUS;
}

bool kvm_double_is_private(uint64_t gpa, uint64_t size)
{
	uint64_t end = gpa + size;
	int i;

	/* Ranges are recorded in order and do not overlap in these tests. */
	while (gpa < end) {
		for (i = 0; i < kvm_double.nr_private; i++) {
			if (gpa >= kvm_double.private_range[i].gpa &&
			    gpa < kvm_double.private_range[i].gpa + kvm_double.private_range[i].size) {
				gpa = kvm_double.private_range[i].gpa + kvm_double.private_range[i].size;
				break;
			}
		}
		if (i == kvm_double.nr_private)
			return false;
	}
	return true;
}

static int new_fd(enum fd_kind kind, size_t size)
{
	int fd = memfd_create("kvm-double", MFD_CLOEXEC);

	if (fd < 0 || fd >= MAX_FDS || ftruncate(fd, size)) {
		violation("double: cannot make an fd");
		return -ENOMEM;
	}
	fds[fd].kind = kind;
	return fd;
}

int __wrap_open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, int);
		va_end(ap);
	}
	if (!strcmp(path, "/dev/kvm"))
		return new_fd(FD_KVM, 0);
	return __real_open(path, flags, mode);
}

/* The recorded host: what KVM_GET_SUPPORTED_CPUID says (a TDX-capable Intel). */
static const struct kvm_cpuid_entry2 supported_cpuid[] = {
	{ .function = 0, .eax = 0x1f, .ebx = 0x756e6547, .ecx = 0x6c65746e, .edx = 0x49656e69 },
	{ .function = 1, .eax = 0x806f8, .ecx = 0xfeda3223, .edx = 0x178bfbff },
	/*
	 * Indexed leaves, each sub-leaf flagged and with bits of its own, so
	 * that one sub-leaf's values in another's slot show.
	 */
	{ .function = 4, .index = 0, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX, .eax = 0x100 },
	{ .function = 4, .index = 1, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX, .eax = 0x200 },
	{ .function = 4, .index = 2, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX, .eax = 0x400 },
	{ .function = 4, .index = 3, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX, .eax = 0x800 },
	{ .function = 7, .index = 0, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX, .eax = 1,
	  .ebx = 0xf3bfbfff | (1u << 4) | (1u << 11), .ecx = 0x1b5fbfee | (1u << 5), .edx = 0xfc1c4432 },
	{ .function = 7, .index = 1, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX, .eax = 0x10 << 16 },
	{ .function = 0xd, .index = 0, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX, .eax = 0x2e7 },
	{ .function = 0xd, .index = 1, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX, .eax = 0x1f << 8 },
	{ .function = 0x80000000, .eax = 0x80000008 },
	{ .function = 0x80000001, .ecx = 0x121, .edx = 0x2c100800 },
	/* MAXPHYADDR 46, linear 57; GuestPhysBits 0 (no TDP reported here). */
	{ .function = 0x80000008, .eax = 0x392e },
};

static int get_supported_cpuid(struct kvm_cpuid2 *c)
{
	int n = sizeof(supported_cpuid) / sizeof(supported_cpuid[0]);

	if (c->nent < (uint32_t)n) {
		c->nent = n;
		return -E2BIG;
	}
	c->nent = n;
	memcpy(c->entries, supported_cpuid, sizeof(supported_cpuid));
	return 0;
}

/* Leaves with sub-leaves, as a TDX module lists them one by one. */
static bool indexed(uint32_t function)
{
	return function == 4 || function == 7 || function == 0xd || function == 0x14;
}

/*
 * Configurable leaves (KVM_TDX_CAPABILITIES.cpuid) as real KVM reports
 * them: td_init_cpuid_entry2() (arch/x86/kvm/vmx/tdx.c) sets no flags and
 * turns the module's "no sub-leaf" into index 0; each sub-leaf is its own
 * entry, with a mask of its own (docs/tdx-kvm-abi.md §3.5).
 */
static void fill_configurable(struct kvm_cpuid2 *c)
{
	int i;

	for (i = 0; i < kvm_double.nr_configurable; i++) {
		struct kvm_cpuid_entry2 *e = &c->entries[i];

		memset(e, 0, sizeof(*e));
		/* Leaves 0x1..0x10 (four slots each) and 0x80000001..0x8000000x. */
		if (i < 64) {
			e->function = 1 + i / 4;
			e->index = i % 4;
			if (e->index && !indexed(e->function))
				e->function = 0x40 + i;	/* unused leaves fill the table */
		} else {
			e->function = 0x80000001 + (i - 64);
		}
		e->eax = e->ebx = e->ecx = e->edx = 0xffffffff;
		/* Leaf 4: each sub-leaf may set only its own bit of EAX. */
		if (e->function == 4)
			e->eax = 0x100 << e->index;
		/*
		 * KVM reports the GPAW byte configurable, TSX and WAITPKG not
		 * (docs/tdx-kvm-abi.md §3.5).
		 */
		if (e->function == 7 && e->index == 0) {
			e->ebx &= ~((1u << 4) | (1u << 11));
			e->ecx &= ~(1u << 5);
		}
	}
}

/*
 * The entry KVM takes from userspace's list for (@function, @index): the
 * first of the function whose flags say its index does not matter, or whose
 * index is it (cpuid_entry2_find(), arch/x86/kvm/cpuid.c).
 */
static const struct kvm_cpuid_entry2 *kvm_cpuid_lookup(const struct kvm_cpuid2 *c,
						       uint32_t function, uint32_t index)
{
	uint32_t i;

	for (i = 0; i < c->nent; i++)
		if (c->entries[i].function == function &&
		    (!(c->entries[i].flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) ||
		     c->entries[i].index == index))
			return &c->entries[i];
	return NULL;
}

/* A configurable (function, index): the pair, since real KVM flags nothing. */
static bool leaf_configurable(const struct kvm_cpuid_entry2 *e)
{
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + 256 * sizeof(c->entries[0]));
	bool found = false;
	int i;

	fill_configurable(c);
	for (i = 0; i < kvm_double.nr_configurable && !found; i++)
		found = c->entries[i].function == e->function && c->entries[i].index == e->index;
	free(c);
	return found;
}

/*
 * What TDH.MNG.INIT checks of the values KVM copies in: for each
 * configurable slot, the entry KVM looked up for it may set only that
 * slot's configurable bits; NULL, or the first slot that fails.
 */
static const struct kvm_cpuid_entry2 *slot_rejected(const struct kvm_cpuid2 *user)
{
	static struct kvm_cpuid_entry2 bad;
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + 256 * sizeof(c->entries[0]));
	const struct kvm_cpuid_entry2 *cfg, *u;
	bool rejected = false;
	int i;

	fill_configurable(c);
	for (i = 0; i < kvm_double.nr_configurable && !rejected; i++) {
		cfg = &c->entries[i];
		u = kvm_cpuid_lookup(user, cfg->function, cfg->index);
		rejected = u && ((u->eax & ~cfg->eax) || (u->ebx & ~cfg->ebx) ||
				 (u->ecx & ~cfg->ecx) || (u->edx & ~cfg->edx));
		if (rejected)
			bad = *cfg;
	}
	free(c);
	return rejected ? &bad : NULL;
}

/* An injected failure fires once. */
static int injected(uint32_t id, struct kvm_tdx_cmd *cmd)
{
	int err = kvm_double.inject_errno;

	if (!err || kvm_double.inject_cmd != (int)id)
		return 0;
	kvm_double.inject_errno = 0;
	cmd->hw_error = kvm_double.inject_hw_error;
	return -err;
}

static int tdx_vm_op(struct kvm_tdx_cmd *cmd)
{
	struct kvm_tdx_capabilities *caps;
	struct kvm_tdx_init_vm *init;
	const struct kvm_cpuid_entry2 *bad_slot;
	uint32_t i, gpaw = 0;
	int r;

	if (cmd->hw_error)
		return violation("kvm_tdx_cmd.hw_error must be 0 on input (abi §2)"), -EINVAL;
	if ((r = injected(cmd->id, cmd)))
		return r;

	switch (cmd->id) {
	case KVM_TDX_CAPABILITIES:
		log_call("KVM_TDX_CAPABILITIES");
		caps = (void *)cmd->data;
		if (cmd->flags)
			return violation("CAPABILITIES flags must be 0 (abi §3.5)"), -EINVAL;
		if (caps->cpuid.nent < (uint32_t)kvm_double.nr_configurable) {
			caps->cpuid.nent = kvm_double.nr_configurable;
			return -E2BIG;
		}
		caps->supported_attrs = kvm_double.supported_attrs;
		caps->supported_xfam = 0x6db;
		caps->cpuid.nent = kvm_double.nr_configurable;
		fill_configurable(&caps->cpuid);
		return 0;

	case KVM_TDX_INIT_VM:
		log_call("KVM_TDX_INIT_VM");
		init = (void *)cmd->data;
		if (kvm_double.vcpus_created)
			return violation("INIT_VM after a vCPU was created (abi §3.6: -EBUSY)"), -EBUSY;
		if (kvm_double.init_vm_done)
			return violation("INIT_VM twice (abi §3.6)"), -EINVAL;
		if (init->attributes & ~kvm_double.supported_attrs)
			return violation("attributes 0x%llx not within supported_attrs (abi §3.6)",
					 (unsigned long long)init->attributes), -EINVAL;
		for (i = 0; i < 12; i++)
			if (init->reserved[i])
				return violation("kvm_tdx_init_vm.reserved must be 0 (abi §2)"), -EINVAL;
		if (init->cpuid.nent > 256 || init->cpuid.padding)
			return violation("INIT_VM cpuid nent %u > 256 or padding set (abi §2)",
					 init->cpuid.nent), -EINVAL;
		for (i = 0; i < init->cpuid.nent; i++) {
			const struct kvm_cpuid_entry2 *e = &init->cpuid.entries[i];

			if (!leaf_configurable(e))
				return violation("INIT_VM CPUID leaf 0x%x.%u is not configurable (abi §3.6)",
						 e->function, e->index), -EINVAL;
			if (e->function == 7 && e->index == 0 &&
			    ((e->ebx & ((1u << 4) | (1u << 11))) || (e->ecx & (1u << 5))))
				return violation("INIT_VM CPUID sets TSX or WAITPKG (abi §3.6)"), -EINVAL;
			if (e->function == 0x80000008)
				gpaw = (e->eax >> 16) & 0xff;
		}
		bad_slot = slot_rejected(&init->cpuid);
		if (bad_slot) {
			cmd->hw_error = TDX_OPERAND_INVALID;
			return violation("INIT_VM CPUID slot 0x%x.%u gets bits it cannot configure: KVM took another sub-leaf's entry (its flags lack SIGNIFCANT_INDEX; abi §3.6)",
					 bad_slot->function, bad_slot->index), -EINVAL;
		}
		if (gpaw != 48 && gpaw != 52) {
			cmd->hw_error = TDX_OPERAND_INVALID;
			return violation("INIT_VM GPAW %u: 0x80000008.EAX[23:16] must be 48 or 52 (abi §3.6)",
					 gpaw), -EINVAL;
		}
		kvm_double.init_vm_gpaw = gpaw;
		kvm_double.init_vm_attributes = init->attributes;
		kvm_double.init_vm_done = true;
		return 0;

	case KVM_TDX_FINALIZE_VM:
		log_call("KVM_TDX_FINALIZE_VM");
		if (kvm_double.finalized)
			return violation("FINALIZE twice (abi §3.9)"), -EINVAL;
		if (kvm_double.vcpus_initialized != kvm_double.vcpus_created ||
		    !kvm_double.vcpus_created)
			return violation("FINALIZE with %d of %d vCPUs initialized (abi §3.9-§3.10)",
					 kvm_double.vcpus_initialized, kvm_double.vcpus_created), -EINVAL;
		if (!kvm_double.nr_init_regions)
			return violation("FINALIZE with no INIT_MEM_REGION: nothing to boot (abi §3.8)"),
			       -EINVAL;
		kvm_double.finalized = true;
		return 0;
	default:
		return violation("TDX command %u on a VM fd (abi §1 table)", cmd->id), -EINVAL;
	}
}

static int tdx_vcpu_op(int fd, struct kvm_tdx_cmd *cmd)
{
	struct kvm_tdx_init_mem_region *reg;
	struct kvm_cpuid2 *c;
	char what[48];
	int r;

	if (cmd->hw_error)
		return violation("kvm_tdx_cmd.hw_error must be 0 on input (abi §2)"), -EINVAL;
	/* After FINALIZE every vCPU sub-command is -EINVAL (docs/tdx-kvm-abi.md §3). */
	if (kvm_double.finalized)
		return violation("TDX vCPU command %u after FINALIZE (abi §3)", cmd->id), -EINVAL;
	if ((r = injected(cmd->id, cmd)))
		return r;

	switch (cmd->id) {
	case KVM_TDX_GET_CPUID:
		log_call("KVM_TDX_GET_CPUID");
		c = (void *)cmd->data;
		if (c->nent < 8) {
			c->nent = 8;
			return -E2BIG;
		}
		c->nent = 8;
		memcpy(c->entries, supported_cpuid, sizeof(supported_cpuid));
		memset(&c->entries[7], 0, sizeof(c->entries[7]));
		c->entries[7].function = 0x21;
		return 0;

	case KVM_TDX_INIT_VCPU:
		snprintf(what, sizeof(what), "KVM_TDX_INIT_VCPU %u", fds[fd].vcpu_id);
		log_call(what);
		if (fds[fd].vcpu_initialized)
			return violation("INIT_VCPU twice for vCPU %u", fds[fd].vcpu_id), -EINVAL;
		/*
		 * RSI = VCPU_INDEX = INIT order; the trampoline indexes by it
		 * (docs/tdx-kvm-abi.md §8.4).
		 */
		if (fds[fd].vcpu_id != (uint32_t)kvm_double.vcpus_initialized)
			return violation("INIT_VCPU of vCPU %u when %d were initialized: not in id order (abi §8)",
					 fds[fd].vcpu_id, kvm_double.vcpus_initialized), -EINVAL;
		if (!fds[fd].cpuid)
			violation("INIT_VCPU of vCPU %u before KVM_SET_CPUID2 (abi §3.7, selftests order)",
				  fds[fd].vcpu_id);
		fds[fd].vcpu_initialized = true;
		kvm_double.vcpus_initialized++;
		return 0;

	case KVM_TDX_INIT_MEM_REGION:
		log_call("KVM_TDX_INIT_MEM_REGION");
		reg = (void *)cmd->data;
		if (!fds[fd].vcpu_initialized)
			return violation("INIT_MEM_REGION on a vCPU not INIT_VCPU'd (abi §5)"), -EINVAL;
		if (kvm_double.vcpus_initialized != kvm_double.vcpus_created)
			violation("INIT_MEM_REGION before every vCPU was initialized (abi §3.8)");
		if (cmd->flags & ~KVM_TDX_MEASURE_MEMORY_REGION)
			return violation("INIT_MEM_REGION flags 0x%x (abi §1)", cmd->flags), -EINVAL;
		if (!reg->nr_pages || (reg->gpa & 0xfff) || (reg->source_addr & 0xfff))
			return violation("INIT_MEM_REGION gpa 0x%llx src 0x%llx pages %llu: page-aligned, > 0 (abi §5)",
					 (unsigned long long)reg->gpa, (unsigned long long)reg->source_addr,
					 (unsigned long long)reg->nr_pages), -EINVAL;
		if (reg->gpa & SHARED_BIT_48)
			return violation("INIT_MEM_REGION gpa 0x%llx has the shared bit (abi §5)",
					 (unsigned long long)reg->gpa), -EINVAL;
		if (!kvm_double_is_private(reg->gpa, reg->nr_pages * 4096))
			return violation("INIT_MEM_REGION [0x%llx, +%llu pages) not all PRIVATE (abi §5)",
					 (unsigned long long)reg->gpa, (unsigned long long)reg->nr_pages),
			       -EINVAL;
		if (kvm_double.nr_init_regions < 16) {
			kvm_double.init_region[kvm_double.nr_init_regions].gpa = reg->gpa;
			kvm_double.init_region[kvm_double.nr_init_regions++].nr_pages = reg->nr_pages;
		}
		/* KVM reports progress back: all done. */
		reg->gpa += reg->nr_pages * 4096;
		reg->source_addr += reg->nr_pages * 4096;
		reg->nr_pages = 0;
		return 0;
	default:
		return violation("TDX command %u on a vCPU fd (abi §1 table)", cmd->id), -EINVAL;
	}
}

static int kvm_fd_op(unsigned long req, unsigned long arg)
{
	switch (req) {
	case KVM_GET_API_VERSION:
		return KVM_API_VERSION;
	case KVM_CHECK_EXTENSION:
		switch (arg) {
		case KVM_CAP_VM_TYPES:
			return 1 << KVM_X86_DEFAULT_VM | 1 << KVM_X86_TDX_VM;
		case KVM_CAP_IMMEDIATE_EXIT:
		case KVM_CAP_GUEST_MEMFD:
		case KVM_CAP_USER_MEMORY2:
		case KVM_CAP_SPLIT_IRQCHIP:
			return 1;
		case KVM_CAP_EXIT_HYPERCALL:
			return 1 << SEAM_KVM_HC_MAP_GPA_RANGE;
		case KVM_CAP_MAX_VCPUS:
			return DOUBLE_KVM_MAX_VCPUS;
		default:
			return 0;
		}
	case KVM_GET_VCPU_MMAP_SIZE:
		return VCPU_MMAP_SIZE;
	case KVM_GET_SUPPORTED_CPUID:
		return get_supported_cpuid((void *)arg);
	case KVM_CREATE_VM:
		log_call("KVM_CREATE_VM");
		if (arg != KVM_X86_TDX_VM)
			violation("KVM_CREATE_VM type %lu, want KVM_X86_TDX_VM (abi §3.2)", arg);
		return new_fd(FD_VM, 0);
	default:
		violation("unexpected /dev/kvm ioctl 0x%lx", req);
		return -ENOTTY;
	}
}

static int vm_fd_op(unsigned long req, unsigned long arg)
{
	struct kvm_userspace_memory_region2 *mr;
	struct kvm_create_guest_memfd *gm;
	struct kvm_memory_attributes *ma;
	struct kvm_enable_cap *cap;
	int fd;

	switch (req) {
	case KVM_CHECK_EXTENSION:
		if (arg == KVM_CAP_MEMORY_ATTRIBUTES)
			return KVM_MEMORY_ATTRIBUTE_PRIVATE;
		if (arg == KVM_CAP_MAX_VCPUS)
			return td_max_vcpus();
		return kvm_fd_op(req, arg);
	case KVM_ENABLE_CAP:
		cap = (void *)arg;
		if (cap->cap == KVM_CAP_SPLIT_IRQCHIP) {
			log_call("KVM_ENABLE_CAP(SPLIT_IRQCHIP)");
			if (cap->args[0] != 24)
				violation("split irqchip with %llu pins, selftests use 24 (abi §3.3)",
					  (unsigned long long)cap->args[0]);
			kvm_double.split_irqchip = true;
			return 0;
		}
		if (cap->cap == KVM_CAP_EXIT_HYPERCALL) {
			log_call("KVM_ENABLE_CAP(EXIT_HYPERCALL)");
			kvm_double.exit_hypercall = cap->args[0];
			return 0;
		}
		violation("KVM_ENABLE_CAP %u on a TD", cap->cap);
		return -EINVAL;
	case KVM_CREATE_IRQCHIP:
		return violation("KVM_CREATE_IRQCHIP on a TD: rejected since 6.18, use split (abi §3.3)"),
		       -EINVAL;
	case KVM_MEMORY_ENCRYPT_OP:
		return tdx_vm_op((void *)arg);
	case KVM_CREATE_VCPU:
		log_call("KVM_CREATE_VCPU");
		if (!kvm_double.init_vm_done)
			return violation("KVM_CREATE_VCPU before KVM_TDX_INIT_VM (abi §3.7: -EIO)"), -EIO;
		if (!kvm_double.split_irqchip)
			return violation("KVM_CREATE_VCPU without a split irqchip (abi §3.3: -EINVAL)"), -EINVAL;
		if (kvm_double.finalized)
			return violation("KVM_CREATE_VCPU after FINALIZE (abi §3)"), -EINVAL;
		/* kvm_vm_ioctl_create_vcpu(): created_vcpus >= max_vcpus. */
		if (kvm_double.vcpus_created >= td_max_vcpus())
			return violation("KVM_CREATE_VCPU beyond KVM_CAP_MAX_VCPUS (%d)", td_max_vcpus()),
			       -EINVAL;
		fd = new_fd(FD_VCPU, VCPU_MMAP_SIZE);
		if (fd >= 0) {
			fds[fd].vcpu_id = arg;
			kvm_double.vcpus_created++;
		}
		return fd;
	case KVM_CREATE_GUEST_MEMFD:
		gm = (void *)arg;
		log_call("KVM_CREATE_GUEST_MEMFD");
		/* INIT_SHARED is not offered to private-memory VMs (docs/tdx-kvm-abi.md §1). */
		if (gm->flags & GUEST_MEMFD_FLAG_INIT_SHARED)
			return violation("guest_memfd flags 0x%llx for a TD (abi §1)",
					 (unsigned long long)gm->flags), -EINVAL;
		return new_fd(FD_GMEM, gm->size);
	case KVM_SET_USER_MEMORY_REGION2:
		mr = (void *)arg;
		log_call("KVM_SET_USER_MEMORY_REGION2");
		if (!mr->memory_size)
			return 0;	/* deletion */
		if (!(mr->flags & KVM_MEM_GUEST_MEMFD) || mr->guest_memfd >= MAX_FDS ||
		    fds[mr->guest_memfd].kind != FD_GMEM)
			return violation("memslot %u of a TD without guest_memfd (abi §5)", mr->slot),
			       -EINVAL;
		if (mr->guest_phys_addr & SHARED_BIT_48)
			return violation("memslot %u at a shared GPA (abi §3.6)", mr->slot), -EINVAL;
		return 0;
	case KVM_SET_USER_MEMORY_REGION:
		return violation("KVM_SET_USER_MEMORY_REGION (v1) for a TD: no guest_memfd (abi §5)"),
		       -EINVAL;
	case KVM_SET_MEMORY_ATTRIBUTES:
		ma = (void *)arg;
		if (ma->attributes & ~KVM_MEMORY_ATTRIBUTE_PRIVATE || ma->flags)
			return violation("attributes 0x%llx flags 0x%llx", (unsigned long long)ma->attributes,
					 (unsigned long long)ma->flags), -EINVAL;
		if (ma->attributes && kvm_double.nr_private < 64) {
			kvm_double.private_range[kvm_double.nr_private].gpa = ma->address;
			kvm_double.private_range[kvm_double.nr_private++].size = ma->size;
		}
		return 0;
	default:
		violation("unexpected VM ioctl 0x%lx", req);
		return -ENOTTY;
	}
}

static int vcpu_fd_op(int fd, unsigned long req, unsigned long arg)
{
	struct kvm_cpuid2 *c = (void *)arg;
	size_t size;

	switch (req) {
	case KVM_MEMORY_ENCRYPT_OP:
		return tdx_vcpu_op(fd, (void *)arg);
	case KVM_SET_CPUID2:
		log_call("KVM_SET_CPUID2");
		if (kvm_double.finalized)
			return violation("KVM_SET_CPUID2 after FINALIZE"), -EINVAL;
		size = sizeof(*c) + c->nent * sizeof(c->entries[0]);
		free(fds[fd].cpuid);
		fds[fd].cpuid = malloc(size);
		memcpy(fds[fd].cpuid, c, size);
		return 0;
	case KVM_GET_CPUID2:
		if (!fds[fd].cpuid)
			return -EINVAL;
		size = sizeof(*c) + fds[fd].cpuid->nent * sizeof(c->entries[0]);
		memcpy(c, fds[fd].cpuid, size);
		return 0;
	/* Protected state: no register access on a TD vCPU (docs/tdx-kvm-abi.md §4). */
	case KVM_GET_REGS:
	case KVM_SET_REGS:
	case KVM_GET_SREGS:
	case KVM_SET_SREGS:
	case KVM_GET_FPU:
	case KVM_SET_FPU:
	case KVM_GET_XSAVE:
	case KVM_SET_XSAVE:
	case KVM_GET_XCRS:
	case KVM_SET_XCRS:
	case KVM_GET_DEBUGREGS:
	case KVM_SET_DEBUGREGS:
		return violation("register ioctl 0x%lx on TD vCPU %u: protected state (abi §4)",
				 req, fds[fd].vcpu_id), -EINVAL;
	case KVM_RUN:
		if (!kvm_double.finalized || !fds[fd].vcpu_initialized)
			return violation("KVM_RUN before FINALIZE/INIT_VCPU (abi §3.10)"), -EINVAL;
		return -EINTR;
	default:
		violation("unexpected vCPU ioctl 0x%lx", req);
		return -ENOTTY;
	}
}

int __real_close(int fd);

/* A closed fd number may come back as a real file: forget it. */
int __wrap_close(int fd)
{
	if (fd >= 0 && fd < MAX_FDS) {
		free(fds[fd].cpuid);
		memset(&fds[fd], 0, sizeof(fds[fd]));
	}
	return __real_close(fd);
}

int __wrap_ioctl(int fd, unsigned long req, ...)
{
	unsigned long arg;
	va_list ap;
	int r;

	va_start(ap, req);
	arg = va_arg(ap, unsigned long);
	va_end(ap);

	if (fd < 0 || fd >= MAX_FDS || fds[fd].kind == FD_NONE)
		return __real_ioctl(fd, req, arg);

	switch (fds[fd].kind) {
	case FD_KVM:
		r = kvm_fd_op(req, arg);
		break;
	case FD_VM:
		r = vm_fd_op(req, arg);
		break;
	case FD_VCPU:
		r = vcpu_fd_op(fd, req, arg);
		break;
	default:
		violation("ioctl 0x%lx on a guest_memfd", req);
		r = -ENOTTY;
	}
	if (r < 0) {
		errno = -r;
		return -1;
	}
	return r;
}
