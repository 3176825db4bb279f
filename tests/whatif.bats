# whatif.bats: report whatif RULES, the history replayed under the rules in
# force and under RULES (SPEC section 9), with numbers worked out by hand.
load common

SAMPLES=$BATS_TEST_DIRNAME/../data-samples

# at DATE CMD...: run CMD with the clock at DATE, noon
at() {
	local d=$1
	shift
	VIPLEDGER_NOW=${d}T12:00:00 "$@"
}

# alt LINES...: write RULES, the rules.conf to compare, as $ALT
alt() {
	ALT=$BATS_TEST_TMPDIR/alt.conf
	printf '%s\n' "$@" > "$ALT"
}

# m MEASURE CURRENT WHATIF CHANGE: an output line
m() {
	local IFS=$'\t'
	printf '%s\n' "$*"
}

# each change is 0 (0.00 for value)
no_change() {
	[ -n "$1" ]
	[ -z "$(printf '%s\n' "$1" | awk -F'\t' 'NR > 1 && $4 != 0')" ]
}

# state: the ledgers and rules.conf, to show that nothing is written
state() {
	cksum "$D"/*.tsv
	[ ! -e "$D/rules.conf" ] || cksum "$D/rules.conf"
}

@test "RULES the rules in force: every change is 0, and current is what the ledgers say" {
	alt 'hold_days 7'	# the built-in defaults, as there is no rules.conf
	at 2026-01-01 add A 13800000001
	at 2026-01-01 add B 13800000002 --referrer M000001
	at 2026-01-02 sale-post -q M000002 900 2x100/200
	at 2026-01-03 sale-return -q S000001 1x100/200
	at 2026-01-04 sale-post -q M000001 300
	at 2026-01-05 sale-return -q S000003 50
	at 2026-01-10 tier-recalc -q
	at 2026-01-12 points-redeem -q M000002 100
	at 2026-01-12 points-adjust -q --reason goodwill M000001 -20
	at 2026-01-12 tier-set -q --reason vip M000001 silver
	at 2026-01-12 wallet-topup -q M000001 100
	at 2026-01-13 sale-post -q M000001 200
	ok at 2026-01-20 report whatif "$ALT"
	no_change "$output"
	[ "$(printf '%s\n' "$output" | head -1)" = "$(m measure current whatif change)" ]
	# the ledgers agree with the replay here: each sale was posted at the
	# tier the replay gives it
	[ "$(at 2026-01-20 report -N tiers | cut -f2 | paste -sd' ')" = \
	    "$(printf '%s\n' "$output" | grep '^members:' | cut -f2 | paste -sd' ')" ]
	run at 2026-01-20 report -N liability
	[ "$(printf '%s\n' "$output" | cut -f1-3)" = \
	    "$(at 2026-01-20 report -N whatif "$ALT" | awk -F'\t' '
	        $1 == "available" { a = $2 } $1 == "pending" { p = $2 }
	        $1 == "value" { v = $2 } END { print a "\t" p "\t" v }')" ]
	# the sample file of the built-in rules, and the shop's own rules.conf
	ok at 2026-01-20 report whatif "$SAMPLES/dept-store.rules.conf"
	no_change "$output"
	cp "$SAMPLES/points-year.rules.conf" "$D/rules.conf"
	ok at 2026-01-20 report whatif "$D/rules.conf"
	no_change "$output"
}

# The shop of the next tests, worked by hand.  Rules in force: the built-in
# defaults (hold 7, normal x1, silver x1.5, gold x2, band 0.00 100,
# redeem_rate 100, referral_pct 0).  RULES below: hold 3, two tiers, vip at
# a total of 1000.00 with multiplier 3, promotion items at half price earn
# 50 %, referral 5 % at redeem_rate 50.
#
#   01-01  A joins; B joins, referred by A; C joins and buys nothing
#   01-02  A: points-adjust +500 (kept as recorded in both)
#   01-05  B buys 1000 and 2x100/200: goods 1200.00
#            current: normal x1, 100 %: earned 1200, available 01-12
#            RULES: basic x1; 1000.00 at 100 % + 200.00 at 50 % = 1100,
#              available 01-08; referral 120000 c x 5 % x 50 = 3000
#   01-08  B returns one 100/200 by items: 1000 and 100/200 are left
#            current: 1100 earned by what is left; -100, available 01-12
#            RULES: 1000 + 50 = 1050; -50, available 01-08;
#              referral floor(3000 x 1100/1200) = 2750: -250
#            RULES: vip on 01-08, total 1200.00 - 100.00 >= 1000.00
#   01-12  current: gold, single 1100.00 >= 800.00 (tier-recalc on 01-15)
#   01-20  B buys 500 using 200 points: paid 498.00
#            current: gold x2: floor(1000 x 498/500) = 996, available 01-27
#            RULES: vip x3: floor(1500 x 498/500) = 1494, available 01-23;
#              referral 49800 c x 5 % x 50 = 1245
#   01-22  B returns 100.00 of it by amount: 400.00 of 500.00 left
#            current: floor(996 x 4/5) = 796: -200; points used -40
#            RULES: floor(1494 x 4/5) = 1195: -299, available 01-23;
#              referral floor(1245 x 4/5) = 996: -249
#
# On 01-25:
#   current earned 1200 - 100 + 996 - 200 = 1896; available 1200 - 100
#     - (200 - 40) + 500 = 1440; pending 996 - 200 = 796; value 14.40
#   RULES earned 1100 - 50 + 1494 - 299 = 2245; referral 3000 - 250 + 1245
#     - 249 = 3746; available 2245 - 160 + 3746 + 500 = 6331; pending 0;
#     value 6331 points at 50 a 1.00 = 126.62
#   members: current A, C normal, B gold; RULES A, C basic, B vip
shop() {
	alt 'hold_days 3' 'referral_pct 5' 'redeem_rate 50' \
	    'tier basic multiplier=1 validity=0' \
	    'tier vip multiplier=3 validity=12' \
	    'upgrade basic vip total 1000' 'keep vip total 500' \
	    'band 1.00 100' 'band 0.50 50' 'band 0.00 0'
	at 2026-01-01 add A 13800000001
	at 2026-01-01 add B 13800000002 --referrer M000001
	at 2026-01-01 add C 13800000003
	at 2026-01-02 points-adjust -q --reason welcome M000001 500
	at 2026-01-05 sale-post -q M000002 1000 2x100/200
	at 2026-01-08 sale-return -q S000001 100/200
	at 2026-01-15 tier-recalc -q
	at 2026-01-20 sale-post -q --use-points 200 M000002 500
	at 2026-01-22 sale-return -q S000003 100.00
}

@test "a scheme with a higher multiplier, other bands, referral and hold days: both columns by hand" {
	shop
	# the ledger as sale-post and sale-return wrote it, for the record
	[ "$(body sales.tsv | cut -f2,6-10,12)" = "$(printf '%s\n' \
	    $'S000001\t1200.00\t0\t1200.00\t1200\t2026-01-12\t0' \
	    $'S000002\t-100.00\t0\t-100.00\t-100\t2026-01-12\t0' \
	    $'S000003\t500.00\t200\t498.00\t996\t2026-01-27\t0' \
	    $'S000004\t-100.00\t-40\t-99.60\t-200\t2026-01-27\t0')" ]
	before=$(state)
	ok at 2026-01-25 report whatif "$ALT"
	[ "$output" = "$(m measure current whatif change
	    m members:normal 2 0 -2
	    m members:silver 0 0 0
	    m members:gold 1 0 -1
	    m members:basic 0 2 2
	    m members:vip 0 1 1
	    m earned 1896 2245 349
	    m referral 0 3746 3746
	    m expired 0 0 0
	    m available 1440 6331 4891
	    m pending 796 0 -796
	    m value 14.40 126.62 112.22)" ]
	[ "$(state)" = "$before" ]
	# current is liability's figures here
	[ "$(at 2026-01-25 report -N liability | cut -f1-3)" = $'1440\t796\t14.40' ]
	# as of 01-21, before the return: the 01-20 sale pending in both
	# current 1200 - 100 - 200 + 500 = 1400, pending 996
	# RULES 1050 - 200 + 2750 + 500 = 4100, pending 1494 + 1245 = 2739
	ok at 2026-01-25 report -N --as-of 2026-01-21 whatif "$ALT"
	[ "$(printf '%s\n' "$output" | grep -E '^(earned|referral|available|pending|value)')" = \
	    "$(m earned 2096 2544 448
	    m referral 0 3995 3995
	    m available 1400 4100 2700
	    m pending 996 2739 1743
	    m value 14.00 82.00 68.00)" ]
}

@test "the same shop the other way round: RULES in force, the defaults as RULES" {
	shop
	mv "$ALT" "$D/rules.conf"
	alt 'hold_days 7'
	ok at 2026-01-25 report -N whatif "$ALT"
	[ "$output" = "$(m members:basic 2 0 -2
	    m members:vip 1 0 -1
	    m members:normal 0 2 2
	    m members:silver 0 0 0
	    m members:gold 0 1 1
	    m earned 2245 1896 -349
	    m referral 3746 0 -3746
	    m expired 0 0 0
	    m available 6331 1440 -4891
	    m pending 0 796 796
	    m value 126.62 14.40 -112.22)" ]
}

# Returns replayed.  RULES: special prices (below list) earn nothing.
#
#   01-01  B joins, and is given 1000 points (kept in both)
#   01-02  S000001: 1000 and 200/1000 using 100 points: goods 1200.00,
#          value 1.00, paid 1199.00
#            current: floor(1200 x 1199/1200) = 1199
#            RULES: only 1000.00 earns: floor(1000 x 1199/1200) = 999
#          S000002: 500 and 500/1000: goods 1000.00
#            current 1000; RULES 500
#   01-03  S000001 by items, the 200/1000 back: 1000 is left, its points
#          used floor(100 x 1000/1200) = 83, worth 0.83: paid 999.17
#            current: floor(1000 x 999.17/1000) = 999: -200
#            RULES: 999 as well, no more than the 999 left: 0
#          S000002 by amount, 250.00 back: 750.00 of 1000.00 left
#            current: floor(1000 x 3/4) = 750: -250
#            RULES: floor(500 x 3/4) = 375: -125
#   on 01-20, all available: points used 100 - 17 = 83
#     current 1199 - 200 + 1000 - 250 = 1749; available 1749 - 83 + 1000 = 2666
#     RULES 999 + 0 + 500 - 125 = 1374; available 1374 - 83 + 1000 = 2291
#     both: gold on 01-09, S000001 net 999.17 >= 800.00
@test "a return by items takes back what its units earned, one by amount a share" {
	alt 'band 1.00 100' 'band 0.00 0'
	at 2026-01-01 add B 13800000002
	at 2026-01-01 points-adjust -q --reason welcome M000001 1000
	at 2026-01-02 sale-post -q --use-points 100 M000001 1000 200/1000
	at 2026-01-02 sale-post -q M000001 500 500/1000
	at 2026-01-03 sale-return -q S000001 200/1000
	at 2026-01-03 sale-return -q S000002 250
	[ "$(body sales.tsv | cut -f2,6-9)" = "$(printf '%s\n' \
	    $'S000001\t1200.00\t100\t1199.00\t1199' \
	    $'S000002\t1000.00\t0\t1000.00\t1000' \
	    $'S000003\t-200.00\t-17\t-199.83\t-200' \
	    $'S000004\t-250.00\t0\t-250.00\t-250')" ]
	ok at 2026-01-20 report -N whatif "$ALT"
	[ "$output" = "$(m members:normal 0 0 0
	    m members:silver 0 0 0
	    m members:gold 1 1 0
	    m earned 1749 1374 -375
	    m referral 0 0 0
	    m expired 0 0 0
	    m available 2666 2291 -375
	    m pending 0 0 0
	    m value 26.66 22.91 -3.75)" ]
	[ "$(at 2026-01-20 report -N liability | cut -f1-3)" = $'2666\t0\t26.66' ]
}

# Tier-set rows are kept; one to a tier RULES lacks is left out of its
# replay.  RULES: normal and silver x3, no gold, no upgrade lines.
#   01-10  A set to silver, B set to gold (until 2027-01-10)
#   01-15  A buys 100: current silver x1.5 = 150, RULES silver x3 = 300
#          B buys 100: current gold x2 = 200, RULES normal (no gold) 100
#   01-30: current 350 available, RULES 400
@test "a tier-set row is kept, and one to a tier RULES lacks is left out" {
	alt 'tier normal' 'tier silver multiplier=3 validity=12'
	at 2026-01-01 add A 13800000001
	at 2026-01-01 add B 13800000002
	at 2026-01-10 tier-set -q --reason promotion M000001 silver
	at 2026-01-10 tier-set -q --reason 'owner vip' M000002 gold
	at 2026-01-15 sale-post -q M000001 100
	at 2026-01-15 sale-post -q M000002 100
	[ "$(body sales.tsv | cut -f9,13)" = "$(printf '%s\n' $'150\tsilver' $'200\tgold')" ]
	ok at 2026-01-30 report -N whatif "$ALT"
	[ "$output" = "$(m members:normal 0 1 1
	    m members:silver 1 1 0
	    m members:gold 1 0 -1
	    m earned 350 400 50
	    m referral 0 0 0
	    m expired 0 0 0
	    m available 350 400 50
	    m pending 0 0 0
	    m value 3.50 4.00 0.50)" ]
	# a sale on the day of the set row has its tier (after that day's
	# expiry and tier-set row): B's 100 on 01-10 earns as gold, 200
	at 2026-01-30 sale-post -q --at 2026-01-10T15:00:00 M000002 100
	ok at 2026-01-30 report -N whatif "$ALT"
	[ "$(printf '%s\n' "$output" | grep '^earned')" = "$(m earned 550 500 -50)" ]
}

# Points expiry.  A joins 01-01 and buys 300 on 01-02 (300 points,
# available 01-09) and 50 on 02-01 (available 02-08); she redeems 100 on
# 01-20.  With expire_months 1 the 300 expire on 02-09, less the 100 spent
# before: 200 expired; the 50 would expire on 03-08, after 03-01.
@test "expire_months in RULES: points expire in its replay; the recorded expire rows give way" {
	alt 'expire_months 1'
	at 2026-01-01 add A 13800000001
	at 2026-01-02 sale-post -q M000001 300
	at 2026-01-20 points-redeem -q M000001 100
	at 2026-02-01 sale-post -q M000001 50
	ok at 2026-03-01 report -N whatif "$ALT"
	[ "$output" = "$(m members:normal 1 1 0
	    m members:silver 0 0 0
	    m members:gold 0 0 0
	    m earned 350 350 0
	    m referral 0 0 0
	    m expired 0 200 200
	    m available 250 50 -200
	    m pending 0 0 0
	    m value 2.50 0.50 -2.00)" ]
	# the shop takes up expiry: tier-recalc writes the expire row, which
	# the replay under the rules in force reckons again, and the old
	# rules, as RULES, do without
	mv "$ALT" "$D/rules.conf"
	at 2026-03-01 tier-recalc -q
	[ "$(body points.tsv | cut -f1-5)" = "$(printf '%s\n' \
	    $'2026-01-20T12:00:00\tM000001\tredeem\t-100\t2026-01-20' \
	    $'2026-02-09T00:00:00\tM000001\texpire\t-200\t2026-02-09')" ]
	alt 'expire_months 0'
	ok at 2026-03-01 report -N whatif "$ALT"
	[ "$(printf '%s\n' "$output" | grep -E '^(expired|available)')" = \
	    "$(m expired 200 0 -200
	    m available 50 250 200)" ]
	[ "$(at 2026-03-01 report -N liability | cut -f1)" = 50 ]
}

# SPEC-DETAILS: a sale posted after an upgrade day but before tier-recalc
# ran carries the old tier in the ledger; the replay gives it the new tier.
# A sale on the upgrade day itself has the tier before that day's upgrade.
#   01-01 600 (normal, 600; counts 01-08: silver by single 600 >= 500)
#   01-08 100 (on the upgrade day: normal, 100)
#   01-10 400 (ledger: normal, 400; replay: silver x1.5 = 600)
@test "current is the replay: the tier at a sale is the walk's, not the ledger's" {
	alt 'hold_days 7'
	at 2026-01-01 add A 13800000001
	at 2026-01-01 sale-post -q M000001 600
	at 2026-01-08 sale-post -q M000001 100
	at 2026-01-10 sale-post -q M000001 400
	[ "$(body sales.tsv | cut -f9 | paste -sd' ')" = '600 100 400' ]
	ok at 2026-01-20 report -N whatif "$ALT"
	[ "$(printf '%s\n' "$output" | grep -E '^(members:silver|earned|available)')" = \
	    "$(m members:silver 1 1 0
	    m earned 1300 1300 0
	    m available 1300 1300 0)" ]
	[ "$(at 2026-01-20 report -N liability | cut -f1)" = 1100 ]
}

# The topup metric counts top-ups as recorded: one of 12000.00 makes
# silver under RULES; the 100 bought after earns x1.5.
@test "top-ups count for the topup metric in a replay" {
	alt 'upgrade normal silver topup 12000'
	at 2026-01-01 add A 13800000001
	at 2026-01-02 wallet-topup -q M000001 12000
	at 2026-01-03 sale-post -q --wallet 100 M000001 100
	ok at 2026-01-20 report -N whatif "$ALT"
	[ "$(printf '%s\n' "$output" | grep -E '^(members:normal|members:silver|earned)')" = \
	    "$(m members:normal 1 0 -1
	    m members:silver 0 1 1
	    m earned 100 150 50)" ]
}

@test "-t aligns the columns, --csv writes CSV" {
	alt 'hold_days 3'
	at 2026-01-01 add A 13800000001
	at 2026-01-02 sale-post -q M000001 100
	ok at 2026-01-06 report -t whatif "$ALT"
	[ "$(printf '%s\n' "$output" | grep -E '^(measure|available|pending)')" = \
	    "$(printf '%s\n' 'measure         current  whatif  change' \
	    'available       0        100     100' \
	    'pending         100      0       -100')" ]
	ok at 2026-01-06 report --csv whatif "$ALT"
	[ "$(printf '%s\n' "$output" | grep -E '(measure|available|pending|value),')" = \
	    "$(printf '%s\r\n' $'\xef\xbb\xbfmeasure,current,whatif,change' \
	    available,0,100,100 pending,100,0,-100 value,0.00,1.00,1.00)" ]
}

@test "RULES with errors: RULES:LINE: message, exit 1, the path as given" {
	at 2026-01-01 add A 13800000001
	printf 'hold_days 7\nfrobnicate 3\n' > "$BATS_TEST_TMPDIR/bad.conf"
	refused 1 "$BATS_TEST_TMPDIR/bad.conf:2: unknown setting frobnicate" \
	    report whatif "$BATS_TEST_TMPDIR/bad.conf"
	[[ $stderr == "report: $BATS_TEST_TMPDIR/bad.conf:2: "* ]]
	cd "$BATS_TEST_TMPDIR"
	printf 'tier a\nupgrade a b total 5\n' > bad2.conf
	refused 1 './bad2.conf:2: tier b is not defined' report whatif ./bad2.conf
	[ "$stderr" = 'report: ./bad2.conf:2: tier b is not defined' ]
	# the rules in force come first, with their own message
	rules 'frobnicate 3'
	refused 1 'rules.conf:1:' report whatif "$BATS_TEST_TMPDIR/bad2.conf"
}

@test "RULES unreadable: exit 3; a missing or extra argument: usage" {
	at 2026-01-01 add A 13800000001
	refused 3 "$BATS_TEST_TMPDIR/none.conf" report whatif "$BATS_TEST_TMPDIR/none.conf"
	refused 3 'is not a regular file' report whatif "$BATS_TEST_TMPDIR"
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	refused 3 'is not a regular file' report whatif "$BATS_TEST_TMPDIR/fifo"
	head -c 1048577 /dev/zero | tr '\0' '#' > "$BATS_TEST_TMPDIR/big.conf"
	refused 3 'larger than 1 MB' report whatif "$BATS_TEST_TMPDIR/big.conf"
	usage report whatif
	[[ $stderr == *'needs a rules file'* ]]
	alt 'hold_days 7'
	usage report whatif "$ALT" "$ALT"
	usage report whatif --tier gold "$ALT"
}

@test "nothing is written" {
	shop
	before=$(state)
	ls -la "$D" > "$BATS_TEST_TMPDIR/ls.before"
	ok at 2026-01-25 report whatif "$ALT"
	ok at 2026-01-25 report -t --as-of 2026-02-01 whatif "$ALT"
	[ "$(state)" = "$before" ]
	[ -z "$(find "$D" -mindepth 1 -newer "$BATS_TEST_TMPDIR/ls.before" ! -path "$D/cache*")" ]
}

@test "the demo shop: points-year as RULES runs" {
	run sh "$SAMPLES/demo.sh" "$VL_BIN"
	echo "$output" | tail -30
	[ "$status" -eq 0 ]
	section=$(printf '%s\n' "$output" |
	    sed -n '/^== report -t whatif points-year.rules.conf/,/^$/p')
	[ "$(printf '%s\n' "$section" | sed -n 2p | tr -s ' ')" = 'measure current whatif change' ]
	[ "$(printf '%s\n' "$section" | awk 'NR > 2 && NF { print $1 }' | paste -sd' ')" = \
	    'members:normal members:silver members:gold members:guest earned referral expired available pending value' ]
}
