# SPDX-License-Identifier: GPL-2.0
#
# seamstress: build against a kernel tree's KVM selftests library.
#
#   make                    use Debian's linux-source-6.12 (unpacked into build/)
#   make KDIR=/path/linux   use that tree (never written to)
#   make check              unit and contract tests, then real runs on /dev/kvm
#   make run                stress this host on its best flavor
#   make bench              rates against a trivial-exit baseline
#   make vm-check           the tests on an upstream KVM nested under QEMU
#   make vm-run             the smoke suite (SCENARIO=) there
#   make vm-bench           make bench's KVM ratios there
#   make vm-ab KVM_PATCH=f  stock vs patched KVM there, seamstress compare
#
# The real build is mk/build.mk; this file only makes sure a kernel tree and
# its uAPI headers exist first, because build.mk lists the tree's sources.

# make SANITIZE=1 ...: ASan+UBSan host code, in a build directory of its own
# (the kernel tree and headers are shared with the plain build).
ifeq ($(SANITIZE),1)
BUILD   ?= build/san
TREE    := build
else
BUILD   ?= build
TREE    := $(BUILD)
endif
KDIR    ?=
ifeq ($(KDIR),)
KSRC    := $(abspath $(TREE)/linux-source-6.12)
KSTAMP  := $(KSRC)/.seamstress-unpacked
else
KSRC    := $(abspath $(KDIR))
KSTAMP  :=
endif
HDR     := $(abspath $(TREE)/usr)

SUBMAKE = $(MAKE) -s --no-print-directory -f mk/build.mk KSRC=$(KSRC) HDR=$(HDR) BUILD=$(BUILD) \
	  SANITIZE=$(SANITIZE)

.PHONY: all check check-beside run bench fuzz clean distclean headers deps FORCE vm-check vm-run \
	vm-bench vm-ab install
all: headers
	+@$(SUBMAKE) all

# Under SANITIZE=1, leaks inside libtracefs/libtraceevent are suppressed
# (tests/lsan.supp).
check: headers | deps
	+@$(SUBMAKE) all
	@SEAM_KSRC=$(KSRC) $(if $(filter 1,$(SANITIZE)),LSAN_OPTIONS=suppressions=$(abspath tests/lsan.supp) \
		SEAM_TREE=$(TREE) SEAM_CHECK_SLOW=4) scripts/check.sh $(BUILD)

# make check with an unrelated KVM guest and a second seamstress run beside it.
check-beside: headers | deps
	+@$(SUBMAKE) all bench-bins
	@scripts/check-beside.sh $(BUILD)

# RUN_SECS=N shortens every run of the smoke suite.
run: headers
	+@$(SUBMAKE) all
	@$(BUILD)/seamstress run --out $(BUILD)/reports configs/smoke.conf $(if $(RUN_SECS),-- -d $(RUN_SECS))

# The upstream KVM nested under QEMU (docs/nested-kvm.md).  KERNEL=bzImage
# (and MODULES=dir) boot your kernel, KVM_PATCH=file rebuilds the default
# KVM with it: the scripts read them from the environment.
vm-check: headers
	+@$(SUBMAKE) all
	@scripts/vm-check.sh $(BUILD)

vm-run: headers
	+@$(SUBMAKE) all
	@scripts/vm-run.sh $(BUILD)/vm/run -- $(BUILD)/seamstress run --out $(BUILD)/vm/run/reports \
		"$${SCENARIO:-configs/smoke.conf}"

# The same ratios as make bench, every rate and its baseline measured in
# the one VM (BENCH_SECS, default 2 there); the model's part stays out.
vm-bench: headers
	+@$(SUBMAKE) all bench-bins
	@scripts/vm-run.sh --timeout 1800 $(BUILD)/vm/bench -- env BENCH_SECS="$${BENCH_SECS:-2}" \
		BENCH_VCPUS="$${BENCH_VCPUS:-2}" BENCH_PAGES="$${BENCH_PAGES:-512}" BENCH_MODEL=0 \
		scripts/bench.sh $(BUILD)

# A KVM patch A/B'd there: SCENARIO (one section) RUNS times a side.
vm-ab: headers
	+@$(SUBMAKE) all
	@scripts/vm-ab.sh $(BUILD) "$${KVM_PATCH:?make vm-ab needs KVM_PATCH=FILE}" \
		"$${SCENARIO:-configs/ab-gmem-punch.conf}" "$${RUNS:-3}"

bench: headers
	+@$(SUBMAKE) all bench-bins
	@scripts/bench.sh $(BUILD)

# The kselftest layout for the kernel's run_kselftest.sh (SCENARIO=, default
# configs/smoke.conf): make install INSTALL_PATH=DIR.
install: headers
	+@$(SUBMAKE) all
	@$(if $(INSTALL_PATH),,$(error set INSTALL_PATH to use install))
	@scripts/kselftest-install.sh $(BUILD) $(KSRC) $(INSTALL_PATH) $${SCENARIO:-configs/smoke.conf}

# Fuzz the scenario parser with libFuzzer for FUZZ_SECS (default 60).
fuzz: all
	@scripts/fuzz.sh $(BUILD) $(HDR) $(KSRC) $${FUZZ_SECS:-60}

headers: $(HDR)/.stamp | deps

# Every entry point installs what a fresh Debian machine lacks first (as
# root; otherwise it names the missing packages): scripts/packages.txt is
# the one list, which .ci/run uses too.
deps:
	@scripts/ensure-packages.sh

ifneq ($(KSTAMP),)
$(KSTAMP): | deps
	@scripts/linux-source.sh $(KSRC)
endif

# headers_install goes through O= so the user's tree is never written to.
$(HDR)/.stamp: $(KSTAMP) | deps
	@echo "  HDRINST $(KSRC) -> $(HDR)"
	@mkdir -p $(abspath $(BUILD)/kout)
	@$(MAKE) -s -C $(KSRC) O=$(abspath $(BUILD)/kout) ARCH=x86_64 \
		INSTALL_HDR_PATH=$(HDR) headers_install >$(BUILD)/headers.log 2>&1 || \
		{ echo "headers_install from $(KSRC) failed, see $(BUILD)/headers.log" >&2; exit 1; }
	@touch $@

clean:
	rm -rf $(BUILD)/obj $(BUILD)/tests $(BUILD)/libkvm $(BUILD)/bench

distclean:
	rm -rf $(BUILD)
