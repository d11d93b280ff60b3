/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the guest workload and the host share: the contended region's
 * geometry, the tag format, the per-vCPU progress block and the sync stages.
 * This header is included by guest and host code alike, so it holds plain
 * data only.
 */
#ifndef SEAMSTRESS_H
#define SEAMSTRESS_H

#include <stdint.h>

#define SEAM_PAGE_SIZE		4096ULL
/* Each vCPU owns one cache line of every contended page. */
#define SEAM_SLOT_BYTES		64
#define SEAM_MAX_VCPUS		(SEAM_PAGE_SIZE / SEAM_SLOT_BYTES)
#define SEAM_MAX_PAGES		(1ULL << 18)	/* 1 GiB of contended memory */

/*
 * The contended region sits at 4 GiB, clear of memslot 0 where the library
 * keeps code, page tables and stacks, and is identity mapped.
 */
#define SEAM_REGION_GPA		(1ULL << 32)
#define SEAM_REGION_SLOT	1

/*
 * A tag names its writer and the sweep it wrote in; 0 means "punched".
 *
 * Tags are tear-evident.  An aligned 8-byte store is atomic on x86-64, so a
 * value that mixes bytes of two stores, or of a store and a zeroed page, is
 * a finding of its own ("torn") and must never decode as a plausible older
 * tag.  So every byte lane carries SEAM_TAG_LANE_MARK (a lane that lost its
 * byte to a fresh zeroed page reads 0, which no tag lane is); lanes 0-5 hold
 * the sweep, 7 bits each, lane 6 the vCPU, and lane 7 a check byte, the XOR
 * of the other payloads and SEAM_TAG_CHECK_SEED, so that a mix of lanes of
 * two tags fails to decode.  The guest builds two tags per sweep, never one
 * per page.
 */
#define SEAM_TAG_LANES		8
#define SEAM_TAG_LANE_MARK	0x80ULL
#define SEAM_TAG_LANE_PAYLOAD	0x7fULL
#define SEAM_TAG_PAYLOAD_BITS	7
#define SEAM_TAG_SWEEP_LANES	6
#define SEAM_TAG_VCPU_LANE	6
#define SEAM_TAG_CHECK_LANE	7
#define SEAM_TAG_CHECK_SEED	0x5eULL

static inline uint64_t seam_tag_lane(uint64_t v, int lane)
{
	return v >> (8 * lane) & 0xff;
}

/* The low @width bytes of @v (8, 4 or 2): what an access that wide sees of a tag. */
static inline uint64_t seam_tag_low(uint64_t v, unsigned int width)
{
	return width >= SEAM_TAG_LANES ? v : v & ((1ULL << (8 * width)) - 1);
}

static inline uint64_t seam_tag(uint32_t vcpu, uint64_t sweep)
{
	uint64_t tag = 0, check = SEAM_TAG_CHECK_SEED, payload;
	int lane;

	for (lane = 0; lane < SEAM_TAG_CHECK_LANE; lane++) {
		payload = lane == SEAM_TAG_VCPU_LANE ? vcpu :
			  sweep >> (SEAM_TAG_PAYLOAD_BITS * lane);
		payload &= SEAM_TAG_LANE_PAYLOAD;
		check ^= payload;
		tag |= (payload | SEAM_TAG_LANE_MARK) << (8 * lane);
	}
	return tag | (check | SEAM_TAG_LANE_MARK) << (8 * SEAM_TAG_CHECK_LANE);
}

