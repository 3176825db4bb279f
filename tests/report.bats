# report.bats: every view of report, with values worked out by hand.
load common

# Two members; A refers B at 1 %.  Worked out by hand:
#   S000001 A 2026-01-10 1000.00          earned 1000, available 01-17
#   S000002 B 2026-02-01 500.00           earned 500, A's referral 500, 02-08
#   S000003 B 2026-02-03 return 100.00    earned -100, referral -100, 02-08
#   S000004 A 2026-02-26 200.00, 300 pts  paid 197.00, earned 197, 03-05
#   A redeems 100 on 2026-02-27; C joins on 2026-03-05.
scene() {
	rules 'referral_pct 1'
	VIPLEDGER_NOW=2026-01-05T10:00:00 member-add -q --name 王芳 --phone 13800000001 --birthday 03-01 --associate a1 --store s1
	VIPLEDGER_NOW=2026-01-06T10:00:00 member-add -q --name 'Lucy Chen' --phone 13800000002 --referrer M000001 --dnd --birthday 02-29
	VIPLEDGER_NOW=2026-01-10T12:00:00 sale-post -q --store s1 --associate a1 M000001 1000
	VIPLEDGER_NOW=2026-02-01T12:00:00 sale-post -q --store s2 M000002 500
	VIPLEDGER_NOW=2026-02-03T12:00:00 sale-return -q S000002 100
	VIPLEDGER_NOW=2026-02-26T12:00:00 sale-post -q --use-points 300 M000001 200
	VIPLEDGER_NOW=2026-02-27T12:00:00 points-redeem -q M000001 100
	VIPLEDGER_NOW=2026-03-05T12:00:00 member-add -q --name C --phone 13800000003
}

@test "members: balances, spend, last sale, as of today" {
	scene
	run report members
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' \
	    $'member\tname\tphone\ttier\texpires\tavailable\tpending\tspend_365d\tlast_sale\tassociate\tcontact' \
	    $'M000001\t王芳\t13800000001\tnormal\t\t1000\t197\t1197.00\t2026-02-26\ta1\tok' \
	    $'M000002\tLucy Chen\t13800000002\tnormal\t\t400\t0\t400.00\t2026-02-01\t\tdnd')" ]
}

@test "members --as-of: later rows and later members left out; referral pending" {
	scene
	run report -N --as-of 2026-02-01 members
	[ "$output" = "$(printf '%s\n' \
	    $'M000001\t王芳\t13800000001\tnormal\t\t1000\t500\t1000.00\t2026-01-10\ta1\tok' \
	    $'M000002\tLucy Chen\t13800000002\tnormal\t\t0\t500\t500.00\t2026-02-01\t\tdnd')" ]
	run report -N --as-of 2026-03-05 members
	[ "${#lines[@]}" -eq 3 ]
	[ "$(printf '%s\n' "${lines[0]}" | cut -f6,7)" = $'1197\t0' ]
}

@test "members --tier: a known tier filters; an unknown tier is refused" {
	scene
	run report -N members --tier gold
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run report -N members --tier normal
	[ "${#lines[@]}" -eq 2 ]
	run report members --tier platinum
	[ "$status" -eq 1 ]
	[[ $output == "report: tier: platinum"* ]]
}

@test "member: the record, balances, birthday and what the next tier needs" {
	scene
	run report member 13800000001
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' $'key\tvalue' $'at\t2026-01-05T10:00:00' $'member\tM000001' \
	    $'name\t王芳' $'phone\t13800000001' $'birthday\t03-01' $'gender\t' $'email\t' $'address\t' \
	    $'size\t' $'referrer\t' $'associate\ta1' $'store\ts1' $'contact\tok' $'note\t' \
	    $'tier\tnormal' $'expires\t' $'discount\t0' $'available\t1000' $'pending\t197' \
	    $'spend_365d\t1197.00' $'birthday_today\tyes' $'next_tier\tsilver' $'needed\tsingle 0.00' \
	    $'joined\t2026-01-05' $'wallet\t0.00' $'owner_since\t2026-01-05' $'birthday_left\t')" ]
	run report -N member M000002
	[ "$(printf '%s\n' "$output" | grep -E '^(referrer|contact|birthday_today|needed)')" = \
	    "$(printf '%s\n' $'referrer\tM000001' $'contact\tdnd' $'birthday_today\tno' $'needed\ttotal 400.00')" ]
	run report -N --as-of 2026-02-28 member M000002
	[ "$(printf '%s\n' "$output" | grep '^birthday_today')" = $'birthday_today\tyes' ]
	run report member M000009
	[ "$status" -eq 1 ]
}

