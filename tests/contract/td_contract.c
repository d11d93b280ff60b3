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
#include "processor.h"
#include "stress_vm.h"
#include "td_boot.h"
#include "td_create.h"
#include "kselftest_harness.h"

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

TEST(creation_follows_the_rules)
{
	struct stress_vm *svm = td_build(NULL);
	int create_vm, irqchip, init_vm, vcpu, finalize, i;
	char what[48];

	dump_violations();
	EXPECT_TRUE(kvm_double.nr_violations == 0) TH_LOG("%d violations", kvm_double.nr_violations);
	EXPECT_TRUE(kvm_double.finalized) TH_LOG("the TD was finalized");

	create_vm = log_index("KVM_CREATE_VM", 0);
	irqchip = log_index("KVM_ENABLE_CAP(SPLIT_IRQCHIP)", 0);
	init_vm = log_index("KVM_TDX_INIT_VM", 0);
	vcpu = log_index("KVM_CREATE_VCPU", 0);
	finalize = log_index("KVM_TDX_FINALIZE_VM", 0);
	EXPECT_TRUE(create_vm >= 0 && create_vm < irqchip && irqchip < init_vm &&
		    init_vm < vcpu && vcpu < finalize) TH_LOG("order %d %d %d %d %d",
		    create_vm, irqchip, init_vm, vcpu, finalize);
	/* The first CAPABILITIES was -E2BIG (80 leaves > 64): it retried. */
	EXPECT_TRUE(log_index("KVM_TDX_CAPABILITIES", log_index("KVM_TDX_CAPABILITIES", 0) + 1) > 0) TH_LOG("CAPABILITIES retried after -E2BIG");
	for (i = 0; i < NR_VCPUS; i++) {
		snprintf(what, sizeof(what), "KVM_TDX_INIT_VCPU %d", i);
		EXPECT_TRUE(log_index(what, 0) > vcpu && log_index(what, 0) < finalize) TH_LOG("%s", what);
	}
	EXPECT_TRUE(kvm_double.init_vm_gpaw == 48) TH_LOG("GPAW %u", kvm_double.init_vm_gpaw);
	EXPECT_TRUE(kvm_double.init_vm_attributes == TDX_TD_ATTR_SEPT_VE_DISABLE) TH_LOG("attributes");
	EXPECT_TRUE(kvm_double.exit_hypercall == 1 << SEAM_KVM_HC_MAP_GPA_RANGE) TH_LOG("MapGPA exits");
	EXPECT_TRUE(svm->shared_bit == 1ULL << 47) TH_LOG("shared bit");
	stress_vm_destroy(svm);
}

