# examples.bats: the worked examples of vipledger(5), as a shop owner would run them.
load common

@test "vipledger(5) sale example: 2x459/899 and 1280 with 500 points, under bands 1.00/0.00" {
	member-add -q --name 王芳 --phone 13800000001
	rules 'band 1.00 100' 'band 0.00 50'
	run sale-post --use-points 0 M000001 2x459/899 1280
	[ "$status" -eq 0 ]
	points-adjust -q --reason seed M000001 500
	run sale-post -r E1 --use-points 500 M000001 2x459/899 1280
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | cut -f6-10)" = $'2198.00\t500\t2193.00\t1735\t2026-03-08' ]
	rm "$D/rules.conf"
	run sale-post -r E2 --dry-run M000001 2x459/899 1280
	[ "$(printf '%s\n' "$output" | cut -f6-9)" = $'2198.00\t0\t2198.00\t2198' ]
}

@test "vipledger(5) tier example: 570 needs total 230, 820 upgrades, 450 twice renews, 200 falls by fit" {
	VIPLEDGER_NOW=2026-01-05T10:00:00 member-add -q --name 王芳 --phone 13800000001
	VIPLEDGER_NOW=2026-01-10T11:00:00 sale-post -q M000001 300
	VIPLEDGER_NOW=2026-02-02T11:00:00 sale-post -q M000001 270
	run env VIPLEDGER_NOW=2026-02-10 report -N member M000001
	[ "$(printf '%s\n' "$output" | grep -E '^(next_tier|needed)')" = $'next_tier\tsilver\nneeded\ttotal 230.00' ]
	VIPLEDGER_NOW=2026-02-20T11:00:00 sale-post -q M000001 250
	run env VIPLEDGER_NOW=2026-02-26T23:00:00 tier-recalc
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run env VIPLEDGER_NOW=2026-02-27T02:00:00 tier-recalc
	[ "$(printf '%s\n' "$output" | cut -f1-8)" = $'2026-02-27T00:00:00\tM000001\tupgrade\tnormal\tsilver\t2026-02-27\t2027-02-27\t0' ]
	VIPLEDGER_NOW=2026-06-01T11:00:00 sale-post -q M000001 450
	VIPLEDGER_NOW=2026-09-01T11:00:00 sale-post -q M000001 450
	VIPLEDGER_NOW=2027-06-01T11:00:00 sale-post -q M000001 200
	run env VIPLEDGER_NOW=2028-03-01T02:00:00 tier-recalc
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | cut -f1-8)" = "$(printf '%s\t' 2027-02-27T00:00:00 M000001 renew silver silver 2027-02-27 2028-02-27; printf '0\n'; printf '%s\t' 2028-02-27T00:00:00 M000001 downgrade silver normal 2028-02-27 ''; printf '0')" ]
}

@test "vipledger(5) return example: one 459.00 item back gives -105, -458, -457.95; the rest nets to zero" {
	member-add -q --name 王芳 --phone 13800000001
	points-adjust -q --reason seed M000001 500
	sale-post -q --use-points 500 M000001 2x459/899 1280
	run env VIPLEDGER_NOW=2026-03-03T10:00:00 sale-return S000001 459
	[ "$(printf '%s\n' "$output" | cut -f6-9)" = $'-459.00\t-105\t-457.95\t-458' ]
	run env VIPLEDGER_NOW=2026-03-04T10:00:00 sale-return S000001
	[ "$(printf '%s\n' "$output" | cut -f6-9)" = $'-1739.00\t-395\t-1735.05\t-1735' ]
}

@test "vipledger(5) silver and referral: 2602 points at x1.5 under the two bands, 2193 to the referrer at 1 %" {
	member-add -q --name A --phone 13800000001
	member-add -q --name B --phone 13800000002 --referrer M000001
	printf 'at\tmember\tevent\tfrom\tto\tsince\texpires\tstrikes\treason\n2026-02-01T00:00:00\tM000002\tset\tnormal\tsilver\t2026-02-01\t2027-02-01\t0\t\n' > "$D/tiers.tsv"
	points-adjust -q --reason seed M000002 500
	rules 'band 1.00 100' 'band 0.00 50' 'referral_pct 1'
	run sale-post --use-points 500 M000002 2x459/899 1280
	[ "$(printf '%s\n' "$output" | cut -f8,9,11,12,13)" = $'2193.00\t2602\tM000001\t2193\tsilver' ]
}
