/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a wrong value in a guest slot is.  Pure: unit-tested on values
 * built with seam_tag(), no VM needed.
 *
 *   torn     some byte lanes hold the expected tag's bytes, the others zero
 *            or something else: one store was split (an aligned 8-byte
 *            store never is on x86-64, SDM vol. 3 §9.1.1);
 *   stale    a whole older tag of the same vCPU: a lost write or a stale
 *            mapping, so many sweeps old;
 *   foreign  a whole tag of another vCPU: that vCPU's write landed here;
 *   garbage  none of these: not a tag, no lane of the expected one.
 */
#ifndef SEAMSTRESS_TAG_CLASS_H
#define SEAMSTRESS_TAG_CLASS_H

#include <stdbool.h>
#include <stdint.h>

enum tag_class { TAG_TORN, TAG_STALE, TAG_FOREIGN, TAG_GARBAGE, NR_TAG_CLASSES };

struct tag_verdict {
	enum tag_class cls;
	/* Bit i describes byte lane i (bits 7:0 of the value are lane 0). */
	uint8_t lanes_match, lanes_zero, lanes_other;
	/* A value that decodes as a tag: its writer and sweep. */
	bool is_tag;
	uint32_t vcpu;
	uint64_t sweep;
	uint64_t age;		/* stale: sweeps between it and the expected tag */
};

/* Whether @v is a well-formed tag; if so, its vCPU and sweep. */
bool seam_tag_decode(uint64_t v, uint32_t *vcpu, uint64_t *sweep);
/* Classify @seen, found where the tag @expected (a seam_tag()) was due. */
void tag_classify(uint64_t seen, uint64_t expected, struct tag_verdict *out);
/*
 * The same for an access of @width bytes (8, 4 or 2) that saw only the low
 * lanes of the slot: @seen holds those lanes, @expected the whole tag.
 * Narrow accesses carry no check lane and no vCPU lane, so a value is
 * stale when it equals the low lanes of one of the vCPU's last
 * TAG_STALE_SEARCH tags, torn when some lanes match and the others do not,
 * and garbage otherwise (foreign cannot be told from garbage).
 */
#define TAG_STALE_SEARCH	4096
void tag_classify_width(uint64_t seen, uint64_t expected, unsigned int width,
			struct tag_verdict *out);
/*
 * Which access of a torn read-back was split, from a second read the guest
 * made right after it: the same wrong value again means memory holds it
 * (the store was split: "store"); @expected, the whole tag as the access
 * sees it, means memory was right and the first load was split ("load");
 * anything else, zero after a punch among them, says nothing ("unknown").
 */
const char *tag_split_access(uint64_t seen, uint64_t reread, uint64_t expected);
const char *tag_class_name(enum tag_class cls);

#endif /* SEAMSTRESS_TAG_CLASS_H */
