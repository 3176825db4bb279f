#!/bin/sh
# ledger-load-pg: load shops' data directories, as they are, into one
# PostgreSQL database for head office (SPEC section 10).
#
# One psql session, one transaction for every shop given: the schema
# (idempotent), then per shop the ledgers COPYed into staging tables and
# vipledger.load_shop(), which checks them and replaces the shop's rows.
# Either every shop is loaded or nothing changes.  The shop's tiers and
# redeem_rate come from "report -d DIR rules", so the built-in defaults
# and what its rules.conf replaces are those its own report uses.

prog=${0##*/}
version='@VERSION@'
schema='@PGSHARE@/schema.sql'
usage='usage: ledger-load-pg [-q] [-D DATABASE] SHOP=DIR ...'

die() {
	status=$1
	shift
	printf '%s: %s\n' "$prog" "$*" >&2
	exit "$status"
}

usage_error() {
	printf '%s: %s; see %s --help\n' "$prog" "$1" "$prog" >&2
	exit 2
}

quiet=
db=
while [ $# -gt 0 ]; do
	case $1 in
	-h|--help) printf '%s\n' "$usage"; exit 0 ;;
	-V|--version) printf '%s (vipledger) %s\n' "$prog" "$version"; exit 0 ;;
	-q) quiet=1 ;;
	-D) [ $# -ge 2 ] || usage_error "-D needs a database"
	    db=$2; shift ;;
	-D*) db=${1#-D} ;;
	--) shift; break ;;
	-?*) usage_error "unknown option $1" ;;
	*) break ;;
	esac
	shift
done
[ $# -gt 0 ] || usage_error "no SHOP=DIR given"

# SHOP=DIR operands: a shop id as the programs' ids, each shop once
seen=' '
for arg; do
	case $arg in
	*=*) ;;
	*) usage_error "$arg: not SHOP=DIR" ;;
	esac
	shop=${arg%%=*}
	dir=${arg#*=}
	case $shop in
	''|*[!A-Za-z0-9._-]*)
		usage_error "shop id $shop: 1 to 64 letters, digits, -, _ or ." ;;
	esac
	[ ${#shop} -le 64 ] ||
		usage_error "shop id $shop: 1 to 64 letters, digits, -, _ or ."
	[ -n "$dir" ] || usage_error "$shop: no DIR after ="
	case $seen in
	*" $shop "*) usage_error "shop $shop is given twice" ;;
	esac
	seen="$seen$shop "
done

[ -r "$schema" ] || die 3 "$schema: cannot read the schema"
command -v psql >/dev/null 2>&1 ||
	die 3 "psql not found: install PostgreSQL's client (Debian: postgresql-client)"
# the report of the same build, else the one on PATH
report=${0%/*}/report
case $0 in */*) ;; *) report=report ;; esac
[ -x "$report" ] || report=report

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ledger-load-pg.XXXXXX") ||
	die 3 "cannot make a temporary directory"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 3' HUP INT TERM

LEDGERS='members sales points tiers wallet notes staff'

# cols LEDGER: its columns (SPEC section 2); sales01: a 0.1 sales.tsv,
# which ends at note
cols() {
	case $1 in
	members) echo at member name phone birthday gender email address size \
	    referrer associate store contact note ;;
	sales01) echo at receipt member kind sale goods points_used paid \
	    earned available_on referrer referral_points tier store \
	    associate items note ;;
	sales) echo "$(cols sales01) birthday_units wallet" ;;
	points) echo at member kind points available_on ref note ;;
	tiers) echo at member event from to since expires strikes reason ;;
	wallet) echo at member kind amount ref note ;;
	notes) echo at member kind staff task text ;;
	staff) echo staff name active ;;
	esac
}

tabbed() {
	printf '%s\n' "$1" | tr ' ' '\t'
}

# staff.tsv is kept by hand: a BOM and CR LF line ends are read as the
# programs read them
BOM=$(printf '\357\273\277')
CR=$(printf '\r')
header() {
	if [ "$1" = staff ]; then
		head -n 1 "$2" | sed "1s/^$BOM//; s/$CR\$//"
	else
		head -n 1 "$2"
	fi
}

