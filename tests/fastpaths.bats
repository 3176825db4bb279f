# fastpaths.bats: report members, liability and sales, and tier-recalc,
# add up what the index keeps of each row when it stands for the ledgers;
# what they print must be the bytes the ledgers give: stored value, the
# topup metric and members on a tier rules.conf no longer defines too.
load common

# at TIME CMD...: CMD with the clock at TIME
at() {
	local t=$1
	shift
	VIPLEDGER_NOW=$t "$@"
}

trow() {
	row "$1T00:00:00" "${@:2}"
}

tiers() {
	rules 'hold_days 0' 'referral_pct 10' 'expire_months 6' \
		'tier normal discount=0 multiplier=1 validity=0' \
		'tier silver discount=2 multiplier=1.5 validity=12' \
		'tier gold discount=5 multiplier=2 validity=12' \
		"$@" \
		'upgrade normal silver topup 500' 'upgrade silver gold topup 1500' \
		'upgrade normal gold single 2000' \
		'keep silver total 100' 'keep gold total 100'
	chmod 700 "$D"
}

# shop: four members; top-ups, a sale paid from stored value and part of
# it returned, a refund, a referral; two members set by hand to vip,
# which rules.conf then drops
shop() {
	tiers 'tier vip discount=8 multiplier=2 validity=12'
	at 2025-01-02T10:00:00 add Ann 13800000001
	at 2025-01-02T10:00:00 add Bob 13800000002 --referrer M000001
	at 2025-01-02T10:00:00 add Cai 13800000003
	at 2025-01-02T10:00:00 add Dee 13800000004
	at 2025-02-01T10:00:00 wallet-topup -q M000001 600
	at 2025-03-01T10:00:00 wallet-topup -q M000002 300
	at 2025-03-05T10:00:00 wallet-topup -q M000002 1600
	at 2025-03-10T10:00:00 wallet-topup -q M000002 1600
	at 2025-04-01T10:00:00 sale-post -q --wallet 200 M000001 300 >/dev/null
	at 2025-04-02T10:00:00 sale-return -q S000001 100 >/dev/null
	at 2025-04-03T10:00:00 sale-post -q M000002 2x150 >/dev/null
	at 2025-05-01T10:00:00 wallet-refund -q M000002 100
	at 2025-06-01T10:00:00 tier-set -q --reason VIP M000004 vip
	at 2025-06-01T10:00:00 tier-set -q --reason VIP M000003 vip
	at 2025-06-02T10:00:00 sale-post -q M000003 50 >/dev/null
	tiers
}

# probe: the views and the walk, as text with the exit statuses
probe() {
	local c
	while IFS= read -r c; do
		echo "> $c"
		eval "$c" 2>&1 || echo "exit $?"
	done <<-'EOF'
	report members
	report liability
	report liability --as-of 2025-03-31
	report members --as-of 2025-04-01
	report sales --by day
	report sales --by month
	tier-recalc --dry-run
	tier-recalc --dry-run --as-of 2025-03-04
	tier-recalc --dry-run M000004 M000002 M000003
	EOF
}

# same: probe on DIR, index and all, gives the bytes of a copy without it
same() {
	local copy=$BATS_TEST_TMPDIR/copy got want
	rm -rf "$copy"
	cp -a "$D" "$copy"
	rm -rf "$copy/cache"
	want=$(VIPLEDGER_DIR=$copy probe)
	got=$(probe)
	[ "$got" = "$want" ] || { diff <(echo "$want") <(echo "$got"); return 1; }
	[ ! -e "$copy/cache" ]
}

