// SPDX-License-Identifier: GPL-2.0
/*
 * Contract test of the tdx flavor: the real TD-creation code (lib/tdx_vm.c,
 * lib/flavor/td_create.c and the KVM selftests library) runs against the /dev/kvm
 * double of kvm_double.c, which enforces docs/tdx-kvm-abi.md §3-§5.  Checks the
 * ioctl sequence, the boot block and image layout the trampoline expects,
 * the error paths with injected failures, and the double itself.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "guest_code.h"
#include "kvm_double.h"
#include "stress_vm.h"
#include "td_boot.h"
#include "td_create.h"
#include "unit.h"

#define NR_VCPUS	3
#define NR_PAGES	16

/* The TD's entry point: never run here, only placed in the boot block. */
static void guest_code(uint32_t vcpu)
{
	seam_guest_check_vcpu(vcpu);
}

static void dump_violations(void)
{
	int i;

	for (i = 0; i < kvm_double.nr_violations; i++)
		ksft_print_msg("violation: %s\n", kvm_double.violation[i]);
}

static struct stress_vm *td_build(const struct td_params *td)
{
	struct stress_vm *svm;

	kvm_double_reset();
	svm = stress_vm_create(FLAVOR_TDX, NR_VCPUS, NR_PAGES, 4, guest_code, td);
	seam_guest_args.tdx = 1;
	seam_guest_args.accept = 1;
	seam_guest_args.progress_gva = SEAM_PROGRESS_GVA;
	sync_global_to_guest(svm->vm, seam_guest_args);
	stress_vm_finalize(svm);
	return svm;
}

static int log_index(const char *what, int from)
{
	int i;

	for (i = from; i < kvm_double.nr_log; i++)
		if (!strcmp(kvm_double.log[i], what))
			return i;
	return -1;
}

static void test_creation_follows_the_rules(void)
{
	struct stress_vm *svm = td_build(NULL);
	int create_vm, irqchip, init_vm, vcpu, finalize, i;
	char what[48];

	dump_violations();
	UNIT_EXPECT(kvm_double.nr_violations == 0, "%d violations", kvm_double.nr_violations);
	UNIT_EXPECT(kvm_double.finalized, "the TD was finalized");

	create_vm = log_index("KVM_CREATE_VM", 0);
	irqchip = log_index("KVM_ENABLE_CAP(SPLIT_IRQCHIP)", 0);
	init_vm = log_index("KVM_TDX_INIT_VM", 0);
	vcpu = log_index("KVM_CREATE_VCPU", 0);
	finalize = log_index("KVM_TDX_FINALIZE_VM", 0);
	UNIT_EXPECT(create_vm >= 0 && create_vm < irqchip && irqchip < init_vm &&
		    init_vm < vcpu && vcpu < finalize, "order %d %d %d %d %d",
		    create_vm, irqchip, init_vm, vcpu, finalize);
	/* The first CAPABILITIES was -E2BIG (80 leaves > 64): it retried. */
	UNIT_EXPECT(log_index("KVM_TDX_CAPABILITIES", log_index("KVM_TDX_CAPABILITIES", 0) + 1) > 0,
		    "CAPABILITIES retried after -E2BIG");
	for (i = 0; i < NR_VCPUS; i++) {
		snprintf(what, sizeof(what), "KVM_TDX_INIT_VCPU %d", i);
		UNIT_EXPECT(log_index(what, 0) > vcpu && log_index(what, 0) < finalize, "%s", what);
	}
	UNIT_EXPECT(kvm_double.init_vm_gpaw == 48, "GPAW %u", kvm_double.init_vm_gpaw);
	UNIT_EXPECT(kvm_double.init_vm_attributes == TDX_TD_ATTR_SEPT_VE_DISABLE, "attributes");
	UNIT_EXPECT(kvm_double.exit_hypercall == 1 << SEAM_KVM_HC_MAP_GPA_RANGE, "MapGPA exits");
	UNIT_EXPECT(svm->shared_bit == 1ULL << 47, "shared bit");
	stress_vm_destroy(svm);
}

