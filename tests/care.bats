# care.bats: customer care (SPEC section 8): member-note, the follow-up
# tasks, the contact lists, segments, member-assign and report associates,
# each with every row of the expected output written out.
load common

# tsv LINE...: the lines, each with \t for TAB, as report prints them
tsv() {
	printf '%b\n' "$@"
}

# Follow-ups under the default lines (thanks after 0 referral, first after
# 7 first, big after 7 min 2000):
#   A (a1) refers B; C is dnd; E.
#   S000001 B 02-01 2500.00: thanks (about A) 02-01, first 02-08, big 02-08
#   S000002 C 02-02 300.00:  first 02-09, but C is dnd
#   S000003 E 02-03 3000.00: first and big 02-10, returned in full 02-04
#   S000004 A 02-03 2000.00: first and big 02-10, 500.00 returned 02-04
#   S000005 B 02-09 100.00, S000006 E 02-05 50.00: no task (not first)
#   A note of 02-08 closes thanks:S000001.
care_scene() {
	VIPLEDGER_NOW=2026-01-01T10:00:00 add A 13800000001 --associate a1
	VIPLEDGER_NOW=2026-01-02T10:00:00 add B 13800000002 --referrer M000001
	VIPLEDGER_NOW=2026-01-03T10:00:00 add C 13800000003 --dnd
	VIPLEDGER_NOW=2026-01-04T10:00:00 add E 13800000004
	VIPLEDGER_NOW=2026-02-01T10:00:00 sale-post -q M000002 2500
	VIPLEDGER_NOW=2026-02-02T10:00:00 sale-post -q M000003 300
	VIPLEDGER_NOW=2026-02-03T10:00:00 sale-post -q M000004 3000
	VIPLEDGER_NOW=2026-02-03T11:00:00 sale-post -q M000001 2000
	VIPLEDGER_NOW=2026-02-04T10:00:00 sale-return -q S000003 3000
	VIPLEDGER_NOW=2026-02-04T11:00:00 sale-return -q S000004 500
	VIPLEDGER_NOW=2026-02-09T10:00:00 sale-post -q M000002 100
	VIPLEDGER_NOW=2026-02-09T10:00:00 sale-post -q --at 2026-02-05T10:00:00 M000004 50
	VIPLEDGER_NOW=2026-02-08T18:00:00 member-note -q --staff a1 \
		--task thanks:S000001 M000001 followup '谢谢介绍'
}

@test "followups: due today in, due tomorrow out; closed the day before, dnd and wholly returned out" {
	care_scene
	VIPLEDGER_NOW=2026-02-09T12:00:00 ok report followups
	[ "$output" = "$(tsv \
	    'due\ttask\tmember\tname\tphone\tassociate\treceipt\tpaid\toverdue' \
	    '2026-02-08\tfirst:S000001\tM000002\tB\t13800000002\t\tS000001\t2500.00\t1' \
	    '2026-02-08\tbig:S000001\tM000002\tB\t13800000002\t\tS000001\t2500.00\t1')" ]
	VIPLEDGER_NOW=2026-02-10T12:00:00 ok report -N followups
	[ "$output" = "$(tsv \
	    '2026-02-08\tfirst:S000001\tM000002\tB\t13800000002\t\tS000001\t2500.00\t2' \
	    '2026-02-08\tbig:S000001\tM000002\tB\t13800000002\t\tS000001\t2500.00\t2' \
	    '2026-02-10\tfirst:S000004\tM000001\tA\t13800000001\ta1\tS000004\t2000.00\t0' \
	    '2026-02-10\tbig:S000004\tM000001\tA\t13800000001\ta1\tS000004\t2000.00\t0')" ]
	VIPLEDGER_NOW=2026-02-10T12:00:00 ok report -N followups --staff a1
	[ "$output" = "$(tsv \
	    '2026-02-10\tfirst:S000004\tM000001\tA\t13800000001\ta1\tS000004\t2000.00\t0' \
	    '2026-02-10\tbig:S000004\tM000001\tA\t13800000001\ta1\tS000004\t2000.00\t0')" ]
	# before the note, the referral task is about the referrer, A
	VIPLEDGER_NOW=2026-02-10T12:00:00 ok report -N --as-of 2026-02-07 followups
	[ "$output" = "$(tsv \
	    '2026-02-01\tthanks:S000001\tM000001\tA\t13800000001\ta1\tS000001\t2500.00\t6')" ]
	VIPLEDGER_NOW=2026-02-10T12:00:00 ok report -N --mask followups --staff nobody
	[ -z "$output" ]
}

