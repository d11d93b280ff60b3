// SPDX-License-Identifier: GPL-2.0
/*
 * The integrity check: a guest read returns the reader's own tag or zero,
 * and once chaos has stopped, the tag of each vCPU's clean sweep is what the
 * host sees through its mapping.  A violation is what a stale mapping after
 * an invalidation race looks like.
 */
#include "stress_run.h"

/* Detailed findings per run; the rest are only counted. */
#define INTEGRITY_MAX_DETAILED	8

static void decode_tag(struct seam_finding *f, const char *key, uint64_t v)
{
	char buf[64];

	if (v >> 48 == SEAM_TAG_MAGIC)
		snprintf(buf, sizeof(buf), "vcpu %llu sweep %llu",
			 (unsigned long long)(v >> 32 & 0xffff),
			 (unsigned long long)(v & 0xffffffff));
	else if (!v)
		snprintf(buf, sizeof(buf), "zero (punched)");
	else
		snprintf(buf, sizeof(buf), "not a tag");
	finding_str(f, key, buf);
}

void integrity_guest_report(struct seam_run *run, uint32_t vcpu,
			    const uint64_t *args)
{
	uint64_t gpa = args[2], expected = args[3], seen = args[4];
	const char *phase = args[5] == SEAM_PHASE_READBACK ?
			    "read back after its write" : "before its write";
	struct seam_finding *f;

	f = report_add_finding(run->report, "integrity",
			       "vCPU %u saw 0x%llx at gpa 0x%llx %s, expected 0x%llx or 0",
			       vcpu, (unsigned long long)seen,
			       (unsigned long long)gpa, phase,
			       (unsigned long long)expected);
	finding_hex(f, "gpa", gpa);
	finding_u64(f, "vcpu", vcpu);
	finding_hex(f, "expected", expected);
	finding_hex(f, "seen", seen);
	finding_str(f, "phase", args[5] == SEAM_PHASE_READBACK ? "readback" : "before_write");
	decode_tag(f, "seen_decoded", seen);
}

uint64_t integrity_check_final(struct seam_run *run)
{
	struct stress_vm *svm = run->svm;
	uint64_t page, expected, seen, bad = 0;
	struct seam_finding *f;
	uint32_t v;

	if (!svm->region_hva)
		return 0;

	for (page = 0; page < svm->nr_pages; page++) {
		for (v = 0; v < svm->nr_vcpus; v++) {
			expected = seam_tag(v, run->vcpu[v].final_sweep);
			seen = *stress_vm_slot(svm, page, v);
			if (seen == expected)
				continue;
			if (bad++ >= INTEGRITY_MAX_DETAILED)
				continue;
			f = report_add_finding(run->report, "integrity",
					       "host sees 0x%llx at gpa 0x%llx after vCPU %u's clean sweep %llu, expected 0x%llx",
					       (unsigned long long)seen,
					       (unsigned long long)(svm->region_gpa + page * SEAM_PAGE_SIZE + v * SEAM_SLOT_BYTES),
					       v, (unsigned long long)run->vcpu[v].final_sweep,
					       (unsigned long long)expected);
			finding_hex(f, "gpa", svm->region_gpa + page * SEAM_PAGE_SIZE +
					      v * SEAM_SLOT_BYTES);
			finding_u64(f, "vcpu", v);
			finding_hex(f, "expected", expected);
			finding_hex(f, "seen", seen);
			finding_str(f, "phase", "host_final");
			decode_tag(f, "seen_decoded", seen);
		}
	}
	return bad;
}