static void test_image_layout(void)
{
	struct stress_vm *svm = td_build(NULL);
	struct kvm_vm *vm = svm->vm;
	struct td_boot_params *p = addr_gpa2hva(vm, TD_BOOT_PARAMS_GPA);
	uint8_t *rv = addr_gpa2hva(vm, TD_RESET_VECTOR);
	uint64_t pp = svm->progress_gpa, pp_size = SEAM_PROGRESS_PAGES * SEAM_PAGE_SIZE;
	int32_t rel;
	int i;

	/* Below 4 GiB, where the 32-bit trampoline reads it (docs/tdx-kvm-abi.md §8.4). */
	UNIT_EXPECT(p->cr3 == vm->pgd && vm->pgd < (1ULL << 32), "cr3 0x%x", p->cr3);
	UNIT_EXPECT((p->cr0 & 0x80000001) == 0x80000001, "CR0.PE|PG");
	UNIT_EXPECT((p->cr4 & (1 << 5)) && (p->cr4 & (1 << 6)) && !(p->cr4 & (1 << 13)),
		    "CR4.PAE, MCE set, VMXE clear (abi §4)");
	UNIT_EXPECT(p->gdtr.base == TD_BOOT_PARAMS_GPA + TD_BOOT_GDT && p->gdtr.limit == 23, "gdtr");
	UNIT_EXPECT(p->gdt[TD_BOOT_CODE64_SEL / 8] == 0x00af9b000000ffffULL, "64-bit code segment");
	for (i = 0; i < NR_VCPUS; i++) {
		UNIT_EXPECT(p->per_vcpu[i].esp && p->per_vcpu[i].esp == svm->td_stack_top[i],
			    "vCPU %d stack", i);
		UNIT_EXPECT(p->per_vcpu[i].rip == (uint64_t)guest_code, "vCPU %d entry", i);
	}
	UNIT_EXPECT(!memcmp(addr_gpa2hva(vm, TD_BOOT_CODE_GPA), td_boot_start,
			    td_boot_end - td_boot_start), "trampoline copied");
	memcpy(&rel, rv + 1, sizeof(rel));
	UNIT_EXPECT(rv[0] == 0xe9 && TD_RESET_VECTOR + 5 + rel == TD_BOOT_CODE_GPA,
		    "reset vector jumps to the trampoline");
	/* The trampoline keeps running at its GPA after CR0.PG. */
	UNIT_EXPECT(addr_gva2gpa(vm, TD_BOOT_CODE_GPA) == TD_BOOT_CODE_GPA, "identity map");

	/* Measured: slot 0 around the progress pages, and the boot slot. */
	UNIT_EXPECT(kvm_double_is_private(0, pp), "slot 0 below the progress pages");
	UNIT_EXPECT(!kvm_double_is_private(pp, pp_size), "progress pages stay shared");
	UNIT_EXPECT(kvm_double_is_private(TD_BOOT_REGION_GPA, TD_BOOT_REGION_SIZE), "boot slot");
	UNIT_EXPECT(kvm_double_is_private(SEAM_REGION_GPA, NR_PAGES * SEAM_PAGE_SIZE),
		    "contended region private");
	UNIT_EXPECT(kvm_double.nr_init_regions == 3, "%d INIT_MEM_REGIONs", kvm_double.nr_init_regions);
	for (i = 0; i < kvm_double.nr_init_regions; i++) {
		uint64_t g = kvm_double.init_region[i].gpa;
		uint64_t e = g + kvm_double.init_region[i].nr_pages * SEAM_PAGE_SIZE;

		UNIT_EXPECT(e <= pp || g >= pp + pp_size, "region %d overlaps the progress pages", i);
		UNIT_EXPECT(e <= SEAM_REGION_GPA || g >= SEAM_REGION_GPA + NR_PAGES * SEAM_PAGE_SIZE,
			    "the contended region is AUG'd at run time, not added");
	}
	/* The guest reaches its progress through the shared alias. */
	UNIT_EXPECT(addr_gva2gpa(vm, SEAM_PROGRESS_GVA) == (pp | 1ULL << 47),
		    "progress GVA maps gpa 0x%lx | shared bit", pp);
	stress_vm_destroy(svm);
}