TEST(image_layout)
{
	struct stress_vm *svm = td_build(NULL);
	struct kvm_vm *vm = svm->vm;
	struct td_boot_params *p = addr_gpa2hva(vm, TD_BOOT_PARAMS_GPA);
	uint8_t *rv = addr_gpa2hva(vm, TD_RESET_VECTOR);
	uint64_t pp = svm->progress_gpa, pp_size = SEAM_PROGRESS_PAGES * SEAM_PAGE_SIZE;
	const struct seam_td_guest *td_guest = addr_gva2hva(vm, (vm_vaddr_t)&seam_td_guest);
	const struct idt_entry *idt = addr_gva2hva(vm, svm->td_idt);
	const vm_vaddr_t *handlers = addr_gva2hva(vm, vm->handlers);
	extern vm_vaddr_t exception_handlers;
	extern const uint64_t idt_handlers[TD_IDT_VECTORS];
	int32_t rel;
	int i;

	/* Below 4 GiB, where the 32-bit trampoline reads it (docs/tdx-kvm-abi.md §8.4). */
	EXPECT_TRUE(p->cr3 == vm->pgd && vm->pgd < (1ULL << 32)) TH_LOG("cr3 0x%x", p->cr3);
	EXPECT_TRUE((p->cr0 & 0x80000001) == 0x80000001) TH_LOG("CR0.PE|PG");
	EXPECT_TRUE((p->cr4 & (1 << 5)) && (p->cr4 & (1 << 6)) && !(p->cr4 & (1 << 13))) TH_LOG("CR4.PAE, MCE set, VMXE clear (abi §4)");
	EXPECT_TRUE(p->gdtr.base == TD_BOOT_PARAMS_GPA + TD_BOOT_GDT && p->gdtr.limit == 23) TH_LOG("gdtr");
	EXPECT_TRUE(p->gdt[TD_BOOT_CODE64_SEL / 8] == 0x00af9b000000ffffULL) TH_LOG("64-bit code segment");
	for (i = 0; i < NR_VCPUS; i++) {
		EXPECT_TRUE(p->per_vcpu[i].esp && p->per_vcpu[i].esp == svm->td_stack_top[i]) TH_LOG("vCPU %d stack", i);
		EXPECT_TRUE(p->per_vcpu[i].rip == (uint64_t)seam_td_entry) TH_LOG("vCPU %d entry", i);
		EXPECT_TRUE(td_guest->stack_top[i] == svm->td_stack_top[i]) TH_LOG("vCPU %d stack for the exception handler", i);
	}
	/* seam_td_entry() leaves its mark, then runs the test's workload. */
	EXPECT_TRUE(td_guest->workload == guest_code) TH_LOG("workload");
	EXPECT_TRUE(td_guest->stack_size == DEFAULT_STACK_PGS * SEAM_PAGE_SIZE) TH_LOG("stack size");

	/*
	 * The IDT: 256 64-bit interrupt gates on the library's stubs, DPL 0,
	 * no IST, on the trampoline's code selector; seam_guest_fault() for
	 * each exception vector in the library's handler table.
	 */
	EXPECT_TRUE(p->idtr.base == svm->td_idt && svm->td_idt < (1ULL << 32) &&
		    p->idtr.limit == TD_IDT_VECTORS * sizeof(struct idt_entry) - 1) TH_LOG("idtr base 0x%x limit %u", p->idtr.base, p->idtr.limit);
	for (i = 0; i < TD_IDT_VECTORS; i++) {
		const struct idt_entry *e = &idt[i];
		uint64_t off = e->offset0 | (uint64_t)e->offset1 << 16 | (uint64_t)e->offset2 << 32;

		EXPECT_TRUE(e->p && e->type == 14 && e->dpl == 0 && e->ist == 0 &&
			    e->selector == TD_BOOT_CODE64_SEL &&
			    off == idt_handlers[i]) TH_LOG("gate %d", i);
	}
	for (i = 0; i < TD_IDT_VECTORS; i++)
		EXPECT_TRUE(handlers[i] == (i < TD_EXCEPTION_VECTORS ? (vm_vaddr_t)seam_guest_fault : 0)) TH_LOG("handler %d", i);
	EXPECT_TRUE(*(vm_vaddr_t *)addr_gva2hva(vm, (vm_vaddr_t)&exception_handlers) == vm->handlers) TH_LOG("exception_handlers");
	EXPECT_TRUE(!memcmp(addr_gpa2hva(vm, TD_BOOT_CODE_GPA), td_boot_start,
			    td_boot_end - td_boot_start)) TH_LOG("trampoline copied");
	memcpy(&rel, rv + 1, sizeof(rel));
	EXPECT_TRUE(rv[0] == 0xe9 && TD_RESET_VECTOR + 5 + rel == TD_BOOT_CODE_GPA) TH_LOG("reset vector jumps to the trampoline");
	/* The trampoline keeps running at its GPA after CR0.PG. */
	EXPECT_TRUE(addr_gva2gpa(vm, TD_BOOT_CODE_GPA) == TD_BOOT_CODE_GPA) TH_LOG("identity map");

	/* Measured: slot 0 around the progress pages, and the boot slot. */
	EXPECT_TRUE(kvm_double_is_private(0, pp)) TH_LOG("slot 0 below the progress pages");
	EXPECT_TRUE(!kvm_double_is_private(pp, pp_size)) TH_LOG("progress pages stay shared");
	EXPECT_TRUE(kvm_double_is_private(TD_BOOT_REGION_GPA, TD_BOOT_REGION_SIZE)) TH_LOG("boot slot");
	EXPECT_TRUE(kvm_double_is_private(SEAM_REGION_GPA, NR_PAGES * SEAM_PAGE_SIZE)) TH_LOG("contended region private");
	EXPECT_TRUE(kvm_double.nr_init_regions == 3) TH_LOG("%d INIT_MEM_REGIONs", kvm_double.nr_init_regions);
	for (i = 0; i < kvm_double.nr_init_regions; i++) {
		uint64_t g = kvm_double.init_region[i].gpa;
		uint64_t e = g + kvm_double.init_region[i].nr_pages * SEAM_PAGE_SIZE;

		EXPECT_TRUE(e <= pp || g >= pp + pp_size) TH_LOG("region %d overlaps the progress pages", i);
		EXPECT_TRUE(e <= SEAM_REGION_GPA || g >= SEAM_REGION_GPA + NR_PAGES * SEAM_PAGE_SIZE) TH_LOG("the contended region is AUG'd at run time, not added");
	}
	/* The guest reaches its progress through the shared alias. */
	EXPECT_TRUE(addr_gva2gpa(vm, SEAM_PROGRESS_GVA) == (pp | 1ULL << 47)) TH_LOG("progress GVA maps gpa 0x%lx | shared bit", pp);
	stress_vm_destroy(svm);
}