# First, before connecting: each shop's rules, and each ledger's header.
i=0
for arg; do
	i=$((i + 1))
	shop=${arg%%=*}
	dir=${arg#*=}
	"$report" -d "$dir" rules > "$tmp/rules.$i" 2> "$tmp/err" ||
		die $? "$shop: $(head -n 1 "$tmp/err")"
	for l in $LEDGERS; do
		f=$dir/$l.tsv
		[ -e "$f" ] || continue
		if ! [ -f "$f" ] || ! [ -r "$f" ]; then
			die 3 "$shop: $f: not a readable file"
		fi
		[ "$(wc -l < "$f")" -gt 0 ] || continue
		h=$(header "$l" "$f")
		[ "$h" = "$(tabbed "$(cols "$l")")" ] && continue
		[ "$l" = sales ] && [ "$h" = "$(tabbed "$(cols sales01)")" ] &&
			continue
		die 3 "$shop: $f:1: bad header: expected the columns $(cols "$l")"
	done
done

# The lines a reader would read: the complete ones (a torn last line,
# one without LF, is left out as the programs leave it out).
lines() {
	n=$(wc -l < "$2") || return 1
	[ "$n" -gt 0 ] || return 0
	if [ "$1" = staff ]; then
		head -n "$n" "$2" | sed "1s/^$BOM//; s/$CR\$//"
	else
		head -n "$n" "$2"
	fi
}

# COPY as CSV with TAB between fields and a quote character no ledger
# field may hold, so that a field is taken as it is: backslashes and
# double quotes included; an empty field is NULL in staging.
COPYOPT="FORMAT csv, DELIMITER E'\\t', QUOTE E'\\x01'"

script() {
	echo 'SET client_min_messages = warning;'
	echo 'BEGIN;'
	# one load at a time: the schema and the shops are replaced whole
	echo "DO \$\$BEGIN PERFORM pg_advisory_xact_lock(hashtext('vipledger.load')); END\$\$;"
	cat "$schema" || return 1
	i=0
	for arg; do
		i=$((i + 1))
		shop=${arg%%=*}
		dir=${arg#*=}
		echo 'CALL vipledger.stage();'
		echo "COPY pg_temp.vl_rules (text) FROM STDIN ($COPYOPT);"
		cat "$tmp/rules.$i" || return 1
		echo '\.'
		for l in $LEDGERS; do
			f=$dir/$l.tsv
			[ -e "$f" ] || continue
			c=$l
			[ "$l" = sales ] && [ "$(header sales "$f")" = \
			    "$(tabbed "$(cols sales01)")" ] && c=sales01
			c=$(cols "$c" | sed 's/[a-z_][a-z_]*/"&"/g; s/ /, /g')
			echo "COPY pg_temp.vl_$l ($c) FROM STDIN ($COPYOPT, HEADER true);"
			lines "$l" "$f" || return 1
			echo '\.'
		done
		echo "SELECT vipledger.load_shop('$shop');"
	done
	echo 'COMMIT;'
}

export PGCLIENTENCODING=UTF8
: "${PGAPPNAME:=ledger-load-pg}"
export PGAPPNAME
{
	script "$@"
	echo $? > "$tmp/script"
} | psql -X -q -A -t -w -v ON_ERROR_STOP=1 ${db:+-d "$db"} -f - \
    > "$tmp/out" 2> "$tmp/err"
status=$?

if [ "$status" -ne 0 ]; then
	# psql's first error, as one line; a COPY's names the ledger and line
	msg=$(sed -n 's/^psql:[^:]*:[0-9]*: ERROR: *//p; s/^psql: error: //p' \
	    "$tmp/err" | head -n 1)
	[ -n "$msg" ] || msg="psql failed (exit $status)"
	where=$(sed -n 's/^CONTEXT: *COPY vl_\([a-z]*\), line \([0-9]*\).*/\1.tsv:\2/p' \
	    "$tmp/err" | head -n 1)
	if [ -n "$where" ]; then
		# the shops before it printed their lines
		k=$(($(wc -l < "$tmp/out") + 1))
		i=0
		for arg; do
			i=$((i + 1))
			[ "$i" -eq "$k" ] && msg="${arg%%=*}: $where: $msg"
		done
	fi
	die 3 "nothing loaded: $msg"
fi
[ "$(cat "$tmp/script" 2>/dev/null)" = 0 ] ||
	die 3 "nothing loaded: a ledger could not be read"
if [ -z "$quiet" ]; then
	printf 'shop\tmembers\tsales\tpoints\ttiers\twallet\tnotes\tstaff\n'
	cat "$tmp/out"
fi
exit 0
