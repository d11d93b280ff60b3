// SPDX-License-Identifier: GPL-2.0
/*
 * Stress VMs per flavor (DESIGN.md "Flavors"): VM type, how the contended
 * region is backed and mapped, and how a hole is punched in it.  The tdx
 * flavor's TD creation is its own issue; until then it SKIPs by name.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "guest_code.h"
#include "stress_vm.h"
#include "tdx_abi.h"

void host_caps_probe(struct seam_host_caps *caps)
{
	struct kvm_vm *vm;
	int fd;

	memset(caps, 0, sizeof(*caps));
	fd = open(KVM_DEV_PATH, O_RDWR);
	if (fd < 0)
		return;
	close(fd);

	caps->kvm = true;
	caps->vm_types = kvm_check_cap(KVM_CAP_VM_TYPES);
	caps->guest_memfd = kvm_check_cap(KVM_CAP_GUEST_MEMFD);
	caps->gmem_flags = kvm_check_cap(KVM_CAP_GUEST_MEMFD_FLAGS);
	caps->user_memory2 = kvm_check_cap(KVM_CAP_USER_MEMORY2);
	caps->exit_hypercall = kvm_check_cap(KVM_CAP_EXIT_HYPERCALL);

	/* Memory attributes are per VM type: ask a SW_PROTECTED VM itself. */
	if (caps->vm_types & BIT(KVM_X86_SW_PROTECTED_VM)) {
		vm = vm_create_barebones_type(KVM_X86_SW_PROTECTED_VM);
		caps->sw_mem_attrs = vm_check_cap(vm, KVM_CAP_MEMORY_ATTRIBUTES);
		kvm_vm_free(vm);
	}
}

enum seam_flavor stress_flavor_resolve(enum seam_flavor want, char *reason,
				       size_t len)
{
	struct seam_host_caps caps;
	enum seam_flavor f;

	host_caps_probe(&caps);
	if (want != FLAVOR_AUTO)
		return flavor_unavailable(want, &caps, reason, len) ? FLAVOR_AUTO : want;

	f = flavor_pick_auto(&caps);
	if (f == FLAVOR_AUTO)
		flavor_unavailable(FLAVOR_ANON, &caps, reason, len);
	return f;
}

/* guest_memfd that the host maps too: the gmem_shared flavor. */
static void region_add_gmem_shared(struct stress_vm *svm)
{
	struct kvm_vm *vm = svm->vm;

	svm->gmem_fd = vm_create_guest_memfd(vm, svm->region_size,
					     svm->plan.gmem_flags);
	svm->region_hva = mmap(NULL, svm->region_size, PROT_READ | PROT_WRITE,
			       MAP_SHARED, svm->gmem_fd, 0);
	TEST_ASSERT(svm->region_hva != MAP_FAILED,
		    "mmap() of a %lu-byte guest_memfd created with flags 0x%lx failed",
		    svm->region_size, svm->plan.gmem_flags);
	vm_set_user_memory_region2(vm, SEAM_REGION_SLOT, svm->plan.memslot_flags,
				   svm->region_gpa, svm->region_size,
				   svm->region_hva, svm->gmem_fd, 0);
}

/* Private guest_memfd the host cannot map: the sw_protected flavor. */
static void region_add_gmem_private(struct stress_vm *svm)
{
	struct kvm_vm *vm = svm->vm;

	vm_mem_add(vm, VM_MEM_SRC_ANONYMOUS, svm->region_gpa, SEAM_REGION_SLOT,
		   svm->nr_pages, svm->plan.memslot_flags, -1, 0);
	svm->gmem_fd = memslot2region(vm, SEAM_REGION_SLOT)->region.guest_memfd;
	svm->gmem_offset = memslot2region(vm, SEAM_REGION_SLOT)->region.guest_memfd_offset;
	svm->shared_hva = addr_gpa2hva(vm, svm->region_gpa);
	if (svm->plan.set_private)
		vm_mem_set_private(vm, svm->region_gpa, svm->region_size);
}

