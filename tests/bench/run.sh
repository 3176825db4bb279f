#!/bin/sh
# run.sh: the figures of SPEC section 6, beside mawk and sqlite3, measured
# in one run on one generated shop.  Usage: sh tests/bench/run.sh BUILDDIR
# (what "make bench" runs; the programs are taken from BUILDDIR/bin, the
# generator and the timer from BUILDDIR).
#
#   BENCH_MEMBERS  members of the shop (default 100000)
#   BENCH_SALES    rows of sales.tsv (default 1000000)
#   BENCH_SEED     the generator's seed (default 1)
#
# The full size of SPEC section 6: BENCH_MEMBERS=1000000 BENCH_SALES=10000000.
#
# Method.  gen writes the shop straight in the ledger format (three years
# of sales ending on 2025-12-31, tiers.tsv empty) into a temporary
# directory under $TMPDIR, removed at the end; VIPLEDGER_NOW is pinned to
# the day after.  Every figure is the median wall time (CLOCK_MONOTONIC)
# of 5 runs of a fast command or 3 of a slow one, output to /dev/null,
# with the largest resident set of the runs (wait4).  tier-recalc runs in
# turn with report members, 5 of each, and its ratio to it is the median
# of the 5 pairs': the machine's pace drifts over the minutes of a run
# (report members has been seen at 0.82 s and 1.22 s within ten), and a
# pair's two runs share it.  Writers append, so
# each run of member-add gets a new phone, sale-post an automatic receipt,
# points-redeem 1 point of a member with points; the shop stays valid.
# "The empty shop" is a fresh directory holding one member and her one sale
# of a year before, the same commands run there.  The lock is measured while
# tier-recalc really runs (it appends): another process takes and drops
# flock(2) on DIR/.lock about every millisecond, as a writer at the till
# would, and the longest of its waits is the longest stretch for which
# tier-recalc held the lock.  The batch import runs on a copy of the shop
# made before each run (untimed), whose index an empty import brings up to
# date first: cp gives the ledgers new inodes, which the index's stamp
# takes for other files, and a rebuild is not the import's work.  Before
# the till, the batch import and the lock, sync(1) (untimed) puts what was
# just written on disk: a shop at rest, as at a till in the morning.  mawk
# and sqlite3 do the same work as the report they stand beside, on the
# same files in the same run; their output is compared with the report's
# once, untimed.
#
# Each figure is one line, NAME VALUE target TARGET PASS|FAIL; lines
# without a target are for comparison.  The exit status is 0 whatever
# PASS or FAIL says; it is 1 only when the bench itself could not run or
# a command failed (ERROR).
set -eu

build=$(cd "${1:?usage: run.sh BUILDDIR}" && pwd)
PATH=$build/bin:$PATH
export PATH
gen=$build/gen
timeit=$build/timeit

need=
command -v mawk >/dev/null 2>&1 || need="$need mawk"
command -v sqlite3 >/dev/null 2>&1 || need="$need sqlite3"
if [ -n "$need" ]; then
	echo "make bench: please install$need (as root: apt-get install$need)" >&2
	exit 1
fi
for f in "$gen" "$timeit" "$build/bin/report"; do
	if [ ! -x "$f" ]; then
		echo "make bench: $f is missing; run make bench" >&2
		exit 1
	fi
done

members=${BENCH_MEMBERS:-100000}
sales=${BENCH_SALES:-1000000}
seed=${BENCH_SEED:-1}
case "$members:$sales:$seed" in
*[!0-9:]* | :* | *::* | *:)
	echo "make bench: BENCH_MEMBERS, BENCH_SALES and BENCH_SEED are" \
	    "whole numbers" >&2
	exit 2
	;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vipledger-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
unset VIPLEDGER_DIR
broke=0

# ---- printing and arithmetic ----

fig() {		# NAME VALUE TARGET VERDICT
	printf '%-50s %14s  target %-14s %s\n' "$1" "$2" "$3" "$4"
}

info() {	# NAME VALUE
	printf '%-50s %14s\n' "$1" "$2"
}

# calc EXPR [NAME=NUMBER ...]: EXPR in awk over the numbers, or empty when
# one of them is missing (a command that failed)
calc() {
	expr=$1
	shift
	for a in "$@"; do
		[ -n "${a#*=}" ] || return 0
	done
	awk "BEGIN { $(printf '%s; ' "$@") print $expr }"
}

ms() {		# seconds -> 12.34ms
	[ -z "$1" ] || calc 'sprintf("%.2fms", s * 1000)' "s=$1"
	[ -n "$1" ] || echo ERROR
}

