/* SPDX-License-Identifier: GPL-2.0 */
/*
 * After a run, a harmless VM ioctl tells whether KVM marked the VM bugged
 * or dead: every VM ioctl then fails with EIO.  This is a finding even when
 * the kernel log could not be read.
 */
#ifndef SEAMSTRESS_VM_PROBE_H
#define SEAMSTRESS_VM_PROBE_H

#include "report.h"

/* An ioctl(2) stand-in, so tests can give the probe a VM fd that fails. */
typedef int (*vm_ioctl_fn)(int fd, unsigned long req, unsigned long arg);

/* 0 if the VM answers, else the errno of the probe; adds "vm_bugged" on EIO. */
int vm_probe_bugged(struct seam_report *r, int vm_fd, vm_ioctl_fn fn);

#endif /* SEAMSTRESS_VM_PROBE_H */
