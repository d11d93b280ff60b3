// SPDX-License-Identifier: GPL-2.0
/*
 * The software TDX module against docs/tdx-module-and-kvm.md §1.2-§1.5: each
 * lock's modes and BUSY status with its operand, host priority and its
 * timeout, the TLB tracking rule and PREVIOUS_TLB_EPOCH_BUSY, ACCEPT's
 * results, and the zero-step counter: exactly the 7th same-RIP fault arms
 * it, a RIP change resets it, an armed VP.ENTER takes the tree lock
 * exclusively or synthesizes an exit.
 */
#include "model_sched.h"
#include "seam_model.h"
#include "tdx_abi.h"
#include "kselftest_harness.h"

/* The run's scheduler: real threads unless a case makes it seeded. */
static struct model_sched sched;
static struct sm_td td;

static void fresh(void)
{
	sched_init(&sched, false, 1, 0);
	sm_td_free(&td);
	sm_td_init(&td, 1024, 4);
	td.sched = &sched;
	td.finalized = true;
}

static void map(struct __test_metadata *_metadata, uint64_t page)
{
	bool exit;

	td.sept_page[page / SM_PAGES_PER_SEPT] = true;
	EXPECT_TRUE(!sm_page_aug(&td, page)) TH_LOG("AUG %llu", (unsigned long long)page);
	EXPECT_TRUE(!sm_guest_accept(&td, 0, page, 0x500, &exit) && !exit) TH_LOG("ACCEPT");
}

TEST(lock_busy_codes)
{
	fresh();
	td.sept_page[0] = true;
	td.entry[3].locked = true;
	EXPECT_TRUE(sm_page_aug(&td, 3) == 0x8000020000000001ULL) TH_LOG("entry lock: BUSY|RCX");
	EXPECT_TRUE(td.entry[3].hp) TH_LOG("a failed host acquire sets TDHP");
	td.entry[3].locked = false;

	td.sept.excl = true;
	EXPECT_TRUE(sm_page_aug(&td, 3) == 0x8000020000000092ULL) TH_LOG("tree lock: BUSY|0x92");
	EXPECT_TRUE(sm_sept_add(&td, 600) == 0x8000020000000092ULL) TH_LOG("SEPT.ADD shares the tree");
	td.sept.excl = false;

	/* BLOCK wants the tree exclusively: a reader is enough to refuse it. */
	map(_metadata, 5);
	td.sept.readers = 1;
	EXPECT_TRUE(sm_range_block(&td, 5) == 0x8000020000000092ULL) TH_LOG("BLOCK vs a reader");
	td.sept.readers = 0;

	td.epoch_lock.readers = 1;	/* a VP.ENTER in flight */
	EXPECT_TRUE(sm_mem_track(&td) == 0x80000200000000A9ULL) TH_LOG("TRACK: BUSY|0xA9");
	td.epoch_lock.readers = 0;
	td.epoch_lock.excl = true;	/* a TRACK in flight */
	EXPECT_TRUE(sm_vp_enter(&td, 0, 0x10).status == 0x80000200000000A9ULL) TH_LOG("VP.ENTER: BUSY|0xA9");
	td.epoch_lock.excl = false;

	td.tdr.sx.readers = 1;		/* any TDR-shared SEAMCALL */
	EXPECT_TRUE(sm_vp_init(&td, 1) == 0x8000020000000080ULL) TH_LOG("VP.INIT wants TDR ex: BUSY|TDR");
	td.tdr.sx.readers = 0;
	td.finalized = false;		/* VP.INIT only while the TD is built */
	EXPECT_TRUE(!sm_vp_init(&td, 1) && td.vcpu[1].initialized) TH_LOG("VP.INIT");
	td.finalized = true;
	EXPECT_TRUE(td.busy[TDH_MEM_PAGE_AUG][SM_BUSY_SEPT] == 1 && td.busy[TDH_MEM_PAGE_AUG][SM_BUSY_ENTRY] == 1) TH_LOG("busy histogram per SEAMCALL and operand");
}

