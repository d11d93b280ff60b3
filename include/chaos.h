/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a test's chaos operation (struct seam_test.chaos_op) does to the
 * contended region: punch a hole in its backing or convert it, through a
 * target that is the kernel (lib/chaos/chaos.c: fallocate or madvise, and
 * KVM_SET_MEMORY_ATTRIBUTES) or the tdx_model (lib/model/model_run.c).  The
 * operations count themselves and show in the watchdog table while they
 * run, so a test's chaos code is only the choice of what to do.
 */
#ifndef SEAMSTRESS_CHAOS_H
#define SEAMSTRESS_CHAOS_H

#include <stdbool.h>
#include <stdint.h>

struct watch_slot;
struct chaos_target;

struct chaos_target_ops {
	int (*punch)(struct chaos_target *t, uint64_t off, uint64_t len);
	/* private -> shared -> private, both backings emptied; NULL without attributes */
	int (*convert)(struct chaos_target *t, uint64_t off, uint64_t len);
};

struct chaos_target {
	const struct chaos_target_ops *ops;
	void *backend;			/* the stress VM or the model run */
	struct watch_slot *watch;	/* the calling puncher's */
	const char *punch_name;		/* what a punch is here, for the watchdog and errors */
	const char *last_op;		/* the operation last tried */
	uint64_t punches, conversions;
};

#define CHAOS_CONVERT_NAME	"KVM_SET_MEMORY_ATTRIBUTES"

/* Punch [off, off + len); 0 or -errno. */
int chaos_punch(struct chaos_target *t, uint64_t off, uint64_t len);
/* Convert [off, off + len) away from private and back; 0 or -errno. */
int chaos_convert(struct chaos_target *t, uint64_t off, uint64_t len);
/* Whether the target has memory attributes to convert with. */
static inline bool chaos_can_convert(const struct chaos_target *t)
{
	return t->ops->convert;
}

#endif /* SEAMSTRESS_CHAOS_H */
