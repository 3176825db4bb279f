# tiers.bats: tier-recalc and the tier walk of SPEC section 4, with exact rows.
load common

# at DATE CMD...: run CMD with the clock at DATE, noon
at() {
	local d=$1
	shift
	VIPLEDGER_NOW=${d}T12:00:00 "$@"
}

# recalc [ARGS]: tier-recalc's rows without the free-text reason
recalc() {
	tier-recalc "$@" | cut -f1-8
}

# row AT MEMBER EVENT FROM TO SINCE EXPIRES STRIKES
row() {
	local IFS=$'\t'
	printf '%sT00:00:00\t%s\n' "$1" "${*:2}"
}

join() {
	at 2026-01-01 member-add -q --name "$1" --phone "$2"
}

@test "an upgrade on the day the sale matures, not the day before" {
	join A 13800000001
	at 2026-03-01 sale-post -q M000001 500
	[ -z "$(VIPLEDGER_NOW=2026-03-07T23:00:00 recalc)" ]
	[ ! -s "$D/tiers.tsv" ] || [ "$(wc -l < "$D/tiers.tsv")" -le 1 ]
	run env VIPLEDGER_NOW=2026-03-08T01:00:00 tier-recalc
	[ "$(printf '%s\n' "$output" | cut -f1-8)" = "$(row 2026-03-08 M000001 upgrade normal silver 2026-03-08 2027-03-08 0)" ]
	[ "$(printf '%s\n' "$output" | cut -f9)" = 'single 500.00 >= 500.00' ]
	[ "$(body tiers.tsv)" = "$output" ]
}

@test "one upgrade a day, to the highest tier reached" {
	join A 13800000001
	at 2026-03-01 sale-post -q M000001 800
	[ "$(at 2026-04-01 recalc)" = "$(row 2026-03-08 M000001 upgrade normal gold 2026-03-08 2027-03-08 0)" ]
}

@test "a tier change clears the running totals" {
	join A 13800000001
	at 2026-01-01 sale-post -q M000001 400
	at 2026-01-02 sale-post -q M000001 450
	at 2026-01-08 sale-post -q M000001 300
	at 2026-01-09 sale-post -q M000001 300
	at 2026-01-10 sale-post -q M000001 300
	# silver on 01-09 (total 850); then 300+300+300 = 900 < 1000 in silver
	[ "$(at 2026-02-01 recalc)" = "$(row 2026-01-09 M000001 upgrade normal silver 2026-01-09 2027-01-09 0)" ]
	at 2026-02-02 sale-post -q M000001 150
	[ "$(at 2026-03-01 recalc)" = "$(row 2026-02-09 M000001 upgrade silver gold 2026-02-09 2027-02-09 0)" ]
}

@test "the sale of the upgrade day does not count again in the new tier" {
	join A 13800000001
	at 2026-01-01 sale-post -q M000001 500
	at 2026-01-01 sale-post -q M000001 499
	# both count on 01-08: silver; the 499 is in the old period, not silver's
	[ "$(at 2026-02-01 recalc)" = "$(row 2026-01-08 M000001 upgrade normal silver 2026-01-08 2027-01-08 0)" ]
}

@test "renewal when the keep is met; fall by fit to the tier whose keep is met" {
	join A 13800000001
	join B 13800000002
	at 2026-01-01 sale-post -q M000001 800
	at 2026-01-01 sale-post -q M000002 800
	at 2026-06-01 sale-post -q M000001 1000
	at 2026-06-01 sale-post -q M000002 450
	at 2026-07-01 sale-post -q M000002 450
	[ "$(at 2027-02-01 recalc)" = "$(row 2026-01-08 M000001 upgrade normal gold 2026-01-08 2027-01-08 0
	    row 2026-01-08 M000002 upgrade normal gold 2026-01-08 2027-01-08 0
	    row 2027-01-08 M000001 renew gold gold 2027-01-08 2028-01-08 0
	    row 2027-01-08 M000002 downgrade gold silver 2027-01-08 2028-01-08 0)" ]
}

