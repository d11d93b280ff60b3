// SPDX-License-Identifier: GPL-2.0
/*
 * Stress VMs per flavor (docs/design.md §3): VM type, how the contended
 * region is backed and mapped, how a hole is punched in it, and how a vCPU
 * exit becomes a guest message.  The TD is built in two steps: creation
 * here, finalization (boot block, measured image) once the test has written
 * the guest's data, because a TD's private memory is sealed after that.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "guest_code.h"
#include "processor.h"
#include "stress_vm.h"
#include "td_boot.h"
#include "td_create.h"
#include "td_exit.h"
#include "tdx_abi.h"

static const struct td_params td_params_default = {
	.gpaw = TD_GPAW_DEFAULT,
	.attributes = TDX_TD_ATTR_SEPT_VE_DISABLE,
};

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
	caps->split_irqchip = kvm_check_cap(KVM_CAP_SPLIT_IRQCHIP);
	caps->guest_maxphyaddr = kvm_cpu_property(X86_PROPERTY_MAX_PHY_ADDR);

	/* Memory attributes are per VM type: ask a SW_PROTECTED VM itself. */
	if (caps->vm_types & BIT(KVM_X86_SW_PROTECTED_VM)) {
		vm = vm_create_barebones_type(KVM_X86_SW_PROTECTED_VM);
		caps->sw_mem_attrs = vm_check_cap(vm, KVM_CAP_MEMORY_ATTRIBUTES);
		kvm_vm_free(vm);
	}
	if (caps->vm_types & BIT(KVM_X86_TDX_VM)) {
		vm = vm_create_barebones_type(KVM_X86_TDX_VM);
		caps->tdx_mem_attrs = vm_check_cap(vm, KVM_CAP_MEMORY_ATTRIBUTES);
		kvm_vm_free(vm);
	}
}

enum seam_flavor stress_flavor_resolve(enum seam_flavor want, char *reason,
				       size_t len)
{
	struct seam_host_caps caps;
	enum seam_flavor f;

	if (want == FLAVOR_TDX_MODEL)
		return want;
	host_caps_probe(&caps);
	if (want != FLAVOR_AUTO)
		return flavor_unavailable(want, &caps, reason, len) ? FLAVOR_AUTO : want;

	f = flavor_pick_auto(&caps);
	if (f == FLAVOR_AUTO)
		flavor_unavailable(FLAVOR_ANON, &caps, reason, len);
	return f;
}

