# make bench: optimised build, bench tools, then bench/bench.sh prints the
# table of figures beside their floors (bench/README.md explains each row).
BENCH_BUILD := build-bench
BENCH_LIB_OBJ = $(LIB_SRC:%.c=$(BENCH_BUILD)/obj/%.o)

.PHONY: bench bench-tools
bench: deps
	@$(MAKE) --no-print-directory BUILD=$(BENCH_BUILD) CFLAGS="-O2 -DNDEBUG" bench-tools
	@sh bench/bench.sh $(BENCH_BUILD)

bench-tools: $(BUILD)/signoff $(BUILD)/bench/bench_queue $(BUILD)/bench/fsync_floor $(BUILD)/bench/ptyrun

$(BUILD)/bench/bench_queue: bench/bench_queue.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB_OBJ) $(PKG_LIBS)

$(BUILD)/bench/fsync_floor: bench/fsync_floor.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O2 -o $@ $<

$(BUILD)/bench/ptyrun: bench/ptyrun.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O2 -o $@ $< -lutil