@test "member: the record in force on the day, the birthday discount" {
	scene
	VIPLEDGER_NOW=2026-02-15T10:00:00 member-edit -q M000002 --phone 13900000002
	rules 'tier normal birthday=20' 'tier silver discount=2'
	run report -N --as-of 2026-02-10 member M000002
	[ "$(printf '%s\n' "$output" | grep -E '^(at|phone|discount)\b')" = "$(printf '%s\n' $'at\t2026-01-06T10:00:00' $'phone\t13800000002' $'discount\t0')" ]
	run report -N --as-of 2026-02-28 member 13900000002
	[ "$(printf '%s\n' "$output" | grep -E '^(at|phone|discount)\b')" = "$(printf '%s\n' $'at\t2026-02-15T10:00:00' $'phone\t13900000002' $'discount\t20')" ]
}

@test "statement: sales, referrals and points lines, the running balance" {
	scene
	run report statement M000001
	[ "$output" = "$(printf '%s\n' $'at\tkind\tref\tpoints\tavailable_on\tbalance' \
	    $'2026-01-10T12:00:00\tsale\tS000001\t1000\t2026-01-17\t1000' \
	    $'2026-02-01T12:00:00\treferral\tS000002\t500\t2026-02-08\t1500' \
	    $'2026-02-03T12:00:00\treferral\tS000003\t-100\t2026-02-08\t1400' \
	    $'2026-02-26T12:00:00\tsale\tS000004\t-103\t2026-03-05\t1100' \
	    $'2026-02-27T12:00:00\tredeem\t\t-100\t2026-02-27\t1000')" ]
	run report -N --as-of 2026-03-05 statement M000001
	[ "$(printf '%s\n' "$output" | cut -f6 | tr '\n' ' ')" = '1000 1500 1400 1297 1197 ' ]
}

@test "sales: by day, month, store; --from and --to" {
	scene
	run report sales
	[ "$output" = "$(printf '%s\n' $'key\tsales\treturns\tgoods\tpaid\tearned\tpoints_used\tmembers' \
	    $'2026-01-10\t1\t0\t1000.00\t1000.00\t1000\t0\t1' \
	    $'2026-02-01\t1\t0\t500.00\t500.00\t500\t0\t1' \
	    $'2026-02-03\t0\t1\t-100.00\t-100.00\t-100\t0\t1' \
	    $'2026-02-26\t1\t0\t200.00\t197.00\t197\t300\t1')" ]
	run report -N sales --by month
	[ "$output" = "$(printf '%s\n' $'2026-01\t1\t0\t1000.00\t1000.00\t1000\t0\t1' $'2026-02\t2\t1\t600.00\t597.00\t597\t300\t2')" ]
	run report -N sales --by store
	[ "$output" = "$(printf '%s\n' $'\t1\t0\t200.00\t197.00\t197\t300\t1' $'s1\t1\t0\t1000.00\t1000.00\t1000\t0\t1' $'s2\t1\t1\t400.00\t400.00\t400\t0\t1')" ]
	run report -N sales --by tier
	[ "$output" = $'normal\t3\t1\t1600.00\t1597.00\t1597\t300\t2' ]
	run report -N sales --from 2026-02-01 --to 2026-02-03 --by month
	[ "$output" = $'2026-02\t1\t1\t400.00\t400.00\t400\t0\t1' ]
}

@test "tiers, liability, changes, -N" {
	scene
	run report tiers
	[ "$output" = "$(printf '%s\n' $'tier\tmembers' $'normal\t2' $'silver\t0' $'gold\t0')" ]
	run report liability
	[ "$output" = "$(printf '%s\n' $'available\tpending\tvalue\twallet' $'1400\t197\t14.00\t0.00')" ]
	run report changes
	[ "$output" = $'at\tmember\tevent\tfrom\tto\tsince\texpires\tstrikes\treason' ]
	printf 'at\tmember\tevent\tfrom\tto\tsince\texpires\tstrikes\treason\n2026-02-01T00:00:00\tM000002\tset\tnormal\tgold\t2026-02-01\t2027-02-01\t0\tby hand\n' > "$D/tiers.tsv"
	run report -N changes --since 2026-02-01
	[ "$output" = $'2026-02-01T00:00:00\tM000002\tset\tnormal\tgold\t2026-02-01\t2027-02-01\t0\tby hand' ]
	run report -N changes --since 2026-02-02
	[ -z "$output" ]
	run report -N tiers
	[ "$output" = "$(printf '%s\n' $'normal\t1' $'silver\t0' $'gold\t1')" ]
	run report -N members --tier gold
	[ "$(printf '%s\n' "$output" | cut -f1,4,5)" = $'M000002\tgold\t2027-02-01' ]
}

