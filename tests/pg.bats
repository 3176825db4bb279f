# pg.bats: head office on PostgreSQL (SPEC section 10).  Two shops made by
# the programs, with rules of their own (redeem_rate, tiers), are loaded by
# ledger-load-pg into a throwaway server (initdb and pg_ctl in a temporary
# directory, a Unix socket there, no TCP), and every view's numbers, as of
# several days, equal each shop's own report and, for the chain, their sum.
load common

# Debian keeps initdb and pg_ctl out of PATH, in /usr/lib/postgresql/V/bin.
pg_bindir() {
	local d
	if d=$(command -v initdb 2>/dev/null) && [ -x "${d%/*}/pg_ctl" ]; then
		echo "${d%/*}"
		return
	fi
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && echo "$d"
	done | sort -V | tail -n 1
}

# initdb refuses root: the server runs as postgres (or nobody) then.
as_server() {
	if [ -n "$PG_RUNAS" ]; then
		runuser -u "$PG_RUNAS" -- "$@"
	else
		"$@"
	fi
}

# The two shops, once for the file.
#   a: redeem_rate 50, referral_pct 1, tiers normal silver gold (2 months);
#      staff.tsv by hand with a BOM and CR LF; associates on its sales.
#   b: redeem_rate 30 (a point is a third of a cent), earn_per 2.00, bands, tiers 普通 银卡 金卡; at the
#      end its rules.conf drops 银卡 (tier-set put a member there) and adds
#      钻石, which no one holds.
# Each: 9 members (3 join in February, one referred), 24 sales in January
# and February, 26 in March and April (every fourth using 30 points),
# returns by amount and by item, a redeem, an adjustment, tier-recalc
# after each period, a tier-set, a note; stored value when the programs
# for it are built.
make_shop() {
	local D=$1 name=$2 i day p m items pts w
	mkdir -p "$D"
	if [ "$name" = a ]; then
		printf '%s\n' 'redeem_rate 50' 'referral_pct 1' \
		    'tier normal discount=0 multiplier=1 validity=0' \
		    'tier silver discount=5 multiplier=1.5 validity=2' \
		    'tier gold discount=10 multiplier=2 validity=2' \
		    'upgrade normal silver total 600' \
		    'upgrade silver gold total 1500' \
		    'upgrade normal gold single 2000' \
		    'keep silver total 300' 'keep gold total 1500' \
		    > "$D/rules.conf"
		printf '\357\273\277staff\tname\tactive\r\na1\tAnna\tyes\r\na2\tBo\tyes\r\n' \
		    > "$D/staff.tsv"
	else
		printf '%s\n' 'redeem_rate 30' 'earn_per 2.00' \
		    'tier 普通 discount=0 multiplier=1 validity=0' \
		    'tier 银卡 discount=3 multiplier=1.2 validity=3' \
		    'tier 金卡 discount=8 multiplier=1.5 validity=3' \
		    'upgrade 普通 银卡 total 500' 'upgrade 银卡 金卡 total 1200' \
		    'keep 银卡 total 200' 'keep 金卡 total 800' \
		    'band 0.00 50' 'band 0.80 100' > "$D/rules.conf"
	fi
	export VIPLEDGER_DIR=$D
	printf 'name\tphone\treferrer\tbirthday\n%s\n' \
	    "$(printf '%s\t1380000000%d\t\t03-0%d\n' 王芳 1 1 Lucy 2 2 李娜 3 3 \
	    Mia 4 4 张敏 5 5 Zoe 6 6 | awk -F'\t' -v OFS='\t' \
	    'NR == 2 { $3 = "M000001" } 1')" |
	    VIPLEDGER_NOW=2026-01-02T09:00:00 member-add -q -
	printf 'name\tphone\treferrer\n陈静\t13900000007\tM000002\nAmy\t13900000008\t\n刘洋\t13900000009\t\n' |
	    VIPLEDGER_NOW=2026-02-15T09:00:00 member-add -q -
	# January and February: members 1 to 6
	{
		printf 'at\tmember\titems\tstore\tassociate\n'
		for i in $(seq 1 24); do
			day=$(date -u -d "2026-01-03 +$((2 * (i - 1))) days" +%F)
			p=$((100 + i * 137 % 900))
			m=$((i * 5 % 6 + 1))
			if [ $((i % 3)) -eq 0 ]; then
				items="2x$p/$((p * 2)),$((p / 2))"
			else
				items=$p
			fi
			printf '%sT1%d:30:00\tM00000%d\t%s\ts%d\t%s\n' "$day" \
			    $((i % 10)) "$m" "$items" $((i % 2 + 1)) \
			    "$([ "$name" = a ] && echo a$((i % 2 + 1)))"
		done
	} | VIPLEDGER_NOW=2026-02-28T20:00:00 sale-post -q -
	export VIPLEDGER_NOW=2026-02-28T20:00:00
	sale-return -q --at 2026-01-10T15:00:00 S000004 50
	sale-return -q --at 2026-01-22T11:00:00 S000010
	sale-return -q --at 2026-02-18T12:00:00 S000021 "$(cut -f2,16 "$D/sales.tsv" |
	    awk -F'\t' '$1 == "S000021" { split($2, it, ","); print it[1] }')"
	tier-recalc -q
	VIPLEDGER_NOW=2026-03-05T10:00:00 points-redeem -q M000001 40
	VIPLEDGER_NOW=2026-03-05T11:00:00 points-adjust -q --reason 'a gift card' M000002 +15
	w=
	if command -v wallet-topup >/dev/null; then
		VIPLEDGER_NOW=2026-03-01T10:00:00 wallet-topup -q M000003 300
		w=1
	fi
	# March and April: every member
	{
		printf 'at\tmember\titems\tpoints_used\tstore\tassociate%s\n' \
		    "${w:+$'\t'wallet}"
		for i in $(seq 1 26); do
			day=$(date -u -d "2026-03-06 +$((2 * (i - 1))) days" +%F)
			p=$((150 + i * 211 % 1200))
			m=$((i * 7 % 9 + 1))
			pts=
			[ $((i % 4)) -eq 0 ] && [ "$m" -le 6 ] && pts=30
			printf '%sT1%d:15:00\tM00000%d\t%s\t%s\ts1\t%s%s\n' "$day" \
			    $((i % 10)) "$m" "$p" "$pts" \
			    "$([ "$name" = a ] && echo a1)" \
			    "${w:+$'\t'$([ "$m" -eq 3 ] && echo 100)}"
		done
	} | VIPLEDGER_NOW=2026-04-30T20:00:00 sale-post -q -
	export VIPLEDGER_NOW=2026-04-30T20:00:00
	sale-return -q --at 2026-03-13T10:00:00 S000031 100
	sale-return -q --at 2026-04-20T10:00:00 S000049
	tier-set -q --at 2026-03-20 --reason 'a VIP card' M000008 \
	    "$([ "$name" = a ] && echo gold || echo 银卡)"
	tier-recalc -q
	member-note -q --at 2026-04-02T10:00:00 M000001 service 'hemmed, "short"\no tab'
	if [ "$name" = b ]; then
		printf '%s\n' 'redeem_rate 30' 'earn_per 2.00' \
		    'tier 普通 discount=0 multiplier=1 validity=0' \
		    'tier 金卡 discount=8 multiplier=1.5 validity=3' \
		    'tier 钻石 discount=12 multiplier=2 validity=12' \
		    'upgrade 普通 金卡 total 1200' 'keep 金卡 total 800' \
		    'band 0.00 50' 'band 0.80 100' > "$D/rules.conf"
	fi
	unset VIPLEDGER_DIR VIPLEDGER_NOW
}

