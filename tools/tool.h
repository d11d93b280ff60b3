/* SPDX-License-Identifier: GPL-2.0 */
/* The seamstress tool's commands (tools/suite_run.c, compare.c, bisect_run.c). */
#ifndef SEAMSTRESS_TOOL_H
#define SEAMSTRESS_TOOL_H

int suite_run_main(int argc, char *argv[]);
int compare_main(int argc, char *argv[]);
int bisect_run_main(int argc, char *argv[]);

#endif /* SEAMSTRESS_TOOL_H */
