// SPDX-License-Identifier: GPL-2.0
/*
 * The tag format and the integrity classifier.  The first case is the value
 * this project's first real finding produced (a guest's 8-byte store, read
 * back with byte 0 from the punched page and bytes 1-7 from the fresh one):
 * with the old tag format it decoded as "vCPU 1, sweep 0x100", an older tag.
 * A tear must never decode as a tag; each class must be told apart.
 */
#include "kselftest_harness.h"

#include "seamstress.h"
#include "tag_class.h"

FIXTURE(classify) {};
FIXTURE_SETUP(classify) {}
FIXTURE_TEARDOWN(classify) {}

/* Every case's expected tag: vCPU 1, sweep 0x101, as in the first finding. */
#define WANT_VCPU	1
#define WANT_SWEEP	0x101

FIXTURE_VARIANT(classify)
{
	uint64_t (*seen)(uint64_t want);
	enum tag_class cls;
	uint8_t lanes_match, lanes_zero, lanes_other;
	uint64_t age;
};

/* Byte 0 landed in the dropped page, bytes 1-7 in the fresh zeroed one. */
static uint64_t low_byte_lost(uint64_t want)
{
	return want & ~0xffULL;
}

static uint64_t high_half_from_older_store(uint64_t want)
{
	return (want & 0xffffffffULL) | (seam_tag(WANT_VCPU, 0x7f) & ~0xffffffffULL);
}

static uint64_t three_sweeps_old(uint64_t want)
{
	return seam_tag(WANT_VCPU, WANT_SWEEP - 3);
}

static uint64_t other_vcpus_tag(uint64_t want)
{
	return seam_tag(0, WANT_SWEEP);
}

static uint64_t injected_value(uint64_t want)
{
	return 0xbadc0ffee0ddf00dULL;
}

static uint64_t future_sweep(uint64_t want)
{
	return seam_tag(WANT_VCPU, WANT_SWEEP + 1);
}

FIXTURE_VARIANT_ADD(classify, torn_low_byte_lost)
{
	.seen = low_byte_lost,
	.cls = TAG_TORN, .lanes_match = 0xfe, .lanes_zero = 0x01,
};

FIXTURE_VARIANT_ADD(classify, torn_high_half_from_older_store)
{
	.seen = high_half_from_older_store,
	/* Of the upper lanes only the check byte differs between the two. */
	.cls = TAG_TORN, .lanes_match = 0x7f, .lanes_other = 0x80,
};

FIXTURE_VARIANT_ADD(classify, stale_three_sweeps)
{
	.seen = three_sweeps_old,
	.cls = TAG_STALE, .age = 3,
};

FIXTURE_VARIANT_ADD(classify, foreign_vcpu)
{
	.seen = other_vcpus_tag,
	.cls = TAG_FOREIGN,
};

FIXTURE_VARIANT_ADD(classify, garbage_injected)
{
	.seen = injected_value,
	.cls = TAG_GARBAGE,
};

FIXTURE_VARIANT_ADD(classify, garbage_tag_of_a_sweep_not_written)
{
	.seen = future_sweep,
	.cls = TAG_GARBAGE,
};

TEST_F(classify, class_and_lanes)
{
	uint64_t expected = seam_tag(WANT_VCPU, WANT_SWEEP);
	uint64_t seen = variant->seen(expected);
	struct tag_verdict v;

	tag_classify(seen, expected, &v);
	TH_LOG("seen 0x%llx expected 0x%llx: %s, lanes match 0x%02x zero 0x%02x other 0x%02x",
	       (unsigned long long)seen, (unsigned long long)expected, tag_class_name(v.cls),
	       v.lanes_match, v.lanes_zero, v.lanes_other);
	ASSERT_STREQ(tag_class_name(variant->cls), tag_class_name(v.cls));
	if (variant->cls == TAG_TORN) {
		EXPECT_EQ(variant->lanes_match, v.lanes_match);
		EXPECT_EQ(variant->lanes_zero, v.lanes_zero);
		EXPECT_EQ(variant->lanes_other, v.lanes_other);
	}
	EXPECT_EQ(variant->age, v.age);
}

