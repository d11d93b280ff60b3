// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the scenario parser on arbitrary bytes.  It must return
 * 0 or -1 with a message, never crash, overrun or hang (make fuzz).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct scenario sc;
	char err[512], *text = malloc(size + 1);

	memcpy(text, data, size);
	text[size] = 0;
	if (scenario_parse("fuzz.conf", text, &sc, err, sizeof(err)) && !err[0])
		abort();	/* every failure explains itself */
	free(text);
	return 0;
}
