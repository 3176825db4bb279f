# tier-set.bats: tiers given by hand, the walk that goes on from them, and
# tier-recalc with members whose tier rules.conf no longer defines.
load common

# at DATE CMD...: run CMD with the clock at DATE, noon
at() {
	local d=$1
	shift
	VIPLEDGER_NOW=${d}T12:00:00 "$@"
}

# trow DATE MEMBER EVENT FROM TO SINCE EXPIRES STRIKES REASON: a tiers.tsv row
trow() {
	row "$1T00:00:00" "${@:2}"
}

# join NAME PHONE: a member who joined on 2026-01-01 at noon
join() {
	at 2026-01-01 member-add -q --name "$1" --phone "$2"
}

# key KEY [MEMBER]: the value of KEY in report member
key() {
	report -N member "${2:-M000001}" | awk -F'\t' -v k="$1" '$1 == k { print $2 }'
}

# The four tiers of a shop that later gives up platinum.
four_tiers() {
	rules 'tier normal discount=0 multiplier=1 validity=0' \
		'tier silver discount=2 multiplier=1.5 validity=12' \
		'tier gold discount=5 multiplier=2 validity=12' \
		'tier platinum discount=10 multiplier=3 validity=12' \
		'upgrade normal silver total 800' 'upgrade silver gold total 1000' \
		'upgrade gold platinum total 5000' \
		'keep silver total 800' 'keep gold total 1000' 'keep platinum total 5000'
	chmod 700 "$D"
}

# The same shop without platinum.
three_tiers() {
	rules 'tier normal discount=0 multiplier=1 validity=0' \
		'tier silver discount=2 multiplier=1.5 validity=12' \
		'tier gold discount=5 multiplier=2 validity=12' \
		'upgrade normal silver total 800' 'upgrade silver gold total 1000' \
		'keep silver total 800' 'keep gold total 1000'
}

@test "a set row dated today at midnight, for the tier's validity, from the tier in force" {
	join A 13800000001
	ok tier-set --reason 'VIP granted by the owner' M000001 gold
	[ "$output" = "$(trow 2026-03-01 M000001 set normal gold 2026-03-01 2027-03-01 0 'VIP granted by the owner')" ]
	[ "$(head -1 "$D/tiers.tsv")" = "$(row at member event from to since expires strikes reason)" ]
	[ "$(body tiers.tsv)" = "$output" ]
	[ "$(stat -c %a "$D/tiers.tsv")" = 600 ]
	[ "$(key tier)" = gold ]
	[ "$(key expires)" = 2027-03-01 ]
	ok ledger-check
	[ -z "$output" ]
}

@test "--months N, 0 for never; by phone; clamped to the month's end; a tier of validity 0" {
	join A 13800000001
	join B 13800000002
	join C 13800000003
	ok tier-set --months 6 --reason promo 13800000001 silver
	[ "$output" = "$(trow 2026-03-01 M000001 set normal silver 2026-03-01 2026-09-01 0 promo)" ]
	ok tier-set --months=0 --reason 'for life' M000002 gold
	[ "$output" = "$(trow 2026-03-01 M000002 set normal gold 2026-03-01 '' 0 'for life')" ]
	ok tier-set --at 2026-01-31 --months 1 --reason trial M000003 silver
	[ "$output" = "$(trow 2026-01-31 M000003 set normal silver 2026-01-31 2026-02-28 0 trial)" ]
	# a row on the same day does not block; normal's validity is 0
	ok tier-set --reason 'back to normal' M000001 normal
	[ "$output" = "$(trow 2026-03-01 M000001 set silver normal 2026-03-01 '' 0 'back to normal')" ]
	ok tier-set --months 1200 --reason long M000003 gold
	[ "$output" = "$(trow 2026-03-01 M000003 set silver gold 2026-03-01 2126-03-01 0 long)" ]
	# on the day she joined (at noon): the row is at midnight of that day
	join D 13800000004
	ok tier-set --at 2026-01-01 --reason 'opening day' M000004 silver
	[ "$output" = "$(trow 2026-01-01 M000004 set normal silver 2026-01-01 2027-01-01 0 'opening day')" ]
	[ "$(body tiers.tsv | wc -l)" -eq 6 ]
	ok ledger-check
}

