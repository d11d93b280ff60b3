// SPDX-License-Identifier: GPL-2.0
/*
 * The model's KVM, one call at a time against docs/tdx-module-and-kvm.md §2:
 * what a private EPT violation turns into by release (RET_PF_RETRY while
 * a punch-hole's invalidation is in flight: back to the guest before 6.16,
 * a local retry since, left for a pending signal; a shared attribute:
 * KVM_EXIT_MEMORY_FAULT; a pending page under SEPT_VE_DISABLE: kvm_vm_dead
 * since 6.16), and a zap's BUSY handling (KVM_BUG_ON before 6.16).
 */
#include <errno.h>
#include <string.h>

#include "kvm_model.h"
#include "model_sched.h"
#include "tdx_abi.h"
#include "kselftest_harness.h"

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

TEST(retry_while_invalidating)
{
	fresh(KVM_PRE_6_16);
	km.invalidating[5] = 1;
	EXPECT_TRUE(kvm_model_fault(&km, 0, 5, EXIT_EPT) == FAULT_REENTER) TH_LOG("pre-6.16: RET_PF_RETRY goes back to the guest");
	EXPECT_TRUE(km.reentries == 1 && !km.local_retries) TH_LOG("counted as a re-entry");

	fresh(KVM_6_16);
	km.invalidating[5] = 1;
	km.signal[0] = true;
	EXPECT_TRUE(kvm_model_fault(&km, 0, 5, EXIT_EPT) == FAULT_REENTER) TH_LOG("6.16: a pending signal breaks the local retry");
	km.signal[0] = false;
	EXPECT_TRUE(kvm_model_fault(&km, 0, 5, EXIT_EPT) == FAULT_DEAD &&
		    report_has_finding(&rep, "hung") && km.local_retries == 4) TH_LOG("6.16: retried locally past the bound (3), then hung");

	fresh(KVM_6_16);
	EXPECT_TRUE(kvm_model_fault(&km, 0, 5, EXIT_EPT) == FAULT_FIXED &&
		    km.td.entry[5].state == SM_PENDING && km.td.sept_page[0]) TH_LOG("no invalidation: SEPT.ADD and AUG map it");
	EXPECT_TRUE(kvm_model_fault(&km, 1, 5, EXIT_EPT) == FAULT_FIXED) TH_LOG("mapped already: spurious");
}

/*
 * A fault on a gfn whose mirror SPTE is present is RET_PF_SPURIOUS with no
 * SEAMCALL (the TDP MMU finds the SPTE it would install,
 * kvm_tdp_mmu_map()/tdp_mmu_map_handle_target_level(), arch/x86/kvm/mmu/
 * tdp_mmu.c): no PAGE.AUG, so no BUSY on an entry the guest holds and no
 * TDHP bit set by it.
 */
TEST(fault_on_a_present_spte_is_spurious)
{
	fresh(KVM_6_16);
	EXPECT_EQ(FAULT_FIXED, kvm_model_fault(&km, 0, 5, EXIT_EPT));
	EXPECT_EQ(SM_PENDING, km.td.entry[5].state);
	km.td.entry[5].locked = true;		/* the guest's ACCEPT holds it */
	EXPECT_EQ(FAULT_FIXED, kvm_model_fault(&km, 1, 5, EXIT_EPT));
	EXPECT_FALSE(km.td.entry[5].hp) TH_LOG("an AUG was issued: it set TDHP");
	EXPECT_EQ(0, km.td.busy[TDH_MEM_PAGE_AUG][SM_BUSY_ENTRY]) TH_LOG("an AUG was issued");
	EXPECT_EQ(1, km.spurious_faults);
	km.td.entry[5].locked = false;
}

/*
 * The zap's BLOCK takes only success or BUSY: TDX_GPA_RANGE_ALREADY_BLOCKED
 * is a KVM_BUG_ON like any other error (tdx_sept_zap_private_spte(),
 * arch/x86/kvm/vmx/tdx.c), not a page already half-zapped to step over.
 */
TEST(already_blocked_is_a_bug_on)
{
	fresh(KVM_6_19);
	EXPECT_EQ(FAULT_FIXED, kvm_model_fault(&km, 0, 5, EXIT_EPT));
	km.td.entry[5].state = SM_BLOCKED;
	EXPECT_FALSE(kvm_model_zap(&km, 5));
	EXPECT_TRUE(report_has_finding(&rep, "kvm_bug_on"));
}

