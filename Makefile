# signoff — build, test, install. See README.md.
#   make            build $(BUILD)/signoff
#   make demo       install missing packages, build, open the reviewer UI on a demo queue
#   make check      build and run every test (also under ASan+UBSan)
#   make install    PREFIX=/usr/local DESTDIR=
#   make bench      performance figures (bench/README.md)
#   make fuzz       libFuzzer harnesses, bounded time each

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
PKGS    := ncursesw sqlite3 libcurl libcjson libmicrohttpd libcrypto uuid libpq
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.1.0)

WARN    := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Werror
# libcurl, libmicrohttpd and libpq are loaded on first use (src/remote/dl_curl.c,
# src/server/dl_mhd.c, src/store/pg/dl_pq.c), not at every start: only their headers are used at build
# time. They stay on the link line as-needed so a function not forwarded
# yet still links (tests/cli/lazy_libs.sh then says so). dlopen needs -ldl
# before glibc 2.34.
LAZY_PKGS := libcurl libmicrohttpd libpq
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(filter-out $(LAZY_PKGS),$(PKGS)) 2>/dev/null) -lm -lpthread \
             -Wl,--as-needed $(shell pkg-config --libs $(LAZY_PKGS) 2>/dev/null) -ldl -Wl,--no-as-needed
# The sonames this build's -lcurl and -lmicrohttpd resolve to (Debian's
# GnuTLS flavour of libcurl is libcurl-gnutls.so.4): what is dlopened.
soname = $(shell objdump -p "$$($(CC) -print-file-name=$(1))" 2>/dev/null | awk '/SONAME/ {print $$2}')
CURL_SONAME := $(call soname,libcurl.so)
MHD_SONAME  := $(call soname,libmicrohttpd.so)
PQ_SONAME   := $(call soname,libpq.so)
CFLAGS  ?= -O2 -g
BUILD   ?= build
# make V=1 shows the full compiler lines.
V       ?= 0
Q       := $(if $(filter 1,$(V)),,@)
ALL_CFLAGS = $(WARN) $(CFLAGS) -D_POSIX_C_SOURCE=200809L -DSIGNOFF_VERSION='"$(VERSION)"' \
             -DSIGNOFF_DATADIR='"$(PREFIX)/share/signoff"' -Iinclude $(PKG_CFLAGS) -MMD -MP \
             $(if $(CURL_SONAME),-DSIGNOFF_LIBCURL_SONAME='"$(CURL_SONAME)"') \
             $(if $(MHD_SONAME),-DSIGNOFF_LIBMHD_SONAME='"$(MHD_SONAME)"') \
             $(if $(PQ_SONAME),-DSIGNOFF_LIBPQ_SONAME='"$(PQ_SONAME)"')

SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

SRC      := $(sort $(shell find src -name '*.c'))
LIB_SRC  := $(filter-out src/main.c,$(SRC))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))

OBJ       := $(SRC:%.c=$(BUILD)/obj/%.o)
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
ASAN_OBJ  := $(SRC:%.c=$(BUILD)/asan/obj/%.o)
ASAN_LIB  := $(LIB_SRC:%.c=$(BUILD)/asan/obj/%.o)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
ASAN_UNIT := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/asan/tests/%)

.PHONY: all deps demo check check-fast check-loaded install uninstall clean bench fuzz format lint docs-check libs-check test-libs-check

all: $(BUILD)/signoff

deps:
	@sh scripts/deps.sh

# Before anything is compiled: every library pkg-config must find, or one
# message naming the missing packages and `make deps` (instead of a
# compiler error about a header). The unit tests need cmocka as well.
libs-check:
	@sh scripts/deps.sh --check $(PKGS)
test-libs-check:
	@sh scripts/deps.sh --check $(PKGS) cmocka