/* --td-gpaw 52 and --td-sept-ve reach INIT_VM and move the shared bit. */
static void test_gpaw52_and_sept_ve(void)
{
	const struct td_params td = { .gpaw = 52, .attributes = 0 };
	struct stress_vm *svm;

	svm = td_build(&td);
	dump_violations();
	UNIT_EXPECT(kvm_double.nr_violations == 0, "%d violations", kvm_double.nr_violations);
	UNIT_EXPECT(kvm_double.init_vm_gpaw == 52 && kvm_double.init_vm_attributes == 0,
		    "INIT_VM got GPAW %u attributes 0x%llx", kvm_double.init_vm_gpaw,
		    (unsigned long long)kvm_double.init_vm_attributes);
	UNIT_EXPECT(svm->shared_bit == 1ULL << 51 &&
		    addr_gva2gpa(svm->vm, SEAM_PROGRESS_GVA) == (svm->progress_gpa | 1ULL << 51),
		    "shared bit 51");
	stress_vm_destroy(svm);
}

/* Build a TD in a child with a failure injected; its stderr and status. */
/* LeakSanitizer's, present only in a SANITIZE=1 build. */
extern void __lsan_disable(void) __attribute__((weak));

static int build_failing(int cmd, int err, uint64_t hw_error, char *out, size_t len)
{
	int pipefd[2], status;
	ssize_t n, got = 0;
	pid_t pid;

	if (pipe(pipefd))
		return -1;
	pid = fork();
	if (!pid) {
		/*
		 * The child leaves through a failing TEST_ASSERT on purpose:
		 * under SANITIZE=1, what it allocated is not a leak.
		 */
		if (__lsan_disable)
			__lsan_disable();
		dup2(pipefd[1], 2);
		kvm_double_reset();
		kvm_double.inject_cmd = cmd;
		kvm_double.inject_errno = err;
		kvm_double.inject_hw_error = hw_error;
		stress_vm_finalize(stress_vm_create(FLAVOR_TDX, 1, NR_PAGES, 4, guest_code, NULL));
		exit(0);
	}
	close(pipefd[1]);
	while ((n = read(pipefd[0], out + got, len - 1 - got)) > 0)
		got += n;
	out[got] = 0;
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_failures_name_step_errno_and_status(void)
{
	static char out[16384];

	UNIT_EXPECT(build_failing(KVM_TDX_FINALIZE_VM, EBUSY, 0, out, sizeof(out)) == 254,
		    "FINALIZE -EBUSY must fail the test");
	UNIT_EXPECT_CONTAINS(out, "KVM_TDX_FINALIZE_VM failed: Device or resource busy");

	UNIT_EXPECT(build_failing(KVM_TDX_INIT_VM, EINVAL, TDX_OPERAND_INVALID | 1, out,
				  sizeof(out)) == 254, "INIT_VM -EINVAL");
	UNIT_EXPECT_CONTAINS(out, "KVM_TDX_INIT_VM failed: Invalid argument");
	UNIT_EXPECT_CONTAINS(out, "hw_error 0xc000010000000001 (OPERAND_INVALID operand RCX");

	UNIT_EXPECT(build_failing(KVM_TDX_INIT_MEM_REGION, EIO, TDX_OPERAND_BUSY | 0x92, out,
				  sizeof(out)) == 254, "INIT_MEM_REGION -EIO");
	UNIT_EXPECT_CONTAINS(out, "KVM_TDX_INIT_MEM_REGION of gpa");
	UNIT_EXPECT_CONTAINS(out, "OPERAND_BUSY operand SEPT_TREE (0x92)");

	UNIT_EXPECT(build_failing(KVM_TDX_INIT_VCPU, EINVAL, 0, out, sizeof(out)) == 254,
		    "INIT_VCPU -EINVAL");
	UNIT_EXPECT_CONTAINS(out, "KVM_TDX_INIT_VCPU failed: Invalid argument");
}

static int vm_ioctl_raw(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) < 0 ? -errno : 0;
}