TEST(shared_attribute_is_a_memory_fault_exit)
{
	fresh(KVM_6_19);
	km.shared[9] = true;
	EXPECT_TRUE(kvm_model_fault(&km, 0, 9, EXIT_EPT_ACCEPT) == FAULT_USER_EXIT &&
		    km.memory_fault_exits == 1 && km.td.entry[9].state == SM_FREE) TH_LOG("private fault on a shared gfn: to userspace, nothing mapped");
	/* kvm_model_exit() serves it as userspace would: converted back. */
	EXPECT_TRUE(kvm_model_exit(&km, 0, 0x100, EXIT_EPT_ACCEPT, 9) == FAULT_REENTER &&
		    !km.shared[9] && km.conversions == 1) TH_LOG("converted back to private");
}

TEST(pending_touch)
{
	fresh(KVM_6_16);
	EXPECT_TRUE(kvm_model_fault(&km, 1, 12, EXIT_EPT_PENDING) == FAULT_DEAD &&
		    report_has_finding(&rep, "vm_dead") && km.dead) TH_LOG("6.16: Guest access before accepting kills the VM");
	fresh(KVM_PRE_6_16);
	km.td.sept_page[0] = true;
	km.td.entry[12].state = SM_PENDING;
	EXPECT_TRUE(kvm_model_fault(&km, 1, 12, EXIT_EPT_PENDING) == FAULT_FIXED && !km.dead) TH_LOG("pre-6.16: a spurious fault, the guest re-enters");
}

TEST(zap_busy)
{
	fresh(KVM_PRE_6_16);
	km.td.sept_page[0] = true;
	km.td.entry[20].state = SM_MAPPED;
	km.td.entry[20].locked = true;	/* a guest ACCEPT holds the entry */
	EXPECT_TRUE(!kvm_model_zap(&km, 20) && report_has_finding(&rep, "kvm_bug_on")) TH_LOG("pre-6.16: BLOCK BUSY|RCX is KVM_BUG_ON");
	EXPECT_NE(NULL, strstr(rep.findings[0].message, "TDH_MEM_RANGE_BLOCK failed: 0x8000020000000001")) TH_LOG("'%s' does not contain '%s'", rep.findings[0].message, "TDH_MEM_RANGE_BLOCK failed: 0x8000020000000001");

	fresh(KVM_6_19);
	km.td.sept_page[0] = true;
	km.td.entry[20].state = SM_MAPPED;
	EXPECT_TRUE(kvm_model_zap(&km, 20) && km.td.entry[20].state == SM_FREE && km.td.epoch == 2) TH_LOG("6.19: BLOCK, TRACK, kick, REMOVE");
	EXPECT_TRUE(!km.invalidating[20]) TH_LOG("the invalidation ended");
}

/* Only CPU-raised EPT violations reach the zero-step counter (docs/tdx-module-and-kvm.md §1.4). */
TEST(exit_kinds_and_zero_step)
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
	EXPECT_TRUE(!km.td.vcpu[0].zs_counter && !km.td.armed) TH_LOG("ACCEPT exits: never counted");
	for (i = 0; i < 7; i++) {
		sm_vp_enter(&km.td, 0, 0x510);
		kvm_model_exit(&km, 0, 0x510, EXIT_EPT, 30);
	}
	EXPECT_TRUE(km.td.armed == 1 && km.td.vcpu[0].zs_list[0] == 30) TH_LOG("7 store faults at one RIP: armed");
}

/*
 * An armed vCPU whose listed page is PENDING cannot enter: the filter makes
 * up an EPT violation while the page would fault (is_epf_expected(),
 * td_exit_stepping.c), KVM finds the page mapped and re-enters, and only
 * the guest's ACCEPT, which never runs, would end it.  That is a zero-step
 * livelock, named as such, not a vCPU that merely hung.
 */