/*
 * SEPT.ADD locks the parent entry of the new S-EPT page, the one that will
 * point to it (tdh_mem_sept_add(): lock_sept_check_and_walk_private_gpa()
 * to the parent level, then sept_lock_acquire_host() on that entry,
 * src/vmm_dispatcher/api_calls/tdh_mem_sept_add.c), never a 4K leaf: an
 * AUG or a vCPU's ACCEPT holding a leaf of the region does not refuse it,
 * and another SEPT.ADD of the region does (BUSY|RCX).  Until 2026-12-02
 * the model locked the leaf entry of the faulting page.
 */
TEST(sept_add_locks_the_parent_entry)
{
	uint64_t region = SM_PAGES_PER_SEPT;	/* fresh()'s 1024 pages: regions 0 and 1 */

	fresh();
	td.entry[region + 7].locked = true;	/* an AUG, BLOCK or ACCEPT on a leaf */
	EXPECT_TRUE(!sm_sept_add(&td, region + 7) && td.sept_page[1]) TH_LOG("a locked leaf does not refuse SEPT.ADD");
	EXPECT_TRUE(!td.entry[region + 7].hp) TH_LOG("nor gets TDHP from it");
	td.entry[region + 7].locked = false;

	td.sept_parent[0].locked = true;	/* another SEPT.ADD of region 0 in flight */
	EXPECT_TRUE(sm_sept_add(&td, 1) == 0x8000020000000001ULL) TH_LOG("the parent entry's lock: BUSY|RCX");
	EXPECT_TRUE(!td.sept_page[0] && td.busy[TDH_MEM_SEPT_ADD][SM_BUSY_ENTRY] == 1) TH_LOG("counted, nothing added");
	td.sept_parent[0].locked = false;
	EXPECT_TRUE(!sm_sept_add(&td, 1) && !td.sept_parent[0].locked)
		TH_LOG("added, and the parent entry released");
}

/*
 * A busy TDR names the register that held the TDR: RDX for SEPT.ADD, AUG,
 * RANGE.BLOCK and PAGE.REMOVE, RCX for TRACK and MR.FINALIZE
 * (check_lock_and_map_explicit_tdr(tdr_pa, OPERAND_ID_RDX/RCX, ...) in each
 * src/vmm_dispatcher/api_calls/tdh_*.c); the TDR's own id 0x80 only where
 * the TDR is implicit (TDH.VP.ADDCX, TDH.VP.INIT, TDH.VP.ENTER:
 * lock_and_map_implicit_tdr()).
 */
FIXTURE(busy_tdr) {};

/* A TDR-exclusive SEAMCALL (an MR.EXTEND, say) is in flight. */
FIXTURE_SETUP(busy_tdr)
{
	fresh();
	td.sept_page[0] = true;
	td.tdr.sx.excl = true;
}

FIXTURE_TEARDOWN(busy_tdr)
{
	td.tdr.sx.excl = false;
}

FIXTURE_VARIANT(busy_tdr)
{
	uint64_t (*call)(void);
	uint64_t status;	/* TDX_OPERAND_BUSY | the operand id */
};

static uint64_t sept_add(void)		{ return sm_sept_add(&td, 600); }
static uint64_t page_aug(void)		{ return sm_page_aug(&td, 5); }
static uint64_t range_block(void)	{ return sm_range_block(&td, 5); }
static uint64_t page_remove(void)	{ return sm_page_remove(&td, 5); }
static uint64_t mem_track(void)		{ return sm_mem_track(&td); }
static uint64_t mr_finalize(void)	{ return sm_mr_finalize(&td); }
static uint64_t vp_addcx(void)		{ return sm_vp_addcx(&td, 1); }
static uint64_t vp_init(void)		{ return sm_vp_init(&td, 1); }
static uint64_t vp_enter(void)		{ return sm_vp_enter(&td, 0, 0x10).status; }

