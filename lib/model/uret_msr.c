// SPDX-License-Identifier: GPL-2.0
/*
 * The user-return MSR of one CPU (include/uret_msr.h), as KVM and the TDX
 * module handle it (docs/tdx-module-and-kvm.md §3 bug 13).  The caller
 * holds the model's lock.
 */
#include "uret_msr.h"

void uret_init(struct uret_cpu *c, bool fixed)
{
	*c = (struct uret_cpu){ .hw = URET_HOST, .curr = URET_HOST, .fixed = fixed };
}

void uret_set(struct uret_cpu *c, uint64_t val)
{
	if (c->curr == val)
		return;
	c->hw = val;
	c->curr = val;
}

void uret_td_put(struct uret_cpu *c)
{
	/*
	 * tdx_prepare_switch_to_host() before c0711f8c610e: "the module
	 * clobbered them" after any VP.ENTER, entered or not.
	 */
	if (!c->fixed && c->td_guest_entered)
		c->curr = URET_TDX;
	c->td_guest_entered = false;
}

void uret_load(struct uret_cpu *c, enum uret_owner who)
{
	if (c->owner == who)
		return;
	/* A VMX vCPU's put leaves its values for the user return to restore. */
	if (c->owner == URET_TD_VCPU)
		uret_td_put(c);
	c->owner = who;
}

void uret_td_vp_enter(struct uret_cpu *c, bool before, bool entered)
{
	if (before) {
		uret_load(c, URET_TD_VCPU);
		c->td_pinned = true;
		/*
		 * 6.19's tdx_prepare_switch_to_guest(): load what the module
		 * may load, so that hardware and cache agree whether or not
		 * VP.ENTER enters.
		 */
		if (c->fixed)
			uret_set(c, URET_TDX);
		return;
	}
	if (!c->fixed)
		c->td_guest_entered = true;
	c->td_in_guest = entered;
	if (!entered)
		c->td_pinned = false;
}

void uret_td_exit(struct uret_cpu *c)
{
	/* A TD exit proper restores the module's values; a made-up one does not. */
	if (c->td_in_guest)
		c->hw = URET_TDX;
	c->td_in_guest = false;
	c->td_pinned = false;
}

bool uret_user_return(struct uret_cpu *c)
{
	if (c->curr != URET_HOST) {
		c->hw = URET_HOST;
		c->curr = URET_HOST;
	}
	return c->hw == URET_HOST;
}
