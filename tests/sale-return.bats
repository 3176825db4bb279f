# sale-return: returns, whole and in parts, their exact reversals, and what it refuses.
load common

J=2026-01-01T09:00:00
NOW=2026-03-01T10:00:00

# rrow AT RECEIPT MEMBER SALE GOODS USED PAID EARNED AVAILABLE_ON REFERRER
#      REFERRAL_POINTS TIER STORE ASSOCIATE NOTE: a return's row (no items,
#      birthday_units and wallet empty)
rrow() {
	row "$1" "$2" "$3" return "${@:4:11}" '' "${15}" '' ''
}

# grant MEMBER POINTS: points given by hand in points.tsv, available since 2026-01-01
grant() {
	[ -e "$D/points.tsv" ] ||
		printf 'at\tmember\tkind\tpoints\tavailable_on\tref\tnote\n' >"$D/points.tsv"
	row 2026-01-01T09:30:00 "$1" adjust "$2" 2026-01-01 '' 'opening balance' >>"$D/points.tsv"
	echo >>"$D/points.tsv"
}

# settier MEMBER AT FROM TO: a tiers.tsv row written by hand
settier() {
	[ -e "$D/tiers.tsv" ] ||
		printf 'at\tmember\tevent\tfrom\tto\tsince\texpires\tstrikes\treason\n' >"$D/tiers.tsv"
	row "$2" "$1" set "$3" "$4" "${2%T*}" '' 0 'set by hand' >>"$D/tiers.tsv"
	echo >>"$D/tiers.tsv"
}

# net SALE: the sums of goods, points_used, paid, earned and referral_points
# over a sale and its returns, in cents and points
net() {
	awk -F'\t' -v s="$1" 'NR > 1 && $5 == s {
		g = $6; p = $8; sub(/\./, "", g); sub(/\./, "", p)
		G += g; U += $7; P += p; E += $9; R += $12
	} END { printf "%d %d %d %d %d\n", G, U, P, E, R }' "$D/sales.tsv"
}

@test "a whole return reverses every figure of the sale" {
	member Ann 13800000001
	ok sale-post --at 2026-02-27T15:00:00 M000001 2x459/899
	local sale
	sale=$(srow 2026-02-27T15:00:00 S000001 M000001 918.00 0 918.00 918 2026-03-06 '' 0 normal '' '' 2x459/899 '')
	[ "$output" = "$sale" ]
	ok sale-return S000001
	local ret
	ret=$(rrow $NOW S000002 M000001 S000001 -918.00 0 -918.00 -918 2026-03-06 '' 0 normal '' '' '')
	[ "$output" = "$ret" ]
	[ "$(body sales.tsv)" = "$sale"$'\n'"$ret" ]
	[ "$(net S000001)" = '0 0 0 0 0' ]
}

@test "three partial returns are exact and net to zero (points, earned and referral rounded down)" {
	rules 'referral_pct 1.5'
	member Ann 13800000001
	member Bob 13800000002 --referrer M000001
	grant M000002 333
	ok sale-post --at 2026-02-25T12:00:00 --use-points 333 M000002 100
	local sale r1 r2 r3
	sale=$(srow 2026-02-25T12:00:00 S000001 M000002 100.00 333 96.67 96 2026-03-04 M000001 145 normal '' '' 100 '')
	[ "$output" = "$sale" ]
	# 66.67 left: used floor(333*6667/10000) = 222, earned 64, referral 96
	ok sale-return S000001 33.33
	r1=$(rrow $NOW S000002 M000002 S000001 -33.33 -111 -32.22 -32 2026-03-04 M000001 -49 normal '' '' '')
	[ "$output" = "$r1" ]
	# 33.34 left: used 111, earned 32, referral 48
	ok env VIPLEDGER_NOW=2026-03-02T11:00:00 sale-return S000001 33.33
	r2=$(rrow 2026-03-02T11:00:00 S000003 M000002 S000001 -33.33 -111 -32.22 -32 2026-03-04 M000001 -48 normal '' '' '')
	[ "$output" = "$r2" ]
	# the rest
	ok env VIPLEDGER_NOW=2026-03-03T18:00:00 sale-return S000001
	r3=$(rrow 2026-03-03T18:00:00 S000004 M000002 S000001 -33.34 -111 -32.23 -32 2026-03-04 M000001 -48 normal '' '' '')
	[ "$output" = "$r3" ]
	[ "$(body sales.tsv)" = "$sale"$'\n'"$r1"$'\n'"$r2"$'\n'"$r3" ]
	[ "$(net S000001)" = '0 0 0 0 0' ]
	refused 1 '' env VIPLEDGER_NOW=2026-03-04T18:00:00 sale-return S000001
	refused 1 '' env VIPLEDGER_NOW=2026-03-04T18:00:00 sale-return S000001 0.01
}

