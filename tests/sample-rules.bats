# sample-rules.bats: each scheme of data-samples/, its key rules with exact rows.
load common

SAMPLES=$BATS_TEST_DIRNAME/../data-samples

use() {
	mkdir -p "$D"
	cp "$SAMPLES/$1.rules.conf" "$D/rules.conf"
}

at() {
	local d=$1
	shift
	VIPLEDGER_NOW=${d}T12:00:00 "$@"
}

row() {
	local IFS=$'\t'
	printf '%sT00:00:00\t%s\n' "$1" "${*:2}"
}

@test "dept-store: the built-in defaults, line for line" {
	mkdir -p "$D"
	run report rules
	defaults=$output
	use dept-store
	run report rules
	[ "$output" = "$defaults" ]
}

@test "points-year: a card on a single 1000, silver at 15000 points a year, down a step after two lean years" {
	use points-year
	at 2026-01-01 member-add -q --name A --phone 13800000001
	at 2026-01-01 sale-post -q M000001 999
	[ -z "$(at 2026-01-20 tier-recalc)" ]
	at 2026-01-21 sale-post -q M000001 1000
	at 2026-02-01 sale-post -q M000001 8000
	at 2026-03-01 sale-post -q M000001 7000
	[ "$(at 2028-06-01 tier-recalc | cut -f1-8)" = "$(row 2026-01-28 M000001 upgrade guest normal 2026-01-28 '' 0
	    row 2026-03-08 M000001 upgrade normal silver 2026-03-08 2027-03-08 0
	    row 2027-03-08 M000001 renew silver silver 2027-03-08 2028-03-08 1
	    row 2028-03-08 M000001 downgrade silver normal 2028-03-08 '' 0)" ]
}

@test "points-year: promotion items earn 70 %, deep discounts 50 %, full price 100 %" {
	use points-year
	at 2026-01-01 member-add -q --name A --phone 13800000001
	run at 2026-01-01 sale-post M000001 100 40/100 20/100
	# 100 + 28 + 10 points
	[ "$(printf '%s\n' "$output" | cut -f6,9)" = $'160.00\t138' ]
}

@test "gold-3000: gold at 3000 a year; special prices earn nothing; 2000 points buy 200.00" {
	use gold-3000
	at 2026-01-01 member-add -q --name A --phone 13800000001 --birthday 05-20
	run at 2026-01-01 sale-post M000001 880/1000 500/1000
	[ "$(printf '%s\n' "$output" | cut -f6,9,13)" = $'1380.00\t880\tcard' ]
	at 2026-03-01 sale-post -q M000001 1620
	[ "$(at 2026-04-01 tier-recalc | cut -f1-8)" = "$(row 2026-03-08 M000001 upgrade card gold 2026-03-08 '' 0)" ]
	run at 2026-04-02 sale-post M000001 500 --use-points 1000
	[ "$status" -eq 1 ]
	[[ $output == *redeem_min* ]]
	run at 2026-04-02 sale-post M000001 500 --use-points 2000
	[ "$(printf '%s\n' "$output" | cut -f6,7,8,9)" = $'500.00\t2000\t300.00\t300' ]
	[ "$(at 2026-05-20 report -N member M000001 | grep -E '^(tier|discount|birthday_today)')" = \
	    "$(printf '%s\n' $'tier\tgold' $'discount\t20' $'birthday_today\tyes')" ]
	[ "$(at 2026-05-21 report -N member M000001 | grep '^discount')" = $'discount\t12' ]
}

@test "marketing-flow: a card on 2 full-price items in one sale, or 800" {
	use marketing-flow
	for i in 1 2 3; do
		at 2026-01-01 member-add -q --name "m$i" --phone "1380000000$i"
	done
	at 2026-01-02 sale-post -q M000001 2x299
	at 2026-01-02 sale-post -q M000002 299 199/399
	at 2026-01-03 sale-post -q M000002 299
	at 2026-01-02 sale-post -q M000003 800/1000
	[ "$(at 2026-02-01 tier-recalc | cut -f1-8)" = "$(row 2026-01-09 M000001 upgrade guest normal 2026-01-09 '' 0
	    row 2026-01-09 M000003 upgrade guest normal 2026-01-09 '' 0)" ]
	[ "$(at 2026-02-01 report -N member M000002 | grep '^needed')" = $'needed\titems 2' ]
}