FIXTURE_VARIANT_ADD(busy_tdr, sept_add_rdx)	{ .call = sept_add, .status = 0x8000020000000002ULL };
FIXTURE_VARIANT_ADD(busy_tdr, page_aug_rdx)	{ .call = page_aug, .status = 0x8000020000000002ULL };
FIXTURE_VARIANT_ADD(busy_tdr, range_block_rdx)	{ .call = range_block, .status = 0x8000020000000002ULL };
FIXTURE_VARIANT_ADD(busy_tdr, page_remove_rdx)	{ .call = page_remove, .status = 0x8000020000000002ULL };
FIXTURE_VARIANT_ADD(busy_tdr, mem_track_rcx)	{ .call = mem_track, .status = 0x8000020000000001ULL };
FIXTURE_VARIANT_ADD(busy_tdr, mr_finalize_rcx)	{ .call = mr_finalize, .status = 0x8000020000000001ULL };
FIXTURE_VARIANT_ADD(busy_tdr, vp_addcx_tdr)	{ .call = vp_addcx, .status = 0x8000020000000080ULL };
FIXTURE_VARIANT_ADD(busy_tdr, vp_init_tdr)	{ .call = vp_init, .status = 0x8000020000000080ULL };
FIXTURE_VARIANT_ADD(busy_tdr, vp_enter_tdr)	{ .call = vp_enter, .status = 0x8000020000000080ULL };

TEST_F(busy_tdr, names_its_register)
{
	uint64_t st = variant->call();

	EXPECT_EQ(variant->status, st) TH_LOG("BUSY status 0x%llx, expected 0x%llx",
					      (unsigned long long)st, (unsigned long long)variant->status);
}

/*
 * TDH.VP.ENTER (tdh_vp_enter.c): the TDR lock is taken shared and held
 * until the TD exits (released in td_vmexit_to_vmm(), td_exit.c); the epoch
 * lock only while the vCPU joins the epoch's refcount
 * (adjust_tlb_tracking_state()), released before the stepping filter.
 */
TEST(vp_enter_holds_the_tdr_until_exit)
{
	fresh();
	ASSERT_EQ(0, sm_vp_enter(&td, 0, 0x10).status);
	EXPECT_EQ(0, td.epoch_lock.readers) TH_LOG("the epoch lock is released at once");
	EXPECT_EQ(1, td.refcount[td.epoch & 1]) TH_LOG("the vCPU counts in the epoch");
	EXPECT_EQ(1, td.tdr.sx.readers) TH_LOG("the TDR stays shared while in the guest");
	EXPECT_EQ(0x8000020000000080ULL, sm_vp_init(&td, 1)) TH_LOG("VP.INIT (TDR ex) is BUSY meanwhile");
	sm_td_exit(&td, 0, 0x10, -1);
	EXPECT_EQ(0, td.tdr.sx.readers) TH_LOG("released at the TD exit");
	EXPECT_EQ(0, td.refcount[td.epoch & 1]);
	EXPECT_EQ(TDX_OP_STATE_INCORRECT, sm_vp_init(&td, 1)) TH_LOG("the TDR free, the RUNNABLE TD refuses VP.INIT");
}

/*
 * The op-state rule (seamcall_state_lookup[] in include/auto_gen/
 * op_state_lookup.c of the 1.5.05 source, checked by
 * check_any_td_state_map_tdcs_and_lock(), src/common/helpers/helpers.c,
 * after the TDR is locked): TDH.VP.CREATE, TDH.VP.INIT, TDH.MEM.PAGE.ADD,
 * TDH.MR.EXTEND and TDH.MR.FINALIZE only while the TD is INITIALIZED,
 * TDH.VP.ENTER only once it is RUNNABLE; TDX_OP_STATE_INCORRECT otherwise,
 * and a busy TDR answers first.  TDH.MR.FINALIZE wants a VP.INIT'd vCPU
 * (TDX_NO_VCPUS, tdh_mr_finalize.c).  VP.CREATE takes the TDR shared,
 * PAGE.ADD and MR.EXTEND exclusively, each in RDX (tdh_vp_create.c,
 * tdh_mem_page_add.c, tdh_mr_extend.c).  Until 2026-12-02 the model had
 * no op-state and no VP.CREATE, PAGE.ADD or MR.EXTEND.
 */
