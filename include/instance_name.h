/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names of seamstress's private tracefs instances, unique per run and
 * telling who made them:
 *
 *   seamstress-<boot>-<pidns>-<pid>-<start>
 *
 * boot: the first 8 hex digits of the boot id; pidns: the inode of the
 * creator's PID namespace; pid and start: the creator's pid in it and its
 * start time (clock ticks since boot, /proc/PID/stat field 22).  A run
 * removes another's instance only when its creator is provably gone: same
 * boot and PID namespace (so the pid means the same process), and no
 * process with that pid and start time.  Anything else, another
 * container's run included, is left alone.
 */
#ifndef SEAMSTRESS_INSTANCE_NAME_H
#define SEAMSTRESS_INSTANCE_NAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define INSTANCE_PREFIX		"seamstress-"

struct instance_owner {
	char boot[9];
	uint64_t pidns;
	pid_t pid;
	uint64_t start;
};

/* The calling process as an owner; false if /proc does not say. */
bool instance_owner_self(struct instance_owner *o);
void instance_name_format(const struct instance_owner *o, char *buf, size_t len);
/* Parse a name made by instance_name_format(); false for any other name. */
bool instance_name_parse(const char *name, struct instance_owner *o);
/*
 * Whether the instance @name may be removed by @self: @start_of returns the
 * start time of a pid in @self's namespace, 0 if there is no such process.
 */
bool instance_name_stale(const char *name, const struct instance_owner *self,
			 uint64_t (*start_of)(pid_t pid));
/* /proc/PID/stat's start time, 0 if no such process. */
uint64_t instance_proc_start(pid_t pid);

#endif /* SEAMSTRESS_INSTANCE_NAME_H */