@test "from is the tier on DATE; a row on DATE does not block it, and the set row wins that day" {
	join A 13800000001
	at 2026-01-01 sale-post -q M000001 500
	at 2026-01-08 tier-recalc -q
	[ "$(body tiers.tsv | cut -f1-8)" = "$(trow 2026-01-08 M000001 upgrade normal silver 2026-01-08 2027-01-08 0)" ]
	ok tier-set --at 2026-01-08 --reason 'straight to gold' M000001 gold
	[ "$output" = "$(trow 2026-01-08 M000001 set silver gold 2026-01-08 2027-01-08 0 'straight to gold')" ]
	# a sale later that day is gold's: x2
	ok sale-post --at 2026-01-08T15:00:00 M000001 100
	[ "$(printf '%s\n' "$output" | cut -f9,13)" = $'200\tgold' ]
	# the walk goes on from the set row: gold is the top, nothing to do
	ok tier-recalc
	[ -z "$output" ]
	ok ledger-check
}

@test "refused when the member has a row dated after DATE; every file stays as it was" {
	join A 13800000001
	at 2026-01-01 sale-post -q M000001 500
	at 2026-01-08 tier-recalc -q
	refused 1 '2026-01-08' tier-set --at 2026-01-07 --reason late M000001 gold
	[[ $stderr == *M000001* ]]
	refused 1 '2026-01-08' tier-set --dry-run --at 2026-01-07 --reason late M000001 gold
	ok tier-set -q --at 2026-02-01 --reason r M000001 gold
	refused 1 '2026-02-01' tier-set --at 2026-01-31 --reason r M000001 normal
}

@test "refused: an undefined tier, an unknown member, a bad --at, the future, before she joined, a bad reason" {
	join A 13800000001
	ok tier-set -q --at 2026-02-01 --reason seed M000001 silver
	refused 1 platinum tier-set --reason r M000001 platinum
	refused 1 'rules.conf' tier-set --reason r M000001 Gold
	refused 1 M000009 tier-set --reason r M000009 gold
	refused 1 '' tier-set --reason r '' gold
	refused 1 '2026-02-30' tier-set --at 2026-02-30 --reason r M000001 gold
	refused 1 'at' tier-set --at 2026-03-01T00:00:00 --reason r M000001 gold
	refused 1 'at' tier-set --at 03-01 --reason r M000001 gold
	refused 1 'at' tier-set --at= --reason r M000001 gold
	refused 1 'future' tier-set --at 2026-03-02 --reason r M000001 gold
	refused 1 'joined' tier-set --at 2025-12-31 --reason r M000001 gold
	refused 1 reason tier-set --reason $'a\tb' M000001 gold
	refused 1 reason tier-set --reason $'a\nb' M000001 gold
	refused 1 reason tier-set --reason $'\xff' M000001 gold
	refused 1 reason tier-set --reason "$(printf '%5000s' '' | tr ' ' a)" M000001 gold
	# a period that would end past year 9999
	refused 1 'out of range' env VIPLEDGER_NOW=9999-06-01T10:00:00 tier-set --reason r M000001 gold
	ok env VIPLEDGER_NOW=9999-06-01T10:00:00 tier-set --months 0 --reason r M000001 gold
	[ "$output" = "$(trow 9999-06-01 M000001 set silver gold 9999-06-01 '' 0 r)" ]
}

@test "usage errors: --months malformed or out of range, --reason missing or empty, operands, options" {
	join A 13800000001
	ok tier-set -q --at 2026-02-01 --reason seed M000001 silver
	for m in x -1 1201 1.5 '' +3 ' 3' 99999999999999999999; do
		usage tier-set --months "$m" --reason r M000001 gold
		[[ $stderr == *months* ]]
	done
	usage tier-set M000001 gold
	[[ $stderr == *reason* ]]
	usage tier-set --reason '' M000001 gold
	usage tier-set --reason r M000001
	usage tier-set --reason r M000001 gold extra
	usage tier-set --reason r --no-such M000001 gold
	usage tier-set --reason r -w abc M000001 gold
	usage tier-set --reason r M000001 gold --at
	usage env VIPLEDGER_NOW=soon tier-set --reason r M000001 gold
	# options come first: a bad --months before a bad --at or an unknown member
	usage tier-set --months 2000 --at nope --reason r M000009 gold
}