TEST(op_state_rules)
{
	fresh();
	td.finalized = false;
	td.sept_page[0] = true;
	EXPECT_EQ(TDX_OP_STATE_INCORRECT, sm_vp_enter(&td, 0, 0x10).status) TH_LOG("VP.ENTER before FINALIZE");
	EXPECT_EQ(TDX_NO_VCPUS, sm_mr_finalize(&td)) TH_LOG("MR.FINALIZE before any VP.INIT");
	td.tdr.sx.readers = 1;		/* a VP.CREATE in flight */
	EXPECT_EQ(0, sm_vp_create(&td, 1)) TH_LOG("VP.CREATE beside a TDR reader");
	EXPECT_EQ(0x8000020000000002ULL, sm_page_add(&td, 3)) TH_LOG("PAGE.ADD: BUSY|RDX");
	EXPECT_EQ(0x8000020000000002ULL, sm_mr_extend(&td, 3)) TH_LOG("MR.EXTEND: BUSY|RDX");
	td.tdr.sx.readers = 0;
	td.tdr.sx.excl = true;		/* an MR.EXTEND in flight */
	EXPECT_EQ(0x8000020000000002ULL, sm_vp_create(&td, 2)) TH_LOG("VP.CREATE: BUSY|RDX");
	td.tdr.sx.excl = false;
	EXPECT_EQ(TDX_EPT_ENTRY_NOT_PRESENT, sm_mr_extend(&td, 3)) TH_LOG("MR.EXTEND of a page not added");
	EXPECT_TRUE(!sm_page_add(&td, 3) && td.entry[3].state == SM_MAPPED) TH_LOG("PAGE.ADD maps the page");
	EXPECT_TRUE(!sm_mr_extend(&td, 3) && td.extended == 1) TH_LOG("MR.EXTEND measures a chunk");
	EXPECT_EQ(0, sm_vp_init(&td, 1));
	EXPECT_EQ(0, sm_mr_finalize(&td)) TH_LOG("RUNNABLE");

	EXPECT_EQ(TDX_OP_STATE_INCORRECT, sm_vp_create(&td, 2));
	EXPECT_EQ(TDX_OP_STATE_INCORRECT, sm_vp_init(&td, 2));
	EXPECT_EQ(TDX_OP_STATE_INCORRECT, sm_page_add(&td, 4));
	EXPECT_EQ(TDX_OP_STATE_INCORRECT, sm_mr_extend(&td, 3));
	EXPECT_EQ(TDX_OP_STATE_INCORRECT, sm_mr_finalize(&td));
	EXPECT_EQ(0, td.tdr.sx.readers + td.tdr.sx.excl) TH_LOG("a refused call leaves the TDR free");
	td.tdr.sx.excl = true;
	EXPECT_EQ(0x8000020000000002ULL, sm_vp_create(&td, 2)) TH_LOG("the busy TDR answers before the op-state");
	td.tdr.sx.excl = false;
	EXPECT_EQ(0, sm_vp_enter(&td, 0, 0x10).status) TH_LOG("VP.ENTER once RUNNABLE");
}

/*
 * TDH.VP.ADDCX (tdh_vp_addcx.c): the vCPU's TDVPR exclusive, its TDR
 * shared (beside other readers), and only while the vCPU is
 * VCPU_UNINITIALIZED, else TDX_VCPU_STATE_INCORRECT.
 */
