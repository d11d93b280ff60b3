/* SPDX-License-Identifier: GPL-2.0 */
/* The seamstress tool's commands (tools/suite_run.c, tools/compare.c). */
#ifndef SEAMSTRESS_TOOL_H
#define SEAMSTRESS_TOOL_H

int suite_run_main(int argc, char *argv[]);
int compare_main(int argc, char *argv[]);

#endif /* SEAMSTRESS_TOOL_H */