@test "paid = goods - value(points_used) on a return row (redeem_rate 10)" {
	rules 'redeem_rate 10'
	member Ann 13800000001
	grant M000001 50
	ok sale-post --use-points 50 M000001 100
	[ "$output" = "$(srow $NOW S000001 M000001 100.00 50 95.00 95 2026-03-08 '' 0 normal '' '' 100 '')" ]
	# 70.00 left: used floor(50*0.7) = 35, earned floor(66.5) = 66
	ok sale-return S000001 30
	[ "$output" = "$(rrow $NOW S000002 M000001 S000001 -30.00 -15 -28.50 -29 2026-03-08 '' 0 normal '' '' '')" ]
	ok sale-return S000001
	[ "$output" = "$(rrow $NOW S000003 M000001 S000001 -70.00 -35 -66.50 -66 2026-03-08 '' 0 normal '' '' '')" ]
	[ "$(net S000001)" = '0 0 0 0 0' ]
}

@test "an amount with one decimal; more than is left is refused; then nothing is left" {
	member Ann 13800000001
	ok sale-post -q M000001 100
	refused 1 '' sale-return S000001 100.01
	# 40.50 left: earned floor(100*4050/10000) = 40, so the return takes 60
	ok sale-return S000001 59.5
	[ "$output" = "$(rrow $NOW S000002 M000001 S000001 -59.50 0 -59.50 -60 2026-03-08 '' 0 normal '' '' '')" ]
	refused 1 '' sale-return S000001 40.51
	ok sale-return S000001 40.50
	[ "$output" = "$(rrow $NOW S000003 M000001 S000001 -40.50 0 -40.50 -40 2026-03-08 '' 0 normal '' '' '')" ]
	refused 1 '' sale-return S000001
	refused 1 '' sale-return S000001 0.01
	[ "$(net S000001)" = '0 0 0 0 0' ]
}

@test "AMOUNT 0 is refused; a malformed AMOUNT is refused (exit 1)" {
	member Ann 13800000001
	ok sale-post -q M000001 100
	local a
	for a in 0 0.00 0.0 5. .5 1.234 abc +5 1e2 1,5 ' 5' 1000000000.01; do
		refused 1 '' sale-return S000001 "$a"
	done
	refused 1 '' sale-return -- S000001 -5
	usage sale-return S000001 -5
	[ "$(wc -l <"$D/sales.tsv")" -eq 2 ]
}

@test "a return of a sale with nothing to return (goods 0.00) is refused" {
	member Ann 13800000001
	ok sale-post -q M000001 0
	refused 1 '' sale-return S000001
}

@test "available_on is the later of the return date and the sale's available_on" {
	member Ann 13800000001
	ok sale-post -q --at 2026-02-27T15:00:00 M000001 100
	ok sale-return S000001 10
	[ "$(cut -f 10 <<<"$output")" = 2026-03-06 ]
	ok sale-post -q --at 2026-02-20T12:00:00 M000001 100
	ok sale-return --force S000003 10
	[ "$output" = "$(rrow $NOW S000004 M000001 S000003 -10.00 0 -10.00 -10 2026-03-01 '' 0 normal '' '' forced)" ]
}

@test "the window is counted in whole days: 6 days is in, 7 (return_days) is out" {
	member Ann 13800000001
	ok sale-post -q --at 2026-02-23T00:00:00 M000001 10
	ok sale-post -q --at 2026-02-22T23:59:59 M000001 10
	ok sale-return S000001
	[ "$output" = "$(rrow $NOW S000003 M000001 S000001 -10.00 0 -10.00 -10 2026-03-02 '' 0 normal '' '' '')" ]
	refused 1 'force|return_days|window|days' sale-return S000002
	refused 1 '' sale-return S000002 5
	refused 1 '' sale-return --note 'customer insists' S000002
}

@test "--force past the window writes 'forced' or 'forced; TEXT' in the note" {
	member Ann 13800000001
	ok sale-post -q --at 2026-02-10T12:00:00 M000001 100
	ok sale-return --force S000001 10
	[ "$output" = "$(rrow $NOW S000002 M000001 S000001 -10.00 0 -10.00 -10 2026-03-01 '' 0 normal '' '' forced)" ]
	ok sale-return --force --note 'damaged seam' S000001 10
	[ "$output" = "$(rrow $NOW S000003 M000001 S000001 -10.00 0 -10.00 -10 2026-03-01 '' 0 normal '' '' 'forced; damaged seam')" ]
}