@test "member-note --task closes a task once; refused when not due, not hers, or unknown" {
	care_scene
	export VIPLEDGER_NOW=2026-02-10T12:00:00
	refused 1 'not due' member-note --at 2026-02-07T10:00:00 --task big:S000001 M000002 followup x
	refused 1 'no follow-up task' member-note --task big:S000001 M000001 followup x
	refused 1 'no follow-up task' member-note --task big:S000002 M000003 followup x
	refused 1 'no follow-up task' member-note --task nosuch:S000001 M000002 followup x
	refused 1 'already closed' member-note --task thanks:S000001 M000001 followup again
	ok member-note --staff a1 --task big:S000001 M000002 followup '回访: 满意'
	[ "$output" = "$(row 2026-02-10T12:00:00 M000002 followup a1 big:S000001 '回访: 满意')" ]
	refused 1 'already closed' member-note --task big:S000001 M000002 followup x
	# a wholly returned sale's task, and a dnd member's, may still be closed
	ok member-note -q --task first:S000003 M000004 followup returned
	ok member-note -q --task first:S000002 M000003 followup 'dnd, but called'
	ok report -N followups
	[ "$output" = "$(tsv \
	    '2026-02-08\tfirst:S000001\tM000002\tB\t13800000002\t\tS000001\t2500.00\t2' \
	    '2026-02-10\tfirst:S000004\tM000001\tA\t13800000001\ta1\tS000004\t2000.00\t0' \
	    '2026-02-10\tbig:S000004\tM000001\tA\t13800000001\ta1\tS000004\t2000.00\t0')" ]
}

@test "member-note: bad input is refused and leaves every file unchanged" {
	care_scene
	export VIPLEDGER_NOW=2026-02-10T12:00:00
	usage member-note M000001 visit x
	usage member-note M000001 followup
	usage member-note --task thanks:S000001 M000001 complaint x
	refused 1 text member-note M000001 complaint ''
	refused 1 text member-note M000001 complaint $'a\tb'
	refused 1 member member-note M000009 complaint x
	refused 1 'in the future' member-note --at 2026-02-11T00:00:00 M000001 service x
	refused 1 joined member-note --at 2025-12-31T00:00:00 M000001 service x
	printf 'staff\tname\tactive\na1\tAnn\tyes\na2\tBo\tno\n' > "$D/staff.tsv"
	refused 1 staff member-note --staff a2 M000001 service x
	refused 1 staff member-note --staff a9 M000001 service x
	ok member-note --staff a1 --task holiday M000001 contact '新年问候'
	[ "$output" = "$(row 2026-02-10T12:00:00 M000001 contact a1 holiday '新年问候')" ]
}

@test "report notes: the member's notes by at, ties in file order, as of the day" {
	care_scene
	export VIPLEDGER_NOW=2026-02-10T12:00:00
	member-note -q --at 2026-02-09T09:00:00 M000001 profile 'works nearby; likes linen'
	member-note -q --at 2026-02-09T09:00:00 M000001 complaint 'zip broke'
	member-note -q --at 2026-02-05T09:00:00 --staff a1 M000001 service 'hemmed trousers'
	member-note -q M000002 service other
	ok report notes 13800000001
	[ "$output" = "$(tsv 'at\tkind\tstaff\ttask\ttext' \
	    '2026-02-05T09:00:00\tservice\ta1\t\themmed trousers' \
	    '2026-02-08T18:00:00\tfollowup\ta1\tthanks:S000001\t谢谢介绍' \
	    '2026-02-09T09:00:00\tprofile\t\t\tworks nearby; likes linen' \
	    '2026-02-09T09:00:00\tcomplaint\t\t\tzip broke')" ]
	ok report -N --as-of 2026-02-06 notes M000001
	[ "$output" = "$(tsv '2026-02-05T09:00:00\tservice\ta1\t\themmed trousers')" ]
	refused 1 member report --as-of 2025-12-31 notes M000001
	usage report notes
}

