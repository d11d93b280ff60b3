// SPDX-License-Identifier: GPL-2.0
/*
 * Tracefs instance names and who owns them (include/instance_name.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "instance_name.h"

/* Field 22 of /proc/PID/stat; the comm before it may hold spaces and ')'. */
uint64_t instance_proc_start(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long start = 0;
	size_t n;
	FILE *f;
	int field;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	p = strrchr(buf, ')');
	if (!p)
		return 0;
	/* After ") " comes field 3 (state). */
	for (field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p + 1, "%llu", &start) != 1)
		return 0;
	return start;
}

bool instance_owner_self(struct instance_owner *o)
{
	char boot[64] = "";
	struct stat st;
	FILE *f;

	memset(o, 0, sizeof(*o));
	f = fopen("/proc/sys/kernel/random/boot_id", "re");
	if (!f)
		return false;
	if (!fgets(boot, sizeof(boot), f))
		boot[0] = 0;
	fclose(f);
	if (strlen(boot) < 8 || stat("/proc/self/ns/pid", &st))
		return false;
	memcpy(o->boot, boot, 8);
	o->pidns = st.st_ino;
	o->pid = getpid();
	o->start = instance_proc_start(o->pid);
	return o->start != 0;
}

void instance_name_format(const struct instance_owner *o, char *buf, size_t len)
{
	snprintf(buf, len, INSTANCE_PREFIX "%s-%" PRIu64 "-%d-%" PRIu64, o->boot, o->pidns,
		 (int)o->pid, o->start);
}

bool instance_name_parse(const char *name, struct instance_owner *o)
{
	char again[96];
	int pid, n = 0;

	memset(o, 0, sizeof(*o));
	if (strncmp(name, INSTANCE_PREFIX, strlen(INSTANCE_PREFIX)))
		return false;
	if (sscanf(name + strlen(INSTANCE_PREFIX), "%8[0-9a-f]-%" SCNu64 "-%d-%" SCNu64 "%n",
		   o->boot, &o->pidns, &pid, &o->start, &n) != 4 || pid <= 0)
		return false;
	o->pid = pid;
	/* Only a name exactly as we write it: no trailing text, no odd spellings. */
	instance_name_format(o, again, sizeof(again));
	return !strcmp(again, name);
}

bool instance_name_stale(const char *name, const struct instance_owner *self,
			 uint64_t (*start_of)(pid_t pid))
{
	struct instance_owner o;

	if (!instance_name_parse(name, &o))
		return false;
	if (strcmp(o.boot, self->boot) || o.pidns != self->pidns)
		return false;
	if (o.pid == self->pid && o.start == self->start)
		return false;
	return start_of(o.pid) != o.start;
}
