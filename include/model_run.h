/* SPDX-License-Identifier: GPL-2.0 */
/* The tdx_model flavor's run engine (lib/model/model_run.c). */
#ifndef SEAMSTRESS_MODEL_RUN_H
#define SEAMSTRESS_MODEL_RUN_H

#include <stdint.h>

#include "options.h"
#include "report.h"

/* Run @o's workload on the model; @order holds each vCPU's page order. */
void model_run(const struct seam_opts *o, struct seam_report *r, const uint32_t *order);

#endif /* SEAMSTRESS_MODEL_RUN_H */