@test "followup lines: min, first, referral, tier; none; report rules prints them" {
	rules 'followup vip after 3 tier gold' 'followup small after 1 min 100.50 first' \
	    'tier normal' 'tier gold'
	ok report rules
	[ "$(printf '%s\n' "$output" | grep '^followup')" = "$(tsv \
	    'followup vip after 3 tier gold' 'followup small after 1 min 100.50 first')" ]
	VIPLEDGER_NOW=2026-01-01T10:00:00 add A 13800000001
	VIPLEDGER_NOW=2026-01-02T10:00:00 sale-post -q M000001 100.49
	VIPLEDGER_NOW=2026-01-02T10:00:00 ok report -N --as-of 2026-01-10 followups
	[ -z "$output" ]
	rules 'followup none'
	ok report rules
	[ "$(printf '%s\n' "$output" | grep '^followup')" = 'followup none' ]
	for bad in 'followup a:b after 1' 'followup a after 36501' 'followup a after 1 min x' \
	    'followup a after 1 first first' 'followup a after 1 soon' 'followup a after 1 tier platinum' \
	    'followup a before 1'; do
		rules "$bad"
		refused 1 'rules.conf:1:' report rules
	done
	rules 'followup a after 1' 'followup a after 2'
	refused 1 'rules.conf:2:' report rules
	rules 'followup a after 1' 'followup none'
	refused 1 'rules.conf:2:' report rules
	for bad in 'own_months 1201' 'segment_days 0' 'vip_share 0' 'vip_share 101'; do
		rules "$bad"
		refused 1 'rules.conf:1:' report rules
	done
}

# Birthdays seen from 2026-12-28: Dec 31 without a year (twice, in
# registration order), Jan 2 across the new year, Jan 4 a day too late,
# today, a dnd member, no birthday.
@test "birthdays: across the new year, today, ages, dnd left out; Feb 29 on Feb 28 in 2027" {
	export VIPLEDGER_NOW=2026-12-01T10:00:00
	add M1 13800000001 --birthday 12-31
	add M2 13800000002 --birthday 2000-01-02 --associate a2
	add M3 13800000003 --birthday 01-04
	add M4 13800000004 --birthday 1990-12-28
	add M5 13800000005 --birthday 12-29 --dnd
	add M6 13800000006 --birthday 2000-02-29
	add M7 13800000007
	add M8 13800000008 --birthday 12-31
	VIPLEDGER_NOW=2026-12-28T10:00:00 ok report birthdays
	[ "$output" = "$(tsv 'date\tmember\tname\tphone\ttier\tbirthday\tage\tassociate' \
	    '2026-12-28\tM000004\tM4\t13800000004\tnormal\t1990-12-28\t36\t' \
	    '2026-12-31\tM000001\tM1\t13800000001\tnormal\t12-31\t\t' \
	    '2026-12-31\tM000008\tM8\t13800000008\tnormal\t12-31\t\t' \
	    '2027-01-02\tM000002\tM2\t13800000002\tnormal\t2000-01-02\t27\ta2')" ]
	VIPLEDGER_NOW=2027-02-25T10:00:00 ok report -N birthdays --days 4
	[ "$output" = "$(tsv '2027-02-28\tM000006\tM6\t13800000006\tnormal\t2000-02-29\t27\t')" ]
	VIPLEDGER_NOW=2027-02-25T10:00:00 ok report -N birthdays --days 3
	[ -z "$output" ]
	VIPLEDGER_NOW=2028-02-28T10:00:00 ok report -N --mask birthdays --days 2
	[ "$output" = "$(tsv '2028-02-29\tM000006\tM6\t138****0006\tnormal\t2000-02-29\t28\t')" ]
	usage report birthdays --days 0
	usage report birthdays --days 367
	usage report members --days 3
	refused 1 birthday member-add --name X --phone 13800000009 --birthday 2026-12-02
	refused 1 birthday member-edit M000001 --birthday 2027-01-01
}

