# lawscore - build, test, demo, install.
#
#   make            build build/lawscore
#   make demo       install what is missing, build, score the example, show the ranking
#   make check      install what is missing, build, run every test, the parts side by side;
#                   ends with each part's wall and CPU seconds (tests/timings.sh);
#                   CLIENTS=no leaves out the checks in LibreOffice and Chromium
#   make cases      the end-to-end cases (UPDATE=1: rewrite expected output, tests/README.md)
#   make depends    every header's "Depends on:" line names what its module includes
#   make format-check  the C files not in tools/format-pending are as .clang-format says
#   make format     format every C file with clang-format and empty tools/format-pending
#   make clients    results.xlsx and report.html checked in LibreOffice and Chromium
#   make compare-html  the year-over-year page (compare --format html) in Chromium
#   make plugins    build the C plugins in plugins/
#   make asan       the test suite under AddressSanitizer + UBSan
#   make valgrind   the test suite under valgrind
#   make bench      benchmarks: each figure beside its limit (tests/bench/)
#   make bench-peers the same work by GoRules zen-engine (npm) and a Python port
#   make bench-archive what the archive costs per version and unit (tests/bench/archive.sh)
#   make stress     kill runs at random moments: results always a whole set
#   make install PREFIX=/usr/local DESTDIR=
#   make pot        extract the messages into po/lawscore.pot (docs/messages.md)
#   make po-update  merge new messages into po/zh_CN.po for the translator
#
# Library flags come from pkg-config; deps are installed by tools/deps.sh.

BUILD   ?= build
PREFIX  ?= /usr/local
CC      ?= cc
PKGS     = lua5.4 yaml-0.1 yajl nettle xlsxwriter libzip expat freexl sqlite3 libzstd zlib
VERSION  = 0.1.0

WARN     = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wwrite-strings -Wno-unused-parameter
OPT     ?= -O2 -g
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS)) -lcsv -lm -ldl -lpthread
# Where lawscore looks for plugins last (after --plugin-path, LAWSCORE_PLUGIN_PATH
# and the scheme's directory): the build's plugins here, the installed ones
# for `make install` (which builds with PLUGIN_DIR=$(PREFIX)/lib/lawscore/plugins).
PLUGIN_DIR ?= $(abspath $(BUILD))/plugins
# Where lawscore finds its message catalogues (LOCALE/zh_CN/LC_MESSAGES/
# lawscore.mo): the build's for an uninstalled binary, $(PREFIX)/share/locale
# for `make install`.
LOCALE_DIR ?= $(abspath $(BUILD))/locale
CFLAGS_ALL = -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) $(OPT) $(PKG_CFLAGS) \
             -Iengine -Iinclude -DLS_VERSION='"$(VERSION)"' \
             -DLS_PLUGIN_DIR='"$(PLUGIN_DIR)"' -DLS_LOCALE_DIR='"$(LOCALE_DIR)"' \
             $(EXTRA_CFLAGS) $(CFLAGS)
LDFLAGS_ALL = $(EXTRA_LDFLAGS) $(LDFLAGS)