@test "fall by fit to the lowest tier when no keep is met" {
	join A 13800000001
	at 2026-01-01 sale-post -q M000001 500
	at 2026-06-01 sale-post -q M000001 100
	[ "$(at 2027-02-01 recalc)" = "$(row 2026-01-08 M000001 upgrade normal silver 2026-01-08 2027-01-08 0
	    row 2027-01-08 M000001 downgrade silver normal 2027-01-08 '' 0)" ]
	[ "$(at 2027-02-01 report -N member M000001 | grep -E '^(tier|expires)')" = "$(printf '%s\n' $'tier\tnormal' $'expires\t')" ]
}

@test "fall by step after two lean years with grace 1" {
	rules 'downgrade step' 'tier normal' 'tier silver validity=12' 'tier gold validity=12' \
	    'upgrade normal gold single 100' 'keep silver total 800 grace 1' 'keep gold total 1000 grace 1'
	join A 13800000001
	at 2026-01-01 sale-post -q M000001 100
	at 2026-06-01 sale-post -q M000001 900
	[ "$(at 2029-06-01 recalc)" = "$(row 2026-01-08 M000001 upgrade normal gold 2026-01-08 2027-01-08 0
	    row 2027-01-08 M000001 renew gold gold 2027-01-08 2028-01-08 1
	    row 2028-01-08 M000001 downgrade gold silver 2028-01-08 2029-01-08 0
	    row 2029-01-08 M000001 renew silver silver 2029-01-08 2030-01-08 1)" ]
}

@test "a member gone for three years: each expiry its own row" {
	rules 'tier normal' 'tier silver validity=12' 'upgrade normal silver single 500' 'keep silver total 800 grace 2'
	join A 13800000001
	at 2026-01-01 sale-post -q M000001 500
	[ "$(at 2029-03-01 recalc)" = "$(row 2026-01-08 M000001 upgrade normal silver 2026-01-08 2027-01-08 0
	    row 2027-01-08 M000001 renew silver silver 2027-01-08 2028-01-08 1
	    row 2028-01-08 M000001 renew silver silver 2028-01-08 2029-01-08 2
	    row 2029-01-08 M000001 downgrade silver normal 2029-01-08 '' 0)" ]
}

@test "validity in months, the day clamped to the month's end" {
	rules 'hold_days 0' 'tier a' 'tier b validity=1' 'upgrade a b single 100' 'keep b total 100'
	join A 13800000001
	at 2026-01-31 sale-post -q M000001 100
	at 2026-02-10 sale-post -q M000001 100
	[ "$(at 2026-04-01 recalc)" = "$(row 2026-01-31 M000001 upgrade a b 2026-01-31 2026-02-28 0
	    row 2026-02-28 M000001 renew b b 2026-02-28 2026-03-28 0
	    row 2026-03-28 M000001 downgrade b a 2026-03-28 '' 0)" ]
	join B 13800000002
	VIPLEDGER_NOW=2028-01-31T12:00:00 sale-post -q M000002 100
	[ "$(VIPLEDGER_NOW=2028-02-01T12:00:00 recalc M000002)" = "$(row 2028-01-31 M000002 upgrade a b 2028-01-31 2028-02-29 0)" ]
}

@test "a sale returned inside its hold days never counts" {
	join A 13800000001
	at 2026-03-01 sale-post -q M000001 600
	at 2026-03-03 sale-return -q S000001
	[ -z "$(at 2026-04-01 recalc)" ]
	at 2026-03-05 sale-post -q M000001 700
	at 2026-03-06 sale-return -q S000003 200
	# 700 less 200 returned, both counted on 03-12: single 500
	[ "$(at 2026-04-01 recalc)" = "$(row 2026-03-12 M000001 upgrade normal silver 2026-03-12 2027-03-12 0)" ]
}