TEST(armed_on_a_pending_page_is_a_livelock)
{
	struct seam_finding *f = NULL;
	int i;

	fresh(KVM_6_19);
	km.td.sept_ve_disable = false;
	km.td.sept_page[0] = true;
	ASSERT_EQ(0, sm_page_aug(&km.td, 50));
	for (i = 0; i < 7; i++) {
		sm_vp_enter(&km.td, 0, 0x100);
		sm_td_exit(&km.td, 0, 0x100, 50);
	}
	EXPECT_FALSE(kvm_model_enter(&km, 0, 0x100));
	for (i = 0; i < rep.nr_findings; i++)
		if (!strcmp(rep.findings[i].detector, "zero_step"))
			f = &rep.findings[i];
	ASSERT_NE(NULL, f) TH_LOG("no zero_step finding; hung: %d", report_has_finding(&rep, "hung"));
	EXPECT_NE(NULL, strstr(f->message, "livelock")) TH_LOG("%s", f->message);
	EXPECT_NE(NULL, strstr(f->message, "PENDING")) TH_LOG("%s", f->message);
}

/*
 * Bug 10 (docs/tdx-module-and-kvm.md §3): before 6.19 KVM_TDX_INIT_VCPU
 * holds only its vcpu->mutex, so its TDH.VP.CREATE meets an MR.EXTEND or
 * MR.FINALIZE holding the TDR: any error of it is a KVM_BUG_ON
 * (tdx_td_vcpu_init(), arch/x86/kvm/vmx/tdx.c); KVM_TDX_INIT_MEM_REGION's
 * failed TDH.MR.EXTEND is -EIO with no KVM_BUG_ON until 6.19
 * (tdx_gmem_post_populate()).  6.19's tdx_acquire_vm_state_locks() answers
 * -EBUSY while a vCPU creation is in flight (created_vcpus != online_vcpus).
 */
TEST(td_build_ioctls_by_release)
{
	fresh(KVM_6_16);
	km.td.finalized = false;
	km.td.tdr.sx.excl = true;	/* INIT_MEM_REGION's MR.EXTEND on another vCPU */
	EXPECT_EQ(-EIO, kvm_model_init_vcpu(&km, 1));
	EXPECT_TRUE(report_has_finding(&rep, "kvm_bug_on") && strstr(rep.findings[0].message, "TDH_VP_CREATE"))
		TH_LOG("6.16: VP.CREATE's BUSY is a KVM_BUG_ON naming it");

	fresh(KVM_6_18);
	km.td.finalized = false;
	km.td.sept_page[0] = true;
	km.td.tdr.sx.readers = 1;	/* INIT_VCPU's VP.CREATE on another vCPU */
	EXPECT_EQ(-EBUSY, kvm_model_init_mem_region(&km, 3)) TH_LOG("PAGE.ADD's BUSY: -EBUSY, tried again, still -EBUSY");
	EXPECT_TRUE(!rep.nr_findings && km.build_ebusy == 0) TH_LOG("not a bug; not the guard's -EBUSY");
	km.td.tdr.sx.readers = 0;
	km.td.tdr.hp = false;
	EXPECT_EQ(0, kvm_model_init_mem_region(&km, 3));
	EXPECT_TRUE(km.td.entry[3].state == SM_MAPPED && km.td.extended == 16) TH_LOG("added and measured in 16 chunks");

	fresh(KVM_6_18);
	km.td.finalized = true;
	EXPECT_EQ(-EINVAL, kvm_model_init_vcpu(&km, 1)) TH_LOG("after FINALIZE: -EINVAL, no SEAMCALL");
	EXPECT_TRUE(!rep.nr_findings && km.init_vcpu_einval == 1);

	fresh(KVM_6_19);
	km.td.finalized = false;
	km.created_vcpus = km.online_vcpus + 1;	/* a KVM_CREATE_VCPU in flight */
	km.max_retries = 2;
	EXPECT_EQ(-EBUSY, kvm_model_init_vcpu(&km, 1)) TH_LOG("6.19: -EBUSY while a vCPU is being created");
	EXPECT_TRUE(km.build_ebusy == 3 && !km.td.vcpu[1].created) TH_LOG("no SEAMCALL, tried again");
	km.created_vcpus = km.online_vcpus;
	EXPECT_EQ(0, kvm_model_init_vcpu(&km, 1));
	EXPECT_TRUE(km.td.vcpu[1].created && km.td.vcpu[1].initialized);
}

TEST_HARNESS_MAIN
