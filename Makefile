# Makefile for vipledger: one static library, one binary per program.

VERSION = 0.1
PREFIX  = /usr/local
BINDIR  = $(PREFIX)/bin
MANDIR  = $(PREFIX)/share/man

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    = -Wall -Wextra
CPPFLAGS += -D_DEFAULT_SOURCE -DVERSION=\"$(VERSION)\"
ALLCFLAGS = -std=c11 $(WARN) $(CPPFLAGS) $(CFLAGS)

# B is the build directory; the sanitizer pass of "make check" uses another.
B = build

PROGS = member-add member-edit sale-post sale-return points-redeem \
	points-adjust report tier-recalc
LIBSRC = $(wildcard lib/*.c)
LIBOBJ = $(LIBSRC:lib/%.c=$(B)/lib/%.o)
BINS   = $(PROGS:%=$(B)/bin/%)
MAN1   = $(PROGS:%=man/%.1)
MAN    = $(MAN1) man/vipledger.5 man/vipledger.7

SANFLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all

all: $(BINS) $(B)/faultshim.so

$(B)/lib/%.o: lib/%.c lib/vl.h
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) -c -o $@ $<

$(B)/libvl.a: $(LIBOBJ)
	rm -f $@
	$(AR) rcs $@ $(LIBOBJ)

$(B)/bin/%: cmd/%.c lib/vl.h $(B)/libvl.a
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) -Ilib $(LDFLAGS) -o $@ $< $(B)/libvl.a

# The fault-injection shim of the tests: plain flags, whatever the pass.
$(B)/faultshim.so: tests/faultshim.c
	@mkdir -p $(@D)
	$(CC) -std=c11 $(WARN) -O2 -fPIC -shared -o $@ tests/faultshim.c -ldl

check: all
	@sh tests/deps.sh
	mandoc -Tlint -Wwarning $(MAN)
	sh tests/run.sh $(B)/bin plain
	$(MAKE) -s B=build-san CFLAGS="$(SANFLAGS)" LDFLAGS="$(SANFLAGS)" all
	VL_SAN=1 sh tests/run.sh build-san/bin sanitized

demo: all
	@sh data-samples/demo.sh $(CURDIR)/$(B)/bin

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	cp $(BINS) $(DESTDIR)$(BINDIR)/
	cp $(MAN1) $(DESTDIR)$(MANDIR)/man1/
	cp man/vipledger.5 $(DESTDIR)$(MANDIR)/man5/
	cp man/vipledger.7 $(DESTDIR)$(MANDIR)/man7/

uninstall:
	cd $(DESTDIR)$(BINDIR) && rm -f $(PROGS)
	cd $(DESTDIR)$(MANDIR)/man1 && rm -f $(PROGS:%=%.1)
	rm -f $(DESTDIR)$(MANDIR)/man5/vipledger.5 $(DESTDIR)$(MANDIR)/man7/vipledger.7

clean:
	rm -rf build build-san

.PHONY: all check demo install uninstall clean
.PRECIOUS: $(B)/lib/%.o