@test "a return counted after the walk first looked at her sales lowers the sale it returns: single and items" {
	rules 'hold_days 7' 'tier normal' 'tier silver validity=12' \
	    'upgrade normal silver single 500'
	join A 13800000001
	# looked at on 03-08 (400); 700 less 300 counted on 03-12: no upgrade
	at 2026-03-01 sale-post -q M000001 400
	at 2026-03-05 sale-post -q M000001 700
	at 2026-03-06 sale-return -q S000002 300
	[ -z "$(at 2026-04-01 recalc)" ]
	at 2026-03-20 sale-post -q M000001 500
	[ "$(at 2026-04-01 tier-recalc | cut -f 1-9)" = "$(row 2026-03-27 M000001 upgrade normal silver 2026-03-27 2027-03-27 0)	single 500.00 >= 500.00" ]
	rules 'hold_days 7' 'tier normal' 'tier silver validity=12' \
	    'upgrade normal silver items 3'
	join B 13800000002
	# 2 units looked at on 03-08; 3 units less a third counted on 03-12
	at 2026-03-01 sale-post -q M000002 2x100
	at 2026-03-05 sale-post -q M000002 3x100
	at 2026-03-06 sale-return -q S000006 100
	[ -z "$(at 2026-04-01 recalc M000002)" ]
	at 2026-03-20 sale-post -q M000002 4x100
	[ "$(at 2026-04-01 tier-recalc M000002 | cut -f 1-9)" = "$(row 2026-03-27 M000002 upgrade normal silver 2026-03-27 2027-03-27 0)	items 4 >= 3" ]
}

@test "a return finds its sale among many: more than 64 sales before it" {
	rules 'hold_days 7' 'tier normal' 'tier silver validity=12' \
	    'upgrade normal silver single 500'
	join A 13800000001
	for i in $(seq 70); do
		at 2026-02-01 sale-post -q M000001 100
	done
	# 700 less 300 counted on 03-12: single 400, no upgrade
	at 2026-03-05 sale-post -q M000001 700
	at 2026-03-06 sale-return -q S000071 300
	[ -z "$(at 2026-04-01 recalc)" ]
	at 2026-03-20 sale-post -q M000001 500
	[ "$(at 2026-04-01 recalc)" = "$(row 2026-03-27 M000001 upgrade normal silver 2026-03-27 2027-03-27 0)" ]
}

@test "within 365 leaves out older points" {
	rules 'tier normal' 'tier silver validity=12' 'upgrade normal silver points 1000 within 365'
	join A 13800000001
	join B 13800000002
	at 2026-01-10 sale-post -q M000001 600
	at 2027-02-01 sale-post -q M000001 500
	at 2026-03-10 sale-post -q M000002 600
	at 2026-12-01 sale-post -q M000002 500
	[ "$(at 2027-03-01 recalc)" = "$(row 2026-12-08 M000002 upgrade normal silver 2026-12-08 2027-12-08 0)" ]
}

@test "an expiry and an upgrade on the same day: the expiry first" {
	join A 13800000001
	at 2026-01-01 sale-post -q M000001 800
	at 2027-01-01 sale-post -q M000001 500
	[ "$(at 2027-02-01 recalc)" = "$(row 2026-01-08 M000001 upgrade normal gold 2026-01-08 2027-01-08 0
	    row 2027-01-08 M000001 downgrade gold normal 2027-01-08 '' 0
	    row 2027-01-08 M000001 upgrade normal silver 2027-01-08 2028-01-08 0)" ]
}

@test "idempotent: a second run appends and prints nothing" {
	join A 13800000001
	at 2026-01-01 sale-post -q M000001 800
	at 2027-02-01 tier-recalc -q
	before=$(sha "$D/tiers.tsv")
	run at 2027-02-01 tier-recalc
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ "$(sha "$D/tiers.tsv")" = "$before" ]
}

@test "rows in order of the day, then of joining; named members only; --dry-run" {
	join A 13800000001
	join B 13800000002
	at 2026-01-02 sale-post -q M000002 500
	at 2026-01-02 sale-post -q M000001 500
	at 2026-01-01 sale-post -q M000002 300
	run at 2026-02-01 tier-recalc --dry-run
	[ "$(printf '%s\n' "$output" | cut -f1-3)" = "$(printf '%s\n' $'2026-01-09T00:00:00\tM000001\tupgrade' $'2026-01-09T00:00:00\tM000002\tupgrade')" ]
	[ ! -e "$D/tiers.tsv" ]
	[ "$(at 2026-02-01 recalc 13800000002 | cut -f2)" = M000002 ]
	[ "$(at 2026-02-01 recalc | cut -f2)" = M000001 ]
}