@test "fast paths: stored value, top-ups and a dropped tier, the same with the index as without" {
	shop
	[ -f "$D/cache/stamp" ]
	same
	# liability's wallet: 600 - 200 + 66.67 given back, 300 + 2 x 1600 - 100
	run --separate-stderr at 2025-12-31T10:00:00 report -N liability
	echo "$output"
	[ "$output" = $'3600\t0\t36.00\t3866.67' ]
	run --separate-stderr at 2025-12-31T10:00:00 tier-recalc --dry-run
	[ "$status" -eq 1 ]
	[[ $output == *"$(trow 2025-02-01 M000001 upgrade normal silver 2025-02-01 2026-02-01 0 'topup 600.00 >= 500.00')"* ]]
	[[ $output == *"$(trow 2025-03-05 M000002 upgrade normal silver 2025-03-05 2026-03-05 0 'topup 1600.00 >= 500.00')"* ]]
	[[ $output == *"$(trow 2025-03-10 M000002 upgrade silver gold 2025-03-10 2026-03-10 0 'topup 1600.00 >= 1500.00')"* ]]
	[ "$stderr" = "tier-recalc: member M000003 has tier vip, which rules.conf does not define; move the member with tier-set
tier-recalc: member M000004 has tier vip, which rules.conf does not define; move the member with tier-set" ]
	# named: the warnings in the order named
	run --separate-stderr at 2025-12-31T10:00:00 tier-recalc --dry-run M000004 M000003
	[ "$status" -eq 1 ]
	[ "${stderr%%,*}" = "tier-recalc: member M000004 has tier vip" ]
	# the walk appended, the index up to date: the same again
	run at 2025-12-31T10:00:00 tier-recalc -q
	[ "$status" -eq 1 ]
	same
	# rows past the index: a top-up (not indexed) and a sale paid from
	# stored value, written by hand as another till would
	printf '%s\n' "$(row 2025-12-01T10:00:00 M000003 topup 700.00 '' '')" >>"$D/wallet.tsv"
	printf '%s\n' "$(row 2025-12-02T10:00:00 S000009 M000001 sale S000009 40.00 0 40.00 40 2025-12-02 '' 0 silver '' '' 40 '' '' 40.00)" >>"$D/sales.tsv"
	same
	run --separate-stderr at 2025-12-31T10:00:00 report -N liability
	echo "$output"
	[ "$output" = $'40\t0\t0.40\t4526.67' ]
}

# many: 60 members, 900 sales over two years, some returned: enough rows
# that a walk with a budget of 1 kB goes in dozens of batches
many() {
	tiers 'upgrade normal silver total 1500' 'upgrade silver gold total 3000'
	{ printf 'name\tphone\n'
	for i in $(seq 1 60); do printf 'm%d\t139%08d\n' "$i" "$i"; done; } |
	    at 2024-01-01T09:00:00 member-add -q -
	{ printf 'at\treceipt\tmember\titems\n'
	awk 'BEGIN {
		for (i = 0; i < 900; i++) {
			d = int(i * 700 / 900)
			printf "%sT10:%02d:00\t\tM%06d\t%d\n", strftime_(d), i % 60,
			    (i * 7) % 60 + 1, (i * 131) % 1900 + 20
		}
	}
	function strftime_(n,   y, m, ml) {
		y = 2024; m = 1
		for (;;) {
			ml = substr("312931303130313130313031", 2 * m - 1, 2) - (m == 2 && y % 4 != 0)
			if (n < ml)
				return sprintf("%04d-%02d-%02d", y, m, n + 1)
			n -= ml
			if (++m > 12) { m = 1; y++ }
		}
	}'; } | at 2025-12-30T10:00:00 sale-post -q -
	for r in S000011 S000222 S000333 S000444 S000555; do
		at 2025-12-30T11:00:00 sale-return -q --force "$r" >/dev/null
	done
}

@test "tier-recalc in many batches, its rows spilled to a file and merged, gives the bytes of one batch" {
	many
	[ "$(body sales.tsv | wc -l)" -eq 905 ]
	one=$(at 2025-12-31T10:00:00 tier-recalc --dry-run)
	[ "$(echo "$one" | wc -l)" -ge 200 ]
	# not vacuous: rows of many days, tiers and expiries both
	[ "$(echo "$one" | cut -c1-10 | sort -u | wc -l)" -ge 100 ]
	[ "$(echo "$one" | grep -c '	expire	')" -ge 10 ]
	[ "$(echo "$one" | grep -c '	upgrade	')" -ge 60 ]
	[ "$(echo "$one" | grep -c '	renew	')" -ge 30 ]
	got=$(VIPLEDGER_TIER_KB=1 at 2025-12-31T10:00:00 tier-recalc --dry-run)
	[ "$got" = "$one" ]
	# spilled rows of a dry run, merged as printed: none with -q
	run --separate-stderr env VIPLEDGER_TIER_KB=1 VIPLEDGER_NOW=2025-12-31T10:00:00 tier-recalc --dry-run -q
	[ "$status" -eq 0 ] && [ -z "$output" ] && [ -z "$stderr" ]
	# appended: the same ledgers, byte for byte
	cp -a "$D" "$BATS_TEST_TMPDIR/big"
	at 2025-12-31T10:00:00 tier-recalc -q
	VIPLEDGER_TIER_KB=1 VIPLEDGER_DIR=$BATS_TEST_TMPDIR/big at 2025-12-31T10:00:00 tier-recalc -q
	cmp "$D/tiers.tsv" "$BATS_TEST_TMPDIR/big/tiers.tsv"
	cmp "$D/points.tsv" "$BATS_TEST_TMPDIR/big/points.tsv"
	[ "$(body tiers.tsv; body points.tsv | grep '	expire	')" = "$one" ]
	ledger-check
	run at 2025-12-31T10:00:00 tier-recalc --dry-run
	[ -z "$output" ]
}

@test "tier-recalc keeps whole the rows a batch cannot hold in short: 30,000,000.00 paid, 70,000 units, points used that expire" {
	tiers 'upgrade normal silver items 70000'
	at 2025-01-02T10:00:00 add Ann 13800000001
	at 2025-01-02T10:00:00 add Bob 13800000002 --referrer M000001
	at 2025-01-02T10:00:00 add Cai 13800000003
	at 2025-02-01T10:00:00 sale-post -q M000001 30000000 >/dev/null
	at 2025-02-01T11:00:00 sale-post -q M000003 70000x0.01 >/dev/null
	at 2025-03-01T10:00:00 sale-post -q M000002 1000 >/dev/null
	at 2025-03-10T10:00:00 sale-post -q M000002 --use-points 300 500 >/dev/null
	same
	run at 2025-12-31T10:00:00 tier-recalc --dry-run
	[ "$status" -eq 0 ]
	echo "$output"
	[[ $output == *"$(trow 2025-02-01 M000001 upgrade normal gold 2025-02-01 2026-02-01 0 'single 30000000.00 >= 2000.00')"* ]]
	[[ $output == *"$(trow 2025-02-01 M000003 upgrade normal silver 2025-02-01 2026-02-01 0 'items 70000 >= 70000')"* ]]
	# six months on: Ann's 30,000,000, Bob's 1000 of 2025-03-01 less the
	# 300 he used, and the 497 of 2025-03-10 (500.00 less 3.00 in points)
	[[ $output == *"$(row 2025-08-01T00:00:00 M000001 expire -30000000 2025-08-01 '' '')"* ]]
	[[ $output == *"$(row 2025-09-01T00:00:00 M000002 expire -700 2025-09-01 '' '')"* ]]
	[[ $output == *"$(row 2025-09-10T00:00:00 M000002 expire -497 2025-09-10 '' '')"* ]]
}

@test "tier-recalc --as-of 170 years on: rows too old for a batch's short date are kept whole, the same as from the ledgers" {
	rules 'hold_days 0' \
		'tier normal discount=0 multiplier=1 validity=0' \
		'tier silver discount=2 multiplier=1.5 validity=12' \
		'tier gold discount=5 multiplier=2 validity=12' \
		'upgrade normal silver total 500' 'upgrade silver gold total 1500' \
		'keep silver total 100' 'keep gold total 100'
	chmod 700 "$D"
	at 2025-01-02T10:00:00 add Ann 13800000001
	at 2025-01-02T10:00:00 add Bob 13800000002
	at 2025-02-01T10:00:00 sale-post -q M000001 600 >/dev/null
	at 2025-03-01T10:00:00 sale-post -q M000001 1000 >/dev/null
	at 2025-03-01T11:00:00 sale-post -q M000002 700 >/dev/null
	at 2025-03-02T11:00:00 sale-return -q S000003 >/dev/null
	copy=$BATS_TEST_TMPDIR/copy
	cp -a "$D" "$copy"
	rm -rf "$copy/cache"
	# 2195-06-01 is 62,000 days on: a 2025 row is past a short date's reach
	for asof in 2026-06-01 2195-06-01; do
		want=$(VIPLEDGER_DIR=$copy at 2195-06-01T10:00:00 tier-recalc --dry-run --as-of $asof)
		got=$(at 2195-06-01T10:00:00 tier-recalc --dry-run --as-of $asof)
		[ "$got" = "$want" ] || { diff <(echo "$want") <(echo "$got"); false; }
	done
	[[ $got == *"$(trow 2025-02-01 M000001 upgrade normal silver 2025-02-01 2026-02-01 0 'total 600.00 >= 500.00')"* ]]
	[[ $got == *"$(trow 2025-03-01 M000002 upgrade normal silver 2025-03-01 2026-03-01 0 'total 700.00 >= 500.00')"* ]]
	[[ $got == *"$(trow 2026-02-01 M000001 renew silver silver 2026-02-01 2027-02-01 0 'keep total 1000.00 >= 100.00')"* ]]
	[[ $got == *"$(trow 2026-03-01 M000002 downgrade silver normal 2026-03-01 '' 0 'keep total -700.00 < 100.00')"* ]]
	[ ! -e "$copy/cache" ]
}

@test "VIPLEDGER_TIER_KB that is not a number of kilobytes is a usage error" {
	many
	for v in x 0 -1 1k; do
		run --separate-stderr env VIPLEDGER_TIER_KB=$v VIPLEDGER_NOW=2025-12-31T10:00:00 tier-recalc --dry-run
		[ "$status" -eq 2 ]
		[ "$stderr" = "tier-recalc: VIPLEDGER_TIER_KB=$v is not a number of kilobytes" ]
	done
}

@test "after a reboot, rows folded since the index was last synced are read from the ledgers: the same bytes" {
	[ -z "${VL_SAN:-}" ] || skip "the shim runs with the plain binaries only"
	shim=$VL_BIN/../faultshim.so
	[ -f "$shim" ]
	tiers
	{ printf 'name\tphone\n'
	for i in $(seq 1 40); do printf 'm%d\t139%08d\n' "$i" "$i"; done; } |
	    at 2024-01-01T09:00:00 member-add -q -
	# more rows than the index folds between two syncs of it (4096)
	{ printf 'at\treceipt\tmember\titems\n'
	awk 'BEGIN { for (i = 0; i < 4200; i++)
		printf "2024-%02d-%02dT10:%02d:%02d\t\tM%06d\t%d\n", i % 12 + 1,
		    i % 28 + 1, i % 60, i % 50, (i * 7) % 40 + 1, (i * 37) % 900 + 20 }' |
	    sort; } | at 2025-06-30T10:00:00 sale-post -q -
	# folded, trusted in this boot only: the next boot reads them again
	at 2025-07-01T10:00:00 sale-post -q M000003 4000 >/dev/null
	at 2025-07-01T11:00:00 sale-post -q M000004 --use-points 100 30 >/dev/null
	at 2025-07-02T10:00:00 points-adjust -q --reason gift M000005 777
	at 2025-07-02T11:00:00 sale-return -q S004201 >/dev/null
	printf 'another boot\n' >"$BATS_TEST_TMPDIR/boot_id"
	copy=$BATS_TEST_TMPDIR/copy
	cp -a "$D" "$copy"
	rm -rf "$copy/cache"
	want=$(VIPLEDGER_DIR=$copy probe)
	got=$(LD_PRELOAD=$shim FAULT_BOOT_ID=$BATS_TEST_TMPDIR/boot_id probe)
	[ "$got" = "$want" ] || { diff <(echo "$want") <(echo "$got"); return 1; }
	# not vacuous: the rows since the sync count (M000003's 4000.00)
	[[ $got == *$'M000003\tm3\t'* ]]
	[ "$(echo "$got" | grep -c .)" -ge 100 ]
	# this boot still trusts them: the same again
	got=$(probe)
	[ "$got" = "$want" ]
	# a writer in the other boot folds them again: the same, then too
	LD_PRELOAD=$shim FAULT_BOOT_ID=$BATS_TEST_TMPDIR/boot_id at 2025-07-03T10:00:00 sale-post -q M000006 55 >/dev/null
	cp "$D"/*.tsv "$copy/"
	rm -rf "$copy/cache"
	want=$(VIPLEDGER_DIR=$copy probe)
	got=$(LD_PRELOAD=$shim FAULT_BOOT_ID=$BATS_TEST_TMPDIR/boot_id probe)
	[ "$got" = "$want" ] || { diff <(echo "$want") <(echo "$got"); return 1; }
	[[ $got == *$'M000006	m6	'* ]]
	# and tier-recalc, a writer, appends what it would without the index
	LD_PRELOAD=$shim FAULT_BOOT_ID=$BATS_TEST_TMPDIR/boot_id at 2025-07-03T11:00:00 tier-recalc -q || true
	VIPLEDGER_DIR=$copy at 2025-07-03T11:00:00 tier-recalc -q || true
	cmp "$D/tiers.tsv" "$copy/tiers.tsv"
	cmp "$D/points.tsv" "$copy/points.tsv"
}

@test "rows a writer folded into the index but could not stamp are read from the ledger, not counted twice" {
	[ -z "${VL_SAN:-}" ] || skip "the shim runs with the plain binaries only"
	shim=$VL_BIN/../faultshim.so
	[ -f "$shim" ]
	shop
	# its writes: the stamp, .intent, sales.tsv, the stamp again; the
	# last fails (the cache counted too), after the rows were folded
	run --separate-stderr env LD_PRELOAD="$shim" FAULT_SKIP=none \
	    FAULT_CALL=write FAULT_N=4 VIPLEDGER_NOW=2025-06-03T10:00:00 \
	    sale-post -q M000001 4000
	[ "$status" -eq 0 ]
	[ "$stderr" = "sale-post: the index in $D/cache lags: write the index's stamp: Input/output error" ]
	[ "$(body sales.tsv | tail -n 1 | cut -f 3,6)" = $'M000001\t4000.00' ]
	same
	run --separate-stderr at 2025-12-31T10:00:00 report -N liability
	# 3600 before, and the sale's 4000 once
	[ "$output" = $'7600\t0\t76.00\t3866.67' ]
}

@test "a sale written while tier-recalc walks is caught up under the lock, spilled rows and all: the bytes of a run after it" {
	many
	at 2025-12-01T10:00:00 add New 13900009999
	# the same sale, as another till writes it while the walk runs
	# (and one of a member with rows spilled already, walked again)
	sale=$(row 2025-12-20T10:00:00 S009999 M000061 sale S009999 9000.00 0 9000.00 9000 2025-12-20 '' 0 normal '' '' 9000 '' '' ''
	    echo
	    row 2025-12-21T10:00:00 S009998 M000007 sale S009998 50.00 0 50.00 50 2025-12-21 '' 0 gold '' '' 50 '' '' '')
	cp -a "$D" "$BATS_TEST_TMPDIR/after"
	printf '%s\n' "$sale" >>"$BATS_TEST_TMPDIR/after/sales.tsv"
	export VIPLEDGER_TIER_KB=1
	# the till holds the lock, and writes once tier-recalc has walked
	ready=$BATS_TEST_TMPDIR/ready
	(flock 9; : >"$ready"; sleep 1.5; printf '%s\n' "$sale" >>"$D/sales.tsv") 9>"$D/.lock" &
	while [ ! -e "$ready" ]; do sleep 0.05; done
	at 2025-12-31T10:00:00 tier-recalc -q -w 20
	wait
	VIPLEDGER_DIR=$BATS_TEST_TMPDIR/after at 2025-12-31T10:00:00 tier-recalc -q
	cmp "$D/tiers.tsv" "$BATS_TEST_TMPDIR/after/tiers.tsv"
	cmp "$D/points.tsv" "$BATS_TEST_TMPDIR/after/points.tsv"
	# not vacuous: the sale moved her, and a walk before it would not have
	[ "$(grep M000061 "$D/tiers.tsv")" = "$(trow 2025-12-20 M000061 upgrade normal gold 2025-12-20 2026-12-20 0 'single 9000.00 >= 2000.00')" ]
	ledger-check
}