bool stress_vm_too_many_vcpus(enum seam_flavor flavor, uint32_t nr_vcpus, char *why, size_t len)
{
	struct seam_flavor_plan plan;
	struct kvm_vm *vm;
	int max;

	if (!flavor_plan(flavor, &plan))
		return false;
	/*
	 * Asked of a VM of the flavor's type: KVM answers its max_vcpus, which
	 * for a TD is the host's present CPUs (docs/tdx-kvm-abi.md §1).
	 */
	vm = vm_create_barebones_type(plan.vm_type);
	max = vm_check_cap(vm, KVM_CAP_MAX_VCPUS);
	kvm_vm_free(vm);
	if (nr_vcpus <= (uint32_t)max)
		return false;
	snprintf(why, len, "-v %u: KVM_CAP_MAX_VCPUS of a flavor %s VM is %d%s",
		 nr_vcpus, flavor_name(flavor), max,
		 flavor == FLAVOR_TDX ? " (KVM caps a TD at the host's present CPUs)" : "");
	return true;
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

/* Private guest_memfd the host cannot map: sw_protected and tdx. */
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

/*
 * The TD's IDT: the library's exception stubs (idt_handlers, which save the
 * registers and call route_exception()) behind 64-bit interrupt gates, and
 * seam_guest_fault() as the handler of every exception vector.  It lives in
 * memslot 0, so it is measured with the image.  The library builds its own
 * tables only in vm_create()'s post-create step, which a TD skips.
 */
static void td_idt_build(struct stress_vm *svm)
{
	/*
	 * handlers.S: an entry address per vector.  Declared as the array it
	 * is: indexing the library's own `void *idt_handlers` trips UBSan.
	 */
	extern const uint64_t idt_handlers[TD_IDT_VECTORS];
	extern vm_vaddr_t exception_handlers;
	struct kvm_vm *vm = svm->vm;
	struct idt_entry *idt;
	uint64_t handler;
	int v;

	svm->td_idt = __vm_vaddr_alloc_page(vm, MEM_REGION_DATA);
	TEST_ASSERT(svm->td_idt < (1ULL << 32), "IDT at 0x%lx: the trampoline's LIDT takes 32 bits",
		    svm->td_idt);
	idt = addr_gva2hva(vm, svm->td_idt);
	for (v = 0; v < TD_IDT_VECTORS; v++) {
		handler = idt_handlers[v];
		idt[v] = (struct idt_entry) {
			.offset0 = handler, .selector = TD_BOOT_CODE64_SEL,
			.type = 14 /* 64-bit interrupt gate */, .p = 1,
			.offset1 = handler >> 16, .offset2 = handler >> 32,
		};
	}
	vm->handlers = __vm_vaddr_alloc_page(vm, MEM_REGION_DATA);
	*(vm_vaddr_t *)addr_gva2hva(vm, (vm_vaddr_t)&exception_handlers) = vm->handlers;
	for (v = 0; v < TD_EXCEPTION_VECTORS; v++)
		vm_install_exception_handler(vm, v, seam_guest_fault);
}

/*
 * A TD, up to (not including) the measured image: split irqchip, INIT_VM,
 * private memslots, the ELF, the boot memslot, and the vCPUs INIT_VCPU'd in
 * id order from 0 so that VCPU_INDEX == vcpu_id (docs/tdx-kvm-abi.md §4, §8.4).
 *
 * The td_image flavor builds the same image in an ordinary VM: same GPAs,
 * page tables, stacks, boot block and IDT, ordinary memslots, none of the
 * TDX ioctls (lib/run/td_image_boot.c sets the vCPUs' initial state).
 */
static void td_create(struct stress_vm *svm, uint64_t slot0_pages, void *guest_code,
		      const struct td_params *td)
{
	/* The flavor's plan: a TDX VM with guest_memfd slots, or a default VM. */
	bool real = svm->plan.vm_type == KVM_X86_TDX_VM;
	struct vm_shape shape = { .mode = VM_MODE_DEFAULT, .type = svm->plan.vm_type };
	uint32_t slot_flags = svm->plan.memslot_flags;
	struct kvm_tdx_capabilities *caps;
	struct kvm_vm *vm;
	vm_vaddr_t stack;
	uint32_t i;

	TEST_ASSERT(svm->nr_vcpus <= TD_BOOT_MAX_VCPUS, "%u vCPUs: the boot block holds %lu",
		    svm->nr_vcpus, (unsigned long)TD_BOOT_MAX_VCPUS);
	vm = ____vm_create(shape);
	svm->vm = vm;
	/*
	 * GPAW 48: private GPAs below bit 47, the shared bit; 52: bit 51
	 * (docs/tdx-kvm-abi.md §3.6).
	 */
	vm->pa_bits = td->gpaw;
	/* Not vm_compute_max_gfn(): its AMD HyperTransport hole is no TD's concern. */
	vm->max_gfn = (1ULL << (td->gpaw - vm->page_shift)) - 1;
	svm->shared_bit = 1ULL << (td->gpaw - 1);

	if (real) {
		vm_enable_cap(vm, KVM_CAP_SPLIT_IRQCHIP, TD_SPLIT_IRQCHIP_PINS);
		caps = td_get_capabilities(vm);
		td_init_vm(vm, caps, td->attributes, td->gpaw);
		free(caps);
		vm_enable_cap(vm, KVM_CAP_EXIT_HYPERCALL, BIT(SEAM_KVM_HC_MAP_GPA_RANGE));
	}

	vm_mem_add(vm, VM_MEM_SRC_ANONYMOUS, 0, 0, slot0_pages, slot_flags, -1, 0);
	kvm_vm_elf_load(vm, program_invocation_name);
	vm_mem_add(vm, VM_MEM_SRC_ANONYMOUS, TD_BOOT_REGION_GPA, TD_BOOT_SLOT,
		   TD_BOOT_REGION_SIZE / SEAM_PAGE_SIZE, slot_flags, -1, 0);
	/* The trampoline keeps running at its GPA once CR0.PG is set. */
	virt_map(vm, TD_BOOT_REGION_GPA, TD_BOOT_REGION_GPA, TD_BOOT_REGION_SIZE / SEAM_PAGE_SIZE);

	for (i = 0; i < svm->nr_vcpus; i++) {
		svm->vcpus[i] = __vm_vcpu_add(vm, i);
		if (real)
			td_init_vcpu(svm->vcpus[i]);
		stack = __vm_vaddr_alloc(vm, DEFAULT_STACK_PGS * SEAM_PAGE_SIZE,
					 KVM_UTIL_MIN_VADDR, MEM_REGION_DATA);
		svm->td_stack_top[i] = stack + DEFAULT_STACK_PGS * SEAM_PAGE_SIZE;
		TEST_ASSERT(svm->td_stack_top[i] <= UINT32_MAX,
			    "vCPU %u stack at 0x%lx: the trampoline loads ESP, below 4 GiB", i, stack);
	}
	svm->td_guest_code = (uint64_t)guest_code;
	td_idt_build(svm);
}

/* The boot block and the trampoline, in the boot memslot's source pages. */
static void td_boot_fill(struct stress_vm *svm)
{
	struct kvm_vm *vm = svm->vm;
	struct td_boot_params *p = addr_gpa2hva(vm, TD_BOOT_PARAMS_GPA);
	size_t code = td_boot_end - td_boot_start;
	uint8_t *rv = addr_gpa2hva(vm, TD_RESET_VECTOR);
	int32_t rel = TD_BOOT_CODE_GPA - (TD_RESET_VECTOR + 5);
	uint32_t i;

	TEST_ASSERT(vm->pgd < (1ULL << 32), "CR3 0x%lx: the trampoline loads it in 32-bit mode", vm->pgd);
	TEST_ASSERT(code <= TD_RESET_VECTOR - TD_BOOT_CODE_GPA, "trampoline of %zu bytes", code);

	p->cr0 = X86_CR0_PE | X86_CR0_MP | X86_CR0_ET | X86_CR0_NE | X86_CR0_WP |
		 X86_CR0_AM | X86_CR0_PG;
	p->cr3 = vm->pgd;
	/* TDX fixes CR4.MCE = 1 and VMXE = SMXE = 0 (docs/tdx-kvm-abi.md §4). */
	p->cr4 = X86_CR4_PAE | X86_CR4_MCE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
	p->gdt[0] = 0;
	p->gdt[1] = 0x00af9b000000ffffULL;	/* 64-bit code, DPL 0 */
	p->gdt[2] = 0x00cf93000000ffffULL;	/* flat data */
	p->gdtr.limit = sizeof(p->gdt) - 1;
	p->gdtr.base = TD_BOOT_PARAMS_GPA + TD_BOOT_GDT;
	p->idtr.limit = TD_IDT_VECTORS * sizeof(struct idt_entry) - 1;
	p->idtr.base = svm->td_idt;
	seam_td_guest.workload = (void (*)(uint32_t))svm->td_guest_code;
	seam_td_guest.stack_size = DEFAULT_STACK_PGS * SEAM_PAGE_SIZE;
	for (i = 0; i < svm->nr_vcpus; i++) {
		p->per_vcpu[i].esp = svm->td_stack_top[i];
		p->per_vcpu[i].rip = (uint64_t)seam_td_entry;
		seam_td_guest.stack_top[i] = svm->td_stack_top[i];
	}
	sync_global_to_guest(vm, seam_td_guest);

	memcpy(addr_gpa2hva(vm, TD_BOOT_CODE_GPA), td_boot_start, code);
	/* JMP rel32 from the reset vector back to the trampoline. */
	rv[0] = 0xe9;
	memcpy(rv + 1, &rel, sizeof(rel));
}

/*
 * Measure the image (everything in memslot 0 but the shared progress pages,
 * and the boot memslot) and finalize.  The contended region is private but
 * not added: its pages are AUG'd on fault and accepted by the guest.
 */
static void td_seal(struct stress_vm *svm)
{
	struct kvm_vm *vm = svm->vm;
	struct userspace_mem_region *slot0 = memslot2region(vm, 0);
	uint64_t end = slot0->region.memory_size, pp = svm->progress_gpa;
	uint64_t pp_end = pp + SEAM_PROGRESS_PAGES * SEAM_PAGE_SIZE;
	struct kvm_vcpu *bsp = svm->vcpus[0];

	td_boot_fill(svm);
	if (pp)
		td_init_mem_region(bsp, 0, addr_gpa2hva(vm, 0), pp / SEAM_PAGE_SIZE);
	if (end > pp_end)
		td_init_mem_region(bsp, pp_end, addr_gpa2hva(vm, pp_end),
				   (end - pp_end) / SEAM_PAGE_SIZE);
	td_init_mem_region(bsp, TD_BOOT_REGION_GPA, addr_gpa2hva(vm, TD_BOOT_REGION_GPA),
			   TD_BOOT_REGION_SIZE / SEAM_PAGE_SIZE);
	td_finalize(vm);
}

/* Progress pages that stay shared, mapped at SEAM_PROGRESS_GVA. */
static void progress_pages_add(struct stress_vm *svm)
{
	struct kvm_vm *vm = svm->vm;
	uint64_t i;

	svm->progress_gpa = vm_phy_pages_alloc(vm, SEAM_PROGRESS_PAGES,
					       KVM_GUEST_PAGE_TABLE_MIN_PADDR, 0);
	for (i = 0; i < SEAM_PROGRESS_PAGES; i++)
		virt_pg_map(vm, SEAM_PROGRESS_GVA + i * SEAM_PAGE_SIZE,
			    (svm->progress_gpa + i * SEAM_PAGE_SIZE) | svm->shared_bit);
	svm->progress = addr_gpa2hva(vm, svm->progress_gpa);
	memset(svm->progress, 0, SEAM_PROGRESS_PAGES * SEAM_PAGE_SIZE);
	/*
	 * An ordinary VM has no shared bit: the TD image's alias of the
	 * progress pages is a second memslot on the same host pages.
	 */
	if (svm->flavor == FLAVOR_TD_IMAGE)
		vm_set_user_memory_region(vm, TD_IMAGE_ALIAS_SLOT, 0,
					  svm->progress_gpa | svm->shared_bit,
					  SEAM_PROGRESS_PAGES * SEAM_PAGE_SIZE, svm->progress);
}

/*
 * The library loads this whole binary into memslot 0, which it sizes for a
 * plain selftest (512 pages); a sanitizer build is several times larger.
 * Memslot 0 gets the binary's size on top, so that any build fits.
 */
static uint64_t image_pages(void)
{
	struct stat st;

	if (stat("/proc/self/exe", &st))
		return 0;
	return st.st_size / SEAM_PAGE_SIZE + 1;
}

struct stress_vm *stress_vm_create(enum seam_flavor flavor, uint32_t nr_vcpus,
				   uint64_t nr_pages, uint64_t extra_pages,
				   void *guest_code, const struct td_params *td)
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
	extra_pages += pt_pages + SEAM_PROGRESS_PAGES + image_pages();

	if (flavor == FLAVOR_TDX || flavor == FLAVOR_TD_IMAGE) {
		/* The library's own sizing: ~512 pages of code/data, plus ours. */
		td_create(svm, 1024 + extra_pages + nr_vcpus * (DEFAULT_STACK_PGS + 4),
			  guest_code, td ? td : &td_params_default);
	} else {
		shape.type = svm->plan.vm_type;
		svm->vm = __vm_create_with_vcpus(shape, nr_vcpus, extra_pages,
						 guest_code, svm->vcpus);
		/* The guest's own MapGPA exits to the host (tests/guest_convert.c). */
		if (svm->plan.set_private)
			vm_enable_cap(svm->vm, KVM_CAP_EXIT_HYPERCALL, BIT(SEAM_KVM_HC_MAP_GPA_RANGE));
	}

	if (svm->plan.use_gmem && svm->plan.host_visible)
		region_add_gmem_shared(svm);
	else if (svm->plan.use_gmem)
		region_add_gmem_private(svm);
	else
		region_add_anon(svm);

	virt_map(svm->vm, svm->region_gpa, svm->region_gpa, nr_pages);
	progress_pages_add(svm);
	return svm;
}

