// SPDX-License-Identifier: GPL-2.0
/*
 * KVM binary stats of the VM and its vCPUs, read with the library's stats
 * helpers: snapshots of every cumulative scalar stat, and their deltas.
 */
#include "kvm_stats.h"

static void snapshot_fd(int fd, struct kvm_stats_snap *snap)
{
	struct kvm_stats_header header;
	struct kvm_stats_desc *descs, *desc;
	int i;

	snap->nr = 0;
	read_stats_header(fd, &header);
	descs = read_stats_descriptors(fd, &header);
	for (i = 0; i < header.num_desc && snap->nr < KVM_STATS_SNAP_MAX; i++) {
		desc = get_stats_descriptor(descs, i, &header);
		if ((desc->flags & KVM_STATS_TYPE_MASK) != KVM_STATS_TYPE_CUMULATIVE ||
		    desc->size != 1)
			continue;
		snprintf(snap->name[snap->nr], sizeof(snap->name[0]), "%s", desc->name);
		read_stat_data(fd, &header, desc, &snap->val[snap->nr], 1);
		snap->nr++;
	}
	free(descs);
}

void kvm_stats_snapshot_vm(struct kvm_vm *vm, struct kvm_stats_snap *snap)
{
	int fd = vm_get_stats_fd(vm);

	snapshot_fd(fd, snap);
	close(fd);
}

void kvm_stats_snapshot_vcpu(struct kvm_vcpu *vcpu, struct kvm_stats_snap *snap)
{
	int fd = vcpu_get_stats_fd(vcpu);

	snapshot_fd(fd, snap);
	close(fd);
}

bool kvm_stats_value(const struct kvm_stats_snap *snap, const char *name, uint64_t *val)
{
	int i;

	for (i = 0; i < snap->nr; i++) {
		if (!strcmp(snap->name[i], name)) {
			*val = snap->val[i];
			return true;
		}
	}
	return false;
}

void kvm_stats_report_delta(struct seam_report *r, const char *section,
			    const struct kvm_stats_snap *before,
			    const struct kvm_stats_snap *after)
{
	uint64_t old;
	int i;

	for (i = 0; i < after->nr; i++) {
		if (!kvm_stats_value(before, after->name[i], &old))
			old = 0;
		if (after->val[i] != old)
			report_section_u64(r, section, after->name[i], after->val[i] - old);
	}
}
