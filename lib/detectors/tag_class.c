// SPDX-License-Identifier: GPL-2.0
/*
 * Classifying a wrong value in a guest slot (include/tag_class.h).
 */
#include "seamstress.h"
#include "tag_class.h"

bool seam_tag_decode(uint64_t v, uint32_t *vcpu, uint64_t *sweep)
{
	uint64_t check = SEAM_TAG_CHECK_SEED, s = 0, lane;
	int i;

	for (i = 0; i < SEAM_TAG_LANES; i++)
		if (!(seam_tag_lane(v, i) & SEAM_TAG_LANE_MARK))
			return false;
	for (i = 0; i < SEAM_TAG_CHECK_LANE; i++) {
		lane = seam_tag_lane(v, i) & SEAM_TAG_LANE_PAYLOAD;
		check ^= lane;
		if (i < SEAM_TAG_SWEEP_LANES)
			s |= lane << (SEAM_TAG_PAYLOAD_BITS * i);
	}
	if ((seam_tag_lane(v, SEAM_TAG_CHECK_LANE) & SEAM_TAG_LANE_PAYLOAD) != check)
		return false;
	*vcpu = seam_tag_lane(v, SEAM_TAG_VCPU_LANE) & SEAM_TAG_LANE_PAYLOAD;
	*sweep = s;
	return true;
}

/* Lanes 0..@nr-1 of @seen against @expected: matching, zero, or other. */
static void compare_lanes(uint64_t seen, uint64_t expected, unsigned int nr,
			  struct tag_verdict *out)
{
	uint64_t s, e;
	unsigned int i;

	for (i = 0; i < nr; i++) {
		s = seam_tag_lane(seen, i);
		e = seam_tag_lane(expected, i);
		if (s == e)
			out->lanes_match |= 1u << i;
		else if (!s)
			out->lanes_zero |= 1u << i;
		else
			out->lanes_other |= 1u << i;
	}
}

void tag_classify(uint64_t seen, uint64_t expected, struct tag_verdict *out)
{
	uint32_t want_vcpu = 0;
	uint64_t want_sweep = 0;

	*out = (struct tag_verdict){ .cls = TAG_GARBAGE };
	compare_lanes(seen, expected, SEAM_TAG_LANES, out);

	/*
	 * A whole tag first: the check lane makes a mix of two tags' lanes
	 * fail to decode, so a decoded tag is one store, just not the right one.
	 */
	out->is_tag = seam_tag_decode(seen, &out->vcpu, &out->sweep);
	if (out->is_tag && seam_tag_decode(expected, &want_vcpu, &want_sweep)) {
		if (out->vcpu != want_vcpu) {
			out->cls = TAG_FOREIGN;
		} else if (out->sweep < want_sweep) {
			out->cls = TAG_STALE;
			out->age = want_sweep - out->sweep;
		}
		/* A tag of a sweep not yet written is garbage. */
		return;
	}
	if (!out->is_tag && out->lanes_match)
		out->cls = TAG_TORN;
}

void tag_classify_width(uint64_t seen, uint64_t expected, unsigned int width,
			struct tag_verdict *out)
{
	uint64_t want_sweep, age;
	uint32_t want_vcpu;

	if (width >= SEAM_TAG_LANES) {
		tag_classify(seen, expected, out);
		return;
	}
	seen = seam_tag_low(seen, width);
	*out = (struct tag_verdict){ .cls = TAG_GARBAGE };
	compare_lanes(seen, expected, width, out);
	if (seam_tag_decode(expected, &want_vcpu, &want_sweep)) {
		for (age = 1; age <= TAG_STALE_SEARCH && age <= want_sweep; age++) {
			if (seam_tag_low(seam_tag(want_vcpu, want_sweep - age), width) == seen) {
				out->cls = TAG_STALE;
				out->age = age;
				return;
			}
		}
	}
	if (out->lanes_match && (out->lanes_zero | out->lanes_other))
		out->cls = TAG_TORN;
}

const char *tag_split_access(uint64_t seen, uint64_t reread, uint64_t expected)
{
	if (reread == seen)
		return "store";
	if (reread == expected)
		return "load";
	return "unknown";
}

const char *tag_class_name(enum tag_class cls)
{
	static const char *const names[NR_TAG_CLASSES] = {
		[TAG_TORN] = "torn",
		[TAG_STALE] = "stale",
		[TAG_FOREIGN] = "foreign",
		[TAG_GARBAGE] = "garbage",
	};

	return cls < NR_TAG_CLASSES ? names[cls] : "?";
}
