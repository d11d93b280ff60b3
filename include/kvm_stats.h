/* SPDX-License-Identifier: GPL-2.0 */
/* KVM binary stats snapshots and deltas (lib/report/kvm_stats.c). */
#ifndef SEAMSTRESS_KVM_STATS_H
#define SEAMSTRESS_KVM_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include "kvm_util.h"
#include "report.h"

#define KVM_STATS_SNAP_MAX	96

/* Every cumulative scalar stat of one VM or vCPU. */
struct kvm_stats_snap {
	int nr;
	char name[KVM_STATS_SNAP_MAX][48];
	uint64_t val[KVM_STATS_SNAP_MAX];
};

void kvm_stats_snapshot_vm(struct kvm_vm *vm, struct kvm_stats_snap *snap);
void kvm_stats_snapshot_vcpu(struct kvm_vcpu *vcpu, struct kvm_stats_snap *snap);
bool kvm_stats_value(const struct kvm_stats_snap *snap, const char *name, uint64_t *val);
/* Report the stats that changed, as section @section of @r. */
void kvm_stats_report_delta(struct seam_report *r, const char *section,
			    const struct kvm_stats_snap *before,
			    const struct kvm_stats_snap *after);

#endif /* SEAMSTRESS_KVM_STATS_H */