ENGINE_SRC = $(filter-out engine/main.c,$(wildcard engine/*.c))
ENGINE_OBJ = $(ENGINE_SRC:engine/%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/ls_helpers_lua.o
UNIT_SRC   = $(wildcard tests/unit/test_*.c)
UNIT_BIN   = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps demo check test test-parts check-cookbook check-po repro-rules example-tests year-run year-kill unit cases jobs province-names documents clients template-roundtrip compare-html year plugins asan valgrind bench stress install clean format \
        depends format-check \
        fuzz fuzz-bins fuzz-regress pot po-update bench-peers bench-archive

# Message catalogues (docs/messages.md): one po/LANG.po per language.
LINGUAS = zh_CN
MO_FILES = $(LINGUAS:%=$(BUILD)/locale/%/LC_MESSAGES/lawscore.mo)

all: $(BUILD)/lawscore $(MO_FILES)

$(BUILD)/locale/%/LC_MESSAGES/lawscore.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

pot:
	LS_VERSION=$(VERSION) sh tools/xgettext.sh po/lawscore.pot

po-update: pot
	@for l in $(LINGUAS); do msgmerge --quiet --update --backup=none --no-wrap po/$$l.po po/lawscore.pot; done
	@sh tests/check-po.sh || true

deps:
	@sh tools/deps.sh

$(BUILD)/obj/%.o: engine/%.c $(wildcard engine/*.h include/*.h) | $(BUILD)/obj
	$(CC) $(CFLAGS_ALL) -c $< -o $@

# The rule helper library is compiled into the binary, so an installed
# lawscore needs no file beside it.
$(BUILD)/gen/ls_helpers_lua.c: rules/lawscore.lua | $(BUILD)/gen
	@{ echo '/* generated from rules/lawscore.lua by the Makefile */'; \
	   echo '#include <stddef.h>'; \
	   echo 'const char ls_helpers_lua[] = {'; \
	   od -An -v -tx1 $< | sed 's/\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	   echo '0x00};'; \
	   echo 'const size_t ls_helpers_lua_len = sizeof ls_helpers_lua - 1;'; } > $@

$(BUILD)/obj/ls_helpers_lua.o: $(BUILD)/gen/ls_helpers_lua.c | $(BUILD)/obj
	$(CC) $(CFLAGS_ALL) -Wno-missing-variable-declarations -c $< -o $@

$(BUILD)/lawscore: $(BUILD)/obj/main.o $(ENGINE_OBJ)
	$(CC) $(CFLAGS_ALL) $^ -o $@ $(LDFLAGS_ALL) $(PKG_LIBS)

# Fixtures shared by several unit tests (tests/unit/fixture_*.c), linked
# into each.
FIXTURE_SRC = $(wildcard tests/unit/fixture_*.c)
FIXTURE_OBJ = $(FIXTURE_SRC:tests/unit/%.c=$(BUILD)/tests/%.o)

$(BUILD)/tests/fixture_%.o: tests/unit/fixture_%.c tests/unit/fixture_%.h tests/unit/ls_test.h | $(BUILD)/tests
	$(CC) $(CFLAGS_ALL) -Itests/unit -c $< -o $@

$(BUILD)/tests/test_%: tests/unit/test_%.c tests/unit/ls_test.h $(FIXTURE_OBJ) $(FIXTURE_SRC:.c=.h) $(ENGINE_OBJ) | $(BUILD)/tests
	$(CC) $(CFLAGS_ALL) -Itests/unit $< $(FIXTURE_OBJ) $(ENGINE_OBJ) -o $@ $(LDFLAGS_ALL) $(PKG_LIBS) $(shell pkg-config --libs cmocka)

$(BUILD)/obj $(BUILD)/gen $(BUILD)/tests:
	@mkdir -p $@

# Plugins the plugin loader's tests load (defective on purpose), built like
# real plugins; notelf.so is a text file named like a plugin.
TEST_PLUGIN_SRC = $(wildcard tests/unit/fixtures/plugins/src/*.c)
TEST_PLUGINS    = $(TEST_PLUGIN_SRC:tests/unit/fixtures/plugins/src/%.c=$(BUILD)/test-plugins/%.so) \
                  $(BUILD)/test-plugins/notelf.so $(BUILD)/test-plugins/template.so
PLUGIN_CFLAGS   = -std=c11 $(WARN) $(OPT) -Iinclude -fPIC -fvisibility=hidden $(EXTRA_CFLAGS) $(CFLAGS)
PLUGIN_LDFLAGS  = -shared -Wl,-z,defs -Wl,-z,now $(EXTRA_LDFLAGS) $(LDFLAGS)

$(BUILD)/test-plugins/%.so: tests/unit/fixtures/plugins/src/%.c include/lawscore_plugin.h | $(BUILD)/test-plugins
	$(CC) $(PLUGIN_CFLAGS) $< -o $@ $(PLUGIN_LDFLAGS)

$(BUILD)/test-plugins/notelf.so: tests/unit/fixtures/plugins/notelf.txt | $(BUILD)/test-plugins
	cp $< $@

# plugins/template.c is the plugin authors copy (docs/plugins.md), not a
# plugin to install: it is built here, by plugins/Makefile's rule (its
# warnings, its export check), for the unit tests that keep it working.
$(BUILD)/test-plugins/template.so: plugins/template.c include/lawscore_plugin.h | $(BUILD)/test-plugins
	@$(MAKE) --no-print-directory -C plugins BUILD=$(abspath $(BUILD))/test-plugins $(abspath $@)

$(BUILD)/test-plugins:
	@mkdir -p $@

$(BUILD)/tests/test_plugin: $(TEST_PLUGINS) | plugins
$(BUILD)/tests/test_backends: | plugins
$(BUILD)/tests/test_i18n: $(MO_FILES)

demo: deps
	@$(MAKE) --no-print-directory all plugins
	@rm -rf $(BUILD)/demo
	$(BUILD)/lawscore run examples/dongfeng-2017/scheme.yaml \
	    examples/dongfeng-2017/data/fazhiban.yaml examples/dongfeng-2017/data/departments.csv \
	    -o $(BUILD)/demo
	@echo "results written to $(BUILD)/demo/: results.xlsx (the workbook) and report.html (the printable report) first"

# `make check`: the parts of `test` run side by side (make -j, each part's
# output kept together by -Otarget), each timed by tests/timed.sh into
# $(BUILD)/timings; at the end one line per part with its wall and CPU
# seconds, the real-client checks' share apart (tests/timings.sh).
# The parts start in the order of TEST_PARTS: year-kill first (it mostly
# sleeps between its kills), then the ones that take longest.  The
# real-client checks (CLIENT_PARTS: LibreOffice and Chromium, most of the
# check's CPU) run under $(CLIENT_NICE): CLIENT_NICE='nice -n 10' lets the
# other parts have the cores first on a machine that runs nothing else (on
# a machine shared with other work a niced client can be starved past its
# timeouts, so it is not the default); CLIENTS=no leaves them out.
# CHECK_JOBS: how many parts at once (default: cores + 2, the parts mostly
# wait on processes they start, and one more for each real-client part).
CLIENT_PARTS = clients template-roundtrip compare-html
CLIENT_NICE ?=
CLIENTS ?= yes
CHECK_JOBS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 2 + $(words $(filter $(CLIENT_PARTS),$(TEST_PARTS))) )))
TIMED = sh tests/timed.sh $(BUILD)/timings

check: deps
	@$(MAKE) --no-print-directory all plugins
	@rm -rf $(BUILD)/timings; start=$$(date +%s%N); \
	$(MAKE) --no-print-directory -k -j$(CHECK_JOBS) -Otarget test-parts; status=$$?; \
	REAL_CLIENTS='$(CLIENT_PARTS)' sh tests/timings.sh $(BUILD)/timings $$start; exit $$status

TEST_PARTS = year-kill cases jobs year-run $(if $(filter no 0,$(CLIENTS)),,$(CLIENT_PARTS)) \
             unit format-check check-po example-tests repro-rules check-cookbook fuzz-regress depends province-names \
             documents

test-parts: $(TEST_PARTS)

test: all plugins
	@rm -rf $(BUILD)/timings; start=$$(date +%s%N); \
	$(MAKE) --no-print-directory -k test-parts; status=$$?; \
	REAL_CLIENTS='$(CLIENT_PARTS)' sh tests/timings.sh $(BUILD)/timings $$start; exit $$status

check-cookbook:
	@$(TIMED) $@ sh tests/check-cookbook.sh

check-po:
	@$(TIMED) $@ sh tests/check-po.sh

repro-rules: $(BUILD)/lawscore
	@$(TIMED) $@ sh tests/repro-rules.sh $(BUILD)/lawscore

# The example's and the cookbook's rule tests (lawscore test).
example-tests: $(BUILD)/lawscore plugins
	@$(TIMED) $@ $(BUILD)/lawscore test examples/dongfeng-2017/tests docs/cookbook

# The data-collection workbook filled in by LibreOffice and scored
# (tests/template/roundtrip.sh).
template-roundtrip: $(BUILD)/lawscore
	@$(TIMED) $@ $(CLIENT_NICE) sh tests/template/roundtrip.sh $(BUILD)/lawscore

# The assessment year end to end (publish, history, export, diff, compare)
# and publish killed at random moments (tests/year/); the page of
# `compare --format html` in Chromium (compare-html: a real client).
year: year-run year-kill compare-html

year-run: $(BUILD)/lawscore plugins
	@$(TIMED) $@ sh tests/year/run.sh $(BUILD)/lawscore

year-kill: $(BUILD)/lawscore plugins
	@$(TIMED) $@ sh tests/year/kill.sh $(BUILD)/lawscore

compare-html: $(BUILD)/lawscore plugins
	@$(TIMED) $@ $(CLIENT_NICE) sh tests/year/compare-html.sh $(BUILD)/lawscore

unit: $(UNIT_BIN)
	@$(TIMED) $@ sh tests/run-unit.sh $(UNIT_BIN)

cases: $(BUILD)/lawscore $(TEST_PLUGINS) plugins
	@$(TIMED) $@ sh tests/run-cases.sh $(BUILD)/lawscore

# The "Depends on:" line of each engine header against the module's
# #includes (tools/check-depends.sh says the rule), and the checker's own test.
depends:
	@$(TIMED) $@ sh tests/depends/run.sh

# The office documents opened by LibreOffice and Chromium (tests/clients/run.sh).
$(BUILD)/tests/office-check: tests/clients/office_check.c $(ENGINE_OBJ) | $(BUILD)/tests
	$(CC) $(CFLAGS_ALL) $< $(ENGINE_OBJ) -o $@ $(LDFLAGS_ALL) $(PKG_LIBS)

clients: $(BUILD)/lawscore $(BUILD)/tests/office-check plugins
	@$(TIMED) $@ $(CLIENT_NICE) sh tests/clients/run.sh $(BUILD)

# The same results, byte for byte, with 1, 2 and 3 scoring threads.
jobs: $(BUILD)/lawscore plugins
	@$(TIMED) $@ sh tests/run-jobs.sh $(BUILD)/lawscore

# The workbook's lists of units cut at 50 names (等N个单位) in a generated
# 60-unit province.
province-names: $(BUILD)/lawscore plugins
	@$(TIMED) $@ sh tests/province-names.sh $(BUILD)/lawscore

# What the documents carry besides scores: a data warning about no value
# (results.json, 说明, report.html; the same files in every language) and
# the office's 自评对照, read back from the files.
documents: $(BUILD)/lawscore plugins
	@$(TIMED) $@ sh tests/documents.sh $(BUILD)/lawscore

plugins:
	@if [ -f plugins/Makefile ]; then $(MAKE) --no-print-directory -C plugins BUILD=$(abspath $(BUILD))/plugins; fi

asan: deps
	@$(MAKE) --no-print-directory BUILD=build-asan OPT='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' test

# Rules run ~50x slower under valgrind: a longer default time limit.
valgrind: export LAWSCORE_MAX_SECONDS = 30
valgrind: deps
	@sh tools/deps.sh valgrind
	@$(MAKE) --no-print-directory all plugins unit-bins
	VALGRIND='valgrind -q --child-silent-after-fork=yes --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite' \
	    sh tests/run-unit.sh $(UNIT_BIN)
	VALGRIND='valgrind -q --child-silent-after-fork=yes --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite' \
	    sh tests/run-cases.sh $(BUILD)/lawscore
	valgrind -q --child-silent-after-fork=yes --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	    $(BUILD)/lawscore test examples/dongfeng-2017/tests docs/cookbook --coverage

unit-bins: $(UNIT_BIN)

# Not part of `make check`: 10-25 minutes on a shared 2-core machine
# (30 kills of a 10,000-unit run, each followed by a complete run).
stress: all plugins
	@sh tests/stress.sh $(BUILD)/lawscore $(STRESS_KILLS) $(STRESS_UNITS)

STRESS_KILLS ?= 30
STRESS_UNITS ?= 10000

bench:
	@sh tools/deps.sh time libcsv-dev
	@$(MAKE) --no-print-directory all plugins $(BUILD)/bench/limit
	@sh tests/bench/run.sh $(BUILD)/lawscore $(BUILD)/bench/limit

# lawscore against GoRules zen-engine (from npm, into $(BUILD)/peers) and a
# plain Python port on the same provinces (tests/bench/peers.sh).
bench-peers:
	@sh tools/deps.sh time nodejs python3-yaml
	@$(MAKE) --no-print-directory all plugins
	@sh tests/bench/peers.sh $(BUILD)/lawscore $(BUILD)

# What the archive costs: a province of BENCH_ARCHIVE_N units (10000)
# published, re-published unchanged and after one unit's data changed:
# bytes per version and per unit, publish time (tests/bench/archive.sh).
BENCH_ARCHIVE_N ?= 10000
bench-archive:
	@sh tools/deps.sh time
	@$(MAKE) --no-print-directory all plugins
	@sh tests/bench/archive.sh $(BUILD)/lawscore $(BENCH_ARCHIVE_N)

# The physical limit programs of make bench (tests/bench/limit.c).
# `limit rules` loads the scheme and data with the engine (not timed).
$(BUILD)/bench/limit: tests/bench/limit.c $(ENGINE_OBJ)
	@mkdir -p $(BUILD)/bench
	$(CC) $(CFLAGS_ALL) $< $(ENGINE_OBJ) -o $@ $(LDFLAGS_ALL) $(PKG_LIBS)

# The cost of one Lua rule call on the example cycled to 10 000 units,
# beside the same rules in plain Lua (limit rules).
bench-rules: $(BUILD)/bench/rulecalls $(BUILD)/bench/limit plugins
	@LIMIT=$(BUILD)/bench/limit sh tests/bench/rulecalls.sh $(BUILD)/bench/rulecalls

$(BUILD)/bench/rulecalls: tests/bench/rulecalls.c $(ENGINE_OBJ)
	@mkdir -p $(BUILD)/bench
	$(CC) $(CFLAGS_ALL) $< $(ENGINE_OBJ) -o $@ $(LDFLAGS_ALL) $(PKG_LIBS)

# Fuzzing (tests/fuzz/README.md): `make fuzz FUZZ_SECONDS=60` builds each
# harness with clang, libFuzzer, ASan and UBSan into build-fuzz/ and runs it
# on its seeds; `fuzz-regress` (part of `test`) replays the kept inputs of
# tests/fuzz/regressions/ with the normal build.
FUZZ_TARGETS = yaml scheme data_yaml data_csv testfile results adjust self archive
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_PKGS    ?= clang libclang-rt-14-dev
FUZZ_SAN      = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_DEPS     = tests/fuzz/fuzz_common.c tests/fuzz/fuzz_common.h
FUZZ_DEFS     = -DLS_FUZZ_FIXTURES='"$(abspath tests/fuzz/fixtures)"' \
                -DLS_FUZZ_EXAMPLE_RULES='"$(abspath examples/dongfeng-2017/rules)"'

$(BUILD)/fuzz/replay-%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(FUZZ_DEPS) $(ENGINE_OBJ) | $(BUILD)/fuzz
	$(CC) $(CFLAGS_ALL) $(FUZZ_DEFS) $< tests/fuzz/replay.c tests/fuzz/fuzz_common.c $(ENGINE_OBJ) -o $@ $(LDFLAGS_ALL) $(PKG_LIBS)

$(BUILD)/fuzz/fuzz-%: tests/fuzz/fuzz_%.c $(FUZZ_DEPS) $(ENGINE_OBJ) | $(BUILD)/fuzz
	$(CC) $(CFLAGS_ALL) $(FUZZ_DEFS) -fsanitize=fuzzer $< tests/fuzz/fuzz_common.c $(ENGINE_OBJ) -o $@ $(LDFLAGS_ALL) $(PKG_LIBS)

$(BUILD)/fuzz:
	@mkdir -p $@

fuzz-regress: $(FUZZ_TARGETS:%=$(BUILD)/fuzz/replay-%)
	@$(TIMED) $@ sh tests/fuzz/run-regress.sh $(BUILD)/fuzz $(FUZZ_TARGETS)

fuzz-bins: $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz-%)

fuzz:
	@sh tools/deps.sh $(FUZZ_PKGS)
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=$(FUZZ_CC) \
	    OPT='-O1 -g -fsanitize=fuzzer-no-link $(FUZZ_SAN)' fuzz-bins
	@sh tests/fuzz/run-fuzz.sh build-fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# Built apart (in $(BUILD)/install) so that the installed binary looks for
# plugins where they are installed.
install:
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/install PLUGIN_DIR=$(PREFIX)/lib/lawscore/plugins \
	    LOCALE_DIR=$(PREFIX)/share/locale all plugins
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/include/lawscore \
	    $(DESTDIR)$(PREFIX)/share/doc/lawscore $(DESTDIR)$(PREFIX)/lib/lawscore/plugins
	install -m 755 $(BUILD)/install/lawscore $(DESTDIR)$(PREFIX)/bin/lawscore
	for l in $(LINGUAS); do \
	    install -d $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES && \
	    install -m 644 $(BUILD)/install/locale/$$l/LC_MESSAGES/lawscore.mo \
	        $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES/lawscore.mo || exit 1; done
	if ls $(BUILD)/install/plugins/*.so >/dev/null 2>&1; then \
	    install -m 755 $(BUILD)/install/plugins/*.so $(DESTDIR)$(PREFIX)/lib/lawscore/plugins/; fi
	if ls include/*.h >/dev/null 2>&1; then install -m 644 include/*.h $(DESTDIR)$(PREFIX)/include/lawscore/; fi
	install -m 644 README.md docs/*.md rules/lawscore.lua $(DESTDIR)$(PREFIX)/share/doc/lawscore/
	install -d $(DESTDIR)$(PREFIX)/share/doc/lawscore/cookbook/rules
	install -m 644 docs/cookbook/*.yaml $(DESTDIR)$(PREFIX)/share/doc/lawscore/cookbook/
	install -m 644 docs/cookbook/rules/*.lua $(DESTDIR)$(PREFIX)/share/doc/lawscore/cookbook/rules/

# .clang-format describes the house style (for clang-format 14); the files
# of tools/format-pending predate it and are formatted once, by `make format`,
# which then leaves only the list's comment lines.  tools/check-format.sh says
# more; `sh tools/check-format.sh --count` counts what make format would change.
FORMAT_FILES = engine/*.c engine/*.h tests/unit/*.c

format:
	clang-format -i $(FORMAT_FILES)
	@grep '^#' tools/format-pending > tools/format-pending.tmp; mv tools/format-pending.tmp tools/format-pending

format-check:
	@FORMAT_FILES='$(FORMAT_FILES)' BUILD=$(BUILD) $(TIMED) $@ sh tests/format/run.sh

clean:
	rm -rf $(BUILD) build-asan build-fuzz