/* --td-gpaw 52 and --td-sept-ve reach INIT_VM and move the shared bit. */
TEST(gpaw52_and_sept_ve)
{
	const struct td_params td = { .gpaw = 52, .attributes = 0 };
	struct stress_vm *svm;

	svm = td_build(&td);
	dump_violations();
	EXPECT_TRUE(kvm_double.nr_violations == 0) TH_LOG("%d violations", kvm_double.nr_violations);
	EXPECT_TRUE(kvm_double.init_vm_gpaw == 52 && kvm_double.init_vm_attributes == 0) TH_LOG("INIT_VM got GPAW %u attributes 0x%llx", kvm_double.init_vm_gpaw,
		    (unsigned long long)kvm_double.init_vm_attributes);
	EXPECT_TRUE(svm->shared_bit == 1ULL << 51 &&
		    addr_gva2gpa(svm->vm, SEAM_PROGRESS_GVA) == (svm->progress_gpa | 1ULL << 51)) TH_LOG("shared bit 51");
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

TEST(failures_name_step_errno_and_status)
{
	static char out[16384];

	EXPECT_TRUE(build_failing(KVM_TDX_FINALIZE_VM, EBUSY, 0, out, sizeof(out)) == 254) TH_LOG("FINALIZE -EBUSY must fail the test");
	EXPECT_NE(NULL, strstr(out, "KVM_TDX_FINALIZE_VM failed: Device or resource busy")) TH_LOG("'%s' does not contain '%s'", out, "KVM_TDX_FINALIZE_VM failed: Device or resource busy");

	EXPECT_TRUE(build_failing(KVM_TDX_INIT_VM, EINVAL, TDX_OPERAND_INVALID | 1, out,
				  sizeof(out)) == 254) TH_LOG("INIT_VM -EINVAL");
	EXPECT_NE(NULL, strstr(out, "KVM_TDX_INIT_VM failed: Invalid argument")) TH_LOG("'%s' does not contain '%s'", out, "KVM_TDX_INIT_VM failed: Invalid argument");
	EXPECT_NE(NULL, strstr(out, "hw_error 0xc000010000000001 (OPERAND_INVALID operand RCX")) TH_LOG("'%s' does not contain '%s'", out, "hw_error 0xc000010000000001 (OPERAND_INVALID operand RCX");

	EXPECT_TRUE(build_failing(KVM_TDX_INIT_MEM_REGION, EIO, TDX_OPERAND_BUSY | 0x92, out,
				  sizeof(out)) == 254) TH_LOG("INIT_MEM_REGION -EIO");
	EXPECT_NE(NULL, strstr(out, "KVM_TDX_INIT_MEM_REGION of gpa")) TH_LOG("'%s' does not contain '%s'", out, "KVM_TDX_INIT_MEM_REGION of gpa");
	EXPECT_NE(NULL, strstr(out, "OPERAND_BUSY operand SEPT_TREE (0x92)")) TH_LOG("'%s' does not contain '%s'", out, "OPERAND_BUSY operand SEPT_TREE (0x92)");

	EXPECT_TRUE(build_failing(KVM_TDX_INIT_VCPU, EINVAL, 0, out, sizeof(out)) == 254) TH_LOG("INIT_VCPU -EINVAL");
	EXPECT_NE(NULL, strstr(out, "KVM_TDX_INIT_VCPU failed: Invalid argument")) TH_LOG("'%s' does not contain '%s'", out, "KVM_TDX_INIT_VCPU failed: Invalid argument");
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
TEST(double_rejects_wrong_sequences)
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
	EXPECT_TRUE(vm >= 0) TH_LOG("CREATE_VM");

	EXPECT_TRUE(ioctl(vm, KVM_CREATE_VCPU, 0) < 0 && kvm_double_violated("before KVM_TDX_INIT_VM")) TH_LOG("vCPU before INIT_VM");
	EXPECT_TRUE(vm_ioctl_raw(vm, KVM_CREATE_IRQCHIP, NULL) == -EINVAL &&
		    kvm_double_violated("KVM_CREATE_IRQCHIP")) TH_LOG("full irqchip");
	EXPECT_TRUE(tdx_cmd(vm, KVM_TDX_INIT_VM, 0, init_vm_arg(40, 0), 0) == -EINVAL &&
		    kvm_double_violated("GPAW 40")) TH_LOG("GPAW 40");
	EXPECT_TRUE(tdx_cmd(vm, KVM_TDX_INIT_VM, 0, init_vm_arg(48, TDX_TD_ATTR_DEBUG), 0) == -EINVAL &&
		    kvm_double_violated("not within supported_attrs")) TH_LOG("DEBUG attribute");
	EXPECT_TRUE(tdx_cmd(vm, KVM_TDX_INIT_VM, 0, init_vm_arg(48, 0), 1) == -EINVAL &&
		    kvm_double_violated("hw_error must be 0")) TH_LOG("hw_error on input");
	EXPECT_TRUE(!tdx_cmd(vm, KVM_TDX_INIT_VM, 0, init_vm_arg(48, 0), 0)) TH_LOG("a good INIT_VM");
	EXPECT_TRUE(ioctl(vm, KVM_CREATE_VCPU, 0) < 0 && kvm_double_violated("without a split irqchip")) TH_LOG("vCPU without split irqchip");
	EXPECT_TRUE(!vm_ioctl_raw(vm, KVM_ENABLE_CAP, &cap)) TH_LOG("split irqchip");
	v0 = ioctl(vm, KVM_CREATE_VCPU, 0);
	v1 = ioctl(vm, KVM_CREATE_VCPU, 1);
	EXPECT_TRUE(v0 >= 0 && v1 >= 0) TH_LOG("vCPUs");
	EXPECT_TRUE(tdx_cmd(v1, KVM_TDX_INIT_VCPU, 0, NULL, 0) == -EINVAL &&
		    kvm_double_violated("not in id order")) TH_LOG("INIT_VCPU 1 before 0");
	EXPECT_TRUE(vm_ioctl_raw(v0, KVM_GET_REGS, &regs) == -EINVAL &&
		    kvm_double_violated("protected state")) TH_LOG("REGS on a TD vCPU");
	EXPECT_TRUE(tdx_cmd(vm, KVM_TDX_FINALIZE_VM, 0, NULL, 0) == -EINVAL &&
		    kvm_double_violated("vCPUs initialized")) TH_LOG("FINALIZE before INIT_VCPU");

	EXPECT_TRUE(!tdx_cmd(v0, KVM_TDX_INIT_VCPU, 0, NULL, 0)) TH_LOG("INIT_VCPU 0");
	EXPECT_TRUE(!tdx_cmd(v1, KVM_TDX_INIT_VCPU, 0, NULL, 0)) TH_LOG("INIT_VCPU 1");
	mr = (struct kvm_tdx_init_mem_region){ (uint64_t)page, 0x1000 | 1ULL << 47, 1 };
	EXPECT_TRUE(tdx_cmd(v0, KVM_TDX_INIT_MEM_REGION, 1, &mr, 0) == -EINVAL &&
		    kvm_double_violated("shared bit")) TH_LOG("shared GPA");
	mr = (struct kvm_tdx_init_mem_region){ (uint64_t)page, 0x1000, 1 };
	EXPECT_TRUE(tdx_cmd(v0, KVM_TDX_INIT_MEM_REGION, 1, &mr, 0) == -EINVAL &&
		    kvm_double_violated("not all PRIVATE")) TH_LOG("not private");
	EXPECT_TRUE(!vm_ioctl_raw(vm, KVM_SET_MEMORY_ATTRIBUTES, &attr)) TH_LOG("set private");
	mr = (struct kvm_tdx_init_mem_region){ (uint64_t)page + 8, 0x1000, 1 };
	EXPECT_TRUE(tdx_cmd(v0, KVM_TDX_INIT_MEM_REGION, 1, &mr, 0) == -EINVAL &&
		    kvm_double_violated("page-aligned")) TH_LOG("unaligned source");
	mr = (struct kvm_tdx_init_mem_region){ (uint64_t)page, 0x1000, 1 };
	EXPECT_TRUE(tdx_cmd(v0, KVM_TDX_INIT_MEM_REGION, 2, &mr, 0) == -EINVAL &&
		    kvm_double_violated("flags 0x2")) TH_LOG("bad flags");
	EXPECT_TRUE(!tdx_cmd(v0, KVM_TDX_INIT_MEM_REGION, 1, &mr, 0)) TH_LOG("a good INIT_MEM_REGION");
	EXPECT_TRUE(!tdx_cmd(vm, KVM_TDX_FINALIZE_VM, 0, NULL, 0)) TH_LOG("FINALIZE");
	EXPECT_TRUE(tdx_cmd(v0, KVM_TDX_GET_CPUID, 0, page, 0) == -EINVAL &&
		    kvm_double_violated("after FINALIZE")) TH_LOG("vCPU command after FINALIZE");
	close(v0);
	close(v1);
	close(vm);
	close(kvm);
}

/*
 * A TD has at most the host's present CPUs as vCPUs (KVM_CAP_MAX_VCPUS on
 * the VM fd): asking for more is a SKIP that says so, not an assert in
 * KVM_CREATE_VCPU.
 */
TEST(vcpus_beyond_the_td_cap_are_refused_by_name)
{
	char why[256] = "";

	kvm_double_reset();
	kvm_double.present_cpus = 2;
	EXPECT_FALSE(stress_vm_too_many_vcpus(FLAVOR_TDX, 2, why, sizeof(why))) TH_LOG("2 of 2");
	EXPECT_TRUE(stress_vm_too_many_vcpus(FLAVOR_TDX, 3, why, sizeof(why))) TH_LOG("3 of 2");
	EXPECT_STREQ("-v 3: KVM_CAP_MAX_VCPUS of a flavor tdx VM is 2 (KVM caps a TD at the host's present CPUs)", why);
	EXPECT_EQ(0, kvm_double.nr_violations);
}

TEST_HARNESS_MAIN
