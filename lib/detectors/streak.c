// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "seamstress.h"
#include "streak.h"

void streak_init(struct streak_counter *sc, uint32_t threshold)
{
	memset(sc, 0, sizeof(*sc));
	sc->threshold = threshold;
}

static int bucket_of(uint64_t len)
{
	if (len <= 7)
		return len - 1;
	if (len < 16)
		return 7;
	if (len < 32)
		return 8;
	if (len < 64)
		return 9;
	return 10;
}

const char *streak_bucket_name(int b)
{
	static const char *const names[STREAK_HIST_BUCKETS] = {
		"1", "2", "3", "4", "5", "6", "7", "8-15", "16-31", "32-63", "64+",
	};

	return names[b];
}

static void close_streak(struct streak_counter *sc, int i)
{
	uint64_t len = sc->cur[i].len;
	uint32_t w, min = 0;

	if (!len)
		return;
	sc->cur[i].len = 0;
	sc->hist[bucket_of(len)]++;
	sc->streaks++;
	if (len > sc->longest)
		sc->longest = len;
	/* A walk streak starts with the guest's own accesses. */
	if (len < sc->threshold + sc->cur[i].slack)
		return;
	sc->suspects++;

	/* Keep the longest suspects. */
	if (sc->nr_worst < STREAK_MAX_SUSPECTS) {
		w = sc->nr_worst++;
	} else {
		for (w = 1; w < STREAK_MAX_SUSPECTS; w++)
			if (sc->worst[w].len < sc->worst[min].len)
				min = w;
		if (sc->worst[min].len >= len)
			return;
		w = min;
	}
	sc->worst[w].id = sc->cur[i].id;
	sc->worst[w].key = sc->cur[i].key;
	sc->worst[w].gpa = sc->cur[i].gpa;
	sc->worst[w].len = len;
}

static int slot_of(struct streak_counter *sc, uint64_t id)
{
	uint32_t i;

	for (i = 0; i < sc->nr_ids; i++)
		if (sc->cur[i].id == id)
			return i;
	if (sc->nr_ids >= STREAK_MAX_IDS)
		return -1;
	sc->cur[sc->nr_ids].id = id;
	sc->cur[sc->nr_ids].len = 0;
	return sc->nr_ids++;
}

static void fault_at(struct streak_counter *sc, uint64_t id, uint64_t key, uint64_t gpa)
{
	int i = slot_of(sc, id);

	sc->faults++;
	if (i < 0)
		return;
	if (sc->cur[i].len && (sc->cur[i].key != key || sc->cur[i].gpa != gpa))
		close_streak(sc, i);
	sc->cur[i].key = key;
	sc->cur[i].gpa = gpa;
	sc->cur[i].slack = 0;
	sc->cur[i].len++;
}

void streak_fault(struct streak_counter *sc, uint64_t id, uint64_t key)
{
	fault_at(sc, id, key, 0);
}

void streak_progress(struct streak_counter *sc, uint64_t id)
{
	int i = slot_of(sc, id);

	if (i >= 0)
		close_streak(sc, i);
}

void streak_finish(struct streak_counter *sc)
{
	uint32_t i;

	for (i = 0; i < sc->nr_ids; i++)
		close_streak(sc, i);
}

void streak_kvm_exit(struct streak_counter *sc, uint32_t vcpu_id, uint32_t reason,
		     uint64_t rip, uint64_t info1, uint64_t info2)
{
	/* BUSY from TDH.VP.ENTER: the guest did not run, so no progress. */
	if (reason == TDX_EXIT_VP_ENTER_FAILED) {
		sc->busy_exits++;
		return;
	}
	if (reason == EXIT_REASON_EPT_VIOLATION || reason == SVM_EXIT_NPF) {
		if (reason == EXIT_REASON_EPT_VIOLATION && info1 == TDX_SYNTH_EPT_EXIT_QUAL &&
		    info2 == TDX_SYNTH_EPT_EXT_QUAL)
			sc->synthesized_exits++;
		return;
	}
	streak_progress(sc, vcpu_id);
}

void streak_page_fault(struct streak_counter *sc, uint32_t vcpu_id, uint64_t rip, uint64_t gpa)
{
	fault_at(sc, vcpu_id, rip, gpa & ~(uint64_t)(SEAM_PAGE_SIZE - 1));
}

void streak_walk(struct streak_counter *sc, uint64_t id, uint64_t key)
{
	int i = slot_of(sc, id);

	streak_fault(sc, id, key);
	if (i >= 0)
		sc->cur[i].slack = SEAM_GUEST_SLOT_WALKS_MAX;
}
