# SPDX-License-Identifier: GPL-2.0
#
# Compile the KVM selftests library of $(KSRC) out of tree, then seamstress.
# Called by ../Makefile with KSRC (kernel tree), HDR (installed uAPI headers)
# and BUILD (output directory).

KVM_ST   := $(KSRC)/tools/testing/selftests/kvm
ST       := $(KSRC)/tools/testing/selftests

# 6.16 renamed lib/x86_64 and include/x86_64 to x86: detect, don't ask.
ARCH_DIR := $(if $(wildcard $(KVM_ST)/lib/x86/processor.c),x86,x86_64)
ifeq ($(wildcard $(KVM_ST)/lib/$(ARCH_DIR)/processor.c),)
$(error $(KSRC) has no KVM selftests library (tools/testing/selftests/kvm/lib/x86{,_64}))
endif

# The library's source list is the tree's own (Makefile.kvm or Makefile),
# so files a newer tree adds or drops need no change here.
KVM_MK   := $(firstword $(wildcard $(KVM_ST)/Makefile.kvm) $(KVM_ST)/Makefile)
libkvm_list = $(shell sed -n 's/^$(1)[[:space:]]*+=[[:space:]]*//p' $(KVM_MK))
LIBKVM_SRC    := $(call libkvm_list,LIBKVM) $(call libkvm_list,LIBKVM_$(ARCH_DIR))
LIBKVM_STRING := $(call libkvm_list,LIBKVM_STRING)