@test "--force within the window changes nothing" {
	member Ann 13800000001
	ok sale-post -q --at 2026-02-28T12:00:00 M000001 100
	ok sale-return --force --note 'wrong size' S000001 10
	[ "$output" = "$(rrow $NOW S000002 M000001 S000001 -10.00 0 -10.00 -10 2026-03-07 '' 0 normal '' '' 'wrong size')" ]
	ok sale-return --force S000001 10
	[ "$output" = "$(rrow $NOW S000003 M000001 S000001 -10.00 0 -10.00 -10 2026-03-07 '' 0 normal '' '' '')" ]
}

@test "return_days comes from rules.conf" {
	rules 'return_days 1'
	member Ann 13800000001
	ok sale-post -q --at 2026-03-01T08:00:00 M000001 10
	ok sale-post -q --at 2026-02-28T23:00:00 M000001 10
	ok sale-return S000001
	[ "$output" = "$(rrow $NOW S000003 M000001 S000001 -10.00 0 -10.00 -10 2026-03-08 '' 0 normal '' '' '')" ]
	refused 1 '' sale-return S000002
	rules 'return_days 0'
	refused 1 'force' sale-return S000001
	rules 'return_days 30'
	ok sale-post -q --at 2026-01-31 M000001 10
	ok sale-return S000004
	[ "$output" = "$(rrow $NOW S000005 M000001 S000004 -10.00 0 -10.00 -10 2026-03-01 '' 0 normal '' '' '')" ]
}

@test "the return copies member, referrer, tier, store and associate from the sale; items empty; note its own" {
	rules 'referral_pct 1'
	member Ann 13800000001
	member Bob 13800000002 --referrer M000001
	member Cai 13800000003
	settier M000002 2026-01-02T00:00:00 normal silver
	ok sale-post --at 2026-02-25T12:00:00 --store Main --associate A1 --note 'gift wrap' M000002 100
	[ "$output" = "$(srow 2026-02-25T12:00:00 S000001 M000002 100.00 0 100.00 150 2026-03-04 M000001 100 silver Main A1 100 'gift wrap')" ]
	# since the sale: Bob is gold, referred by Cai, with another store and associate; A1 has left
	settier M000002 2026-02-27T00:00:00 silver gold
	row 2026-02-28T10:00:00 M000002 Bob 13800000002 '' '' '' '' '' M000003 A9 East ok '' >>"$D/members.tsv"
	echo >>"$D/members.tsv"
	printf 'staff\tname\tactive\nA1\tLi\tno\nA9\tWang\tyes\n' >"$D/staff.tsv"
	ok sale-return --note 'wrong size' S000001
	[ "$output" = "$(rrow $NOW S000002 M000002 S000001 -100.00 0 -100.00 -150 2026-03-04 M000001 -100 silver Main A1 'wrong size')" ]
	[ "$(net S000001)" = '0 0 0 0 0' ]
}

@test "points used are given back at once; returns share the S sequence" {
	member Ann 13800000001
	grant M000001 500
	ok sale-post --use-points 500 M000001 100
	[ "$output" = "$(srow $NOW S000001 M000001 100.00 500 95.00 95 2026-03-08 '' 0 normal '' '' 100 '')" ]
	refused 1 '' sale-post --use-points 1 M000001 10
	ok sale-return S000001
	[ "$output" = "$(rrow $NOW S000002 M000001 S000001 -100.00 -500 -95.00 -95 2026-03-08 '' 0 normal '' '' '')" ]
	ok sale-post --use-points 500 M000001 10
	[ "$output" = "$(srow $NOW S000003 M000001 10.00 500 5.00 5 2026-03-08 '' 0 normal '' '' 10 '')" ]
}

@test "automatic return ids go on from the highest S number, -r ones included" {
	member Ann 13800000001
	ok sale-post -q M000001 100
	ok sale-return -r S000010 S000001 10
	[ "$output" = "$(rrow $NOW S000010 M000001 S000001 -10.00 0 -10.00 -10 2026-03-08 '' 0 normal '' '' '')" ]
	ok sale-return -r RT-1 S000001 10
	ok sale-return S000001 10
	[ "$(cut -f 2,5 <<<"$output")" = $'S000011\tS000001' ]
	ok sale-post M000001 10
	[ "$(cut -f 2 <<<"$output")" = S000012 ]
}

