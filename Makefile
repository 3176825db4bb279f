# Makefile for vipledger: one static library, one binary per program.

VERSION = 0.2
PREFIX  = /usr/local
BINDIR  = $(PREFIX)/bin
MANDIR  = $(PREFIX)/share/man
COMPDIR = $(PREFIX)/share/bash-completion/completions
PGDIR   = $(PREFIX)/share/vipledger/pg

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    = -Wall -Wextra
CPPFLAGS += -D_DEFAULT_SOURCE -DVERSION=\"$(VERSION)\"
ALLCFLAGS = -std=c11 -pthread $(WARN) $(CPPFLAGS) $(CFLAGS)

# B is the build directory; the sanitizer pass of "make check" uses another.
B = build

PROGS = member-add member-edit member-forget member-note member-assign \
	sale-post sale-return \
	points-redeem points-adjust wallet-topup wallet-refund \
	report tier-recalc tier-set ledger-check
LIBSRC = $(wildcard lib/*.c)
LIBHDR = lib/base.h lib/shop.h lib/store.h
LIBOBJ = $(LIBSRC:lib/%.c=$(B)/lib/%.o)
BINS   = $(PROGS:%=$(B)/bin/%)
MAN1   = $(PROGS:%=man/%.1)
MAN    = $(MAN1) man/ledger-load-pg.1 man/vipledger.5 man/vipledger.7

# make bench: a generator of shops and a timer, not installed
BENCHTOOLS = $(B)/gen $(B)/timeit

SANFLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all

all: $(BINS) $(B)/faultshim.so

$(B)/lib/%.o: lib/%.c $(LIBHDR)
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) -c -o $@ $<

$(B)/libvl.a: $(LIBOBJ)
	rm -f $@
	$(AR) rcs $@ $(LIBOBJ)

$(B)/bin/%: cmd/%.c $(LIBHDR) $(B)/libvl.a
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) -Ilib $(LDFLAGS) -o $@ $< $(B)/libvl.a

# report has a view per family of files
REPORTSRC = $(wildcard cmd/report/*.c)
$(B)/bin/report: $(REPORTSRC) cmd/report/report.h $(LIBHDR) $(B)/libvl.a
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) -Ilib $(LDFLAGS) -o $@ $(REPORTSRC) $(B)/libvl.a

$(BENCHTOOLS): $(B)/%: tests/bench/%.c $(LIBHDR) $(B)/libvl.a
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) -Ilib $(LDFLAGS) -o $@ $< $(B)/libvl.a

# The fault-injection shim of the tests: plain flags, whatever the pass.
$(B)/faultshim.so: tests/faultshim.c
	@mkdir -p $(@D)
	$(CC) -std=c11 $(WARN) -O2 -fPIC -shared -o $@ tests/faultshim.c -ldl

# The writers' tests once more, the cache deleted before every command.
NOCACHE = tests/member-add.bats tests/member-edit.bats tests/sale-post.bats \
	tests/sale-return.bats tests/points.bats tests/examples.bats \
	tests/tiers.bats tests/report.bats tests/care.bats tests/tier-set.bats \
	tests/wallet.bats tests/whatif.bats

check: all
	@sh tests/deps.sh
	mandoc -Tlint -Wwarning $(MAN)
	sh tests/run.sh $(B)/bin plain
	VL_CACHE=none sh tests/run.sh $(B)/bin "without the cache" $(NOCACHE)
	$(MAKE) -s B=build-san CFLAGS="$(SANFLAGS)" LDFLAGS="$(SANFLAGS)" all
	VL_SAN=1 sh tests/run.sh build-san/bin sanitized

demo: all
	@sh data-samples/demo.sh $(CURDIR)/$(B)/bin

# ledger-load-pg, head office's loader (SPEC section 10), is a shell
# script: the build's copy reads the schema in the source tree, the
# installed one in $(PGDIR).
LOADPG = sed -e 's|@VERSION@|$(VERSION)|' -e 's|@PGSHARE@|$(1)|' \
	cmd/ledger-load-pg.sh
all: $(B)/bin/ledger-load-pg
$(B)/bin/ledger-load-pg: cmd/ledger-load-pg.sh
	@mkdir -p $(@D)
	$(call LOADPG,$(CURDIR)/share/vipledger/pg) > $@.tmp
	chmod 755 $@.tmp && mv $@.tmp $@

# BENCH_MEMBERS=1000000 BENCH_SALES=10000000 make bench: the full size
bench: all $(BENCHTOOLS)
	@PATH="$(CURDIR)/$(B)/bin:$$PATH" sh tests/bench/run.sh "$(CURDIR)/$(B)"

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	cp $(BINS) $(DESTDIR)$(BINDIR)/
	cp $(MAN1) $(DESTDIR)$(MANDIR)/man1/
	cp man/vipledger.5 $(DESTDIR)$(MANDIR)/man5/
	cp man/vipledger.7 $(DESTDIR)$(MANDIR)/man7/
	mkdir -p $(DESTDIR)$(COMPDIR)
	cp completion/vipledger.bash $(DESTDIR)$(COMPDIR)/vipledger
	for p in $(PROGS); do ln -sf vipledger $(DESTDIR)$(COMPDIR)/$$p; done
	$(call LOADPG,$(PGDIR)) > $(DESTDIR)$(BINDIR)/ledger-load-pg
	chmod 755 $(DESTDIR)$(BINDIR)/ledger-load-pg
	cp man/ledger-load-pg.1 $(DESTDIR)$(MANDIR)/man1/
	mkdir -p $(DESTDIR)$(PGDIR)
	cp share/vipledger/pg/schema.sql $(DESTDIR)$(PGDIR)/

uninstall:
	cd $(DESTDIR)$(BINDIR) && rm -f $(PROGS)
	cd $(DESTDIR)$(MANDIR)/man1 && rm -f $(PROGS:%=%.1)
	rm -f $(DESTDIR)$(MANDIR)/man5/vipledger.5 $(DESTDIR)$(MANDIR)/man7/vipledger.7
	cd $(DESTDIR)$(COMPDIR) && rm -f vipledger $(PROGS)
	rm -f $(DESTDIR)$(BINDIR)/ledger-load-pg \
		$(DESTDIR)$(MANDIR)/man1/ledger-load-pg.1 \
		$(DESTDIR)$(PGDIR)/schema.sql
	-rmdir $(DESTDIR)$(PGDIR) $(DESTDIR)$(PREFIX)/share/vipledger 2>/dev/null

clean:
	rm -rf build build-san

# Fuzzing (SPEC section 11).  Each harness in tests/fuzz is linked with
# replay.c into $(B)/replay, so that make check replays its corpus in the
# plain and the sanitized build (tests/fuzz.bats) without clang, and with
# libFuzzer into build-fuzz/fuzzer by "make fuzz".
FUZZ = money date item rules batch ledger
FUZZ_SECONDS = 60
FUZZCC = clang
FUZZFLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all

all: $(FUZZ:%=$(B)/replay/%)

$(B)/replay/%: tests/fuzz/%.c tests/fuzz/replay.c tests/fuzz/fuzz.h $(LIBHDR) \
    $(B)/libvl.a
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) -Ilib $(LDFLAGS) -o $@ $< tests/fuzz/replay.c \
		$(B)/libvl.a

$(B)/fuzzer/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(LIBHDR) $(B)/libvl.a
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) -fsanitize=fuzzer -Ilib -o $@ $< $(B)/libvl.a

fuzz:
	$(MAKE) -s B=build-fuzz CC="$(FUZZCC)" \
		CFLAGS="$(FUZZFLAGS) -fsanitize=fuzzer-no-link" \
		$(FUZZ:%=build-fuzz/fuzzer/%)
	sh tests/fuzz/run.sh build-fuzz $(FUZZ_SECONDS) $(FUZZ)

clean: clean-fuzz
clean-fuzz:
	rm -rf build-fuzz

.PHONY: all bench check demo install uninstall clean
.PHONY: fuzz clean-fuzz
.PRECIOUS: $(B)/lib/%.o
