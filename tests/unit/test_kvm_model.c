// SPDX-License-Identifier: GPL-2.0
/*
 * The model's KVM, one call at a time against docs/tdx-module-and-kvm.md §2:
 * what a private EPT violation turns into by release (RET_PF_RETRY while
 * a punch-hole's invalidation is in flight: back to the guest before 6.16,
 * a local retry since, left for a pending signal; a shared attribute:
 * KVM_EXIT_MEMORY_FAULT; a pending page under SEPT_VE_DISABLE: kvm_vm_dead
 * since 6.16), and a zap's BUSY handling (KVM_BUG_ON before 6.16).
 */
#include "kvm_model.h"
#include "model_sched.h"
#include "tdx_abi.h"
#include "unit.h"

static struct kvm_model km;
static struct seam_report rep;

static void fresh(enum kvm_release release)
{
	struct seam_opts o;

	options_defaults(&o);
	o.kvm_release = release;
	sched_init(false, 1, 0);
	report_init(&rep, "t", NULL);
	kvm_model_free(&km);
	kvm_model_init(&km, &o, &rep, 1024, 2);
	km.td.finalized = true;
	km.max_retries = 3;
}

static void test_retry_while_invalidating(void)
{
	fresh(KVM_PRE_6_16);
	km.invalidating[5] = 1;
	UNIT_EXPECT(kvm_model_fault(&km, 0, 5, EXIT_EPT) == FAULT_REENTER,
		    "pre-6.16: RET_PF_RETRY goes back to the guest");
	UNIT_EXPECT(km.reentries == 1 && !km.local_retries, "counted as a re-entry");

	fresh(KVM_6_16);
	km.invalidating[5] = 1;
	km.signal[0] = true;
	UNIT_EXPECT(kvm_model_fault(&km, 0, 5, EXIT_EPT) == FAULT_REENTER,
		    "6.16: a pending signal breaks the local retry");
	km.signal[0] = false;
	UNIT_EXPECT(kvm_model_fault(&km, 0, 5, EXIT_EPT) == FAULT_DEAD &&
		    report_has_finding(&rep, "hung") && km.local_retries == 4,
		    "6.16: retried locally past the bound (3), then hung");

	fresh(KVM_6_16);
	UNIT_EXPECT(kvm_model_fault(&km, 0, 5, EXIT_EPT) == FAULT_FIXED &&
		    km.td.entry[5].state == SM_PENDING && km.td.sept_page[0],
		    "no invalidation: SEPT.ADD and AUG map it");
	UNIT_EXPECT(kvm_model_fault(&km, 1, 5, EXIT_EPT) == FAULT_FIXED, "mapped already: spurious");
}

static void test_shared_attribute_is_a_memory_fault_exit(void)
{
	fresh(KVM_6_19);
	km.shared[9] = true;
	UNIT_EXPECT(kvm_model_fault(&km, 0, 9, EXIT_EPT_ACCEPT) == FAULT_USER_EXIT &&
		    km.memory_fault_exits == 1 && km.td.entry[9].state == SM_FREE,
		    "private fault on a shared gfn: to userspace, nothing mapped");
	/* kvm_model_exit() serves it as userspace would: converted back. */
	UNIT_EXPECT(kvm_model_exit(&km, 0, 0x100, EXIT_EPT_ACCEPT, 9) == FAULT_REENTER &&
		    !km.shared[9] && km.conversions == 1, "converted back to private");
}

static void test_pending_touch(void)
{
	fresh(KVM_6_16);
	UNIT_EXPECT(kvm_model_fault(&km, 1, 12, EXIT_EPT_PENDING) == FAULT_DEAD &&
		    report_has_finding(&rep, "vm_dead") && km.dead,
		    "6.16: Guest access before accepting kills the VM");
	fresh(KVM_PRE_6_16);
	km.td.sept_page[0] = true;
	km.td.entry[12].state = SM_PENDING;
	UNIT_EXPECT(kvm_model_fault(&km, 1, 12, EXIT_EPT_PENDING) == FAULT_FIXED && !km.dead,
		    "pre-6.16: a spurious fault, the guest re-enters");
}

static void test_zap_busy(void)
{
	fresh(KVM_PRE_6_16);
	km.td.sept_page[0] = true;
	km.td.entry[20].state = SM_MAPPED;
	km.td.entry[20].locked = true;	/* a guest ACCEPT holds the entry */
	UNIT_EXPECT(!kvm_model_zap(&km, 20) && report_has_finding(&rep, "kvm_bug_on"),
		    "pre-6.16: BLOCK BUSY|RCX is KVM_BUG_ON");
	UNIT_EXPECT_CONTAINS(rep.findings[0].message, "TDH_MEM_RANGE_BLOCK failed: 0x8000020000000001");

	fresh(KVM_6_19);
	km.td.sept_page[0] = true;
	km.td.entry[20].state = SM_MAPPED;
	UNIT_EXPECT(kvm_model_zap(&km, 20) && km.td.entry[20].state == SM_FREE && km.td.epoch == 2,
		    "6.19: BLOCK, TRACK, kick, REMOVE");
	UNIT_EXPECT(!km.invalidating[20], "the invalidation ended");
}

/* Only CPU-raised EPT violations reach the zero-step counter (docs/tdx-module-and-kvm.md §1.4). */
static void test_exit_kinds_and_zero_step(void)
{
	int i;

	fresh(KVM_6_19);
	km.td.sept_page[0] = true;
	km.invalidating[30] = 1;	/* every fault of page 30 is RET_PF_RETRY */
	km.signal[0] = true;		/* and goes back to the guest */
	for (i = 0; i < 10; i++) {
		sm_vp_enter(&km.td, 0, 0x500);
		kvm_model_exit(&km, 0, 0x500, EXIT_EPT_ACCEPT, 30);
	}
	UNIT_EXPECT(!km.td.vcpu[0].zs_counter && !km.td.armed, "ACCEPT exits: never counted");
	for (i = 0; i < 7; i++) {
		sm_vp_enter(&km.td, 0, 0x510);
		kvm_model_exit(&km, 0, 0x510, EXIT_EPT, 30);
	}
	UNIT_EXPECT(km.td.armed == 1 && km.td.vcpu[0].zs_list[0] == 30, "7 store faults at one RIP: armed");
}

UNIT_MAIN(UNIT(test_retry_while_invalidating),
	  UNIT(test_exit_kinds_and_zero_step),
	  UNIT(test_shared_attribute_is_a_memory_fault_exit),
	  UNIT(test_pending_touch),
	  UNIT(test_zap_busy))
