/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KVM's user-return MSRs on one physical CPU, for tdx_model
 * (docs/tdx-module-and-kvm.md §3 bug 13): the value in hardware, KVM's
 * per-CPU cache of it (kvm_set_user_return_msr() writes only when the
 * cache differs; kvm_on_user_return() restores the host value only when
 * the cache differs from it, arch/x86/kvm/x86.c), and the vCPU loaded on
 * the CPU.  One MSR stands for the four of tdx_uret_msrs[]: TSC_AUX, whose
 * host value on CPU 0 (the CPU's number) equals what the TDX module loads
 * at TD exit, so a cache that wrongly says "the module's value" also says
 * "nothing to restore".
 */
#ifndef SEAMSTRESS_URET_MSR_H
#define SEAMSTRESS_URET_MSR_H

#include <stdbool.h>
#include <stdint.h>

#define URET_HOST	0	/* CPU 0's TSC_AUX: its number */
#define URET_TDX	0	/* what the module loads at TD exit (tdx_uret_msrs[].defval) */
#define URET_VMX_GUEST	1	/* the neighbour VM's guest TSC_AUX */

enum uret_owner { URET_NOBODY, URET_TD_VCPU, URET_VMX_VCPU };

struct uret_cpu {
	uint64_t hw, curr;		/* the MSR, and KVM's cache of it */
	enum uret_owner owner;		/* the vCPU loaded on the CPU */
	bool fixed;			/* 6.19: set before VP.ENTER, no cache update after */
	/* The TD vCPU, preemption off from prepare_switch_to_guest to its exit. */
	bool td_pinned;
	bool td_in_guest;		/* VP.ENTER entered: the module loads URET_TDX at exit */
	bool td_guest_entered;		/* before 6.19: tdx->guest_entered, set by any attempt */
};

void uret_init(struct uret_cpu *c, bool fixed);
/* kvm_set_user_return_msr(): hardware written only if the cache differs. */
void uret_set(struct uret_cpu *c, uint64_t val);
/* @who is scheduled in; the vCPU it replaces is put (kvm_sched_out()). */
void uret_load(struct uret_cpu *c, enum uret_owner who);
/* The TD vCPU's vcpu_put(): before 6.19 the cache takes the module's value. */
void uret_td_put(struct uret_cpu *c);
/* The TD vCPU's TDH.VP.ENTER: before (@before) and after, @entered or not. */
void uret_td_vp_enter(struct uret_cpu *c, bool before, bool entered);
/* The TD vCPU's exit is taken: the module loaded its value if it entered. */
void uret_td_exit(struct uret_cpu *c);
/* kvm_on_user_return(); false if the host's value is not in hardware after. */
bool uret_user_return(struct uret_cpu *c);

#endif