@test "--help and -V work with a broken rules.conf; --help is the man page's synopsis" {
	rules 'bogus 1'
	ok tier-set --help
	[ "$output" = "usage: tier-set [-d DIR] [-q] [-w SECONDS] [--dry-run] [--at DATE] [--months N]
                --reason TEXT MEMBER TIER" ]
	ok tier-set -V
	[[ $output == "tier-set (vipledger) "* ]]
	join A 13800000001 || true
	refused 1 'rules.conf' tier-set --reason r M000001 gold
	run tier-set -d "$BATS_TEST_TMPDIR/none" --reason r M000001 gold
	[ "$status" -eq 3 ]
}

@test "--dry-run prints the row and writes nothing; -q prints nothing" {
	join A 13800000001
	before=$(ledgers)
	ok tier-set --dry-run --reason r M000001 gold
	[ "$output" = "$(trow 2026-03-01 M000001 set normal gold 2026-03-01 2027-03-01 0 r)" ]
	[ ! -e "$D/tiers.tsv" ]
	ok tier-set -q --dry-run --reason r M000001 gold
	[ -z "$output" ]
	[ "$(ledgers)" = "$before" ]
	ok tier-set -q --reason r M000001 gold
	[ -z "$output" ]
	[ "$(body tiers.tsv)" = "$(trow 2026-03-01 M000001 set normal gold 2026-03-01 2027-03-01 0 r)" ]
}

@test "the till sees the tier at once: sale-post earns at its multiplier, report member shows it" {
	join A 13800000001
	ok tier-set -q --reason r M000001 silver
	ok sale-post M000001 100
	[ "$(printf '%s\n' "$output" | cut -f9,13)" = $'150\tsilver' ]
	[ "$(key discount)" = 2 ]
	[ "$(key next_tier)" = gold ]
	[ "$(report -N tiers)" = $'normal\t0\nsilver\t1\ngold\t0' ]
	[ "$(report -N changes | cut -f1-8)" = "$(trow 2026-03-01 M000001 set normal silver 2026-03-01 2027-03-01 0)" ]
}

@test "the walk goes on from a set row as from a renewal: its sums start on since, that day included" {
	join A 13800000001
	at 2026-01-01 sale-post -q M000001 450  # counts on 01-08: before the set
	at 2026-01-02 sale-post -q M000001 100  # counts on 01-09: the set's day
	ok at 2026-01-09 tier-set --reason promotion M000001 silver
	[ "$output" = "$(trow 2026-01-09 M000001 set normal silver 2026-01-09 2027-01-09 0 promotion)" ]
	at 2026-01-12 sale-post -q M000001 300  # 01-19
	at 2026-01-20 sale-post -q M000001 300  # 01-27
	at 2026-02-01 sale-post -q M000001 300  # 02-08
	# 100 + 300 + 300 + 300 = 1000 on 02-08; with the 450, 1150 on 01-27;
	# without the 100, 900 and no upgrade
	ok at 2026-02-07 tier-recalc
	[ -z "$output" ]
	ok at 2026-03-01 tier-recalc
	[ "$output" = "$(trow 2026-02-08 M000001 upgrade silver gold 2026-02-08 2027-02-08 0 'total 1000.00 >= 1000.00')" ]
	[ "$(body tiers.tsv | tail -1)" = "$output" ]
	ok at 2026-03-01 tier-recalc
	[ -z "$output" ]
}

@test "a set period is kept or lost on its expiry like any other" {
	join A 13800000001
	join B 13800000002
	ok at 2026-01-05 tier-set --months 1 --reason trial M000001 gold
	[ "$output" = "$(trow 2026-01-05 M000001 set normal gold 2026-01-05 2026-02-05 0 trial)" ]
	ok at 2026-01-05 tier-set --months 2 --reason trial M000002 gold
	[ "$output" = "$(trow 2026-01-05 M000002 set normal gold 2026-01-05 2026-03-05 0 trial)" ]
	at 2026-01-05 sale-post -q M000001 1000
	at 2026-01-05 sale-post -q M000002 900
	ok at 2026-03-10 tier-recalc
	[ "$output" = "$(trow 2026-02-05 M000001 renew gold gold 2026-02-05 2027-02-05 0 'keep total 1000.00 >= 1000.00')
$(trow 2026-03-05 M000002 downgrade gold silver 2026-03-05 2027-03-05 0 'keep total 900.00 < 1000.00')" ]
}

@test "a set row from a catch-up run's point of view: nightly and catching up write the same bytes" {
	join A 13800000001
	ok at 2026-01-05 tier-set -q --months 1 --reason trial M000001 gold
	at 2026-01-05 sale-post -q M000001 600
	at 2026-01-20 sale-post -q M000001 300
	cp -a "$D" "$BATS_TEST_TMPDIR/nightly"
	for d in 2026-01-2{0..9} 2026-01-3{0,1} 2026-02-0{1..9}; do
		at "$d" tier-recalc -q -d "$BATS_TEST_TMPDIR/nightly"
	done
	ok at 2026-02-09 tier-recalc
	# gold's keep of 1000 missed (900): down to silver, whose keep is met
	[ "$output" = "$(trow 2026-02-05 M000001 downgrade gold silver 2026-02-05 2027-02-05 0 'keep total 900.00 < 1000.00')" ]
	cmp "$D/tiers.tsv" "$BATS_TEST_TMPDIR/nightly/tiers.tsv"
}

@test "a tier dropped from rules.conf: tier-recalc goes on for the others, warns per member, exits 1" {
	four_tiers
	join A 13800000001
	join B 13800000002
	join C 13800000003
	join D 13800000004
	ok at 2026-01-02 tier-set -q --reason VIP M000002 platinum
	ok at 2026-01-02 tier-set -q --reason VIP M000004 platinum
	at 2026-01-02 sale-post -q M000001 800
	at 2026-01-02 sale-post -q M000003 800
	three_tiers
	ups="$(trow 2026-01-09 M000001 upgrade normal silver 2026-01-09 2027-01-09 0 'total 800.00 >= 800.00')
$(trow 2026-01-09 M000003 upgrade normal silver 2026-01-09 2027-01-09 0 'total 800.00 >= 800.00')"
	warnings="tier-recalc: member M000002 has tier platinum, which rules.conf does not define; move the member with tier-set
tier-recalc: member M000004 has tier platinum, which rules.conf does not define; move the member with tier-set"
	# a dry run says the same and writes nothing
	before=$(ledgers)
	run --separate-stderr at 2026-01-20 tier-recalc --dry-run
	[ "$status" -eq 1 ]
	[ "$output" = "$ups" ]
	[ "$stderr" = "$warnings" ]
	[ "$(ledgers)" = "$before" ]
	run --separate-stderr at 2026-01-20 tier-recalc
	[ "$status" -eq 1 ]
	[ "$output" = "$ups" ]
	[ "$stderr" = "$warnings" ]
	[ "$(body tiers.tsv | tail -2)" = "$ups" ]
	# again: nothing more for the others, the same warnings
	run --separate-stderr at 2026-01-20 tier-recalc
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = "$warnings" ]
	# the till refuses the stranded member
	refused 1 platinum env VIPLEDGER_NOW=2026-01-20T12:00:00 sale-post M000004 100
	# moved one by one: the warnings go with them
	ok at 2026-01-20 tier-set --reason 'platinum retired' M000002 gold
	[ "$output" = "$(trow 2026-01-20 M000002 set platinum gold 2026-01-20 2027-01-20 0 'platinum retired')" ]
	run --separate-stderr at 2026-01-20 tier-recalc
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = "${warnings#*$'\n'}" ]
	# named: only the members named are looked at
	ok at 2026-01-20 tier-recalc M000001 M000002
	run --separate-stderr at 2026-01-20 tier-recalc 13800000004
	[ "$status" -eq 1 ]
	[ "$stderr" = "${warnings#*$'\n'}" ]
	ok at 2026-01-21 tier-set --at 2026-01-20 --reason 'platinum retired' M000004 gold
	[ "$output" = "$(trow 2026-01-20 M000004 set platinum gold 2026-01-20 2027-01-20 0 'platinum retired')" ]
	ok at 2026-01-21 tier-recalc
	[ -z "$output" ]
	ok at 2026-01-21 sale-post M000004 100
	[ "$(printf '%s\n' "$output" | cut -f9,13)" = $'200\tgold' ]
	ok ledger-check
}