# Lapsed as of 2026-06-01 with --days 30: A's last sale exactly 30 days
# before, B's 29, C dnd, E never bought, F's only sale returned in full.
@test "lapsed: exactly N days in, N-1 out; a returned sale still counts; dnd left out" {
	export VIPLEDGER_NOW=2026-01-01T10:00:00
	add A 13800000001 --associate a1
	add B 13800000002
	add C 13800000003 --dnd
	add E 13800000004
	add F 13800000005
	export VIPLEDGER_NOW=2026-06-01T10:00:00
	sale-post -q --at 2026-04-01T10:00:00 M000001 300
	sale-post -q --at 2026-05-02T10:00:00 M000001 100
	sale-post -q --at 2026-05-03T10:00:00 M000002 100
	sale-post -q --at 2026-01-05T10:00:00 M000003 100
	sale-post -q --at 2026-01-10T10:00:00 M000005 80
	sale-return -q --at 2026-01-11T10:00:00 S000005 80
	ok report lapsed --days 30
	[ "$output" = "$(tsv 'member\tname\tphone\ttier\tlast_sale\tdays\tspend_365d\tassociate' \
	    'M000005\tF\t13800000005\tnormal\t2026-01-10\t142\t0.00\t' \
	    'M000001\tA\t13800000001\tnormal\t2026-05-02\t30\t400.00\ta1')" ]
	ok report -N lapsed
	[ "$output" = "$(tsv 'M000005\tF\t13800000005\tnormal\t2026-01-10\t142\t0.00\t')" ]
	usage report lapsed --days 36501
}

@test "contacts: every member who may be contacted, in registration order; --tier" {
	export VIPLEDGER_NOW=2026-01-01T10:00:00
	add A 13800000001 --birthday 05-01 --associate a1
	add B 13800000002 --dnd
	add C 13800000003
	member-edit -q M000002 --ok
	member-edit -q M000003 --dnd
	ok report contacts
	[ "$output" = "$(tsv 'member\tname\tphone\ttier\tbirthday\tassociate' \
	    'M000001\tA\t13800000001\tnormal\t05-01\ta1' 'M000002\tB\t13800000002\tnormal\t\t')" ]
	ok report -N contacts --tier gold
	[ -z "$output" ]
	refused 1 tier report contacts --tier platinum
	# every member is in members, dnd or not
	ok report -N members
	[ "${#lines[@]}" -eq 3 ]
}