TEST(vp_addcx_before_vp_init)
{
	fresh();
	td.finalized = false;
	td.vcpu[1].created = true;
	td.vcpu[1].initialized = false;
	td.tdr.sx.readers = 1;		/* a punch's BLOCK in flight */
	EXPECT_EQ(0, sm_vp_addcx(&td, 1)) TH_LOG("VP.ADDCX beside a TDR reader");
	td.tdr.sx.readers = 0;
	EXPECT_EQ(0, sm_vp_addcx(&td, 1));
	EXPECT_EQ(2, td.vcpu[1].tdcx_pages) TH_LOG("two TDCX pages added");
	EXPECT_EQ(0, sm_vp_init(&td, 1));
	EXPECT_EQ(TDX_VCPU_STATE_INCORRECT, sm_vp_addcx(&td, 1)) TH_LOG("VP.ADDCX after VP.INIT");
	EXPECT_EQ(2, td.vcpu[1].tdcx_pages);
	EXPECT_EQ(0, td.tdr.sx.readers + td.tdr.sx.excl) TH_LOG("the TDR is free again");
}

TEST(host_priority)
{
	bool exit;
	uint64_t st = 0, i;

	fresh();
	map(_metadata, 7);
	td.entry[7].locked = true;		/* the guest holds it... */
	sm_range_block(&td, 7);			/* ...the host fails and sets TDHP */
	td.entry[7].locked = false;
	/* With real threads the timeout is time: make it none. */
	td.hp_timeout_ns = 0;
	st = sm_guest_accept(&td, 0, 7, 0x500, &exit);
	EXPECT_TRUE(st == TDX_HOST_PRIORITY_BUSY_TIMEOUT) TH_LOG("timeout 0: at once");
	td.vcpu[0].guest_hp_busy = 0;
	td.hp_timeout_ns = 60ULL * 1000000000;
	for (i = 0; i < 5; i++)
		st = sm_guest_accept(&td, 0, 7, 0x500, &exit);
	EXPECT_TRUE(st == (TDX_OPERAND_BUSY | 1)) TH_LOG("refused, within the timeout");
	EXPECT_TRUE(td.busy[SM_BUSY_GUEST_ACCEPT][SM_BUSY_ENTRY] == 6 && !td.busy[TDH_MEM_PAGE_AUG][SM_BUSY_ENTRY]) TH_LOG("the guest's refusals are its own row, not PAGE.AUG's (both leaf 6)");
	/* Under the seeded scheduler it is counted in tries. */
	sched_init(&sched, true, 1, 0);
	td.vcpu[0].guest_hp_busy = 0;
	td.hp_timeout_tries = 5;
	for (i = 0; i < 5; i++)
		st = sm_guest_accept(&td, 0, 7, 0x500, &exit);
	sched_init(&sched, false, 1, 0);
	EXPECT_TRUE(st == TDX_HOST_PRIORITY_BUSY_TIMEOUT) TH_LOG("guest refused until the timeout: 0x%llx",
		    (unsigned long long)st);
	EXPECT_TRUE(!sm_range_block(&td, 7) && !td.entry[7].hp) TH_LOG("the host's next success clears TDHP");
}

/*
 * The guest's host-priority count is of BUSY_HOST_PRIORITY in a row: any
 * other TDCALL result, a plain BUSY too, resets it, and so does the timeout
 * itself (td_call(), tdx_td_dispatcher.c: "else hp_lock_busy = false").
 */
TEST(host_priority_count_resets_on_a_plain_busy)
{
	bool exit;
	uint64_t st;

	fresh();
	map(_metadata, 7);
	td.entry[7].locked = true;
	sm_range_block(&td, 7);			/* TDHP set */
	td.entry[7].locked = false;
	sched_init(&sched, true, 1, 0);
	td.hp_timeout_tries = 3;
	sm_guest_accept(&td, 0, 7, 0x500, &exit);
	sm_guest_accept(&td, 0, 7, 0x500, &exit);
	td.entry[7].locked = true;		/* a plain BUSY in between */
	st = sm_guest_accept(&td, 0, 7, 0x500, &exit);
	EXPECT_EQ(TDX_OPERAND_BUSY | TDX_OPERAND_ID_RCX, st);
	EXPECT_EQ(0, td.vcpu[0].guest_hp_busy) TH_LOG("reset by the plain BUSY");
	td.entry[7].locked = false;
	sm_guest_accept(&td, 0, 7, 0x500, &exit);
	st = sm_guest_accept(&td, 0, 7, 0x500, &exit);
	EXPECT_EQ(TDX_OPERAND_BUSY | TDX_OPERAND_ID_RCX, st) TH_LOG("two in a row: no timeout yet");
	st = sm_guest_accept(&td, 0, 7, 0x500, &exit);
	EXPECT_EQ(TDX_HOST_PRIORITY_BUSY_TIMEOUT, st) TH_LOG("the third in a row");
	EXPECT_EQ(0, td.vcpu[0].guest_hp_busy) TH_LOG("cleared when the timeout fires");
	sched_init(&sched, false, 1, 0);
}

TEST(tracking_rule)
{
	fresh();
	map(_metadata, 9);
	EXPECT_TRUE(!sm_vp_enter(&td, 1, 0x40).status) TH_LOG("vCPU 1 enters in epoch 1");
	EXPECT_TRUE(!sm_range_block(&td, 9) && td.entry[9].bepoch == 1) TH_LOG("BLOCK at epoch 1");
	EXPECT_TRUE(sm_page_remove(&td, 9) == (TDX_TLB_TRACKING_NOT_DONE | 1)) TH_LOG("not tracked yet");
	EXPECT_TRUE(!sm_mem_track(&td) && td.epoch == 2) TH_LOG("TRACK");
	EXPECT_TRUE(sm_page_remove(&td, 9) == (TDX_TLB_TRACKING_NOT_DONE | 1)) TH_LOG("BEPOCH == epoch-1 with the old epoch's vCPU still in the guest");
	/* The slot epoch 3 would reuse is epoch 1's, still held. */
	EXPECT_TRUE(sm_mem_track(&td) == TDX_PREVIOUS_TLB_EPOCH_BUSY) TH_LOG("PREVIOUS_TLB_EPOCH_BUSY");
	sm_td_exit(&td, 1, 0x40, -1);
	EXPECT_TRUE(sm_tracked(&td, 9) && !sm_page_remove(&td, 9)) TH_LOG("tracked once it left");
	EXPECT_TRUE(td.entry[9].state == SM_FREE) TH_LOG("removed");
	EXPECT_TRUE(sm_page_remove(&td, 9) == TDX_GPA_RANGE_NOT_BLOCKED) TH_LOG("REMOVE needs BLOCK");
}

TEST(accept_results)
{
	bool exit;

	fresh();
	td.sept_page[0] = true;
	EXPECT_TRUE(!sm_guest_accept(&td, 0, 11, 0x500, &exit) && exit) TH_LOG("FREE: an ACCEPT exit");
	EXPECT_TRUE(!sm_page_aug(&td, 11) && td.entry[11].state == SM_PENDING) TH_LOG("AUG: PENDING");
	EXPECT_TRUE(sm_guest_touch(&td, 11) == SM_TOUCH_PENDING_EXIT) TH_LOG("a pending page touched with SEPT_VE_DISABLE: an exit, EEQ type 6");
	td.sept_ve_disable = false;
	EXPECT_TRUE(sm_guest_touch(&td, 11) == SM_TOUCH_PENDING_VE) TH_LOG("without it: a #VE");
	EXPECT_TRUE(!sm_guest_accept(&td, 0, 11, 0x500, &exit) && !exit &&
		    sm_guest_touch(&td, 11) == SM_TOUCH_OK) TH_LOG("accepted");
	EXPECT_TRUE(sm_guest_accept(&td, 0, 11, 0x500, &exit) == TDX_PAGE_ALREADY_ACCEPTED) TH_LOG("again");
	EXPECT_TRUE(sm_page_aug(&td, 11) == (TDX_EPT_ENTRY_STATE_INCORRECT | 1)) TH_LOG("AUG of a mapped entry");
}