setup_file() {
	local bindir u
	export PG_SKIP= PG_RUNAS= PGT=
	if ! bindir=$(pg_bindir) || [ -z "$bindir" ]; then
		PG_SKIP="PostgreSQL's initdb and pg_ctl not found (Debian: apt-get install postgresql)"
		return 0
	fi
	export PG_BIN=$bindir
	PGT=$(mktemp -d /tmp/vlpg.XXXXXX)
	if [ "$(id -u)" = 0 ]; then
		for u in postgres nobody; do
			id -u "$u" >/dev/null 2>&1 && PG_RUNAS=$u && break
		done
		chown "$PG_RUNAS" "$PGT"
	fi
	if ! as_server "$PG_BIN/initdb" -D "$PGT/data" -U vipledger \
	    --auth=trust -E UTF8 --locale=C --no-sync > "$PGT/initdb.log" 2>&1 ||
	    ! as_server "$PG_BIN/pg_ctl" -D "$PGT/data" -l "$PGT/server.log" \
	    -w -t 60 -o "-c listen_addresses='' -k $PGT -c fsync=off" start \
	    > /dev/null; then
		cat "$PGT"/*.log >&2
		return 1
	fi
	export PGHOST=$PGT PGUSER=vipledger PGDATABASE=hq
	unset PGPORT PGSERVICE PGPASSWORD PGOPTIONS
	psql -X -q -d postgres -c 'CREATE DATABASE hq'
	export A=$BATS_FILE_TMPDIR/a B=$BATS_FILE_TMPDIR/b
	make_shop "$A" a
	make_shop "$B" b
}

teardown_file() {
	if [ -n "${PGT:-}" ] && [ -d "$PGT/data" ]; then
		as_server "$PG_BIN/pg_ctl" -D "$PGT/data" -m immediate stop \
		    > /dev/null 2>&1
	fi
	[ -z "${PGT:-}" ] || rm -rf "$PGT"
}

setup() {
	[ -z "$PG_SKIP" ] || skip "$PG_SKIP"
	export VIPLEDGER_NOW=2026-04-30T21:00:00
	export VIPLEDGER_DIR=$BATS_TEST_TMPDIR/none
}

# The days the views are taken as of: before the first row, in each
# month, today (the shops' clock) and one after the last pending point.
DAYS='2025-12-31 2026-01-09 2026-01-31 2026-02-20 2026-03-15 2026-04-30 2026-07-01'

# q SQL: the rows, tab-separated
q() {
	psql -X -q -A -t -F $'\t' -v ON_ERROR_STOP=1 -c "$1"
}

# sum_by NKEYS MONEYCOLS: the rows of several reports added up by their
# first NKEYS columns; MONEYCOLS (e.g. " 4 5 ") in cents, exactly.
sum_by() {
	awk -F'\t' -v OFS='\t' -v nk="$1" -v money="$2" '
	function cents(s,   neg, p) {
		neg = sub(/^-/, "", s); split(s, p, ".")
		return (neg ? -1 : 1) * (p[1] * 100 + p[2])
	}
	function fmt(c,   a) {
		a = c < 0 ? -c : c
		return sprintf("%s%d.%02d", c < 0 ? "-" : "", int(a / 100), a % 100)
	}
	{
		k = $1; for (i = 2; i <= nk; i++) k = k OFS $i
		if (!(k in seen)) { seen[k] = 1; keys[++n] = k }
		for (i = nk + 1; i <= NF; i++) {
			v[k, i] += index(money, " " i " ") ? cents($i) : $i
			if (NF > nf) nf = NF
		}
	}
	END {
		for (j = 1; j <= n; j++) {
			k = keys[j]; line = k
			for (i = nk + 1; i <= nf; i++) {
				m = index(money, " " i " ")
				line = line OFS (m ? fmt(v[k, i]) : sprintf("%d", v[k, i]))
			}
			print line
		}
	}'
}

# report liability's columns here: 4 with the stored value, else 3
liability_cols() {
	report -d "$A" liability | head -n 1 | awk -F'\t' '{ print NF }'
}

@test "ledger-load-pg: the shops' rows, as in their files" {
	run ledger-load-pg a="$A" b="$B"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = $'shop\tmembers\tsales\tpoints\ttiers\twallet\tnotes\tstaff' ]
	for s in a b; do
		eval "D=\$$(echo "$s" | tr ab AB)"
		want=$s
		for l in members sales points tiers wallet notes staff; do
			n=0
			[ -f "$D/$l.tsv" ] && n=$(($(wc -l < "$D/$l.tsv") - 1))
			want="$want"$'\t'$n
		done
		[ "$(printf '%s\n' "${lines[@]}" | grep "^$s"$'\t')" = "$want" ]
	done
	[ "$(q "SELECT shop, redeem_rate FROM vipledger.shops ORDER BY 1")" = \
	    $'a\t50\nb\t30' ]
	[ "$(q "SELECT string_agg(tier, ' ' ORDER BY place) FROM vipledger.shop_tiers GROUP BY shop ORDER BY shop")" = \
	    $'normal silver gold\n普通 金卡 钻石' ]
	[ "$(q "SELECT rules FROM vipledger.shops WHERE shop = 'b'")" = \
	    "$(report -d "$B" rules)" ]
	# the fields as written: Chinese, quotes, a backslash
	[ "$(q "SELECT name FROM vipledger.members WHERE shop = 'b' AND line = 2")" = 王芳 ]
	[ "$(q "SELECT text FROM vipledger.notes WHERE shop = 'a'")" = \
	    "$(tail -n 1 "$A/notes.tsv" | cut -f6)" ]
	[ "$(q "SELECT staff || name || active FROM vipledger.staff WHERE shop = 'a' ORDER BY line")" = \
	    $'a1Annayes\na2Boyes' ]
	# ids are per shop: both have M000001
	[ "$(q "SELECT count(DISTINCT shop) FROM vipledger.members WHERE member = 'M000001'")" = 2 ]
}

@test "chain_sales: each shop's months are its report sales --by month; the chain's their sum" {
	ledger-load-pg -q a="$A" b="$B"
	for d in $DAYS; do
		for s in a b; do
			eval "D=\$$(echo "$s" | tr ab AB)"
			got=$(q "SELECT month, sales, returns, goods, paid, earned, points_used, members FROM vipledger.chain_sales('$d') WHERE shop = '$s'")
			[ "$got" = "$(report -N -d "$D" --as-of "$d" sales --by month)" ] ||
				{ echo "$s $d: $got"; false; }
		done
		got=$(q "SELECT month, sales, returns, goods, paid, earned, points_used, members FROM vipledger.chain_sales('$d') WHERE shop IS NULL")
		want=$(for D in "$A" "$B"; do
			report -N -d "$D" --as-of "$d" sales --by month
		done | sum_by 1 ' 4 5 ' | LC_ALL=C sort)
		[ "$got" = "$want" ] || { echo "chain $d: $got / $want"; false; }
	done
	# something to compare: returns, points used, several members
	[ "$(q "SELECT sum(returns) > 0 AND sum(points_used) > 0 AND max(members) > 3 FROM vipledger.chain_sales('2026-04-30') WHERE shop IS NULL")" = t ]
}

@test "chain_liability: each shop's is its report liability, at its own redeem_rate; the chain's their sum" {
	ledger-load-pg -q a="$A" b="$B"
	n=$(liability_cols)
	cols=available,pending,value
	[ "$n" -eq 4 ] && cols=$cols,wallet
	for d in $DAYS; do
		for s in a b; do
			eval "D=\$$(echo "$s" | tr ab AB)"
			got=$(q "SELECT $cols FROM vipledger.chain_liability('$d') WHERE shop = '$s'")
			[ "$got" = "$(report -N -d "$D" --as-of "$d" liability)" ] ||
				{ echo "$s $d: $got"; false; }
		done
		got=$(q "SELECT '', $cols FROM vipledger.chain_liability('$d') WHERE shop IS NULL")
		want=$(for D in "$A" "$B"; do
			report -N -d "$D" --as-of "$d" liability | sed 's/^/\t/'
		done | sum_by 1 ' 4 5 ')
		[ "$got" = "$want" ] || { echo "chain $d: $got / $want"; false; }
	done
	# stored value owed (300.00 topped up in March, spent by April)
	if [ "$n" -eq 4 ]; then
		[ "$(q "SELECT wallet FROM vipledger.chain_liability('2026-03-15') WHERE shop IS NULL")" = 600.00 ]
	fi
	# pending points, a referral, a value that is not available/100
	[ "$(q "SELECT pending > 0 FROM vipledger.chain_liability('2026-04-30') WHERE shop IS NULL")" = t ]
	[ "$(q "SELECT count(*) FROM vipledger.sales WHERE referral_points > 0")" -gt 0 ]
	[ "$(q "SELECT value <> available / 100.0 FROM vipledger.chain_liability('2026-04-30') WHERE shop = 'b'")" = t ]
}

@test "chain_tiers: every tier of each shop's rules, zeros and dropped tiers included, as its report tiers; the chain's their sum" {
	ledger-load-pg -q a="$A" b="$B"
	for d in $DAYS; do
		for s in a b; do
			eval "D=\$$(echo "$s" | tr ab AB)"
			got=$(q "SELECT tier, members FROM vipledger.chain_tiers('$d') WHERE shop = '$s'")
			[ "$got" = "$(report -N -d "$D" --as-of "$d" tiers)" ] ||
				{ echo "$s $d: $got"; false; }
		done
		got=$(q "SELECT tier, members FROM vipledger.chain_tiers('$d') WHERE shop IS NULL" | LC_ALL=C sort)
		want=$(for D in "$A" "$B"; do
			report -N -d "$D" --as-of "$d" tiers
		done | sum_by 1 '' | LC_ALL=C sort)
		[ "$got" = "$want" ] || { echo "chain $d: $got / $want"; false; }
	done
	# upgrades, a tier no one holds, a tier b's rules no longer define
	[ "$(q "SELECT string_agg(tier || '=' || members, ' ') FROM vipledger.chain_tiers('2026-04-30') WHERE shop = 'b'")" = \
	    "$(report -N -d "$B" tiers | tr '\t\n' '= ' | sed 's/ $//')" ]
	report -N -d "$B" tiers | grep -q $'^钻石\t0$'
	[ "$(report -N -d "$B" tiers | tail -n 1 | cut -f1)" = 银卡 ]
	[ "$(q "SELECT count(*) FROM vipledger.tiers WHERE shop = 'a' AND event = 'upgrade'")" -gt 0 ]
	# the chain's order: a's tiers, then b's new ones, then the dropped one
	[ "$(q "SELECT string_agg(tier, ' ') FROM vipledger.chain_tiers('2026-04-30') WHERE shop IS NULL")" = \
	    'normal silver gold 普通 金卡 钻石 银卡' ]
}

@test "rows by hand: a negative balance's value rounds down; a member's tier is her last row in the file" {
	N=$BATS_TEST_TMPDIR/n
	mkdir "$N"
	printf 'redeem_rate 30\n' > "$N/rules.conf"
	for i in 1 2 3; do
		VIPLEDGER_NOW=2026-01-05T10:00:00 member-add -q -d "$N" --name "N$i" --phone 1370000000$i
	done
	points-adjust -q -d "$N" --reason 'a correction' M000001 -7
	tier-set -q -d "$N" --at 2026-01-10 --reason 'a card' M000002 silver
	# dated before the row above it: the last row in the file counts
	printf '2026-01-08T00:00:00\tM000002\tset\tnormal\tgold\t2026-01-08\t\t0\tby hand\n' >> "$N/tiers.tsv"
	ledger-load-pg -q n="$N"
	for d in 2026-01-09 2026-01-20 2026-04-30; do
		[ "$(q "SELECT available, pending, value, wallet FROM vipledger.chain_liability('$d') WHERE shop = 'n'" |
		    cut -f1-$(liability_cols))" = "$(report -N -d "$N" --as-of "$d" liability)" ]
		[ "$(q "SELECT tier, members FROM vipledger.chain_tiers('$d') WHERE shop = 'n'")" = \
		    "$(report -N -d "$N" --as-of "$d" tiers)" ]
	done
	# -7 points at 30 a yuan: -23.33 cents, rounded down
	[ "$(report -N -d "$N" liability | cut -f1,3)" = $'-7\t-0.24' ]
	report -N -d "$N" --as-of 2026-01-20 tiers | grep -q $'^gold\t1$'
	q "SELECT vipledger.drop_shop('n')" > /dev/null
}

@test "ledger-load-pg: a shop loaded again replaces its rows; nothing doubles" {
	ledger-load-pg -q a="$A" b="$B"
	before=$(q "SELECT * FROM vipledger.chain_sales('2026-04-30')"; q "SELECT * FROM vipledger.chain_liability('2026-04-30')")
	count() {
		q "SELECT (SELECT count(*) FROM vipledger.members) || ' ' || (SELECT count(*) FROM vipledger.sales) || ' ' || (SELECT count(*) FROM vipledger.tiers) || ' ' || (SELECT count(*) FROM vipledger.shop_tiers) || ' ' || (SELECT count(*) FROM vipledger.shops)"
	}
	n=$(count)
	ledger-load-pg -q a="$A"
	ledger-load-pg -q a="$A" b="$B"
	[ "$(count)" = "$n" ]
	[ "$(q "SELECT * FROM vipledger.chain_sales('2026-04-30')"; q "SELECT * FROM vipledger.chain_liability('2026-04-30')")" = "$before" ]
	# the shop moves on: one more sale, loaded under the same id
	cp -R "$A" "$BATS_TEST_TMPDIR/a2"
	VIPLEDGER_NOW=2026-04-30T21:00:00 sale-post -q -d "$BATS_TEST_TMPDIR/a2" M000001 999
	ledger-load-pg -q a="$BATS_TEST_TMPDIR/a2"
	[ "$(q "SELECT count(*) FROM vipledger.sales WHERE shop = 'a'")" -eq \
	    $(($(wc -l < "$A/sales.tsv"))) ]
	[ "$(q "SELECT month, sales, returns, goods, paid, earned, points_used, members FROM vipledger.chain_sales('2026-04-30') WHERE shop = 'a'")" = \
	    "$(report -N -d "$BATS_TEST_TMPDIR/a2" sales --by month)" ]
	ledger-load-pg -q a="$A"
	[ "$(count)" = "$n" ]
}

@test "ledger-load-pg: a 0.1 sales.tsv (17 columns) loads, birthday_units and wallet empty" {
	C=$BATS_TEST_TMPDIR/c
	mkdir "$C"
	cp "$A"/*.tsv "$A/rules.conf" "$C"/
	cut -f1-17 "$A/sales.tsv" > "$C/sales.tsv"
	report -d "$C" sales > /dev/null
	run ledger-load-pg c="$C"
	[ "$status" -eq 0 ]
	[ "$(q "SELECT count(*) FROM vipledger.sales WHERE shop = 'c' AND birthday_units IS NULL AND wallet IS NULL")" -eq \
	    $(($(wc -l < "$C/sales.tsv") - 1)) ]
	for d in 2026-02-20 2026-04-30; do
		[ "$(q "SELECT month, sales, returns, goods, paid, earned, points_used, members FROM vipledger.chain_sales('$d') WHERE shop = 'c'")" = \
		    "$(report -N -d "$C" --as-of "$d" sales --by month)" ]
		[ "$(q "SELECT available, pending, value$([ "$(liability_cols)" -eq 4 ] && echo ', wallet') FROM vipledger.chain_liability('$d') WHERE shop = 'c'")" = \
		    "$(report -N -d "$C" --as-of "$d" liability)" ]
	done
	q "SELECT vipledger.drop_shop('c')" > /dev/null
}

@test "ledger-load-pg: a torn last line is left out; a bad row, header or DIR loads nothing" {
	ledger-load-pg -q a="$A" b="$B"
	before=$(q "SELECT * FROM vipledger.chain_sales('2026-04-30')"; q "SELECT count(*) FROM vipledger.sales")
	C=$BATS_TEST_TMPDIR/c
	cp -R "$B" "$C"
	printf '2026-04-30T10:00:00\tM000001\tadjust\t5' >> "$C/points.tsv"
	run ledger-load-pg b="$C"
	[ "$status" -eq 0 ]
	[ "$(q "SELECT count(*) FROM vipledger.points WHERE shop = 'b'")" -eq \
	    $(($(wc -l < "$B/points.tsv") - 1)) ]
	ledger-load-pg -q b="$B"
	# a row the programs would refuse: exit 3, FILE:LINE, nothing changed
	cp "$B/points.tsv" "$C/points.tsv"
	printf '2026-04-30T10:00:00\tM000001\tadjust\t1e3\t2026-04-30\t\t\n' >> "$C/points.tsv"
	n=$(wc -l < "$C/points.tsv")
	run ledger-load-pg a="$A" b="$C"
	[ "$status" -eq 3 ]
	[ "$output" = "ledger-load-pg: nothing loaded: b: points.tsv:$n: field 4 (points) is not a whole number" ]
	cp "$B/points.tsv" "$C/points.tsv"
	printf '2026-02-30T10:00:00\tM000001\tadjust\t5\t2026-04-30\t\t\n' >> "$C/points.tsv"
	run ledger-load-pg b="$C"
	[ "$status" -eq 3 ]
	[ "$output" = "ledger-load-pg: nothing loaded: b: points.tsv:$n: field 1 is not a time like 2026-03-01T10:00:00" ]
	cp "$B/points.tsv" "$C/points.tsv"
	printf '2026-04-30T10:00:00\tM000001\tadjust\t5\n' >> "$C/points.tsv"
	run ledger-load-pg b="$C"
	[ "$status" -eq 3 ]
	[ "$output" = "ledger-load-pg: nothing loaded: b: points.tsv:$n: missing data for column \"available_on\"" ]
	cp "$B/points.tsv" "$C/points.tsv"
	printf 'at\tmember\tkind\n' > "$C/wallet.tsv"
	run ledger-load-pg b="$C"
	[ "$status" -eq 3 ]
	[[ $output == "ledger-load-pg: b: $C/wallet.tsv:1: bad header"* ]]
	run ledger-load-pg b="$BATS_TEST_TMPDIR/nowhere"
	[ "$status" -eq 3 ]
	[[ $output == "ledger-load-pg: b: report: "*"no such data directory"* ]]
	[ "$(q "SELECT * FROM vipledger.chain_sales('2026-04-30')"; q "SELECT count(*) FROM vipledger.sales")" = "$before" ]
}

@test "ledger-load-pg: usage errors, --help, --version, a database that is not there" {
	run ledger-load-pg
	[ "$status" -eq 2 ]
	[ "$output" = "ledger-load-pg: no SHOP=DIR given; see ledger-load-pg --help" ]
	run ledger-load-pg "a b=$A"
	[ "$status" -eq 2 ]
	run ledger-load-pg "a=$A" "a=$B"
	[ "$status" -eq 2 ]
	[ "$output" = "ledger-load-pg: shop a is given twice; see ledger-load-pg --help" ]
	run ledger-load-pg "$A"
	[ "$status" -eq 2 ]
	run ledger-load-pg -x a="$A"
	[ "$status" -eq 2 ]
	run ledger-load-pg --help
	[ "$status" -eq 0 ]
	[ "$output" = "usage: ledger-load-pg [-q] [-D DATABASE] SHOP=DIR ..." ]
	run ledger-load-pg -V
	[ "$output" = "ledger-load-pg (vipledger) $(report -V | awk '{ print $NF }')" ]
	run ledger-load-pg -D nosuchdb a="$A"
	[ "$status" -eq 3 ]
	[[ $output == "ledger-load-pg: nothing loaded: "*nosuchdb* ]]
}