# Segments as of 2026-06-01 over 365 days (2025-06-02 .. 2026-06-01):
#   M1 1000 on 05-01; M2 1000 on 04-01 (a tie at the vip cut);
#   M3 300 on 03-01 and 500 on 05-31; M4 200 on 01-01 returned 01-02;
#   M5 never bought; M6 100 on 2025-05-01, before the window.
# 3 buyers, k = ceil(3 * 20 / 100) = 1: the cut is 1000.00.
@test "segments: vip ties at the cut, r f m scores, inactive and potential" {
	export VIPLEDGER_NOW=2025-01-01T10:00:00
	for i in 1 2 3 4 5 6; do add "M$i" "1380000000$i"; done
	export VIPLEDGER_NOW=2026-06-01T10:00:00
	sale-post -q --at 2026-05-01T10:00:00 M000001 1000
	sale-post -q --at 2026-04-01T10:00:00 M000002 1000
	sale-post -q --at 2026-03-01T10:00:00 M000003 300
	sale-post -q --at 2026-05-31T10:00:00 M000003 500
	sale-post -q --at 2026-01-01T10:00:00 M000004 200
	sale-return -q --at 2026-01-02T10:00:00 S000005 200
	sale-post -q --at 2025-05-01T10:00:00 M000006 100
	ok report segments
	[ "$output" = "$(tsv 'member\tname\tclass\trecency\tfrequency\tmonetary\tr\tf\tm' \
	    'M000001\tM1\tvip\t31\t1\t1000.00\t4\t4\t5' \
	    'M000002\tM2\tvip\t61\t1\t1000.00\t2\t4\t5' \
	    'M000003\tM3\tnormal\t1\t2\t800.00\t5\t5\t2' \
	    'M000004\tM4\tinactive\t151\t1\t0.00\t\t\t' \
	    'M000005\tM5\tpotential\t\t0\t0.00\t\t\t' \
	    'M000006\tM6\tinactive\t396\t0\t0.00\t\t\t')" ]
	ok report -N segments --class vip
	[ "${#lines[@]}" -eq 2 ]
	# one buyer: vip, and 5 on every score
	ok report -N --as-of 2026-03-01 segments --days 10
	[ "$output" = "$(tsv \
	    'M000001\tM1\tpotential\t\t0\t0.00\t\t\t' \
	    'M000002\tM2\tpotential\t\t0\t0.00\t\t\t' \
	    'M000003\tM3\tvip\t0\t1\t300.00\t5\t5\t5' \
	    'M000004\tM4\tinactive\t59\t0\t0.00\t\t\t' \
	    'M000005\tM5\tpotential\t\t0\t0.00\t\t\t' \
	    'M000006\tM6\tinactive\t304\t0\t0.00\t\t\t')" ]
	# no buyer: everyone potential
	ok report -N --as-of 2025-04-01 segments --class potential
	[ "${#lines[@]}" -eq 6 ]
	rules 'vip_share 100'
	ok report -N segments --class normal
	[ -z "$output" ]
	usage report segments --class gold
	usage report segments --days 0
}

# staff FILE LINES: write staff.tsv
staff() {
	mkdir -p "$D"
	{ printf 'staff\tname\tactive\n'; printf '%b\n' "$@"; } > "$D/staff.tsv"
}

@test "member-assign: 200 members and 10 associates, 20 each; a second run appends nothing" {
	export VIPLEDGER_NOW=2026-03-01T10:00:00
	{ printf 'name\tphone\n'; for i in $(seq 1 200); do printf 'n%d\t139%08d\n' "$i" "$i"; done; } |
		member-add -q -
	staff 'a01\tA\tyes' 'a02\tB\tyes' 'a03\tC\tyes' 'a04\tD\tyes' 'a05\tE\tyes' \
	    'a06\tF\tyes' 'a07\tG\tyes' 'a08\tH\tyes' 'a09\tI\tyes' 'a10\tJ\tyes' 'a11\tGone\tno'
	ok member-assign --dry-run
	first=$output
	ok member-assign --dry-run
	[ "$output" = "$first" ]
	ok member-assign --dry-run --seed 7
	[ "$output" != "$first" ]
	ok member-assign
	[ "$output" = "$first" ]
	[ "$(printf '%s\n' "$output" | cut -f11 | sort | uniq -c | awk '{ print $1 }' | sort -u)" = 20 ]
	[ "$(printf '%s\n' "$output" | cut -f2 | tr '\n' ' ')" = "$(seq -f 'M%06g' 1 200 | tr '\n' ' ')" ]
	! printf '%s\n' "$output" | grep -q a11
	ok member-assign
	[ -z "$output" ]
	VIPLEDGER_NOW=2026-03-02T10:00:00 ok member-assign
	[ -z "$output" ]
}