static void region_add_anon(struct stress_vm *svm)
{
	vm_userspace_mem_region_add(svm->vm, VM_MEM_SRC_ANONYMOUS, svm->region_gpa,
				    SEAM_REGION_SLOT, svm->nr_pages, 0);
	svm->region_hva = addr_gpa2hva(svm->vm, svm->region_gpa);
}

struct stress_vm *stress_vm_create(enum seam_flavor flavor, uint32_t nr_vcpus,
				   uint64_t nr_pages, uint64_t extra_pages,
				   void *guest_code)
{
	struct stress_vm *svm = calloc(1, sizeof(*svm));
	struct vm_shape shape = { .mode = VM_MODE_DEFAULT };
	/* One page-table page maps 512 pages; a few more for upper levels. */
	uint64_t pt_pages = nr_pages / 512 + 8;

	TEST_ASSERT(svm, "calloc(stress_vm) failed");
	TEST_ASSERT(flavor_plan(flavor, &svm->plan),
		    "flavor %s has no setup plan in this build", flavor_name(flavor));
	TEST_ASSERT(nr_vcpus >= 1 && nr_vcpus <= SEAM_MAX_VCPUS,
		    "%u vCPUs requested, the slot layout allows 1..%llu",
		    nr_vcpus, (unsigned long long)SEAM_MAX_VCPUS);

	svm->flavor = flavor;
	svm->nr_vcpus = nr_vcpus;
	svm->nr_pages = nr_pages;
	svm->region_gpa = SEAM_REGION_GPA;
	svm->region_size = nr_pages * SEAM_PAGE_SIZE;
	svm->gmem_fd = -1;

	shape.type = svm->plan.vm_type;
	svm->vm = __vm_create_with_vcpus(shape, nr_vcpus, extra_pages + pt_pages,
					 guest_code, svm->vcpus);

	if (svm->plan.use_gmem && svm->plan.host_visible)
		region_add_gmem_shared(svm);
	else if (svm->plan.use_gmem)
		region_add_gmem_private(svm);
	else
		region_add_anon(svm);

	virt_map(svm->vm, svm->region_gpa, svm->region_gpa, nr_pages);
	svm->progress = addr_gva2hva(svm->vm, (vm_vaddr_t)seam_progress);
	return svm;
}

void stress_vm_destroy(struct stress_vm *svm)
{
	bool own_gmem;

	if (!svm)
		return;
	own_gmem = svm->plan.use_gmem && svm->plan.host_visible;
	kvm_vm_free(svm->vm);
	/* The library owns sw_protected's guest_memfd; ours is the shared one. */
	if (own_gmem) {
		munmap(svm->region_hva, svm->region_size);
		close(svm->gmem_fd);
	}
	free(svm);
}

int stress_vm_punch(struct stress_vm *svm, uint64_t offset, uint64_t len)
{
	int r;

	switch (svm->plan.punch) {
	case PUNCH_GMEM_FALLOCATE:
		r = fallocate(svm->gmem_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			      svm->gmem_offset + offset, len);
		break;
	case PUNCH_MADV_DONTNEED:
		r = madvise(svm->region_hva + offset, len, MADV_DONTNEED);
		break;
	default:
		return -EINVAL;
	}
	return r ? -errno : 0;
}

int stress_vm_convert(struct stress_vm *svm, uint64_t offset, uint64_t len)
{
	uint64_t gpa = svm->region_gpa + offset;
	int r;

	if (!svm->plan.set_private)
		return -EOPNOTSUPP;
	vm_mem_set_shared(svm->vm, gpa, len);
	r = madvise(svm->shared_hva + offset, len, MADV_DONTNEED);
	if (!r)
		r = stress_vm_punch(svm, offset, len);
	vm_mem_set_private(svm->vm, gpa, len);
	return r < 0 ? (r == -1 ? -errno : r) : 0;
}
