# rules.bats: rules.conf: every line kind, its errors, replacement, report rules.
load common

# bad LINE MESSAGE-PART RULES...: every program refuses at rules.conf:LINE
bad() {
	local line=$1 part=$2
	shift 2
	rules "$@"
	add A 13800000001 2>/dev/null || true
	run sale-post M000001 100
	[ "$status" -eq 1 ]
	[[ $output == "sale-post: rules.conf:$line: "*"; fix rules.conf" ]]
	[[ $output == *"$part"* ]]
	[ "${#lines[@]}" -eq 1 ]
	run report rules
	[ "$status" -eq 1 ]
	[ ! -e "$D/sales.tsv" ]
}

@test "errors name the line: settings, keywords, limits" {
	bad 2 hold_days '# c' 'hold_days 36501'
	bad 1 earn_per 'earn_per 0'
	bad 1 earn_per 'earn_per 1.001'
	bad 1 redeem_rate 'redeem_rate 0'
	bad 1 redeem_step 'redeem_step 0'
	bad 1 referral_pct 'referral_pct 100.01'
	bad 1 downgrade 'downgrade down'
	bad 3 frobnicate 'hold_days 1' '' 'frobnicate 2'
	bad 1 return_days 'return_days'
	bad 1 return_days 'return_days 1 2'
}

@test "errors name the line: tiers, upgrades, keeps, bands" {
	bad 1 colour 'tier a colour=red'
	bad 1 discount 'tier a discount=101'
	bad 1 validity 'tier a validity=1201'
	bad 1 multiplier 'tier a multiplier=1.555'
	bad 2 twice 'tier a' 'tier a'
	bad 3 higher 'tier a' 'tier b' 'upgrade b a total 100'
	bad 1 'not defined' 'upgrade normal platinum total 100'
	bad 2 'not defined' 'tier a' 'keep b total 100' 'tier c'
	bad 1 metric 'upgrade normal gold spend 100'
	bad 1 within 'upgrade normal gold total 100 within 0'
	bad 1 grace 'keep gold total 100 grace 1001'
	bad 1 threshold 'upgrade normal gold total 1.234'
	bad 2 twice 'band 0.00 100' 'band 0.0 50'
	bad 1 '0.00' 'band 0.50 100'
	bad 1 'band' 'band 0.00 100 round'
	bad 2 UTF-8 'hold_days 1' $'# \xff'
}

@test "--help works with a broken rules.conf" {
	rules 'frobnicate'
	for p in member-add sale-post report tier-recalc; do
		run "$p" --help
		[ "$status" -eq 0 ]
	done
}

@test "an unreadable rules.conf is exit 3" {
	[ "$(id -u)" -ne 0 ] || skip "root reads any file"
	rules 'hold_days 1'
	chmod 000 "$D/rules.conf"
	run report rules
	[ "$status" -eq 3 ]
}

@test "report rules prints the built-in rules, and reads back the same" {
	mkdir -p "$D"
	run report rules
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = 'hold_days      7' ]
	[ "${lines[2]}" = 'earn_per       1.00' ]
	printf '%s\n' "$output" | grep -qx 'tier silver discount=2 multiplier=1.5 validity=12'
	printf '%s\n' "$output" | grep -qx 'upgrade silver gold total 1000.00'
	printf '%s\n' "$output" | grep -qx 'keep gold total 1000.00'
	printf '%s\n' "$output" | grep -qx 'band 0.00 100'
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/once"
	mkdir -p "$D"
	cp "$BATS_TEST_TMPDIR/once" "$D/rules.conf"
	run report rules
	[ "$output" = "$(cat "$BATS_TEST_TMPDIR/once")" ]
}

@test "a tier line replaces the tiers, upgrades and keeps; settings keep defaults" {
	rules 'tier card' 'tier vip discount=12 validity=0 birthday=20' 'upgrade card vip total 3000 within 365'
	run report rules
	[ "$(printf '%s\n' "$output" | grep -c '^tier ')" -eq 2 ]
	[ "$(printf '%s\n' "$output" | grep -c '^keep ')" -eq 0 ]
	printf '%s\n' "$output" | grep -qx 'tier card discount=0 multiplier=1 validity=0'
	printf '%s\n' "$output" | grep -qx 'tier vip discount=12 multiplier=1 validity=0 birthday=20'
	printf '%s\n' "$output" | grep -qx 'upgrade card vip total 3000.00 within 365'
	printf '%s\n' "$output" | grep -qx 'hold_days      7'
}

@test "an upgrade line replaces only the upgrades; a band line only the bands; the last setting wins" {
	rules 'upgrade normal gold items 3' 'band 0.88 100' 'band 0.00 0 flat' 'hold_days 3' 'hold_days 5'
	run report rules
	[ "$(printf '%s\n' "$output" | grep -c '^upgrade ')" -eq 1 ]
	printf '%s\n' "$output" | grep -qx 'upgrade normal gold items 3'
	[ "$(printf '%s\n' "$output" | grep -c '^keep ')" -eq 2 ]
	[ "$(printf '%s\n' "$output" | grep -c '^tier ')" -eq 3 ]
	[ "$(printf '%s\n' "$output" | grep '^band ' | tr '\n' '|')" = 'band 0.88 100|band 0.00 0 flat|' ]
	printf '%s\n' "$output" | grep -qx 'hold_days      5'
	cp /dev/null "$D/x"
	printf '%s\n' "$output" > "$D/rules.conf"
	[ "$(report rules)" = "$output" ]
}

@test "the rules take effect: hold_days, earn_per, bands, flat, multiplier" {
	rules 'hold_days 0' 'earn_per 2.00' 'tier plain' 'tier plus multiplier=1.25' 'band 0.50 100' 'band 0.00 40 flat'
	add A 13800000001
	mkdir -p "$D"
	printf 'at\tmember\tevent\tfrom\tto\tsince\texpires\tstrikes\treason\n2026-02-01T00:00:00\tM000001\tset\tplain\tplus\t2026-02-01\t\t0\t\n' > "$D/tiers.tsv"
	run sale-post M000001 100 30/100
	# 100 at 100% x1.25 + 30 at 40% flat: (10000*100*125 + 3000*40*100) / (100*100*200) = 68.5
	[ "$(printf '%s\n' "$output" | cut -f6,8,9,10,13)" = $'130.00\t130.00\t68\t2026-03-01\tplus' ]
}