static int tdx_cmd(int fd, uint32_t id, uint32_t flags, void *data, uint64_t hw_error)
{
	struct kvm_tdx_cmd cmd = { .id = id, .flags = flags, .data = (uint64_t)data,
				   .hw_error = hw_error };

	return vm_ioctl_raw(fd, KVM_MEMORY_ENCRYPT_OP, &cmd);
}

static struct kvm_tdx_init_vm *init_vm_arg(uint32_t gpaw, uint64_t attrs)
{
	static struct {
		struct kvm_tdx_init_vm init;
		struct kvm_cpuid_entry2 e[1];
	} a;

	memset(&a, 0, sizeof(a));
	a.init.attributes = attrs;
	a.init.cpuid.nent = 1;
	a.e[0].function = 0x80000008;
	a.e[0].eax = gpaw << 16 | 0x3030;
	return &a.init;
}

/* The double must reject what KVM rejects: each wrong step below. */
static void test_double_rejects_wrong_sequences(void)
{
	struct kvm_tdx_init_mem_region mr;
	struct kvm_memory_attributes attr = { .address = 0x1000, .size = 0x1000,
					      .attributes = KVM_MEMORY_ATTRIBUTE_PRIVATE };
	struct kvm_enable_cap cap = { .cap = KVM_CAP_SPLIT_IRQCHIP, .args = { 24 } };
	struct kvm_regs regs;
	int kvm, vm, v0, v1;
	static char page[8192] __attribute__((aligned(4096)));

	kvm_double_reset();
	kvm = open("/dev/kvm", O_RDWR);
	vm = ioctl(kvm, KVM_CREATE_VM, KVM_X86_TDX_VM);
	UNIT_EXPECT(vm >= 0, "CREATE_VM");

	UNIT_EXPECT(ioctl(vm, KVM_CREATE_VCPU, 0) < 0 && kvm_double_violated("before KVM_TDX_INIT_VM"),
		    "vCPU before INIT_VM");
	UNIT_EXPECT(vm_ioctl_raw(vm, KVM_CREATE_IRQCHIP, NULL) == -EINVAL &&
		    kvm_double_violated("KVM_CREATE_IRQCHIP"), "full irqchip");
	UNIT_EXPECT(tdx_cmd(vm, KVM_TDX_INIT_VM, 0, init_vm_arg(40, 0), 0) == -EINVAL &&
		    kvm_double_violated("GPAW 40"), "GPAW 40");
	UNIT_EXPECT(tdx_cmd(vm, KVM_TDX_INIT_VM, 0, init_vm_arg(48, TDX_TD_ATTR_DEBUG), 0) == -EINVAL &&
		    kvm_double_violated("not within supported_attrs"), "DEBUG attribute");
	UNIT_EXPECT(tdx_cmd(vm, KVM_TDX_INIT_VM, 0, init_vm_arg(48, 0), 1) == -EINVAL &&
		    kvm_double_violated("hw_error must be 0"), "hw_error on input");
	UNIT_EXPECT(!tdx_cmd(vm, KVM_TDX_INIT_VM, 0, init_vm_arg(48, 0), 0), "a good INIT_VM");
	UNIT_EXPECT(ioctl(vm, KVM_CREATE_VCPU, 0) < 0 && kvm_double_violated("without a split irqchip"),
		    "vCPU without split irqchip");
	UNIT_EXPECT(!vm_ioctl_raw(vm, KVM_ENABLE_CAP, &cap), "split irqchip");
	v0 = ioctl(vm, KVM_CREATE_VCPU, 0);
	v1 = ioctl(vm, KVM_CREATE_VCPU, 1);
	UNIT_EXPECT(v0 >= 0 && v1 >= 0, "vCPUs");
	UNIT_EXPECT(tdx_cmd(v1, KVM_TDX_INIT_VCPU, 0, NULL, 0) == -EINVAL &&
		    kvm_double_violated("not in id order"), "INIT_VCPU 1 before 0");
	UNIT_EXPECT(vm_ioctl_raw(v0, KVM_GET_REGS, &regs) == -EINVAL &&
		    kvm_double_violated("protected state"), "REGS on a TD vCPU");
	UNIT_EXPECT(tdx_cmd(vm, KVM_TDX_FINALIZE_VM, 0, NULL, 0) == -EINVAL &&
		    kvm_double_violated("vCPUs initialized"), "FINALIZE before INIT_VCPU");

	UNIT_EXPECT(!tdx_cmd(v0, KVM_TDX_INIT_VCPU, 0, NULL, 0), "INIT_VCPU 0");
	UNIT_EXPECT(!tdx_cmd(v1, KVM_TDX_INIT_VCPU, 0, NULL, 0), "INIT_VCPU 1");
	mr = (struct kvm_tdx_init_mem_region){ (uint64_t)page, 0x1000 | 1ULL << 47, 1 };
	UNIT_EXPECT(tdx_cmd(v0, KVM_TDX_INIT_MEM_REGION, 1, &mr, 0) == -EINVAL &&
		    kvm_double_violated("shared bit"), "shared GPA");
	mr = (struct kvm_tdx_init_mem_region){ (uint64_t)page, 0x1000, 1 };
	UNIT_EXPECT(tdx_cmd(v0, KVM_TDX_INIT_MEM_REGION, 1, &mr, 0) == -EINVAL &&
		    kvm_double_violated("not all PRIVATE"), "not private");
	UNIT_EXPECT(!vm_ioctl_raw(vm, KVM_SET_MEMORY_ATTRIBUTES, &attr), "set private");
	mr = (struct kvm_tdx_init_mem_region){ (uint64_t)page + 8, 0x1000, 1 };
	UNIT_EXPECT(tdx_cmd(v0, KVM_TDX_INIT_MEM_REGION, 1, &mr, 0) == -EINVAL &&
		    kvm_double_violated("page-aligned"), "unaligned source");
	mr = (struct kvm_tdx_init_mem_region){ (uint64_t)page, 0x1000, 1 };
	UNIT_EXPECT(tdx_cmd(v0, KVM_TDX_INIT_MEM_REGION, 2, &mr, 0) == -EINVAL &&
		    kvm_double_violated("flags 0x2"), "bad flags");
	UNIT_EXPECT(!tdx_cmd(v0, KVM_TDX_INIT_MEM_REGION, 1, &mr, 0), "a good INIT_MEM_REGION");
	UNIT_EXPECT(!tdx_cmd(vm, KVM_TDX_FINALIZE_VM, 0, NULL, 0), "FINALIZE");
	UNIT_EXPECT(tdx_cmd(v0, KVM_TDX_GET_CPUID, 0, page, 0) == -EINVAL &&
		    kvm_double_violated("after FINALIZE"), "vCPU command after FINALIZE");
	close(v0);
	close(v1);
	close(vm);
	close(kvm);
}

UNIT_MAIN(UNIT(test_creation_follows_the_rules),
	  UNIT(test_image_layout),
	  UNIT(test_gpaw52_and_sept_ve),
	  UNIT(test_failures_name_step_errno_and_status),
	  UNIT(test_double_rejects_wrong_sequences))
