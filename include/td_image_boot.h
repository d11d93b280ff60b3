/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The td_image flavor's run (lib/run/td_image_boot.c): boot the tdx
 * flavor's image in an ordinary VM and check where every vCPU stopped.
 */
#ifndef SEAMSTRESS_TD_IMAGE_BOOT_H
#define SEAMSTRESS_TD_IMAGE_BOOT_H

#include "report.h"
#include "stress_vm.h"

/*
 * Start every vCPU of @svm (built and finalized as td_image) at a TD
 * vCPU's initial state, run it to its stop and judge it: findings in @r,
 * or a SKIP naming what this KVM refused.
 */
void td_image_boot(struct stress_vm *svm, struct seam_report *r);

#endif /* SEAMSTRESS_TD_IMAGE_BOOT_H */
