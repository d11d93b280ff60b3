// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/kvm.h>

#include "vm_probe.h"

static int real_ioctl(int fd, unsigned long req, unsigned long arg)
{
	return ioctl(fd, req, arg);
}

int vm_probe_bugged(struct seam_report *r, int vm_fd, vm_ioctl_fn fn)
{
	struct seam_finding *f;
	int ret, err;

	/* KVM_CHECK_EXTENSION on the VM fd changes nothing; a dead VM says EIO. */
	ret = (fn ? fn : real_ioctl)(vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY);
	if (ret >= 0)
		return 0;
	err = errno;
	if (err == EIO) {
		f = report_add_finding(r, "vm_bugged",
				       "KVM_CHECK_EXTENSION on the VM fd failed with EIO after the run: KVM marked the VM bugged or dead");
		finding_str(f, "probe", "KVM_CHECK_EXTENSION(KVM_CAP_USER_MEMORY) on the VM fd");
		finding_u64(f, "errno", err);
	}
	return err;
}