@test "--as-of: a future date is refused, a malformed one is a usage error; later joiners skipped" {
	join A 13800000001
	at 2026-01-01 sale-post -q M000001 500
	VIPLEDGER_NOW=2026-02-01T12:00:00 member-add -q --name B --phone 13800000002
	VIPLEDGER_NOW=2026-02-01T12:00:00 sale-post -q M000002 500
	run at 2026-03-01 tier-recalc --as-of 2026-03-02
	[ "$status" -eq 1 ]
	run at 2026-03-01 tier-recalc --as-of 2026-02-30
	[ "$status" -eq 2 ]
	[ "$(at 2026-03-01 recalc --as-of 2026-01-31)" = "$(row 2026-01-08 M000001 upgrade normal silver 2026-01-08 2027-01-08 0)" ]
	[ "$(at 2026-03-01 recalc)" = "$(row 2026-02-08 M000002 upgrade normal silver 2026-02-08 2027-02-08 0)" ]
	run at 2026-03-01 tier-recalc M000009
	[ "$status" -eq 1 ]
}

@test "a recorded tier that rules.conf does not define is refused, naming both" {
	join A 13800000001
	mkdir -p "$D"
	printf 'at\tmember\tevent\tfrom\tto\tsince\texpires\tstrikes\treason\n2026-01-05T00:00:00\tM000001\tset\tnormal\tplatinum\t2026-01-05\t\t0\t\n' > "$D/tiers.tsv"
	run at 2026-02-01 tier-recalc
	[ "$status" -eq 1 ]
	[[ $output == *M000001*platinum* ]]
}

@test "sale-post uses the tier in force at the sale: silver earns x1.5 after the upgrade" {
	join A 13800000001
	at 2026-01-01 sale-post -q M000001 500
	at 2026-01-08 tier-recalc -q
	run at 2026-01-08 sale-post --at 2026-01-07T18:00:00 M000001 100
	[ "$(printf '%s\n' "$output" | cut -f9,13)" = $'100\tnormal' ]
	run at 2026-01-08 sale-post M000001 101
	[ "$(printf '%s\n' "$output" | cut -f9,13)" = $'151\tsilver' ]
}

@test "report member: the next tier and what it still needs" {
	join A 13800000001
	at 2026-01-01 sale-post -q M000001 300
	at 2026-01-02 sale-post -q M000001 270
	[ "$(at 2026-01-09 report -N member M000001 | grep -E '^(next_tier|needed)')" = "$(printf '%s\n' $'next_tier\tsilver' $'needed\ttotal 230.00')" ]
	# nothing counted yet: both lines miss all, the first wins
	[ "$(at 2026-01-07 report -N member M000001 | grep '^needed')" = $'needed\tsingle 500.00' ]
	[ "$(at 2026-01-08 report -N member M000001 | grep '^needed')" = $'needed\ttotal 500.00' ]
	at 2026-01-03 sale-post -q M000001 800
	at 2026-02-01 tier-recalc -q
	[ "$(at 2026-02-01 report -N member M000001 | grep -E '^(tier|next_tier|needed)')" = "$(printf '%s\n' $'tier\tgold' $'next_tier\t' $'needed\t')" ]
}

@test "points expire expire_months after they become available, oldest first, once" {
	rules 'expire_months 12'
	join A 13800000001
	at 2026-01-01 sale-post -q M000001 300
	at 2026-02-01 sale-post -q M000001 200
	at 2026-06-01 points-redeem -q M000001 100
	# 300 available 01-08 expire 2027-01-08: 300 - 100 used before = 200
	# 200 available 02-08 expire 2027-02-08: 500 - 100 = 400, a rise of 200
	run at 2027-03-01 tier-recalc
	[ "$(printf '%s\n' "$output" | grep expire)" = "$(printf '%s\n' \
	    $'2027-01-08T00:00:00\tM000001\texpire\t-200\t2027-01-08\t\t' \
	    $'2027-02-08T00:00:00\tM000001\texpire\t-200\t2027-02-08\t\t')" ]
	[ "$(at 2027-03-01 report -N liability)" = $'0\t0\t0.00\t0.00' ]
	run at 2027-03-01 tier-recalc
	[ -z "$output" ]
}
