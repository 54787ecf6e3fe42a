# Fuzzing (issue 6). Included by the Makefile.
#   make fuzz [FUZZ_SECONDS=60] [FUZZ_ONLY="text config"] [FUZZ_ARGS=...]
#       each libFuzzer harness tests/fuzz/fuzz_NAME.c runs for FUZZ_SECONDS
#       (clang -fsanitize=fuzzer,address,undefined), starting from the seed
#       corpus tests/fuzz/corpus/NAME; new inputs go to $(BUILD)/fuzz/work,
#       crashes to $(BUILD)/fuzz/crashes (copy them into the corpus).
#   make fuzz-replay
#       the same harnesses with a standalone main (tests/fuzz/replay_main.c)
#       under ASan+UBSan, no libFuzzer; tests/fuzz/replay.sh (run by
#       make check) builds them this way and replays the corpus.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_NAMES   := $(patsubst tests/fuzz/fuzz_%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_ONLY    ?= $(FUZZ_NAMES)
# Extra libFuzzer flags, e.g. FUZZ_ARGS=-detect_leaks=0 to get past a known
# leak and look for crashes.
FUZZ_ARGS    ?=
FUZZ_DIR     := $(BUILD)/fuzz
# Other modules are built warning-clean with gcc; clang may warn otherwise,
# which must not stop a fuzzing run.
FUZZ_CFLAGS   = $(filter-out -Werror -MMD -MP,$(ALL_CFLAGS)) -g -O1 \
                -fno-omit-frame-pointer -fsanitize=address,undefined \
                -fno-sanitize-recover=undefined
FUZZ_LF_OBJ  := $(LIB_SRC:%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_LF_BIN  := $(FUZZ_NAMES:%=$(FUZZ_DIR)/lf/fuzz_%)
FUZZ_RP_BIN  := $(FUZZ_NAMES:%=$(FUZZ_DIR)/replay/fuzz_%)

.PHONY: fuzz fuzz-build fuzz-replay
# Objects built by a pattern rule for a pattern rule: keep them.
.SECONDARY: $(FUZZ_LF_OBJ)

$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_DIR)/lf/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_LF_OBJ)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Werror -fsanitize=fuzzer -o $@ $< $(FUZZ_LF_OBJ) $(PKG_LIBS)

$(FUZZ_DIR)/replay/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h tests/fuzz/replay_main.c $(ASAN_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -o $@ $< tests/fuzz/replay_main.c $(ASAN_LIB) $(PKG_LIBS)

fuzz-build: $(FUZZ_LF_BIN)

fuzz-replay: $(FUZZ_RP_BIN)

# Every harness runs its time even when an earlier one found something; the
# target fails at the end if any did (its log and the crash are named).
fuzz: fuzz-build
	@failed=""; for n in $(FUZZ_ONLY); do \
	    mkdir -p $(FUZZ_DIR)/work/$$n $(FUZZ_DIR)/crashes; \
	    echo "== fuzz_$$n for $(FUZZ_SECONDS)s"; \
	    if $(FUZZ_DIR)/lf/fuzz_$$n -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	        -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 $(FUZZ_ARGS) \
	        -artifact_prefix=$(FUZZ_DIR)/crashes/$$n- \
	        $(FUZZ_DIR)/work/$$n tests/fuzz/corpus/$$n 2>$(FUZZ_DIR)/$$n.log; then \
	        grep -E '^(Done|stat::number_of_executed_units)' $(FUZZ_DIR)/$$n.log; \
	    else \
	        grep -E 'ERROR|property failed|SUMMARY|Test unit written' $(FUZZ_DIR)/$$n.log; \
	        failed="$$failed $$n"; \
	    fi; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: findings in:$$failed (logs in $(FUZZ_DIR))"; exit 1; fi