/*
 * Guest-to-host messages.  The guest writes the message into its vCPU's
 * block of the shared progress pages and rings a doorbell with its index
 * + 1, which the host checks against the vCPU that exited.
 *
 * A TD's host cannot read guest registers or private memory; a TD rings
 * with an 8-byte MMIO write to SEAM_TD_MSG_MMIO_GPA (with the shared bit)
 * through TDG.VP.VMCALL<#VE.RequestMMIO>, which the host sees as
 * KVM_EXIT_MMIO; entering again completes the write.  That is the channel
 * the newest posted TDX selftests settled on ("TDX KVM selftests" v13,
 * 2026-05-21: an MMIO write to a shared ucall GPA; v11 and v12 did the
 * same) rather than ReportFatalError, which the GHCI defines as fatal: a
 * ReportFatalError is always the TD's own fatal error here
 * (docs/tdx-kvm-abi.md §8.5).
 *
 * Any other VM rings with a 4-byte OUT to SEAM_MSG_PORT (KVM_EXIT_IO).
 * Not the library's ucall: its guest side cost ~400 emulated instructions
 * a message on an emulating host (a byte-wise memset of the arguments, a
 * push and pop of every register, the pool's atomic bit), a quarter of a
 * 64-page sweep's (docs/running.md, Benchmarks).  The library's own
 * GUEST_ASSERT still takes the ucall, as UCALL_ABORT.  SEAM_CMD_ABORT
 * keeps a guest assertion apart from a message.
 */
enum seam_cmd { SEAM_CMD_SYNC = 1, SEAM_CMD_DONE, SEAM_CMD_ABORT };
/* No memslot covers it: the HPET hole, where a posted variant put its ucall GPA. */
#define SEAM_TD_MSG_MMIO_GPA	0xfed00000ULL
/* An I/O port no in-kernel device claims, nor the library's ucall (0x1000). */
#define SEAM_MSG_PORT		0x5ea5
/* ReportFatalError's code when a TD's assertion finds no vCPU stack to name. */
#define SEAM_TD_FATAL_NO_STACK	0x5ea3057cULL

/* Sync stages, in args[1]. */
enum seam_sync {
	SEAM_SYNC_SWEEP = 1,	/* args[2] = sweep just completed */
	SEAM_SYNC_CORRUPT,	/* args[2] = gpa, [3] = expected tag, [4] = seen, [5] = phase,
				   [6] = a second read (readback only) */
	SEAM_SYNC_BURST,	/* a burst of pages done: exit, re-enter */
};

/* What the host reads out of any message. */
struct seam_msg {
	uint64_t cmd;		/* enum seam_cmd */
	uint64_t args[7];	/* args[1] = stage (SYNC) or line (ABORT) */
};

/*
 * The most guest page-table walks the guest's own visit of one slot makes
 * where the host emulates every access (a walk per access, two for a
 * locked store): a torn read-back of a locked store is the check, the
 * xchg, the read-back, the second read and the repairing xchg,
 * 1 + 2 + 1 + 1 + 2.  include/guest_sweep.h must not exceed it; the
 * zero-step tracer counts only walks beyond it as re-faults.
 */
#define SEAM_GUEST_SLOT_WALKS_MAX	7

/* Where in the per-page sequence a corrupt value was seen. */
enum seam_phase {
	SEAM_PHASE_BEFORE_WRITE = 1,	/* old value: neither 0 nor our last tag */
	SEAM_PHASE_READBACK,		/* value read back after our write */
};

/*
 * What a TD's vCPU leaves where the host can read it (the progress pages
 * stay shared): that it reached the workload, on which stack and page
 * tables, and the exception that stopped it, if one did.  The exception
 * handler (lib/guest_code.c) records the first and then triple-faults, so
 * the host sees KVM_EXIT_SHUTDOWN and reads why here.
 */
struct seam_td_trace {
	uint64_t entered;	/* VCPU_INDEX + 1, written by the entry point */
	uint64_t entry_rsp;
	uint64_t entry_cr3;
	uint64_t faults;	/* exceptions taken; the first is below */
	uint64_t vector;
	uint64_t error_code;
	uint64_t rip;
	uint64_t rsp;		/* at the exception */
	uint64_t cr2;
	uint64_t cr3;
	uint64_t rax;		/* at a TDCALL, its leaf */
	uint64_t stack_of;	/* whose stack the handler ran on: vCPU + 1, 0 none */
	/* #VE (tdx): TDG.VP.VEINFO.GET of the last one, and the accepts they made. */
	uint64_t ve;
	uint64_t ve_status;
	uint64_t ve_exit_reason;
	uint64_t ve_gpa;
	uint64_t ve_accept_ok;
	uint64_t ve_accept_already;
	uint64_t ve_accept_busy;
	uint64_t ve_accept_other;
};

/*
 * Per-vCPU progress, written by the guest and read by the host while the
 * vCPU runs (the watchdog needs liveness without stopping anyone).  One
 * cache line each so that progress writes do not contend.
 */
struct seam_progress {
	uint64_t sweep;		/* sweep in progress, from 1 */
	uint64_t page;		/* contended page index being touched */
	uint64_t writes;	/* tag writes completed */
	uint64_t stop;		/* host: finish after the current sync */
	uint64_t zeroed;	/* old value was 0 where a tag was due: a punch hit */
	uint64_t idx;		/* position of .page in this vCPU's order */
	uint64_t accepts;	/* accept hook calls */
	/* TDG.MEM.PAGE.ACCEPT results (tdx flavor only). */
	uint64_t accept_ok;
	uint64_t accept_already;
	uint64_t accept_busy;
	uint64_t accept_other;
	uint64_t accept_last_busy;	/* last BUSY status, with its operand */
	/* --accept-2m: 2M ACCEPTs that worked, and those that fell back to 4K. */
	uint64_t accept_2m_ok;
	uint64_t accept_2m_fallback;
	uint64_t accept_2m_last_status;
	struct seam_msg msg;	/* a TD's message to the host, rung by its doorbell */
	/* Conversions the guest made itself (MapGPA), and those the host refused. */
	uint64_t guest_conversions;
	uint64_t guest_conversion_errors;
	/*
	 * Writes read back as 0: a punch landed between the store and its
	 * read-back.  Published at once, so that a widening puncher sees
	 * which of its punches collided.
	 */
	uint64_t wiped;
	struct seam_td_trace td;	/* the tdx and td_image flavors */
} __attribute__((aligned(64)));

/*
 * The progress blocks live in pages of their own that stay shared, so the
 * host reads them live even from a TD; the guest reaches them through
 * progress_gva (for a TD, an alias with the shared bit set).
 */
#define SEAM_PROGRESS_PAGES \
	((SEAM_MAX_VCPUS * sizeof(struct seam_progress) + SEAM_PAGE_SIZE - 1) / SEAM_PAGE_SIZE)
#define SEAM_PROGRESS_GVA	0xc0000000ULL

/* Guest-visible parameters, copied in with sync_global_to_guest(). */
struct seam_guest_args {
	uint64_t region_gva;
	uint64_t nr_pages;
	uint64_t order_gva;	/* uint32_t order[nr_vcpus][nr_pages] */
	uint32_t nr_vcpus;
	uint64_t progress_gva;	/* struct seam_progress[nr_vcpus] */
	uint32_t burst;		/* exit to the host every N pages; 0 = once a sweep */
	uint32_t accept;	/* accept each page right before touching it */
	uint32_t tdx;		/* a TD: TDCALLs for accept and messages */
	uint32_t accept_2m;	/* try a 2M accept first, then 4K (as Linux does) */
	uint32_t locked_store;	/* store tags with xchg instead of mov */
	uint32_t access_width;	/* bytes per slot access: 8, 4 or 2 (the tag's low lanes) */
	uint64_t shared_bit;	/* a TD's: a #VE on a GPA without it is accepted */
};

/*
 * What a TD's #VE handler does with TDG.VP.VEINFO.GET's answer (@status,
 * RCX = @exit_reason, R9 = @gpa): accept an EPT violation on a private
 * GPA, the touch of a page that was removed and AUG'd again; stop on
 * anything else.  Pure, so it is unit-tested.
 */
#define SEAM_VE_EXIT_REASON_EPT_VIOLATION	48
static inline int seam_ve_accepts(uint64_t status, uint64_t exit_reason, uint64_t gpa,
				  uint64_t shared_bit)
{
	return !status && (uint32_t)exit_reason == SEAM_VE_EXIT_REASON_EPT_VIOLATION &&
	       shared_bit && !(gpa & shared_bit);
}

#endif /* SEAMSTRESS_H */
