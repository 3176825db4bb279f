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
