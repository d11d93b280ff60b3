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
const char *tag_class_name(enum tag_class cls);

#endif /* SEAMSTRESS_TAG_CLASS_H */