# own_months 2: A owned by a1 since 01-01 lapses on 03-01; B's sale of
# 02-15 renews her to 04-15; C's associate a3 left the shop; D has had
# both active associates; E is owned by no one.
@test "member-assign: lapse, renewal by a sale, a leaver's members, taken back when no one is left" {
	export VIPLEDGER_NOW=2026-01-01T10:00:00
	staff 'a1\tAnn\tyes' 'a2\tBo\tyes' 'a3\tCy\tyes'
	add A 13800000001 --associate a1
	add B 13800000002 --associate a1
	add C 13800000003 --associate a3
	add D 13800000004 --associate a1
	add E 13800000005
	VIPLEDGER_NOW=2026-01-02T10:00:00 member-edit -q M000004 --associate a2
	VIPLEDGER_NOW=2026-01-03T10:00:00 member-edit -q M000004 --associate a1
	VIPLEDGER_NOW=2026-02-15T10:00:00 sale-post -q M000002 100
	staff 'a1\tAnn\tyes' 'a2\tBo\tyes' 'a3\tCy\tyes' 'a3\tCy\tno'
	export VIPLEDGER_NOW=2026-02-28T10:00:00
	ok member-assign
	# C's associate left: dealt at once; E unowned: dealt; A not yet lapsed
	[ "$(printf '%s\n' "$output" | cut -f2)" = "$(printf 'M000003\nM000005')" ]
	[ "$(printf '%s\n' "$output" | grep M000003 | cut -f11)" != a3 ]
	export VIPLEDGER_NOW=2026-03-01T10:00:00
	ok member-assign
	# A lapsed: to a2 (she had a1); D, owned again by a1 since 01-03, not yet
	[ "$output" = "$(row 2026-03-01T10:00:00 M000001 A 13800000001 '' '' '' '' '' '' a2 '' ok '')" ]
	ok member-assign
	[ -z "$output" ]
	# D lapses on 03-03 and has had a1 and a2, the active ones: taken back
	VIPLEDGER_NOW=2026-03-03T10:00:00 ok member-assign
	[ "$output" = "$(row 2026-03-03T10:00:00 M000004 D 13800000004 '' '' '' '' '' '' '' '' ok '')" ]
	VIPLEDGER_NOW=2026-03-03T10:00:00 ok member-assign
	[ -z "$output" ]
	VIPLEDGER_NOW=2026-03-04T10:00:00 ok member-assign
	[ -z "$output" ]
	ok report -N member M000001
	[ "$(printf '%s\n' "$output" | grep -E '^(joined|owner_since)')" = \
	    "$(printf 'joined\t2026-01-01\nowner_since\t2026-03-01')" ]
	ok report -N member M000004
	[ "$(printf '%s\n' "$output" | grep '^owner_since')" = $'owner_since\t' ]
	# B's sale renewed her to 04-15
	VIPLEDGER_NOW=2026-04-14T10:00:00 ok member-assign --dry-run
	! printf '%s\n' "$output" | grep -q M000002
	VIPLEDGER_NOW=2026-04-15T10:00:00 ok member-assign --dry-run
	[ "$(printf '%s\n' "$output" | grep M000002 | cut -f11)" = a2 ]
}

@test "member-assign by hand; its refusals leave every file unchanged" {
	export VIPLEDGER_NOW=2026-01-01T10:00:00
	add A 13800000001 --associate a1
	refused 1 staff.tsv member-assign
	refused 1 staff.tsv member-assign M000001 a2
	staff 'a1\tAnn\tyes' 'a2\tBo\tyes' 'a3\tCy\tno'
	refused 1 staff member-assign M000001 a3
	refused 1 staff member-assign M000001 a9
	refused 1 staff member-assign M000001 a1
	refused 1 member member-assign M000009 a2
	refused 1 as-of member-assign --as-of 2026-01-02
	usage member-assign M000001
	usage member-assign --seed 1 M000001 a2
	usage member-assign --seed x
	usage member-assign --as-of 2026-13-01
	ok member-assign 13800000001 a2
	[ "$output" = "$(row 2026-01-01T10:00:00 M000001 A 13800000001 '' '' '' '' '' '' a2 '' ok '')" ]
}

