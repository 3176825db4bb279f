# points.bats: points-redeem and points-adjust: rows, refusals, retries.
load common

seed() {
	add A 13800000001
	points-adjust -q --reason seed M000001 1000
}

@test "points-redeem writes -N, available today, and the ref and note" {
	seed
	run points-redeem -r V1 --note scarf M000001 300
	[ "$status" -eq 0 ]
	[ "$output" = $'2026-03-01T10:00:00\tM000001\tredeem\t-300\t2026-03-01\tV1\tscarf' ]
	[ "$(body points.tsv | tail -1)" = "$output" ]
	run points-redeem 13800000001 200
	[ "$output" = $'2026-03-01T10:00:00\tM000001\tredeem\t-200\t2026-03-01\t\t' ]
	run report -N liability
	[ "$output" = $'500\t0\t5.00\t0.00' ]
}

@test "points-redeem refuses more than available, and changes nothing" {
	seed
	before=$(sha "$D"/*.tsv)
	run points-redeem M000001 1001
	[ "$status" -eq 1 ]
	[[ $output == "points-redeem: points: "*"1000"* ]]
	[ "$(sha "$D"/*.tsv)" = "$before" ]
}

@test "points-redeem: points still in their hold days are not available" {
	add A 13800000001
	sale-post -q M000001 500
	run points-redeem M000001 1
	[ "$status" -eq 1 ]
	run env VIPLEDGER_NOW=2026-03-08T00:00:00 points-redeem -q M000001 500
	[ "$status" -eq 0 ]
}

@test "points-redeem: redeem_min and redeem_step" {
	seed
	rules 'redeem_min 200' 'redeem_step 100'
	run points-redeem M000001 100
	[ "$status" -eq 1 ]
	[[ $output == *redeem_min* ]]
	run points-redeem M000001 250
	[ "$status" -eq 1 ]
	[[ $output == *redeem_step* ]]
	run points-redeem -q M000001 300
	[ "$status" -eq 0 ]
}

@test "points-redeem: 0, negatives and non-numbers are refused (1); operands are checked" {
	seed
	for p in 0 -5 abc 1.5 '' 9999999999999999; do
		run points-redeem M000001 "$p"
		[ "$status" -eq 1 ] || [ "$p" = -5 ]
	done
	run points-redeem M000001 -5
	[ "$status" -eq 2 ]
	run points-redeem M000001
	[ "$status" -eq 2 ]
	run points-redeem M000009 5
	[ "$status" -eq 1 ]
}

@test "points-redeem -r: a retry prints the earlier row; another use is refused" {
	seed
	first=$(points-redeem -r V1 M000001 300)
	run points-redeem -r V1 M000001 300
	[ "$status" -eq 0 ]
	[ "$output" = "$first" ]
	[ "$(body points.tsv | grep -c redeem)" -eq 1 ]
	run points-redeem -r V1 M000001 200
	[ "$status" -eq 1 ]
	add B 13800000002
	run points-redeem -r V1 M000002 300
	[ "$status" -eq 1 ]
	run points-redeem -r 'bad ref' M000001 1
	[ "$status" -eq 1 ]
	run points-redeem -r '' M000001 1
	[ "$status" -eq 1 ]
}

@test "points-adjust: +5, 5 and -5; written without +; note is the reason" {
	add A 13800000001
	run points-adjust --reason 'late delivery' M000001 +5
	[ "$output" = $'2026-03-01T10:00:00\tM000001\tadjust\t5\t2026-03-01\t\tlate delivery' ]
	run points-adjust --reason x M000001 5
	[ "$(printf '%s\n' "$output" | cut -f4)" = 5 ]
	run points-adjust M000001 -15 --reason x
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | cut -f4)" = -15 ]
	run report -N liability
	[ "$output" = $'-5\t0\t-0.05\t0.00' ]
}

@test "points-adjust: 0 is refused (1); a missing or empty reason is a usage error (2)" {
	add A 13800000001
	run points-adjust --reason x M000001 0
	[ "$status" -eq 1 ]
	run points-adjust M000001 5
	[ "$status" -eq 2 ]
	run points-adjust --reason '' M000001 5
	[ "$status" -eq 2 ]
	run points-adjust --reason $'a\tb' M000001 5
	[ "$status" -eq 1 ]
	[[ $output == *reason* ]]
	[ ! -e "$D/points.tsv" ]
}

@test "--dry-run prints the row and writes nothing; -q prints nothing" {
	seed
	before=$(sha "$D"/*.tsv)
	run points-redeem --dry-run M000001 10
	[ "$(printf '%s\n' "$output" | cut -f3,4)" = $'redeem\t-10' ]
	run points-redeem --dry-run -q M000001 10
	[ -z "$output" ]
	[ "$(sha "$D"/*.tsv)" = "$before" ]
	run points-redeem -q M000001 10
	[ -z "$output" ]
	[ "$(sha "$D"/*.tsv)" != "$before" ]
}