# Newer trees link the cgroup selftests helpers into the library.
CGROUP_SRC := $(if $(wildcard $(ST)/cgroup/lib/libcgroup.mk),$(wildcard $(ST)/cgroup/lib/*.c))

OBJ      := $(BUILD)/obj
LIBKVM_O := $(patsubst %.c,$(BUILD)/libkvm/%.o,$(filter %.c,$(LIBKVM_SRC))) \
	    $(patsubst %.S,$(BUILD)/libkvm/%.o,$(filter %.S,$(LIBKVM_SRC))) \
	    $(patsubst %.c,$(BUILD)/libkvm/%.o,$(LIBKVM_STRING)) \
	    $(patsubst $(ST)/cgroup/lib/%.c,$(BUILD)/libkvm/cgroup/%.o,$(CGROUP_SRC))

# The selftests' own flags (Makefile.kvm), with absolute include paths.
ST_CFLAGS := -Wall -Wstrict-prototypes -Wuninitialized -O2 -g -std=gnu99 \
	-MD -MP -DCONFIG_64BIT -U_FORTIFY_SOURCE -D_GNU_SOURCE= \
	-fno-builtin-memcmp -fno-builtin-memcpy -fno-builtin-memset \
	-fno-builtin-strnlen -fno-stack-protector -fno-PIE -fno-strict-aliasing \
	-march=x86-64-v2 \
	-I$(KSRC)/tools/include -I$(KSRC)/tools/arch/x86/include \
	-isystem $(HDR)/include -I$(KVM_ST)/include -I$(KVM_ST)/include/$(ARCH_DIR) \
	-I$(ST)/rseq -I$(ST) $(if $(CGROUP_SRC),-I$(ST)/cgroup/lib/include)
# SEAM_* are ours; a user's CFLAGS and LDFLAGS (make CFLAGS=...) are added
# after them, not instead of them.
SEAM_LDFLAGS := -pthread -no-pie
LDLIBS   := -lm -lnuma -ldl $(shell pkg-config --libs libtracefs libtraceevent)

# Every tests/NAME.c is a test: the scenario reader learns their names from
# a header written here, rewritten only when the list changes.
GEN        := $(BUILD)/gen
TEST_NAMES := $(sort $(basename $(notdir $(wildcard tests/*.c))))

# Ours: the selftests' flags, warnings as errors, our headers first.
SEAM_CFLAGS := -Iinclude -I$(GEN) $(ST_CFLAGS) $(shell pkg-config --cflags libtracefs libtraceevent) -Werror -DSEAMSTRESS_ARCH_DIR=\"$(ARCH_DIR)\" \
	    -DSEAMSTRESS_KNOWN_ISSUES=\"$(abspath configs/known-issues)\"

# make SANITIZE=1: AddressSanitizer and UBSan on host code.  Guest code
# (lib/guest_code.c, lib/flavor/td_boot.S, the tests' and the bench
# baselines' files, which hold their guest loops, and the selftests library,
# which holds the guest's ucall and exception code) stays uninstrumented: it
# runs inside the VM, where no sanitizer runtime exists.
ifeq ($(SANITIZE),1)
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
endif
GUEST_O   := $(OBJ)/lib/guest_code.o $(OBJ)/lib/flavor/td_boot.o $(TEST_NAMES:%=$(OBJ)/tests/%.o) \
	     $(OBJ)/tests/contract/kick_before_threads.o \
	     $(patsubst tests/bench/%.c,$(OBJ)/tests/bench/%.o,$(wildcard tests/bench/*.c))
host_san   = $(if $(filter $@,$(GUEST_O)),,$(SAN_FLAGS))
SEAM_LDFLAGS += $(SAN_FLAGS)

# Pure objects (no KVM library): unit tests link only these.
PURE_SRC := lib/chaos/chaos_ops.c lib/chaos/chaos_pick.c lib/chaos/widen.c lib/util/safe_file.c lib/flavor/flavor.c lib/util/ini_text.c lib/detectors/instance_name.c lib/detectors/tag_class.c lib/detectors/known_issues.c lib/detectors/detectors.c lib/util/options.c lib/report/json.c lib/util/rng.c lib/report/report.c lib/report/latency.c lib/report/environment.c lib/detectors/vm_probe.c lib/detectors/watchdog.c lib/detectors/kmsg.c lib/detectors/streak.c lib/detectors/seamprobe.c lib/flavor/td_exit.c lib/flavor/td_cpuid.c lib/util/scenario.c lib/report/stats.c lib/model/seam_model.c lib/model/model_sched.c lib/model/kvm_model.c lib/model/uret_msr.c lib/model/model_run.c
KVM_SRC  := lib/detectors/faulttrace.c lib/tdx_vm.c lib/flavor/td_create.c lib/flavor/td_boot.S lib/guest_code.c lib/chaos/chaos.c lib/detectors/integrity.c \
	    lib/report/kvm_stats.c lib/run/placement.c lib/run/stress_run.c lib/run/supervisor.c \
	    lib/run/td_image_boot.c
PURE_O   := $(PURE_SRC:%.c=$(OBJ)/%.o)
KVM_O    := $(patsubst %.S,$(OBJ)/%.o,$(KVM_SRC:%.c=$(OBJ)/%.o))

TESTS      := $(patsubst tests/%.c,$(BUILD)/tests/%,$(wildcard tests/*.c))
UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(wildcard tests/unit/*.c))
CONTRACT_TESTS := $(BUILD)/tests/contract/td_contract $(BUILD)/tests/contract/kick_before_threads
BENCH_BINS := $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(wildcard tests/bench/*.c)) \
	      $(BUILD)/bench/demand_paging_test

.PHONY: all bench-bins FORCE
$(GEN)/seam_test_names.h: FORCE
	@mkdir -p $(@D)
	@printf '/* Generated by mk/build.mk: one name per tests/NAME.c. */\n#define SEAM_TEST_NAMES %s\n' \
		'$(foreach t,$(TEST_NAMES),"$(t)",)' >$@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
$(OBJ)/lib/util/scenario.o: $(GEN)/seam_test_names.h

# The version every binary and report names: git describe of this tree.
SEAM_VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)
$(GEN)/seam_version.h: FORCE
	@mkdir -p $(@D)
	@printf '/* Generated by mk/build.mk: git describe of the tree built. */\n#define SEAMSTRESS_VERSION "%s"\n' \
		'$(SEAM_VERSION)' >$@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
$(OBJ)/lib/report/report.o $(OBJ)/lib/run/supervisor.o $(OBJ)/tools/seamstress.o \
	$(OBJ)/tools/seamstress_doctor.o: $(GEN)/seam_version.h

all: $(TESTS) $(UNIT_TESTS) $(CONTRACT_TESTS) $(BUILD)/seamstress-doctor $(BUILD)/seamstress \
     $(BUILD)/tests/settings $(BUILD)/bench/exit_baseline
bench-bins: $(BENCH_BINS)

$(BUILD)/libkvm/%.o: $(KVM_ST)/%.c
	@mkdir -p $(@D)
	@echo "  CC      libkvm/$*.o"
	@$(CC) $(ST_CFLAGS) -I$(<D) $(if $(filter $*.c,$(LIBKVM_STRING)),-ffreestanding) -c $< -o $@

$(BUILD)/libkvm/%.o: $(KVM_ST)/%.S
	@mkdir -p $(@D)
	@echo "  AS      libkvm/$*.o"
	@$(CC) $(ST_CFLAGS) -I$(<D) -c $< -o $@

$(BUILD)/libkvm/cgroup/%.o: $(ST)/cgroup/lib/%.c
	@mkdir -p $(@D)
	@$(CC) $(ST_CFLAGS) -c $< -o $@

$(OBJ)/tests/contract/%.o: tests/contract/%.c
	@mkdir -p $(@D)
	@echo "  CC      tests/contract/$*.o"
	@$(CC) $(SEAM_CFLAGS) $(host_san) $(CFLAGS) -c $< -o $@

$(OBJ)/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $*.o"
	@$(CC) $(SEAM_CFLAGS) $(host_san) $(CFLAGS) -c $< -o $@

$(OBJ)/%.o: %.S
	@mkdir -p $(@D)
	@echo "  AS      $*.o"
	@$(CC) $(SEAM_CFLAGS) $(host_san) $(CFLAGS) -c $< -o $@

$(BUILD)/tests/unit/%: $(OBJ)/tests/unit/%.o $(PURE_O)
	@mkdir -p $(@D)
	@echo "  LD      tests/unit/$*"
	@$(CC) $(SEAM_LDFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/tests/%: $(OBJ)/tests/%.o $(KVM_O) $(PURE_O) $(LIBKVM_O)
	@mkdir -p $(@D)
	@echo "  LD      tests/$*"
	@$(CC) $(SEAM_LDFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

TOOL_O := $(OBJ)/tools/seamstress.o $(OBJ)/tools/suite_run.o $(OBJ)/tools/compare.o \
	  $(OBJ)/tools/bisect_run.o
$(BUILD)/seamstress: $(TOOL_O) $(PURE_O)
	@echo "  LD      seamstress"
	@$(CC) $(SEAM_LDFLAGS) $(LDFLAGS) $^ -ljson-c $(LDLIBS) -o $@

# The kselftest runner reads the per-test timeout from here.
$(BUILD)/tests/settings: tests/settings
	@mkdir -p $(@D)
	@cp $< $@

$(BUILD)/seamstress-doctor: $(OBJ)/tools/seamstress_doctor.o $(KVM_O) $(PURE_O) $(LIBKVM_O)
	@echo "  LD      seamstress-doctor"
	@$(CC) $(SEAM_LDFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

# A real run whose every pthread_create() first checks that SIGUSR1 (the
# kick) has the worker's handler.
$(BUILD)/tests/contract/kick_before_threads: $(OBJ)/tests/contract/kick_before_threads.o \
					     $(KVM_O) $(PURE_O) $(LIBKVM_O)
	@mkdir -p $(@D)
	@echo "  LD      tests/contract/kick_before_threads"
	@$(CC) $(SEAM_LDFLAGS) $(LDFLAGS) -Wl,--wrap=pthread_create $^ $(LDLIBS) -o $@

# The /dev/kvm double takes the place of ioctl() and open() everywhere.
$(BUILD)/tests/contract/%: $(OBJ)/tests/contract/%.o $(OBJ)/tests/contract/kvm_double.o \
			   $(KVM_O) $(PURE_O) $(LIBKVM_O)
	@mkdir -p $(@D)
	@echo "  LD      tests/contract/$*"
	@$(CC) $(SEAM_LDFLAGS) $(LDFLAGS) -Wl,--wrap=ioctl,--wrap=open,--wrap=close $^ $(LDLIBS) -o $@

$(BUILD)/bench/%: $(OBJ)/tests/bench/%.o $(KVM_O) $(PURE_O) $(LIBKVM_O)
	@mkdir -p $(@D)
	@echo "  LD      bench/$*"
	@$(CC) $(SEAM_LDFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

# The library's own demand_paging_test, built from the same tree, is the
# bench's second baseline.
$(BUILD)/bench/demand_paging_test: $(KVM_ST)/demand_paging_test.c $(LIBKVM_O)
	@mkdir -p $(@D)
	@echo "  CC      bench/demand_paging_test"
	@$(CC) $(ST_CFLAGS) $(SEAM_LDFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

-include $(shell find $(BUILD)/obj $(BUILD)/libkvm -type f -name '*.d' 2>/dev/null)
.SECONDARY:
