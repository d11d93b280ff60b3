/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A test's page step on a tdx_model vCPU (SEAM_GUEST_STEP(),
 * include/guest_sweep.h): the same blocks as in the guest, here acting on
 * the module and KVM models (lib/model/model_run.c).  The model has no
 * memory contents, so the blocks say what the vCPU does to the page:
 * accept it, access it (the check's load and the write's store are one
 * access of the page), reach a burst point.  What they ask is run as one
 * guest instruction once the step has been called for each page that
 * instruction spans (--model-insn-pages).
 */
#ifndef SEAMSTRESS_MODEL_GUEST_H
#define SEAMSTRESS_MODEL_GUEST_H

#include <stdint.h>

struct model_guest;

/* TDG.MEM.PAGE.ACCEPT of the page, always / unless --model-skip-accept. */
void model_guest_accept(struct model_guest *g, volatile uint64_t *slot);
void model_guest_accept_if_asked(struct model_guest *g, volatile uint64_t *slot);
/* The load of the slot, and its store and read-back: an access of the page. */
void model_guest_check_untouched(struct model_guest *g, volatile uint64_t *slot,
				 unsigned int width);
void model_guest_write_read_back(struct model_guest *g, volatile uint64_t *slot,
				 unsigned int width);
/* An exit to the host every --burst instructions. */
void model_guest_burst_point(struct model_guest *g);

#endif /* SEAMSTRESS_MODEL_GUEST_H */