@test "-r ID again with the same sale and amount prints the existing row and writes nothing" {
	member Ann 13800000001
	ok sale-post -q M000001 100
	ok sale-post -q M000001 100
	ok sale-return -r RT1 S000001 10
	local want
	want=$(rrow $NOW RT1 M000001 S000001 -10.00 0 -10.00 -10 2026-03-08 '' 0 normal '' '' '')
	[ "$output" = "$want" ]
	local before
	before=$(ledgers)
	ok sale-return -r RT1 S000001 10
	[ "$output" = "$want" ]
	ok sale-return -r RT1 S000001 10.00
	[ "$output" = "$want" ]
	[ "$(ledgers)" = "$before" ]
	# still a no-op after the rest of the sale went back
	ok sale-return -q S000001
	before=$(ledgers)
	ok sale-return -r RT1 S000001 10
	[ "$output" = "$want" ]
	[ "$(ledgers)" = "$before" ]
}

@test "-r ID of a whole return again prints the existing row" {
	member Ann 13800000001
	ok sale-post -q M000001 100
	ok sale-return -r RT2 S000001
	local want
	want=$(rrow $NOW RT2 M000001 S000001 -100.00 0 -100.00 -100 2026-03-08 '' 0 normal '' '' '')
	[ "$output" = "$want" ]
	ok sale-return -r RT2 S000001
	[ "$output" = "$want" ]
	[ "$(wc -l <"$D/sales.tsv")" -eq 3 ]
}

@test "any other use of a return id, or of a sale's receipt, is refused" {
	member Ann 13800000001
	ok sale-post -q M000001 100
	ok sale-post -q M000001 100
	ok sale-return -q -r RT1 S000001 10
	refused 1 'RT1' sale-return -r RT1 S000001 20
	refused 1 'RT1' sale-return -r RT1 S000002 10
	refused 1 'S000002' sale-return -r S000002 S000001 10
	refused 1 '' sale-post -r RT1 M000001 10
}

@test "-r is 1 to 64 ASCII letters, digits, - _ ." {
	member Ann 13800000001
	ok sale-post -q M000001 100
	local r
	for r in 'R 1' R/1 'Ä1' 'R,1' $'R\t1' abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.; do
		refused 1 '' sale-return -r "$r" S000001 10
	done
	ok sale-return -r abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_ S000001 10
	[ "$(cut -f 2 <<<"$output")" = abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_ ]
}

@test "an empty -r or --at is malformed, not taken as absent" {
	member Ann 13800000001
	ok sale-post -q M000001 100
	refused 1 '' sale-return -r '' S000001 10
	refused 1 '' sale-return --at '' S000001 10
}

@test "only a sale's receipt can be returned" {
	member Ann 13800000001
	ok sale-post -q M000001 100
	ok sale-return -q S000001 10
	refused 1 'S000002' sale-return S000002
	refused 1 'S000002' sale-return S000002 1
	refused 1 'S000009' sale-return S000009
	refused 1 '' sale-return $'S000001\t'
	refused 1 '' sale-return s000001
	[ "$(wc -l <"$D/sales.tsv")" -eq 3 ]
}

@test "--at: a return dated before its sale or in the future is refused" {
	member Ann 13800000001
	ok sale-post -q --at 2026-02-25T12:00:00 M000001 100
	refused 1 '' sale-return --at 2026-02-25T11:59:59 S000001 10
	refused 1 '' sale-return --at 2026-02-25 S000001 10
	refused 1 '' sale-return --at 2026-03-01T10:00:01 S000001 10
	refused 1 '' sale-return --at 2026-03-02 S000001 10
	local t
	for t in 2026-02-30 2026-2-26 tomorrow 2026-02-26T24:00:00 2026-02-26T10:00; do
		refused 1 '' sale-return --at "$t" S000001 10
	done
	ok sale-return --at 2026-02-25T12:00:00 S000001 10
	[ "$output" = "$(rrow 2026-02-25T12:00:00 S000002 M000001 S000001 -10.00 0 -10.00 -10 2026-03-04 '' 0 normal '' '' '')" ]
	ok sale-return --at=2026-02-26 S000001 10
	[ "$output" = "$(rrow 2026-02-26T00:00:00 S000003 M000001 S000001 -10.00 0 -10.00 -10 2026-03-04 '' 0 normal '' '' '')" ]
}

@test "a note with TAB, CR, LF or invalid UTF-8 is refused naming the field" {
	member Ann 13800000001
	ok sale-post -q M000001 100
	refused 1 note sale-return --note $'a\tb' S000001
	refused 1 note sale-return --note $'a\nb' S000001
	refused 1 note sale-return --note $'\xff' S000001
	refused 1 note sale-return --force --note $'a\rb' S000001
}