@test "a stranded member later than --as-of is left alone without a warning" {
	four_tiers
	join A 13800000001
	join B 13800000002
	at 2026-01-02 sale-post -q M000001 800
	ok at 2026-01-10 tier-set -q --reason VIP M000002 platinum
	three_tiers
	ok at 2026-01-20 tier-recalc --as-of 2026-01-09
	[ "$output" = "$(trow 2026-01-09 M000001 upgrade normal silver 2026-01-09 2027-01-09 0 'total 800.00 >= 800.00')" ]
	run --separate-stderr at 2026-01-20 tier-recalc
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ $stderr == *M000002*platinum* ]]
}

@test "a stranded member's tier waits for tier-set, but her points still expire" {
	four_tiers
	join A 13800000001
	at 2026-01-02 points-adjust -q --reason gift M000001 100
	ok at 2026-01-02 tier-set -q --reason VIP M000001 platinum
	three_tiers
	printf 'expire_months 1\n' >> "$D/rules.conf"
	run --separate-stderr at 2026-03-10 tier-recalc
	[ "$status" -eq 1 ]
	[ "$output" = "$(row 2026-02-02T00:00:00 M000001 expire -100 2026-02-02 '' '')" ]
	[[ $stderr == *M000001*platinum* ]]
	[ "$(body points.tsv | tail -1)" = "$output" ]
}