mb() {		# kB -> 12.3MB
	[ -z "$1" ] || calc 'sprintf("%.1fMB", k / 1024)' "k=$1"
	[ -n "$1" ] || echo ERROR
}

times_() {	# a ratio -> 2.50x
	[ -z "$1" ] || calc 'sprintf("%.2fx", r)' "r=$1"
	[ -n "$1" ] || echo ERROR
}

verdict() {	# A OP B: PASS when A OP B, FAIL otherwise, ERROR without a number
	if [ -z "$1" ] || [ -z "$3" ]; then
		echo ERROR
		return 0
	fi
	calc "(op == 1 ? a <= b : a >= b) ? \"PASS\" : \"FAIL\"" "a=$1" "b=$3" \
	    "op=$([ "$2" = "<=" ] && echo 1 || echo 2)"
}

# measure RUNS [timeit options] -- COMMAND...: sets t (median seconds) and
# rss (largest kB), both empty when the command failed
measure() {
	runs=$1
	shift
	if out=$("$timeit" -n "$runs" "$@"); then
		t=${out% *}
		rss=${out#* }
	else
		t=
		rss=
		broke=1
	fi
}

RSS_MAX=$((300 * 1024))
memory() {	# NAME KB
	fig "max RSS $1" "$(mb "$2")" "<=300MB" "$(verdict "$2" "<=" "$RSS_MAX")"
}

# ---- the shop ----

# Headers as the programs at hand write them, so that gen writes the
# columns they read and append to.
tpl=$tmp/template
VIPLEDGER_DIR=$tpl VIPLEDGER_NOW=2000-01-01T10:00:00 \
    member-add -q --name 样本 --phone 10000000001 &&
    VIPLEDGER_DIR=$tpl VIPLEDGER_NOW=2000-01-01T11:00:00 \
    sale-post -q M000001 1280 &&
    VIPLEDGER_DIR=$tpl VIPLEDGER_NOW=2000-01-01T12:00:00 \
    points-adjust -q --reason sample M000001 1 &&
    VIPLEDGER_DIR=$tpl VIPLEDGER_NOW=2000-02-01T12:00:00 tier-recalc -q

shop=$tmp/shop
"$gen" -s "$seed" -t "$tpl" "$members" "$sales" "$shop" > "$tmp/info"
val() {
	sed -n "s/^$1 //p" "$tmp/info"
}
now=$(val now)
today=$(val today)
year_ago=$(val year_ago)
rich=$(val rich)
VIPLEDGER_NOW=$now
export VIPLEDGER_NOW

echo "vipledger bench: $members members, $sales sales rows, seed $seed;" \
    "$(uname -sm), $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?') cores"
echo "shop: $(val member_rows) members.tsv rows, $(val sales) sales +" \
    "$(val returns) returns, $(val points) points.tsv rows," \
    "$(du -sk "$shop" | awk '{ printf "%.1f MB", $1 / 1024 }');" \
    "$(val first) to $(val last); VIPLEDGER_NOW=$now"
echo "median of 5 runs (till), 3 (the rest) or 5 in turn with report" \
    "members (tier-recalc), wall time; member $rich" \
    "($(val rich_points) points) at the till"

# The index built (an empty import, a writer, untimed) and everything
# written so far on disk: the figures are of a shop at rest, not of one
# whose gigabytes just written are still going out to disk, which every
# fsync(2) would wait for.
printf 'member\titems\n' | sale-post -q -d "$shop" -
sync

# The empty shop: one member, who bought a year ago.
empty=$tmp/empty
VIPLEDGER_DIR=$empty VIPLEDGER_NOW=${year_ago}T10:00:00 \
    member-add -q --name 样本 --phone 13800000001 &&
    VIPLEDGER_DIR=$empty VIPLEDGER_NOW=${year_ago}T11:00:00 \
    sale-post -q M000001 2x459/899 1280
sync

# ---- the till ----

echo
echo "-- the till: the shop against the empty shop"
# the same arguments in both shops: the member is M000001 in the empty one
measure 5 -- sale-post -q -d "$empty" M000001 2x459/899 1280
te=$t
measure 5 -- sale-post -q -d "$shop" "$rich" 2x459/899 1280
info "sale-post (empty shop)" "$(ms "$te")"
fig "sale-post" "$(ms "$t")" "<=5ms" "$(verdict "$t" "<=" 0.005)"
r=$(calc 'a / b' "a=$t" "b=$te")
fig "sale-post vs the empty shop" "$(times_ "$r")" "<=3x" "$(verdict "$r" "<=" 3)"

measure 5 -- points-redeem -q -d "$empty" M000001 1
te=$t
measure 5 -- points-redeem -q -d "$shop" "$rich" 1
info "points-redeem (empty shop)" "$(ms "$te")"
fig "points-redeem" "$(ms "$t")" "<=5ms" "$(verdict "$t" "<=" 0.005)"
r=$(calc 'a / b' "a=$t" "b=$te")
fig "points-redeem vs the empty shop" "$(times_ "$r")" "<=3x" \
    "$(verdict "$r" "<=" 3)"

measure 5 -k 1001 -- member-add -q -d "$empty" --name 新会员 \
    --phone '1660000{}' --birthday 03-08
te=$t
measure 5 -k 1001 -- member-add -q -d "$shop" --name 新会员 \
    --phone '1660000{}' --birthday 03-08
info "member-add (empty shop)" "$(ms "$te")"
fig "member-add" "$(ms "$t")" "<=5ms" "$(verdict "$t" "<=" 0.005)"
r=$(calc 'a / b' "a=$t" "b=$te")
fig "member-add vs the empty shop" "$(times_ "$r")" "<=3x" \
    "$(verdict "$r" "<=" 3)"

measure 5 -- report -d "$empty" member M000001
te=$t
measure 5 -- report -d "$shop" member "$rich"
rss_member=$rss
info "report member (empty shop)" "$(ms "$te")"
fig "report member" "$(ms "$t")" "<=5ms" "$(verdict "$t" "<=" 0.005)"
r=$(calc 'a / b' "a=$t" "b=$te")
fig "report member vs the empty shop" "$(times_ "$r")" "<=3x" \
    "$(verdict "$r" "<=" 3)"

# ---- reports beside mawk and sqlite3 ----

echo
echo "-- reports"
measure 3 -- report -d "$shop" members
t_members=$t
rss_members=$rss
measure 3 -- report -d "$shop" liability
t_liability=$t
rss_liability=$rss
measure 3 -- report -d "$shop" sales --by month
t_month=$t
rss_month=$rss

# The same work in mawk: every member's available and pending points,
# spend over the last 365 days and last sale, from the same ledgers (the
# record in force from members.tsv, the tier from tiers.tsv), one line a
# member; for the liability the same, summed.
# shellcheck disable=SC2016 # awk's $, not the shell's
awk_members='
FNR == 1 { f++; next }
f == 1 {
	if (!($2 in name)) order[++n] = $2
	name[$2] = $3; phone[$2] = $4; assoc[$2] = $11; contact[$2] = $13
	next
}
f == 2 {
	if (substr($1, 1, 10) <= today) { tier[$2] = $5; expires[$2] = $7 }
	next
}
f == 3 {
	d = substr($1, 1, 10)
	if (d > today) next
	m = $3
	wallet[m] -= $19
	avail[m] -= $7
	if ($10 <= today) avail[m] += $9; else pend[m] += $9
	if ($4 == "sale") {
		if (d > last[m]) last[m] = d
		if (d > yearago) { spend[m] += $8; window[$2] = 1 }
	} else if ($5 in window)
		spend[m] += $8
	if ($11 != "") {
		if ($10 <= today) avail[$11] += $12; else pend[$11] += $12
	}
	next
}
f == 4 {
	if (substr($1, 1, 10) <= today && $5 <= today) avail[$2] += $4
}
END {
	if (view == "liability") {
		for (i = 1; i <= n; i++) {
			a += avail[order[i]]; p += pend[order[i]]; w += wallet[order[i]]
		}
		print "available\tpending\tvalue\twallet"
		ws = sprintf("%.2f", w); if (ws == "-0.00") ws = "0.00"
		printf "%.0f\t%.0f\t%.2f\t%s\n", a, p, a / 100, ws
		exit
	}
	print "member\tname\tphone\ttier\texpires\tavailable\tpending\tspend_365d\tlast_sale\tassociate\tcontact"
	for (i = 1; i <= n; i++) {
		m = order[i]
		s = sprintf("%.2f", spend[m]); if (s == "-0.00") s = "0.00"
		printf "%s\t%s\t%s\t%s\t%s\t%.0f\t%.0f\t%s\t%s\t%s\t%s\n", m, name[m], phone[m], (m in tier) ? tier[m] : "normal", expires[m], avail[m], pend[m], s, last[m], assoc[m], contact[m]
	}
}'
measure 3 -- mawk -F '\t' -v view=members -v today="$today" \
    -v yearago="$year_ago" "$awk_members" "$shop/members.tsv" \
    "$shop/tiers.tsv" "$shop/sales.tsv" "$shop/points.tsv"
t_awk_members=$t
measure 3 -- mawk -F '\t' -v view=liability -v today="$today" \
    -v yearago="$year_ago" "$awk_members" "$shop/members.tsv" \
    "$shop/tiers.tsv" "$shop/sales.tsv" "$shop/points.tsv"
t_awk_liability=$t

# Sales by month in mawk: the report's columns but the distinct members.
# shellcheck disable=SC2016
awk_month='
NR > 1 {
	k = substr($1, 1, 7)
	if ($4 == "sale") s[k]++; else r[k]++
	g[k] += $6; u[k] += $7; p[k] += $8; e[k] += $9
}
END {
	for (k in g)
		printf "%s\t%d\t%d\t%.2f\t%.2f\t%.0f\t%.0f\n", k, s[k], r[k], g[k], p[k], e[k], u[k]
}'
measure 3 -- mawk -F '\t' "$awk_month" "$shop/sales.tsv"
t_awk_month=$t

# sqlite3: sales.tsv imported once (untimed) into a table with typed columns.
db=$tmp/sales.db
cols=$(head -n 1 "$shop/sales.tsv" | tr '\t' '\n' | awk '
	{ t = "text" }
	/^(goods|paid|wallet)$/ { t = "numeric" }
	/^(points_used|earned|referral_points|birthday_units)$/ { t = "integer" }
	{ printf "%s%s %s", (NR > 1 ? ", " : ""), $1, t }')
sqlite3 "$db" "create table sales ($cols)"
sqlite3 "$db" -cmd '.mode tabs' ".import --skip 1 \"$shop/sales.tsv\" sales"
sql="select substr(at, 1, 7), sum(kind = 'sale'), sum(kind = 'return'),
	sum(goods), sum(paid), sum(earned), sum(points_used),
	count(distinct member) from sales group by 1"
measure 3 -- sqlite3 "$db" "$sql"
t_sql_month=$t

info "report members" "$(ms "$t_members")"
info "mawk, the same work" "$(ms "$t_awk_members")"
r=$(calc 'a / b' "a=$t_awk_members" "b=$t_members")
fig "report members vs mawk" "$(times_ "$r")" ">=40x" "$(verdict "$r" ">=" 40)"
info "report liability" "$(ms "$t_liability")"
info "mawk, the same work" "$(ms "$t_awk_liability")"
r=$(calc 'a / b' "a=$t_awk_liability" "b=$t_liability")
fig "report liability vs mawk" "$(times_ "$r")" ">=40x" \
    "$(verdict "$r" ">=" 40)"
info "report sales --by month" "$(ms "$t_month")"
info "mawk summing the same columns" "$(ms "$t_awk_month")"
info "sqlite3 GROUP BY, table imported" "$(ms "$t_sql_month")"
r=$(calc 'a / b' "a=$t_awk_month" "b=$t_month")
fig "report sales --by month vs mawk" "$(times_ "$r")" ">=5x" \
    "$(verdict "$r" ">=" 5)"
r=$(calc 'a / b' "a=$t_sql_month" "b=$t_month")
fig "report sales --by month vs sqlite3" "$(times_ "$r")" ">=4x" \
    "$(verdict "$r" ">=" 4)"

# Same work, same answers: compared once, untimed.
same() {	# NAME FILE1 FILE2
	if cmp -s "$2" "$3"; then
		info "$1" same
	else
		info "$1" DIFFERENT
	fi
}
if report -d "$shop" members > "$tmp/r.out" &&
    mawk -F '\t' -v view=members -v today="$today" -v yearago="$year_ago" \
    "$awk_members" "$shop/members.tsv" "$shop/tiers.tsv" \
    "$shop/sales.tsv" "$shop/points.tsv" > "$tmp/a.out"; then
	same "check: report members = mawk's" "$tmp/r.out" "$tmp/a.out"
fi
if report -d "$shop" liability > "$tmp/r.out" &&
    mawk -F '\t' -v view=liability -v today="$today" -v yearago="$year_ago" \
    "$awk_members" "$shop/members.tsv" "$shop/tiers.tsv" \
    "$shop/sales.tsv" "$shop/points.tsv" > "$tmp/a.out"; then
	same "check: report liability = mawk's" "$tmp/r.out" "$tmp/a.out"
fi
if report -d "$shop" -N sales --by month | cut -f 1-8 > "$tmp/r.out" &&
    sqlite3 -separator '	' "$db" "select substr(at, 1, 7),
	sum(kind = 'sale'), sum(kind = 'return'), printf('%.2f', sum(goods)),
	printf('%.2f', sum(paid)), sum(earned), sum(points_used),
	count(distinct member) from sales group by 1 order by 1" \
    > "$tmp/a.out"; then
	same "check: report sales --by month = sqlite3's" "$tmp/r.out" \
	    "$tmp/a.out"
fi
rm -f "$db"

# ---- the cache, tier-recalc, memory ----

echo
echo "-- the cache and the nightly run"
measure 3 -p "rm -rf '$shop/cache'" -- report -d "$shop" member "$rich"
rss_cold=$rss
fig "first command after rm -rf cache (report member)" "$(ms "$t")" \
    "<=$(ms "$t_members")" "$(verdict "$t" "<=" "$t_members")"
# The rest is of the shop cached, as before: a reader does not rebuild
# the index; an empty import, a writer, does (untimed).
printf 'member\titems\n' | sale-post -q -d "$shop" -

# tier-recalc and report members in turn, 5 pairs: the ratio is the
# median of the pairs' own, each pair's two runs a second or two apart
: > "$tmp/pairs"
rss_recalc=
for _ in 1 2 3 4 5; do
	measure 1 -- report -d "$shop" members
	a=$t
	measure 1 -- tier-recalc -d "$shop" --dry-run
	[ -z "$rss" ] || [ "${rss_recalc:-0}" -ge "$rss" ] || rss_recalc=$rss
	r=$(calc 'b / a' "a=$a" "b=$t")
	[ -z "$r" ] || echo "$t $a $r" >> "$tmp/pairs"
done
median() {	# COLUMN of the pairs: their median, empty unless all 5 ran
	[ "$(wc -l < "$tmp/pairs")" -eq 5 ] || return 0
	awk -v c="$1" '{ print $c }' "$tmp/pairs" | sort -g | sed -n 3p
}
t_recalc=$(median 1)
info "tier-recalc --dry-run (tiers.tsv empty)" "$(ms "$t_recalc")"
info "report members, in turn with it" "$(ms "$(median 2)")"
r=$(median 3)
fig "tier-recalc vs report members" "$(times_ "$r")" "<=2x" \
    "$(verdict "$r" "<=" 2)"

echo
echo "-- memory"
memory "report member" "$rss_member"
memory "report member, no cache" "$rss_cold"
memory "report members" "$rss_members"
memory "report liability" "$rss_liability"
memory "report sales --by month" "$rss_month"
memory "tier-recalc --dry-run" "$rss_recalc"

# ---- batch import ----

echo
echo "-- batch import"
rows=$((sales / 10))
[ "$rows" -gt 0 ] || rows=1
"$gen" -s "$seed" -B "$rows" "$members" > "$tmp/batch.tsv"
copy=$tmp/copy
measure 3 -i "$tmp/batch.tsv" -p "rm -rf '$copy' && cp -Rp '$shop' '$copy' &&
    printf 'member\\titems\\n' | sale-post -q -d '$copy' - && sync" \
    -- sale-post -q -d "$copy" -
rm -rf "$copy"
info "sale-post - ($rows rows, into a copy of the shop)" "$(ms "$t")"
r=$(calc 'sprintf("%.0f", n / s)' "n=$rows" "s=$t")
fig "sale-post - rows a second" "${r:-ERROR}" ">=200000" \
    "$(verdict "$r" ">=" 200000)"

# ---- the lock during the nightly run ----

echo
echo "-- the lock during tier-recalc (it appends; last)"
sync
if out=$("$timeit" -L "$shop/.lock" -- tier-recalc -q -d "$shop"); then
	# shellcheck disable=SC2086 # four numbers
	set -- $out
	info "tier-recalc, wall" "$(ms "$1")"
	memory "tier-recalc" "$2"
	held=$3
	if [ "$4" -eq 0 ]; then
		held=		# no probe got in: DIR/.lock was never there
		broke=1
	fi
	fig "lock held in one stretch ($4 probes)" "$(ms "$held")" "<=1000ms" \
	    "$(verdict "$held" "<=" 1)"
else
	fig "lock held in one stretch" ERROR "<=1000ms" ERROR
	broke=1
fi

if [ "$broke" -ne 0 ]; then
	echo "make bench: a command failed (ERROR above)" >&2
	exit 1
fi
exit 0