/* Every tag decodes to its writer and sweep; no lane of any tag is 0. */
TEST(tags_round_trip_and_no_lane_is_zero)
{
	static const uint64_t sweeps[] = { 0, 1, 0x7f, 0x80, 0x100, 0x101, 0xffffffff,
					   (1ULL << 42) - 1 };
	uint64_t tag, sweep;
	uint32_t vcpu, v;
	unsigned int i;
	int lane;

	for (v = 0; v < SEAM_MAX_VCPUS; v++) {
		for (i = 0; i < sizeof(sweeps) / sizeof(sweeps[0]); i++) {
			tag = seam_tag(v, sweeps[i]);
			ASSERT_TRUE(seam_tag_decode(tag, &vcpu, &sweep));
			ASSERT_EQ(v, vcpu);
			ASSERT_EQ(sweeps[i], sweep);
			for (lane = 0; lane < SEAM_TAG_LANES; lane++)
				ASSERT_NE(0, seam_tag_lane(tag, lane));
		}
	}
}

/*
 * No tear of a store into a zeroed page decodes as a tag, whichever lanes
 * were lost: each nonempty strict subset of lanes zeroed is torn.
 */
TEST(every_partial_store_is_torn)
{
	uint64_t want = seam_tag(5, 0x12345), seen, mask;
	struct tag_verdict v;
	unsigned int kept;
	int lane;

	for (kept = 1; kept < 0xff; kept++) {
		for (mask = 0, lane = 0; lane < SEAM_TAG_LANES; lane++)
			if (kept & 1u << lane)
				mask |= 0xffULL << (8 * lane);
		seen = want & mask;
		tag_classify(seen, want, &v);
		ASSERT_STREQ("torn", tag_class_name(v.cls)) {
			TH_LOG("lanes kept 0x%02x: 0x%llx", kept, (unsigned long long)seen);
		}
		ASSERT_EQ(kept, v.lanes_match);
		ASSERT_EQ(0xff & ~kept, v.lanes_zero);
	}
}

/*
 * A value mixing the lanes of two consecutive tags of one vCPU (the old
 * store's and the new one's) is torn, not a third tag.
 */
TEST(mixes_of_consecutive_tags_are_torn)
{
	uint64_t sweep, old, cur, seen, mask;
	struct tag_verdict v;
	unsigned int kept, fooled = 0;
	int lane;

	for (sweep = 1; sweep < 1000; sweep++) {
		old = seam_tag(2, sweep - 1);
		cur = seam_tag(2, sweep);
		for (kept = 1; kept < 0xff; kept++) {
			for (mask = 0, lane = 0; lane < SEAM_TAG_LANES; lane++)
				if (kept & 1u << lane)
					mask |= 0xffULL << (8 * lane);
			seen = (cur & mask) | (old & ~mask);
			if (seen == cur || seen == old)
				continue;
			tag_classify(seen, cur, &v);
			fooled += v.cls != TAG_TORN;
		}
	}
	EXPECT_EQ(0, fooled);
}

/*
 * Narrow accesses (--access-width 4 or 2) see only the tag's low lanes:
 * no check lane, no vCPU lane.  Bytes above the width are not the access's
 * and must not count.
 */
FIXTURE(narrow) {};
FIXTURE_SETUP(narrow) {}
FIXTURE_TEARDOWN(narrow) {}

FIXTURE_VARIANT(narrow)
{
	unsigned int width;
	uint64_t seen_mask;	/* lanes of the expected tag kept; 0: see stale_age */
	uint64_t stale_age;	/* seen is the tag this many sweeps old */
	uint64_t above;		/* bytes above the width, which must be ignored */
	enum tag_class cls;
	uint8_t lanes_match, lanes_zero;
};

FIXTURE_VARIANT_ADD(narrow, dword_low_byte_lost)
{
	.width = 4, .seen_mask = 0xffffff00, .above = 0x5555555500000000ULL,
	.cls = TAG_TORN, .lanes_match = 0xe, .lanes_zero = 0x1,
};

FIXTURE_VARIANT_ADD(narrow, dword_upper_bytes_lost)
{
	.width = 4, .seen_mask = 0xff, .cls = TAG_TORN, .lanes_match = 0x1, .lanes_zero = 0xe,
};