@test "a failed write or fsync leaves tiers.tsv as it was and exits 3" {
	[ -z "${VL_SAN:-}" ] || skip "the fault shim runs with the plain binaries only"
	shim=$VL_BIN/../faultshim.so
	[ -f "$shim" ]
	join A 13800000001
	ok tier-set -q --at 2026-02-01 --reason seed M000001 silver
	before=$(ledgers)
	cp -a "$D" "$BATS_TEST_TMPDIR/tpl"
	for kind in write fsync; do
		rm -f "$BATS_TEST_TMPDIR/count"
		env LD_PRELOAD="$shim" FAULT_COUNT="$BATS_TEST_TMPDIR/count" tier-set -q --reason r M000001 gold
		total=$(awk -v k="$kind" '$1 == k { print $2 }' "$BATS_TEST_TMPDIR/count")
		[ "$total" -gt 0 ]
		for n in $(seq "$total"); do
			rm -rf "$D" && cp -a "$BATS_TEST_TMPDIR/tpl" "$D"
			run --separate-stderr env LD_PRELOAD="$shim" FAULT_CALL="$kind" FAULT_N="$n" FAULT_ERRNO=EIO \
				FAULT_PARTIAL=$([ "$kind" = write ] && echo 1) tier-set --reason r M000001 gold
			echo "# $kind $n: status $status; stdout $output; stderr $stderr"
			[ "$status" -eq 3 ]
			[ -z "$output" ]
			[ "$(ledgers)" = "$before" ]
			ok tier-set --reason r M000001 gold
			[ "$output" = "$(trow 2026-03-01 M000001 set silver gold 2026-03-01 2027-03-01 0 r)" ]
		done
		rm -rf "$D" && cp -a "$BATS_TEST_TMPDIR/tpl" "$D"
	done
}