@test "report associates: members owned, sales, paid, revisits and contacts in the span" {
	export VIPLEDGER_NOW=2026-01-01T10:00:00
	add A 13800000001 --associate a1
	add B 13800000002 --associate a9
	add C 13800000003
	export VIPLEDGER_NOW=2026-02-10T10:00:00
	sale-post -q --at 2026-02-01T10:00:00 --associate a1 M000001 300
	sale-post -q --at 2026-02-05T10:00:00 --associate a1 M000002 200
	sale-return -q --at 2026-02-06T10:00:00 S000002 50
	sale-post -q --at 2026-02-07T10:00:00 --associate a8 M000003 100
	sale-post -q --at 2026-02-07T10:00:00 M000003 100
	staff 'a2\tBo\tyes' 'a1\tAnn\tyes' 'a1\tAnn Li\tno' 'a7\tEx\tyes'
	member-note -q --at 2026-02-08T10:00:00 --staff a2 M000001 followup called
	member-note -q --at 2026-02-09T10:00:00 --staff a2 --task birthday M000001 contact card
	member-note -q --at 2026-02-09T10:00:00 --staff a7 M000001 complaint 'not counted'
	ok report associates
	[ "$output" = "$(tsv 'staff\tname\tactive\tmembers\tsales\tpaid\tfollowups\tcontacts' \
	    'a2\tBo\tyes\t0\t0\t0.00\t1\t1' \
	    'a1\tAnn Li\tno\t1\t2\t450.00\t0\t0' \
	    'a7\tEx\tyes\t0\t0\t0.00\t0\t0' \
	    'a8\t\t\t0\t1\t100.00\t0\t0' \
	    'a9\t\t\t1\t0\t0.00\t0\t0')" ]
	ok report -N associates --from 2026-02-05 --to 2026-02-08
	[ "$output" = "$(tsv \
	    'a2\tBo\tyes\t0\t0\t0.00\t1\t0' \
	    'a1\tAnn Li\tno\t1\t1\t150.00\t0\t0' \
	    'a7\tEx\tyes\t0\t0\t0.00\t0\t0' \
	    'a8\t\t\t0\t1\t100.00\t0\t0' \
	    'a9\t\t\t1\t0\t0.00\t0\t0')" ]
}

@test "ledger-check: a followup note's task must be one the rules make for its member" {
	care_scene
	export VIPLEDGER_NOW=2026-02-10T12:00:00
	member-note -q --task big:S000001 M000002 followup ok
	member-note -q --task first:S000003 M000004 followup 'returned, still hers'
	ok ledger-check
	[ -z "$output" ]
	printf '%s\n' "$(row 2026-02-10T12:00:00 M000001 followup '' big:S000001 x)" \
	    "$(row 2026-02-10T12:00:00 M000002 followup '' first:S000007 x)" \
	    "$(row 2026-02-10T12:00:00 M000002 followup '' nosuch:S000001 x)" \
	    "$(row 2026-02-10T12:00:00 M000002 contact '' nosuch:S000001 x)" >> "$D/notes.tsv"
	run ledger-check
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf '%s\n' \
	    'notes.tsv:5: references: task big:S000001 is no follow-up task of member M000001' \
	    'notes.tsv:6: references: task first:S000007 is no follow-up task of member M000002' \
	    'notes.tsv:7: references: task nosuch:S000001 is no follow-up task of the rules and sales')" ]
}

@test "race: 20 clerks close the same task at once with the real clock; one note is written" {
	care_scene
	unset VIPLEDGER_NOW
	for i in $(seq 20); do
		member-note -q -w 30 --task big:S000001 M000002 followup "call $i" 2>/dev/null &
	done
	wait
	[ "$(grep -c $'\tbig:S000001\t' "$D/notes.tsv")" -eq 1 ]
	run ledger-check
	[ "$status" -eq 0 ]
}