@test "-q writes the row and prints nothing" {
	member Ann 13800000001
	ok sale-post -q M000001 100
	ok sale-return -q S000001
	[ -z "$output" ]
	[ "$(tail -n 1 "$D/sales.tsv")" = "$(rrow $NOW S000002 M000001 S000001 -100.00 0 -100.00 -100 2026-03-08 '' 0 normal '' '' '')" ]
}

@test "--dry-run prints the row and writes nothing" {
	member Ann 13800000001
	ok sale-post -q M000001 100
	local before
	before=$(ledgers)
	ok sale-return --dry-run S000001 10
	[ "$output" = "$(rrow $NOW S000002 M000001 S000001 -10.00 0 -10.00 -10 2026-03-08 '' 0 normal '' '' '')" ]
	[ "$(ledgers)" = "$before" ]
	ok sale-return -q --dry-run S000001 10
	[ -z "$output" ]
	refused 1 '' sale-return --dry-run S000001 100.01
}

@test "a sales.tsv of 0.1 (its header ends at note) is exit 3, one line; nothing changes; after --repair it goes on" {
	member Ann 13800000001
	ok sale-post -q M000001 100
	cut -f 1-17 "$D/sales.tsv" >"$BATS_TEST_TMPDIR/old.tsv"
	cat "$BATS_TEST_TMPDIR/old.tsv" >"$D/sales.tsv"
	local names msg='sale-return: sales.tsv has the 0.1 columns; run ledger-check --repair'
	names=$(ls -A "$D" | grep -vx cache)
	refused 3 '' sale-return S000001
	[ "$stderr" = "$msg" ]
	refused 3 '' sale-return -r RT1 --note x S000001 10
	[ "$stderr" = "$msg" ]
	cmp "$D/sales.tsv" "$BATS_TEST_TMPDIR/old.tsv"
	[ "$(ls -A "$D" | grep -vx cache)" = "$names" ]
	ok ledger-check --repair
	[ "$output" = 'sales.tsv: upgraded to the 0.2 columns: birthday_units and wallet added, empty' ]
	ok sale-return S000001 10
	[ "$output" = "$(rrow $NOW S000002 M000001 S000001 -10.00 0 -10.00 -10 2026-03-08 '' 0 normal '' '' '')" ]
	[ "$(tail -n 1 "$D/sales.tsv")" = "$output" ]
}

@test "a wrong number of operands or an unknown option is a usage error" {
	member Ann 13800000001
	ok sale-post -q M000001 100
	usage sale-return
	# two operands after the receipt are ITEMs: 10 and 20 are no items of it
	refused 1 items sale-return S000001 10 20
	usage sale-return --colour red S000001
	usage sale-return S000001 --at
	[ "$(wc -l <"$D/sales.tsv")" -eq 2 ]
}

@test "-h, --help and -V" {
	ok sale-return --help
	[[ $output == *sale-return* ]]
	ok sale-return -h
	[[ $output == *sale-return* ]]
	ok sale-return -V
	[[ $output == 'sale-return (vipledger) '?* ]]
	[ ! -e "$D" ]
}

@test "a broken rules.conf stops it (exit 1), after --at, -r and AMOUNT are checked" {
	member Ann 13800000001
	ok sale-post -q M000001 100
	rules 'return_days seven'
	ok sale-return --help
	refused 1 'rules.conf:1:' sale-return S000001
	refused 1 '' sale-return --at 2026-02-30 S000001
	[[ $stderr != *rules.conf* ]]
	refused 1 '' sale-return -r 'R 1' S000001
	[[ $stderr != *rules.conf* ]]
	refused 1 '' sale-return S000001 1.234
	[[ $stderr != *rules.conf* ]]
}

@test "-w: a held lock gives exit 3 (ledger busy)" {
	member Ann 13800000001
	ok sale-post -q M000001 100
	exec 9>"$D/.lock"
	flock 9
	refused 3 busy sale-return -w 0 S000001
	exec 9>&-
	usage sale-return -w soon S000001
	ok sale-return -w 0 S000001
	[ "$(cut -f 2,4,5 <<<"$output")" = $'S000002\treturn\tS000001' ]
}

@test "a return that would give back points worth more than its goods is refused: a return never pays" {
	rules 'redeem_rate 50'
	member Ann 13800000001
	ok points-adjust -q --reason gift M000001 150
	ok sale-post -q --use-points 150 M000001 3
	before=$(ledgers)
	refused 1 'amount: returning 0.01 would give back points worth more than the goods' sale-return S000001 0.01
	[ "$(ledgers)" = "$before" ]
	ok sale-return S000001 1.00
	[ "$(cut -f 6-9 <<<"$output")" = $'-1.00\t-50\t0.00\t0' ]
}
