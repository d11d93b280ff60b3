// SPDX-License-Identifier: GPL-2.0
/*
 * The integrity check: a guest read returns the reader's own tag or zero,
 * and once chaos has stopped, the tag of each vCPU's clean sweep is what the
 * host sees through its mapping.  A wrong value is classified (torn, stale,
 * foreign, garbage: include/tag_class.h) and the class leads the message,
 * because the class is what tells a split store from a stale mapping.
 *
 * A guest-seen mismatch does not stop the run: the guest repairs its slot
 * and goes on, so a run measures how often it happens (hits per minute),
 * the first INTEGRITY_MAX_DETAILED with full evidence.
 */
#include "stress_run.h"
#include "tag_class.h"

#define INTEGRITY_MAX_DETAILED	8

/*
 * A host that emulates the guest's instructions (kvm stat insn_emulation
 * far above exits, as on shadow-paging hosts that emulate every guest
 * instruction) performs the guest's stores itself, with a copy to the
 * guest's memory; a torn store there is the emulator's, not the CPU's.
 */
#define EMULATING_HOST_RATIO	10

static const char *phase_words(uint64_t phase)
{
	return phase == SEAM_PHASE_READBACK ? "read back after its write" : "before its write";
}

static void add_class_evidence(struct seam_finding *f, const struct tag_verdict *v)
{
	char buf[64];

	finding_str(f, "class", tag_class_name(v->cls));
	finding_hex(f, "lanes_match", v->lanes_match);
	finding_hex(f, "lanes_zero", v->lanes_zero);
	finding_hex(f, "lanes_other", v->lanes_other);
	if (v->is_tag)
		snprintf(buf, sizeof(buf), "vcpu %u sweep %llu", v->vcpu,
			 (unsigned long long)v->sweep);
	else
		snprintf(buf, sizeof(buf), "not a tag");
	finding_str(f, "seen_decoded", buf);
	if (v->cls == TAG_STALE)
		finding_u64(f, "sweeps_old", v->age);
}

/* "torn: ..." — what the value is, then where and against what. */
static int describe(char *buf, size_t len, const struct tag_verdict *v, const char *who,
		    uint64_t seen, uint64_t gpa, const char *when, uint64_t expected)
{
	int n = snprintf(buf, len, "%s: %s 0x%llx at gpa 0x%llx %s, expected 0x%llx",
			 tag_class_name(v->cls), who, (unsigned long long)seen,
			 (unsigned long long)gpa, when, (unsigned long long)expected);

	switch (v->cls) {
	case TAG_TORN:
		return n + snprintf(buf + n, len - n,
				    "; byte lanes 0x%02x match, 0x%02x are zero, 0x%02x hold other bytes",
				    v->lanes_match, v->lanes_zero, v->lanes_other);
	case TAG_STALE:
		return n + snprintf(buf + n, len - n, "; it is its own tag of %llu sweep(s) before",
				    (unsigned long long)v->age);
	case TAG_FOREIGN:
		return n + snprintf(buf + n, len - n, "; it is vCPU %u's tag of sweep %llu",
				    v->vcpu, (unsigned long long)v->sweep);
	default:
		return n + snprintf(buf + n, len - n, "; it is not a tag");
	}
}

static void count_class(struct seam_run *run, enum tag_class cls)
{
	__atomic_fetch_add(&run->integrity_class[cls], 1, __ATOMIC_RELAXED);
}

static void count_torn_access(struct seam_run *run, const char *what)
{
	uint64_t *n = !strcmp(what, "store") ? &run->torn_store :
		      !strcmp(what, "load") ? &run->torn_load : &run->torn_unknown;

	__atomic_fetch_add(n, 1, __ATOMIC_RELAXED);
}

void integrity_guest_report(struct seam_run *run, uint32_t vcpu,
			    const uint64_t *args)
{
	uint64_t gpa = args[2], expected = args[3], seen = args[4], phase = args[5];
	unsigned int width = run->opts->access_width;
	uint64_t reread = args[6];
	struct seam_finding *f;
	struct tag_verdict v;
	char who[32], msg[sizeof(f->message)];

	tag_classify_width(seen, expected, width, &v);
	count_class(run, v.cls);
	if (v.cls == TAG_TORN && phase == SEAM_PHASE_READBACK)
		count_torn_access(run, tag_split_access(seen, reread, seam_tag_low(expected, width)));
	if (__atomic_fetch_add(&run->integrity_detailed, 1, __ATOMIC_RELAXED) >=
	    INTEGRITY_MAX_DETAILED)
		return;

	snprintf(who, sizeof(who), "vCPU %u saw", vcpu);
	describe(msg, sizeof(msg), &v, who, seen, gpa, phase_words(phase), expected);
	f = report_add_finding(run->report, "integrity", "%s", msg);
	finding_hex(f, "gpa", gpa);
	finding_u64(f, "vcpu", vcpu);
	finding_hex(f, "expected", expected);
	finding_hex(f, "seen", seen);
	finding_str(f, "phase", phase == SEAM_PHASE_READBACK ? "readback" : "before_write");
	finding_u64(f, "access_width", width);
	add_class_evidence(f, &v);
	if (phase == SEAM_PHASE_READBACK) {
		finding_hex(f, "reread", reread);
		if (v.cls == TAG_TORN)
			finding_str(f, "torn_access",
				    tag_split_access(seen, reread, seam_tag_low(expected, width)));
	}
}

