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

/* The run's scheduler: real threads unless a case makes it seeded. */
static struct model_sched sched;
static struct kvm_model km;
static struct seam_report rep;

static void fresh(enum kvm_release release)
{
	struct seam_opts o;

	options_defaults(&o);
	o.kvm_release = release;
	sched_init(&sched, false, 1, 0);
	report_init(&rep, "t", NULL);
	kvm_model_free(&km);
	kvm_model_init(&km, &o, &rep, 1024, 2);
	km.td.sched = &sched;
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

/*
 * Bug 8 (docs/tdx-module-and-kvm.md §3 bug 8).  A private fault reads the
 * memslot anew each time: an INVALID one (KVM_MR_DELETE's first step,
 * kvm_invalidate_memslot(), virt/kvm/kvm_main.c) is RET_PF_RETRY, a
 * deleted one is KVM_EXIT_MEMORY_FAULT (kvm_handle_noslot_fault(),
 * arch/x86/kvm/mmu/mmu.c).  tdx_handle_ept_violation()
 * (arch/x86/kvm/vmx/tdx.c) retries RET_PF_RETRY locally since 6.16;
 * 6.18 (commit 2bc2694fe20b) breaks out of that loop when the slot is
 * INVALID, so that the vCPU leaves kvm->srcu and the deletion's
 * synchronize_srcu() can end.
 */
TEST(fault_on_a_memslot_being_deleted)
{
	fresh(KVM_6_16);
	km.memslot = MEMSLOT_INVALID;
	EXPECT_EQ(FAULT_DEAD, kvm_model_fault(&km, 0, 5, EXIT_EPT)) TH_LOG("6.16: retried locally past the bound (3)");
	EXPECT_TRUE(report_has_finding(&rep, "hung") && km.local_retries == 4 && !km.memslot_breaks) TH_LOG("6.16: local retries %llu, breaks %llu", (unsigned long long)km.local_retries, (unsigned long long)km.memslot_breaks);
	EXPECT_EQ(SM_FREE, km.td.entry[5].state) TH_LOG("nothing is mapped through an INVALID slot");
	EXPECT_FALSE(km.waits_for_memslot[0]) TH_LOG("the wait-for edge outlived the fault");

	fresh(KVM_6_18);
	km.memslot = MEMSLOT_INVALID;
	EXPECT_EQ(FAULT_REENTER, kvm_model_fault(&km, 0, 5, EXIT_EPT)) TH_LOG("6.18: the INVALID slot ends the local retry");
	EXPECT_TRUE(km.memslot_breaks == 1 && km.reentries == 1 && !km.local_retries) TH_LOG("6.18: breaks %llu, re-entries %llu, local retries %llu", (unsigned long long)km.memslot_breaks, (unsigned long long)km.reentries, (unsigned long long)km.local_retries);

	fresh(KVM_6_18);
	km.memslot = MEMSLOT_DELETED;
	EXPECT_EQ(FAULT_NO_MEMSLOT, kvm_model_fault(&km, 0, 5, EXIT_EPT)) TH_LOG("no memslot: KVM_EXIT_MEMORY_FAULT");
	EXPECT_EQ(1, km.no_memslot_exits);
}

/*
 * kvm_set_memslot(KVM_MR_DELETE) (virt/kvm/kvm_main.c): INVALID, a grace
 * period, the slot's mappings zapped (kvm_arch_flush_shadow_memslot()),
 * deleted, another grace period; the model then creates it again.
 */
TEST(memslot_move_zaps_the_slot)
{
	fresh(KVM_6_19);
	km.td.sept_page[0] = true;
	km.td.entry[20].state = SM_MAPPED;
	EXPECT_TRUE(kvm_model_move_memslot(&km)) TH_LOG("no vCPU in a read section: the deletion ends");
	EXPECT_EQ(SM_FREE, km.td.entry[20].state) TH_LOG("page 20 still mapped after the slot's flush");
	EXPECT_TRUE(km.memslot == MEMSLOT_VALID && km.memslot_deletions == 1) TH_LOG("memslot state %d, deletions %llu", km.memslot, (unsigned long long)km.memslot_deletions);
	EXPECT_FALSE(report_has_finding(&rep, "deadlock"));
}

/*
 * synchronize_srcu() waits for a vCPU inside its read section; that vCPU,
 * retrying locally on the INVALID slot, waits for the deletion: a cycle.
 * A reader that merely has not left yet is not one.
 */
TEST(srcu_wait_for_cycle_is_a_deadlock)
{
	fresh(KVM_6_16);
	km.max_retries = 1000;
	km.srcu_reader[1] = true;
	km.waits_for_memslot[1] = true;
	EXPECT_FALSE(kvm_model_move_memslot(&km));
	ASSERT_TRUE(report_has_finding(&rep, "deadlock")) TH_LOG("vCPU 1 in a read section and waiting for the slot: no deadlock finding");
	EXPECT_NE(NULL, strstr(rep.findings[0].message, "vCPU 1's SRCU read section")) TH_LOG("'%s' does not name vCPU 1", rep.findings[0].message);
	EXPECT_EQ(MEMSLOT_INVALID, km.memslot) TH_LOG("the deletion went on past the cycle");

	/* A pending signal ends the local retry: no cycle. */
	fresh(KVM_6_16);
	km.max_retries = 1000;
	km.srcu_reader[1] = true;
	km.waits_for_memslot[1] = true;
	km.signal[1] = true;
	EXPECT_FALSE(kvm_model_move_memslot(&km));
	EXPECT_TRUE(report_has_finding(&rep, "hung") && !report_has_finding(&rep, "deadlock")) TH_LOG("vCPU 1 has a signal pending: hung after the bound, not a deadlock");

	fresh(KVM_6_16);
	km.srcu_reader[1] = true;
	EXPECT_FALSE(kvm_model_move_memslot(&km));
	EXPECT_TRUE(report_has_finding(&rep, "hung") && !report_has_finding(&rep, "deadlock")) TH_LOG("a reader that does not wait for the slot: hung after the bound, not a deadlock");
}

/*
 * Bug 7, Yan Zhao's selftest (docs/tdx-module-and-kvm.md §3 bug 7): a
 * private access to a gfn whose attribute is shared is
 * KVM_EXIT_MEMORY_FAULT (kvm_mmu_faultin_pfn(), arch/x86/kvm/mmu/mmu.c);
 * a VMM that runs the vCPU again without converting sends it to the same
 * RIP and the same exit, and the 7th CPU-raised EPT violation there arms
 * the module's filter (td_exit_epf_stepping_log(), td_exit_stepping.c).
 * A VMM that converts (lib/flavor/td_exit.c) maps the page instead.
 */
TEST(vmm_ignoring_memory_fault_arms_zero_step)
{
	struct seam_opts o;
	int i;

	options_defaults(&o);
	o.kvm_release = KVM_6_19;
	o.pages = 16;
	o.model_shared_pages = 2;
	o.model_ignore_memory_fault = true;
	sched_init(&sched, false, 1, 0);
	report_init(&rep, "t", NULL);
	kvm_model_free(&km);
	kvm_model_init(&km, &o, &rep, 16, 2);
	km.td.sched = &sched;
	km.td.finalized = true;
	EXPECT_TRUE(km.shared[0] && km.shared[1] && !km.shared[2]) TH_LOG("--model-shared-pages 2: pages 0 and 1 start shared, the rest private");

	for (i = 0; i < 7; i++) {
		sm_vp_enter(&km.td, 0, 0x510);
		EXPECT_EQ(FAULT_REENTER, kvm_model_exit(&km, 0, 0x510, EXIT_EPT, 1));
		EXPECT_EQ(i == 6, km.td.armed == 1) TH_LOG("after %d exits at one RIP: armed %llu", i + 1, (unsigned long long)km.td.armed);
	}
	EXPECT_TRUE(km.shared[1] && !km.conversions && km.memory_fault_exits == 7) TH_LOG("the VMM converted page 1 (conversions %llu, exits %llu)", (unsigned long long)km.conversions, (unsigned long long)km.memory_fault_exits);
	EXPECT_EQ(SM_FREE, km.td.entry[1].state) TH_LOG("a shared gfn was mapped private");

	/* The same exit, answered by converting: mapped, no second exit. */
	km.ignore_memory_fault = false;
	sm_vp_enter(&km.td, 1, 0x510);
	EXPECT_EQ(FAULT_REENTER, kvm_model_exit(&km, 1, 0x510, EXIT_EPT, 0));
	EXPECT_TRUE(!km.shared[0] && km.conversions == 1) TH_LOG("the VMM did not convert page 0");
}

TEST_HARNESS_MAIN