void stress_vm_finalize(struct stress_vm *svm)
{
	if (svm->flavor == FLAVOR_TDX)
		td_seal(svm);
	else if (svm->flavor == FLAVOR_TD_IMAGE)
		td_boot_fill(svm);
}

void stress_vm_set_args(struct stress_vm *svm, uint32_t vcpu)
{
	/* A TD gets its index from the TDX module (RSI), not from REGS. */
	if (svm->flavor != FLAVOR_TDX && svm->flavor != FLAVOR_TD_IMAGE)
		vcpu_args_set(svm->vcpus[vcpu], 1, vcpu);
}

void stress_vm_destroy(struct stress_vm *svm)
{
	bool own_gmem;

	if (!svm)
		return;
	own_gmem = svm->plan.use_gmem && svm->plan.host_visible;
	kvm_vm_free(svm->vm);
	/* The library owns private guest_memfds; ours is the shared one. */
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

/*
 * The two halves of a conversion of [offset, offset + len) of the region,
 * each emptying the backing the guest can no longer reach: the private one
 * once the range is shared, the shared one once it is private again.
 * Emptying the shared one while still shared (as until 2026-12-02) kept
 * the guest's writes of the window after it, and the next window read them
 * back: `stale` findings of the harness's own, seen on the nested upstream
 * KVM.  0 or -errno.
 */
static int make_shared(struct stress_vm *svm, uint64_t offset, uint64_t len)
{
	vm_mem_set_shared(svm->vm, svm->region_gpa + offset, len);
	return stress_vm_punch(svm, offset, len);
}

static int make_private(struct stress_vm *svm, uint64_t offset, uint64_t len)
{
	vm_mem_set_private(svm->vm, svm->region_gpa + offset, len);
	return madvise(svm->shared_hva + offset, len, MADV_DONTNEED) ? -errno : 0;
}

int stress_vm_convert(struct stress_vm *svm, uint64_t offset, uint64_t len)
{
	int r, r2;

	if (!svm->plan.set_private)
		return -EOPNOTSUPP;
	r = make_shared(svm, offset, len);
	r2 = make_private(svm, offset, len);
	return r ? r : r2;
}

/*
 * A conversion the guest asked for (MapGPA) or made (KVM_EXIT_MEMORY_FAULT):
 * inside the region it empties the backing left behind, as the host's own
 * conversions do, so the guest can only ever read its tag or zero; outside
 * it only sets the attribute.
 */
static int guest_conversion(void *ctx, uint64_t gpa, uint64_t size, bool private)
{
	struct kvm_memory_attributes attr = {
		.address = gpa,
		.size = size,
		.attributes = private ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0,
	};
	struct stress_vm *svm = ctx;
	uint64_t off = gpa - svm->region_gpa;

	if (gpa >= svm->region_gpa && size <= svm->region_size && off <= svm->region_size - size)
		return private ? make_private(svm, off, size) : make_shared(svm, off, size);
	return __vm_ioctl(svm->vm, KVM_SET_MEMORY_ATTRIBUTES, &attr) ? -errno : 0;
}

enum td_exit_action stress_vm_exit_msg(struct stress_vm *svm, struct kvm_vcpu *vcpu,
				       struct seam_msg *msg, struct seam_report *r)
{
	const struct td_exit_ops ops = {
		.set_attributes = guest_conversion, .ctx = svm, .progress = svm->progress,
	};
	struct seam_finding *f;
	struct ucall uc;

	/*
	 * A memory fault is a conversion on any flavor with attributes, and so
	 * is the guest's own MapGPA (KVM_HC_MAP_GPA_RANGE).
	 */
	if (vcpu->run->exit_reason == KVM_EXIT_HYPERCALL)
		__atomic_add_fetch(&svm->guest_map_gpa, 1, __ATOMIC_RELAXED);
	if (svm->flavor == FLAVOR_TDX || vcpu->run->exit_reason == KVM_EXIT_MEMORY_FAULT ||
	    vcpu->run->exit_reason == KVM_EXIT_HYPERCALL)
		return td_handle_exit(vcpu->run, vcpu->id, &ops, msg, r);

	if (vcpu->run->exit_reason == KVM_EXIT_INTR)
		return TD_EXIT_RESUME;
	if (vcpu->run->exit_reason != KVM_EXIT_IO) {
		f = report_add_finding(r, "unexpected_exit", "vCPU %u exited with %s (%u), not a message",
				       vcpu->id, exit_reason_str(vcpu->run->exit_reason),
				       vcpu->run->exit_reason);
		finding_u64(f, "vcpu", vcpu->id);
		finding_u64(f, "exit_reason", vcpu->run->exit_reason);
		return TD_EXIT_FAILED;
	}

	if (vcpu->run->io.port == SEAM_MSG_PORT)
		return vm_handle_doorbell(vcpu->run, vcpu->id, &ops, msg, r);

	/* The library's ucall carries only its own GUEST_ASSERT. */
	if (get_ucall(vcpu, &uc) == UCALL_ABORT) {
		f = report_add_finding(r, "guest_assert", "vCPU %u: %s at %s:%lu - %s", vcpu->id,
				       (const char *)uc.args[GUEST_ERROR_STRING],
				       (const char *)uc.args[GUEST_FILE],
				       uc.args[GUEST_LINE], uc.buffer);
		finding_u64(f, "vcpu", vcpu->id);
		return TD_EXIT_FAILED;
	}
	f = report_add_finding(r, "unexpected_exit", "vCPU %u: port I/O at 0x%x, neither the message doorbell (0x%x) nor a GUEST_ASSERT ucall (ucall %lu)",
			       vcpu->id, vcpu->run->io.port, SEAM_MSG_PORT, uc.cmd);
	finding_u64(f, "vcpu", vcpu->id);
	finding_hex(f, "port", vcpu->run->io.port);
	return TD_EXIT_FAILED;
}