# The binaries are linked to a temporary file and renamed into place, so a
# test (or a user) running the old one while it is relinked runs the old
# file or the new one, never one half written.
$(BUILD)/signoff: $(OBJ)
	@$(if $(filter 1,$(V)),:,echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -o $@.tmp $(OBJ) $(PKG_LIBS) && mv -f $@.tmp $@

$(BUILD)/obj/%.o: %.c | libs-check
	@mkdir -p $(dir $@)
	@$(if $(filter 1,$(V)),:,echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/asan/signoff: $(ASAN_OBJ)
	@$(if $(filter 1,$(V)),:,echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -o $@.tmp $(ASAN_OBJ) $(PKG_LIBS) && mv -f $@.tmp $@

$(BUILD)/asan/obj/%.o: %.c | libs-check
	@mkdir -p $(dir $@)
	@$(if $(filter 1,$(V)),:,echo "  CC asan $<")
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJ) | test-libs-check
	@mkdir -p $(dir $@)
	@$(if $(filter 1,$(V)),:,echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(LIB_OBJ) $(PKG_LIBS) $(shell pkg-config --libs cmocka)

$(BUILD)/asan/tests/%: tests/unit/%.c $(ASAN_LIB) | test-libs-check
	@mkdir -p $(dir $@)
	@$(if $(filter 1,$(V)),:,echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -Itests/unit -o $@ $< $(ASAN_LIB) $(PKG_LIBS) $(shell pkg-config --libs cmocka)

demo: deps $(BUILD)/signoff
	./$(BUILD)/signoff demo

# The whole suite: plain build, then the same suites under ASan+UBSan. Both
# builds run on every core unless make was given -j; tests/run.sh runs the
# scripts SIGNOFF_TEST_JOBS at a time (default: cores + 1).
CHECK_JOBS = $(if $(filter -j%,$(MAKEFLAGS)),,-j$(shell nproc 2>/dev/null || echo 2))
check: deps
	@$(MAKE) --no-print-directory $(CHECK_JOBS) $(BUILD)/signoff $(BUILD)/asan/signoff $(UNIT_BIN) $(ASAN_UNIT)
	@BUILD=$(BUILD) sh tests/run.sh

# make check while two CPU hogs run (the suite must pass on a loaded
# machine): the hogs are stopped when the run ends, however it ends.
check-loaded:
	@sh scripts/loaded.sh $(MAKE) --no-print-directory check

# Plain build only (quicker while developing): make check-fast [SUITES="cli e2e"]
check-fast: $(BUILD)/signoff $(UNIT_BIN)
	@BUILD=$(BUILD) SIGNOFF_NO_ASAN=1 sh tests/run.sh $(SUITES)

# The binary install copies: the build's, made first when needed; or, with
# INSTALL_BIN=PATH, that file as it is (nothing is built or linked: how
# tests/lint/install.sh installs while other tests run build/signoff).
INSTALL_BIN ?=
INSTALL_FROM = $(or $(INSTALL_BIN),$(BUILD)/signoff)
install: $(if $(INSTALL_BIN),,$(BUILD)/signoff)
	@test -x "$(INSTALL_FROM)" || { echo "make install: no binary at $(INSTALL_FROM)" >&2; exit 1; }
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/share/man/man7 \
	    $(DESTDIR)$(PREFIX)/share/signoff/themes
	install -m 0755 $(INSTALL_FROM) $(DESTDIR)$(PREFIX)/bin/signoff
	install -m 0644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 0644 man/*.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	for f in man/*.7; do [ -e "$$f" ] && install -m 0644 "$$f" $(DESTDIR)$(PREFIX)/share/man/man7/ || true; done
	install -m 0644 themes/*.theme $(DESTDIR)$(PREFIX)/share/signoff/themes/
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
	    $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
	    $(DESTDIR)$(PREFIX)/share/signoff/contrib/prometheus \
	    $(DESTDIR)$(PREFIX)/share/signoff/contrib/grafana \
	    $(DESTDIR)$(PREFIX)/lib/systemd/system
	$(INSTALL_FROM) completion bash >$(DESTDIR)$(PREFIX)/share/bash-completion/completions/signoff
	$(INSTALL_FROM) completion zsh >$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_signoff
	install -m 0644 contrib/prometheus/signoff.rules.yml contrib/prometheus/signoff.rules.test.yml \
	    $(DESTDIR)$(PREFIX)/share/signoff/contrib/prometheus/
	install -m 0644 contrib/grafana/signoff.json $(DESTDIR)$(PREFIX)/share/signoff/contrib/grafana/
	sed 's|@BINDIR@|$(PREFIX)/bin|g' contrib/systemd/signoff-serve.service \
	    >$(DESTDIR)$(PREFIX)/lib/systemd/system/signoff-serve.service
	chmod 0644 $(DESTDIR)$(PREFIX)/lib/systemd/system/signoff-serve.service

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/signoff $(DESTDIR)$(PREFIX)/share/man/man1/signoff.1 \
	    $(DESTDIR)$(PREFIX)/share/man/man5/signoff-queue.5 $(DESTDIR)$(PREFIX)/share/man/man7/signoff-protocol.7
	rm -rf $(DESTDIR)$(PREFIX)/share/signoff
	rm -f $(DESTDIR)$(PREFIX)/share/bash-completion/completions/signoff \
	    $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_signoff \
	    $(DESTDIR)$(PREFIX)/lib/systemd/system/signoff-serve.service

# The layers of docs/architecture.md: no include or call cycle, no layer
# including what it must not (also run by make check, tests/lint/).
lint: $(OBJ)
	@python3 scripts/layers.py $(BUILD)/obj

format:
	clang-format -i $(SRC) $(shell find include -name '*.h') $(UNIT_SRC)

clean:
	rm -rf build

-include $(OBJ:.o=.d) $(ASAN_OBJ:.o=.d)
-include bench/bench.mk
-include tests/fuzz/fuzz.mk