/*
 * A SEAMCALL on an entry in a state it does not allow answers
 * TDX_EPT_ENTRY_STATE_INCORRECT with RCX, the GPA's operand
 * (sept_state_is_seamcall_leaf_allowed() fails): AUG of a non-FREE entry
 * (tdh_mem_page_aug.c), SEPT.ADD whose parent entry already points to an
 * S-EPT page, without allow_existing (process_l1_page(),
 * tdh_mem_sept_add.c), BLOCK of a FREE entry; BLOCK of a blocked one is
 * TDX_GPA_RANGE_ALREADY_BLOCKED, also with RCX (tdh_mem_range_block.c).
 * Until 2026-12-02 the model answered EPT_ENTRY_NOT_FREE, EPT_ENTRY_FREE
 * and a bare ALREADY_BLOCKED.
 */
TEST(wrong_state_codes)
{
	fresh();
	td.sept_page[0] = true;
	EXPECT_TRUE(sm_sept_add(&td, 1) == (TDX_EPT_ENTRY_STATE_INCORRECT | TDX_OPERAND_ID_RCX))
		TH_LOG("SEPT.ADD over an existing S-EPT page");
	EXPECT_TRUE(sm_range_block(&td, 2) == (TDX_EPT_ENTRY_STATE_INCORRECT | TDX_OPERAND_ID_RCX))
		TH_LOG("BLOCK of a FREE entry");
	map(_metadata, 2);
	EXPECT_TRUE(sm_page_aug(&td, 2) == (TDX_EPT_ENTRY_STATE_INCORRECT | TDX_OPERAND_ID_RCX))
		TH_LOG("AUG of a MAPPED entry");
	EXPECT_TRUE(!sm_range_block(&td, 2)) TH_LOG("BLOCK");
	EXPECT_TRUE(sm_range_block(&td, 2) == (TDX_GPA_RANGE_ALREADY_BLOCKED | TDX_OPERAND_ID_RCX))
		TH_LOG("BLOCK again: ALREADY_BLOCKED|RCX");
}

static void fault(uint32_t v, uint64_t rip, uint64_t page)
{
	sm_vp_enter(&td, v, rip);
	sm_td_exit(&td, v, rip, page);
}

