// SPDX-License-Identifier: GPL-2.0
/*
 * Thread placement with libnuma: --cpus takes a CPU list, --nodes the CPUs
 * of a node list; vCPU threads then host threads are pinned round-robin.
 */
#include <numa.h>
#include <stdio.h>
#include <stdlib.h>

#include "stress_run.h"

static int *cpu_ids;
static int nr_cpu_ids_placed;

static int collect(struct bitmask *cpus)
{
	unsigned int i;

	free(cpu_ids);
	cpu_ids = calloc(numa_num_possible_cpus(), sizeof(*cpu_ids));
	nr_cpu_ids_placed = 0;
	for (i = 0; i < cpus->size; i++)
		if (numa_bitmask_isbitset(cpus, i))
			cpu_ids[nr_cpu_ids_placed++] = i;
	return nr_cpu_ids_placed;
}

int placement_init(const char *cpus, const char *nodes, char *err, size_t len)
{
	struct bitmask *mask, *node_cpus;
	unsigned int n;

	if (!cpus && !nodes)
		return 0;
	if (numa_available() < 0) {
		snprintf(err, len, "%s: libnuma reports NUMA unavailable on this host",
			 cpus ? "--cpus" : "--nodes");
		return -1;
	}
	if (cpus) {
		mask = numa_parse_cpustring_all(cpus);
		if (!mask || !collect(mask)) {
			snprintf(err, len, "--cpus: '%s' is not a list of possible CPUs (e.g. 0-3,8)", cpus);
			return -1;
		}
		numa_free_cpumask(mask);
		return 0;
	}

	mask = numa_parse_nodestring_all(nodes);
	if (!mask) {
		snprintf(err, len, "--nodes: '%s' is not a list of possible nodes (e.g. 0,1)", nodes);
		return -1;
	}
	node_cpus = numa_allocate_cpumask();
	for (n = 0; n < mask->size; n++) {
		struct bitmask *one;
		unsigned int c;

		if (!numa_bitmask_isbitset(mask, n))
			continue;
		one = numa_allocate_cpumask();
		if (!numa_node_to_cpus(n, one))
			for (c = 0; c < one->size; c++)
				if (numa_bitmask_isbitset(one, c))
					numa_bitmask_setbit(node_cpus, c);
		numa_free_cpumask(one);
	}
	numa_free_nodemask(mask);
	if (!collect(node_cpus)) {
		snprintf(err, len, "--nodes: '%s' has no CPUs", nodes);
		numa_free_cpumask(node_cpus);
		return -1;
	}
	numa_free_cpumask(node_cpus);
	return 0;
}

void placement_apply(uint32_t index)
{
	struct bitmask *one;

	if (!nr_cpu_ids_placed)
		return;
	one = numa_allocate_cpumask();
	numa_bitmask_setbit(one, cpu_ids[index % nr_cpu_ids_placed]);
	TEST_ASSERT(!numa_sched_setaffinity(0, one),
		    "numa_sched_setaffinity() to CPU %d failed for placed thread %u",
		    cpu_ids[index % nr_cpu_ids_placed], index);
	numa_free_cpumask(one);
}

/*
 * libnuma lets the application replace its warning printer; the options
 * code reports a bad list itself, in one line naming the option.
 */
void numa_warn(int num, char *fmt, ...)
{
}