@test "a tier rules.conf no longer defines: shown, and listed after the others" {
	scene
	printf 'at\tmember\tevent\tfrom\tto\tsince\texpires\tstrikes\treason\n2026-02-01T00:00:00\tM000002\tset\tnormal\tvip\t2026-02-01\t\t0\t\n' > "$D/tiers.tsv"
	run report -N tiers
	[ "$output" = "$(printf '%s\n' $'normal\t1' $'silver\t0' $'gold\t0' $'vip\t1')" ]
	run sale-post M000002 10
	[ "$status" -eq 1 ]
	[[ $output == *M000002*vip* ]]
}

@test "-t aligns columns, East Asian wide characters counting two cells" {
	scene
	run report -t members
	[ "${lines[0]}" = 'member   name       phone        tier    expires  available  pending  spend_365d  last_sale   associate  contact' ]
	[ "${lines[1]}" = 'M000001  王芳       13800000001  normal           1000       197      1197.00     2026-02-26  a1         ok' ]
	[ "${lines[2]}" = 'M000002  Lucy Chen  13800000002  normal           400        0        400.00      2026-02-01             dnd' ]
	run report -t -N tiers
	[ "$output" = "$(printf '%s\n' 'normal  2' 'silver  0' 'gold    0')" ]
}

@test "--mask: members and member show phones as 138****0001; lookup by phone still works" {
	scene
	run report --mask members
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' \
	    $'member\tname\tphone\ttier\texpires\tavailable\tpending\tspend_365d\tlast_sale\tassociate\tcontact' \
	    $'M000001\t王芳\t138****0001\tnormal\t\t1000\t197\t1197.00\t2026-02-26\ta1\tok' \
	    $'M000002\tLucy Chen\t138****0002\tnormal\t\t400\t0\t400.00\t2026-02-01\t\tdnd')" ]
	run report -N member 13800000001 --mask
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | sed -n 2,4p)" = "$(printf '%s\n' $'member\tM000001' $'name\t王芳' $'phone\t138****0001')" ]
	[ "$(report -N member 13800000001 | grep -v '^phone')" = "$(printf '%s\n' "$output" | grep -v '^phone')" ]
	run report -t --mask members
	[ "${lines[1]}" = 'M000001  王芳       138****0001  normal           1000       197      1197.00     2026-02-26  a1         ok' ]
}

@test "--mask: a leading + kept; under 8 digits only the last four; other views unchanged" {
	member-add -q --name A --phone +8613800000001
	member-add -q --name B --phone 12345678
	member-add -q --name C --phone 1234567
	member-add -q --name D --phone 12345
	member-add -q --name E --phone +1234567
	member-add -q --name F --phone 12345678901234567890
	run report -N --mask members
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | cut -f3)" = "$(printf '%s\n' '+861****0001' '123****5678' \
	    '****4567' '****2345' '+****4567' '123****7890')" ]
	for v in statement tiers liability sales changes; do
		a=M000001
		[ "$v" = statement ] || a=
		# shellcheck disable=SC2086
		[ "$(report --mask $v $a)" = "$(report $v $a)" ]
	done
}

@test "usage errors: no view, an unknown view, a bad --by, a malformed date, -w, extra operands" {
	scene
	for args in "" "bogus" "sales --by week" "members --as-of 2026-02-30" "-w 1 members" \
	    "member" "members extra" "sales --tier gold" "changes --since x"; do
		# shellcheck disable=SC2086
		run report $args
		[ "$status" -eq 2 ]
		[[ $output == *"; see report --help" ]]
	done
}

@test "liability and sales sum in 128 bits: 10000 members of 15-digit balances" {
	mkdir -p "$D"
	{
		printf 'at\tmember\tname\tphone\tbirthday\tgender\temail\taddress\tsize\treferrer\tassociate\tstore\tcontact\tnote\n'
		for i in $(seq 10000); do
			printf '2026-01-01T00:00:00\tM%06d\tN\t%d\t\t\t\t\t\t\t\t\tok\t\n' "$i" $((13800000000 + i))
		done
	} > "$D/members.tsv"
	{
		printf 'at\tmember\tkind\tpoints\tavailable_on\tref\tnote\n'
		for i in $(seq 10000); do
			printf '2026-01-01T00:00:00\tM%06d\tadjust\t999999999999999\t2026-01-01\t\tx\n' "$i"
		done
	} > "$D/points.tsv"
	run report -N liability
	[ "$status" -eq 0 ]
	[ "$output" = $'9999999999999990000\t0\t99999999999999900.00\t0.00' ]
}