TEST(zero_step_threshold)
{
	struct sm_enter e;
	bool exit;
	int i;

	fresh();
	for (i = 0; i < 6; i++)
		fault(0, 0x100, 20);
	EXPECT_TRUE(!td.vcpu[0].zs_nr && td.vcpu[0].zs_counter == 6) TH_LOG("6 faults: counting, not armed");
	fault(0, 0x100, 20);
	EXPECT_TRUE(td.vcpu[0].zs_nr == 1 && td.vcpu[0].zs_list[0] == 20 && td.armed == 1) TH_LOG("the 7th arms the filter with its GPA");

	/* Armed: VP.ENTER walks the list; page 20 still faults: no entry. */
	e = sm_vp_enter(&td, 0, 0x100);
	EXPECT_TRUE(e.synthesized && e.gpa == 20 && td.synthesized == 1) TH_LOG("synthesized exit");
	/* With the tree held by a reader, the armed VP.ENTER is BUSY|0x92. */
	td.sept.readers = 1;
	e = sm_vp_enter(&td, 0, 0x100);
	EXPECT_TRUE(e.status == 0x8000020000000092ULL && !e.synthesized) TH_LOG("BUSY|0x92");
	td.sept.readers = 0;

	/* Mapped now: it enters (taking SEPT ex on the way); RIP moves: reset. */
	map(_metadata, 20);
	e = sm_vp_enter(&td, 0, 0x100);
	EXPECT_TRUE(!e.status && td.vcpu[0].in_guest) TH_LOG("enters");
	sm_td_exit(&td, 0, 0x104, -1);
	EXPECT_TRUE(!td.vcpu[0].zs_nr && !td.vcpu[0].zs_counter) TH_LOG("a moved RIP resets it");

	/*
	 * td_exit_epf_stepping_log() resets on progress and then counts the
	 * fault: one at a new RIP is the first of its run.
	 */
	for (i = 0; i < 5; i++)
		fault(1, 0x200, 30);
	sm_vp_enter(&td, 1, 0x200);
	sm_td_exit(&td, 1, 0x208, 30);
	EXPECT_TRUE(td.vcpu[1].zs_counter == 1) TH_LOG("progress resets the count, the fault counts");
	for (i = 0; i < 5; i++)
		fault(1, 0x208, 30);
	EXPECT_TRUE(td.vcpu[1].zs_counter == 6 && !td.vcpu[1].zs_nr) TH_LOG("6 in a row at 0x208");
	fault(1, 0x208, 30);
	EXPECT_TRUE(td.vcpu[1].zs_nr == 1) TH_LOG("the 7th arms it");

	/*
	 * ACCEPT's own exits are not logged, and the TDCALL, an exit into the
	 * module, resets the state when the RIP moved (vmexit_stepping_filter).
	 */
	for (i = 0; i < 10; i++) {
		sm_vp_enter(&td, 2, 0x300);
		sm_td_exit(&td, 2, 0x300, -1);
	}
	EXPECT_TRUE(!td.vcpu[2].zs_counter) TH_LOG("ACCEPT-caused exits do not count");
	for (i = 0; i < 3; i++)
		fault(2, 0x310, 40);
	sm_vp_enter(&td, 2, 0x310);
	td.sept_page[0] = true;
	sm_guest_accept(&td, 2, 41, 0x300, &exit);
	EXPECT_TRUE(!td.vcpu[2].zs_counter) TH_LOG("a TDCALL at another RIP resets it");
	sm_td_exit(&td, 2, 0x300, -1);
}

/*
 * The filter expects a PENDING page to fault whatever SEPT_VE_DISABLE says:
 * is_epf_expected() (td_exit_stepping.c) is a plain walk, "would fault"
 * unless the walk succeeds or ends in a convertible violation, and the
 * module writes every S-EPT leaf with suppress-#VE set
 * (sept_set_leaf_no_lock_internal(), sept_manager.c), so a PENDING entry
 * (RWX 0, SVE 1) is never convertible.  The #VE for pending pages is the
 * module's own, on the guest's access (td_ept_violation.c), not the walk's.
 */
TEST(zero_step_pending)
{
	struct sm_enter e;
	int i;

	fresh();
	td.sept_page[0] = true;
	EXPECT_TRUE(!sm_page_aug(&td, 50)) TH_LOG("AUG");
	for (i = 0; i < 7; i++)
		fault(0, 0x100, 50);
	e = sm_vp_enter(&td, 0, 0x100);
	EXPECT_TRUE(e.synthesized && e.gpa == 50) TH_LOG("pending, SEPT_VE_DISABLE: still faults");
	td.sept_ve_disable = false;
	e = sm_vp_enter(&td, 0, 0x100);
	EXPECT_TRUE(e.synthesized && e.gpa == 50 && !td.vcpu[0].in_guest)
		TH_LOG("pending, SEPT_VE_DISABLE clear: still faults, no entry");
	/* Accepted, the listed page no longer faults: the vCPU enters. */
	td.entry[50].state = SM_MAPPED;
	e = sm_vp_enter(&td, 0, 0x100);
	EXPECT_TRUE(!e.status && td.vcpu[0].in_guest) TH_LOG("mapped: it enters");
}

TEST_HARNESS_MAIN
