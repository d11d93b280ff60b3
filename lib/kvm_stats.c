// SPDX-License-Identifier: GPL-2.0
/*
 * KVM binary stats of the vCPUs, read with the library's stats helpers.
 */
#include "stress_run.h"

static bool vcpu_stat_read(struct kvm_vcpu *vcpu, const char *name, uint64_t *val)
{
	struct kvm_stats_header header;
	struct kvm_stats_desc *descs, *desc;
	bool found = false;
	int fd, i;

	fd = vcpu_get_stats_fd(vcpu);
	read_stats_header(fd, &header);
	descs = read_stats_descriptors(fd, &header);
	for (i = 0; i < header.num_desc; i++) {
		desc = get_stats_descriptor(descs, i, &header);
		if (strcmp(desc->name, name))
			continue;
		read_stat_data(fd, &header, desc, val, 1);
		found = true;
		break;
	}
	free(descs);
	close(fd);
	return found;
}

bool kvm_stats_vcpu_sum(struct stress_vm *svm, const char *name, uint64_t *sum)
{
	uint64_t v;
	uint32_t i;

	*sum = 0;
	for (i = 0; i < svm->nr_vcpus; i++) {
		if (!vcpu_stat_read(svm->vcpus[i], name, &v))
			return false;
		*sum += v;
	}
	return true;
}