FIXTURE_VARIANT_ADD(narrow, word_high_byte_lost)
{
	.width = 2, .seen_mask = 0xff, .above = 0xffffffffffff0000ULL,
	.cls = TAG_TORN, .lanes_match = 0x1, .lanes_zero = 0x2,
};

FIXTURE_VARIANT_ADD(narrow, dword_stale_three_sweeps)
{
	.width = 4, .stale_age = 3, .cls = TAG_STALE,
};

FIXTURE_VARIANT_ADD(narrow, word_stale_one_sweep)
{
	.width = 2, .stale_age = 1, .above = 0x1234567800000000ULL, .cls = TAG_STALE,
};

TEST_F(narrow, class_and_lanes)
{
	uint64_t expected = seam_tag(WANT_VCPU, WANT_SWEEP), seen;
	struct tag_verdict v;

	seen = variant->stale_age ? seam_tag(WANT_VCPU, WANT_SWEEP - variant->stale_age) :
				    expected & variant->seen_mask;
	seen = (seen & ((1ULL << (8 * variant->width)) - 1)) | variant->above;
	tag_classify_width(seen, expected, variant->width, &v);
	TH_LOG("width %u seen 0x%llx expected 0x%llx: %s, lanes match 0x%02x zero 0x%02x",
	       variant->width, (unsigned long long)seen, (unsigned long long)expected,
	       tag_class_name(v.cls), v.lanes_match, v.lanes_zero);
	ASSERT_STREQ(tag_class_name(variant->cls), tag_class_name(v.cls));
	if (variant->cls == TAG_TORN) {
		EXPECT_EQ(variant->lanes_match, v.lanes_match);
		EXPECT_EQ(variant->lanes_zero, v.lanes_zero);
		EXPECT_EQ(0, v.lanes_other);
	} else {
		EXPECT_EQ(variant->stale_age, v.age);
	}
}

/* Width 8 is the full classifier: the first finding's value is torn. */
TEST(width_8_is_the_full_classifier)
{
	uint64_t want = seam_tag(WANT_VCPU, WANT_SWEEP);
	struct tag_verdict a, b;

	tag_classify(want & ~0xffULL, want, &a);
	tag_classify_width(want & ~0xffULL, want, 8, &b);
	ASSERT_EQ(a.cls, b.cls);
	ASSERT_EQ(a.lanes_match, b.lanes_match);
	ASSERT_EQ(a.lanes_zero, b.lanes_zero);
}

/* The second read tells a split store (it stays) from a split load. */
TEST(second_read_tells_store_from_load)
{
	uint64_t want = seam_tag(WANT_VCPU, WANT_SWEEP), torn = want & ~0xffULL;

	EXPECT_STREQ("store", tag_split_access(torn, torn, want));
	EXPECT_STREQ("load", tag_split_access(torn, want, want));
	EXPECT_STREQ("unknown", tag_split_access(torn, 0, want));
	EXPECT_STREQ("unknown", tag_split_access(torn, want & 0xff, want));
}

/* Each nonempty strict subset of a narrow access's lanes zeroed is torn. */
TEST(every_partial_narrow_store_is_torn)
{
	static const unsigned int widths[] = { 4, 2 };
	uint64_t want = seam_tag(5, 0x12345), seen, mask;
	unsigned int w, kept, all;
	struct tag_verdict v;
	unsigned int lane;

	for (w = 0; w < 2; w++) {
		all = (1u << widths[w]) - 1;
		for (kept = 1; kept < all; kept++) {
			for (mask = 0, lane = 0; lane < widths[w]; lane++)
				if (kept & 1u << lane)
					mask |= 0xffULL << (8 * lane);
			seen = want & mask;
			tag_classify_width(seen, want, widths[w], &v);
			ASSERT_STREQ("torn", tag_class_name(v.cls)) {
				TH_LOG("width %u lanes kept 0x%x: 0x%llx", widths[w], kept,
				       (unsigned long long)seen);
			}
			ASSERT_EQ(kept, v.lanes_match);
			ASSERT_EQ(all & ~kept, v.lanes_zero);
		}
	}
}

TEST_HARNESS_MAIN