uint64_t integrity_check_final(struct seam_run *run)
{
	struct stress_vm *svm = run->svm;
	uint64_t page, gpa, expected, seen, bad = 0;
	char who[32], when[48], msg[sizeof(((struct seam_finding *)0)->message)];
	struct seam_finding *f;
	struct tag_verdict v;
	uint32_t vc;

	if (!svm->region_hva)
		return 0;

	for (page = 0; page < svm->nr_pages; page++) {
		for (vc = 0; vc < svm->nr_vcpus; vc++) {
			expected = seam_tag(vc, run->vcpu[vc].final_sweep);
			seen = seam_tag_low(*stress_vm_slot(svm, page, vc), run->opts->access_width);
			if (seen == seam_tag_low(expected, run->opts->access_width))
				continue;
			tag_classify_width(seen, expected, run->opts->access_width, &v);
			count_class(run, v.cls);
			if (bad++ >= INTEGRITY_MAX_DETAILED)
				continue;
			gpa = svm->region_gpa + page * SEAM_PAGE_SIZE + vc * SEAM_SLOT_BYTES;
			snprintf(who, sizeof(who), "host sees");
			snprintf(when, sizeof(when), "after vCPU %u's clean sweep %llu", vc,
				 (unsigned long long)run->vcpu[vc].final_sweep);
			describe(msg, sizeof(msg), &v, who, seen, gpa, when, expected);
			f = report_add_finding(run->report, "integrity", "%s", msg);
			finding_hex(f, "gpa", gpa);
			finding_u64(f, "vcpu", vc);
			finding_hex(f, "expected", expected);
			finding_hex(f, "seen", seen);
			finding_str(f, "phase", "host_final");
			add_class_evidence(f, &v);
		}
	}
	return bad;
}

void integrity_report(struct seam_run *run, double secs, uint64_t insn_emulation,
		      uint64_t exits)
{
	struct seam_report *r = run->report;
	bool emulating = insn_emulation > EMULATING_HOST_RATIO * exits;
	struct seam_finding *f;
	uint64_t n;
	char key[48];
	int c, i;

	for (c = 0; c < NR_TAG_CLASSES; c++) {
		n = run->integrity_class[c];
		snprintf(key, sizeof(key), "integrity_%s", tag_class_name(c));
		report_counter(r, key, n);
		snprintf(key, sizeof(key), "integrity_%s_per_min", tag_class_name(c));
		report_rate(r, key, secs > 0 ? n * 60 / secs : 0);
	}
	report_counter(r, "integrity_torn_store", run->torn_store);
	report_counter(r, "integrity_torn_load", run->torn_load);
	report_counter(r, "integrity_torn_unknown", run->torn_unknown);
	report_config_str(r, "store", run->opts->locked_store ? "locked" : "plain");
	report_config_u64(r, "access_width", run->opts->access_width);
	report_config_u64(r, "host_reader", run->opts->host_reader);
	report_config_str(r, "host_emulates_guest", emulating ? "yes" : "no");
	/* An injected tear is the harness's own write, not the host's access. */
	if (!emulating || !run->integrity_class[TAG_TORN] || run->opts->inject_tear)
		return;

	/* Evidence for the torn findings: who performed the access. */
	pthread_mutex_lock(&r->lock);
	n = r->nr_findings;
	pthread_mutex_unlock(&r->lock);
	for (i = 0; i < (int)n; i++) {
		const char *cls;

		f = &r->findings[i];
		cls = finding_get_str(f, "class");
		if (strcmp(f->detector, "integrity") || !cls || strcmp(cls, tag_class_name(TAG_TORN)))
			continue;
		finding_u64(f, "host_insn_emulation", insn_emulation);
		finding_u64(f, "host_exits", exits);
		finding_str(f, "access_performed_by",
			    "the host's instruction emulator (insn_emulation far above exits): an emulator-atomicity finding");
	}
}
