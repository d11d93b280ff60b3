/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every test's main(): parse the shared options, start the detectors, fork a
 * worker child that runs the stress VM, supervise it, and write the report
 * from the parent, even when the child is stuck in the kernel.
 */
#ifndef SEAMSTRESS_SUPERVISOR_H
#define SEAMSTRESS_SUPERVISOR_H

/* Run test @name (its option defaults come from the name); returns the exit code. */
int seam_test_main(const char *name, int argc, char *argv[]);

#endif /* SEAMSTRESS_SUPERVISOR_H */
