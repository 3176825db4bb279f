# ledger-check.bats: every check, clean and dirty, with and without --repair.
load common

# files written by hand here get the modes the programs give theirs
umask 077

# lc ARGS...: run ledger-check
lc() {
	run --separate-stderr ledger-check "$@"
}

# said STATUS LINE...: the last lc exited STATUS, printed exactly the
# lines on stdout and nothing on stderr
said() {
	local want=$1 IFS=$'\n'
	shift
	echo "# status $status (want $want); stdout: $output; stderr: $stderr"
	[ "$status" -eq "$want" ]
	[ "$output" = "$*" ]
	[ -z "$stderr" ]
}

# failed STATUS TEXT: the last lc exited STATUS with one stderr line
# "ledger-check: ..." holding TEXT, and printed nothing
failed() {
	echo "# status $status (want $1); stdout: $output; stderr: $stderr"
	[ "$status" -eq "$1" ]
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ $stderr == "ledger-check: "*"$2"* ]]
}

# put FILE FIELD...: append a row by hand
put() {
	local file=$1
	shift
	printf '%s\n' "$(row "$@")" >>"$D/$file"
}

# rrow AT RECEIPT MEMBER SALE GOODS USED PAID EARNED REFERRAL [WALLET]: a
# return, birthday_units empty, wallet empty unless given
rrow() {
	row "$1" "$2" "$3" return "$4" "$5" "$6" "$7" "$8" 2026-03-08 '' "$9" \
	    normal '' '' '' '' '' "${10-}"
}

# shop: a shop the programs wrote: members, a referral, sales with points,
# returns by amount and in full, a redeem, an upgrade
shop() {
	rules 'referral_pct 1'
	add A 13800000001
	add B 13800000002 --referrer M000001
	sale-post -q M000001 100 2x50
	points-adjust -q --reason seed M000001 500
	sale-post -q --use-points 200 M000001 50
	sale-post -q M000002 900
	sale-return -q S000001 50
	sale-return -q S000002
	sale-return -q S000003 300
	points-redeem -q -r V1 M000001 100
	VIPLEDGER_NOW=2026-03-09T02:00:00 tier-recalc -q
}

@test "a shop the programs wrote is clean: silent, exit 0; -q too" {
	shop
	[ "$(body tiers.tsv | cut -f2-5)" = "$(row M000002 upgrade normal silver)" ]
	[ "$(body sales.tsv | cut -f12 | tr '\n' ' ')" = '0 0 900 0 0 -300 ' ]
	lc
	said 0
	lc -q
	said 0
	lc --repair
	said 0
}

@test "an empty data directory is clean; a missing one is exit 3" {
	mkdir -m 700 "$D"
	lc
	said 0
	[ "$(stat -c %a "$D/.lock")" = 600 ]
	lc -d "$BATS_TEST_TMPDIR/none"
	failed 3 "$BATS_TEST_TMPDIR/none: no such data directory; give -d or set VIPLEDGER_DIR"
	rm -r "$D"
	lc
	failed 3 "$D: no such data directory; give -d or set VIPLEDGER_DIR"
	[ ! -e "$D" ]
}

@test "usage: operands, unknown options and a malformed -w are exit 2; -h and -V" {
	mkdir -m 700 "$D"
	usage ledger-check extra
	usage ledger-check --dry-run
	usage ledger-check -w soon
	usage ledger-check --repair=yes
	run ledger-check --help
	[ "$status" -eq 0 ]
	[ "$output" = 'usage: ledger-check [-d DIR] [-q] [-w SECONDS] [--repair]' ]
	run ledger-check -V
	[ "$status" -eq 0 ]
	[[ $output == 'ledger-check (vipledger) '* ]]
}

@test "header: a wrong column is reported at its line and the rows are left" {
	shop
	sed -i '1s/\tpaid\t/\tpayd\t/' "$D/sales.tsv"
	put sales.tsv garbage
	lc
	said 1 'sales.tsv:1: header: column 8 should be paid; fix the header line'
	printf 'at\tmember\n' >"$D/points.tsv"
	lc
	said 1 'sales.tsv:1: header: column 8 should be paid; fix the header line' \
	    'points.tsv:1: header: column 3 should be kind; fix the header line'
}

@test "header: a bad members.tsv header leaves the other ledgers' members unchecked" {
	shop
	sed -i '1s/^at/when/' "$D/members.tsv"
	put points.tsv 2026-03-01T10:00:00 M000009 adjust 5 2026-03-01 '' x
	lc
	said 1 'members.tsv:1: header: column 1 should be at; fix the header line'
}

@test "header: birthday_units and wallet are checked like any column, columns after them are not; a 0.1 row is short" {
	mkdir -m 700 "$D"
	add A 13800000001
	put sales.tsv at receipt member kind sale goods points_used paid earned \
	    available_on referrer referral_points tier store associate items note \
	    birthday_units wallet extra
	put sales.tsv "$(srow 2026-03-01T10:00:00 S1 M000001 100.00 0 100.00 100 2026-03-08 '' 0 normal '' '' 100 '' 1 20.00)" anything
	put sales.tsv "$(srow 2026-03-01T10:00:00 S2 M000001 100.00 0 100.00 100 2026-03-08 '' 0 normal '' '' 100 '' x 20)" ''
	put sales.tsv "$(rrow 2026-03-01T11:00:00 S3 M000001 S1 -100.00 0 -100.00 -100 0 -30.00)" ''
	# a row of the 0.1 columns under a 0.2 header
	srow 2026-03-01T10:00:00 S4 M000001 100.00 0 100.00 100 2026-03-08 '' 0 normal '' '' 100 '' |
	    cut -f 1-17 >>"$D/sales.tsv"
	[ "$(awk -F'\t' '{ print NF }' "$D/sales.tsv" | tr '\n' ' ')" = '20 20 20 20 17 ' ]
	lc
	said 1 'sales.tsv:3: format: birthday_units is not a whole number' \
	    'sales.tsv:3: format: wallet is not an amount like 1280.50' \
	    'sales.tsv:4: arithmetic: return S3 takes back more wallet than sale S1 has left' \
	    'sales.tsv:5: format: 17 fields, expected 19'
}

# files: a digest of every file in DIR but the cache, names and bytes
files() {
	(cd "$D" && find . -path ./cache -prune -o -type f -print | LC_ALL=C sort |
	    while IFS= read -r f; do printf '%s\n' "$f"; cat "$f"; done) | cksum
}

# old01: sales.tsv as 0.1 wrote it (its rows end at note); the ledger the
# programs wrote is kept in $BATS_TEST_TMPDIR/new.tsv
old01() {
	cp "$D/sales.tsv" "$BATS_TEST_TMPDIR/new.tsv"
	cut -f 1-17 "$BATS_TEST_TMPDIR/new.tsv" >"$D/sales.tsv"
	[ "$(head -n 1 "$D/sales.tsv")" = $'at\treceipt\tmember\tkind\tsale\tgoods\tpoints_used\tpaid\tearned\tavailable_on\treferrer\treferral_points\ttier\tstore\tassociate\titems\tnote' ]
	[ "$(awk -F'\t' 'NF != 17' "$D/sales.tsv" | wc -l)" -eq 0 ]
}

@test "header: a sales.tsv of 0.1 is read as before; its writers refuse it; --repair upgrades it byte for byte" {
	shop
	views() {
		local v
		for v in sales 'member M000001' 'member M000002' liability tiers; do
			report -N $v 2>&1 || echo "exit $?"
		done
		points-redeem --dry-run M000001 1 2>&1 || echo "exit $?"
	}
	want=$(views)
	old01
	cp "$D/sales.tsv" "$BATS_TEST_TMPDIR/old.tsv"
	# read as if birthday_units and wallet were empty
	[ "$(views)" = "$want" ]
	[ "$(report -N sales)" = $'2026-03-01\t3\t3\t750.00\t750.00\t750\t0\t2' ]
	# the writers of sales.tsv refuse to append to it, and change nothing
	before=$(files)
	refused 3 '' sale-post M000001 10
	[ "$stderr" = 'sale-post: sales.tsv has the 0.1 columns; run ledger-check --repair' ]
	refused 3 '' sale-return S000003 100
	[ "$stderr" = 'sale-return: sales.tsv has the 0.1 columns; run ledger-check --repair' ]
	[ "$(files)" = "$before" ]
	lc
	said 1 'sales.tsv:1: header: sales.tsv has the 0.1 columns; run ledger-check --repair to add birthday_units and wallet'
	[ "$(files)" = "$before" ]
	lc --repair
	said 0 'sales.tsv: upgraded to the 0.2 columns: birthday_units and wallet added, empty'
	# the old bytes with two empty columns before each line end, the
	# header naming them: what the programs wrote in the first place
	sed '1s/$/\tbirthday_units\twallet/; 2,$s/$/\t\t/' "$BATS_TEST_TMPDIR/old.tsv" >"$BATS_TEST_TMPDIR/want.tsv"
	cmp "$D/sales.tsv" "$BATS_TEST_TMPDIR/want.tsv"
	cmp "$D/sales.tsv" "$BATS_TEST_TMPDIR/new.tsv"
	[ "$(stat -c %a "$D/sales.tsv")" = 600 ]
	[ ! -e "$D/torn" ]
	[ ! -e "$D/.intent" ]
	[ "$(views)" = "$want" ]
	lc
	said 0
	lc --repair
	said 0
	cmp "$D/sales.tsv" "$BATS_TEST_TMPDIR/new.tsv"
	# and the writers go on
	ok sale-post M000001 10
	[ "$output" = "$(srow 2026-03-01T10:00:00 S000007 M000001 10.00 0 10.00 10 2026-03-08 '' 0 normal '' '' 10 '')" ]
	[ "$(tail -n 1 "$D/sales.tsv")" = "$output" ]
	ok sale-return -q S000003 100
	[ "$(tail -n 1 "$D/sales.tsv" | cut -f 2,4-6,17-19)" = $'S000008\treturn\tS000003\t-100.00\t\t\t' ]
	lc
	said 0
}

@test "header: --repair sets a torn last line of a 0.1 sales.tsv aside, then upgrades the rest" {
	shop
	old01
	printf '2026-03-01T10:00:00\tS000009\tM0' >>"$D/sales.tsv"
	lc
	said 1 'sales.tsv:1: header: sales.tsv has the 0.1 columns; run ledger-check --repair to add birthday_units and wallet' \
	    'sales.tsv:8: torn: the last line has no line end: a write was cut short; run ledger-check --repair to set it aside in torn/sales.tsv'
	lc --repair
	said 0 'sales.tsv: torn last line set aside in torn/sales.tsv' \
	    'sales.tsv: upgraded to the 0.2 columns: birthday_units and wallet added, empty'
	cmp "$D/sales.tsv" "$BATS_TEST_TMPDIR/new.tsv"
	[ "$(cat "$D/torn/sales.tsv")" = $'2026-03-01T10:00:00\tS000009\tM0' ]
	lc
	said 0
}

@test "format: times, dates, money, integers, kinds, items, in sales.tsv" {
	mkdir -m 700 "$D"
	add A 13800000001
	sale-post -q M000001 100
	put sales.tsv "$(srow 2026-03-01 S2 M000001 100 0 100.00 1e3 2026-02-30 '' 0 normal '' '' 100 '')"
	put sales.tsv "$(srow 2026-03-01T24:00:00 S3 M000001 1000000000000000.00 1000000000000000 100.00 0 03/01/2026 '' 0 normal '' '' 2x '')"
	put sales.tsv 2026-03-01T10:00:00 S4 M000001 refund S4 1.00 -0 1.00 0 2026-03-08 '' 0 normal '' '' '' '' '' ''
	put sales.tsv 2026-03-01T10:00:00 S5 M000001 sale S5 -1.00 0 -0.00 0 2026-03-08 '' -1 normal '' '' '' '' '' ''
	put sales.tsv 2026-03-01T10:00:00 S6 M000001 return S000001 1.00 0 1.00 0 2026-03-08 '' 0 normal '' '' '' '' '' ''
	lc
	said 1 'sales.tsv:3: format: at is not a time like 2026-03-01T10:00:00' \
	    'sales.tsv:3: format: goods is not an amount like 1280.50' \
	    'sales.tsv:3: format: earned is not a whole number' \
	    'sales.tsv:3: format: available_on is not a real date' \
	    'sales.tsv:4: format: at is not a time like 2026-03-01T10:00:00' \
	    'sales.tsv:4: format: goods has more than 15 digits before the point' \
	    'sales.tsv:4: format: points_used is too large' \
	    'sales.tsv:4: format: available_on is not a date like 2026-03-01' \
	    'sales.tsv:4: format: items: item 2x: price is not an amount like 1280.50' \
	    'sales.tsv:5: format: kind must be sale or return' \
	    'sales.tsv:5: format: points_used is -0; zero is written without a sign' \
	    'sales.tsv:6: format: paid is -0; zero is written without a sign' \
	    'sales.tsv:6: format: goods is below zero in a sale' \
	    'sales.tsv:6: format: referral_points is below zero in a sale' \
	    'sales.tsv:6: format: items is empty in a sale' \
	    'sales.tsv:7: format: goods is above zero in a return' \
	    'sales.tsv:7: format: paid is above zero in a return'
}

@test "format: control characters, invalid UTF-8, long fields, column counts" {
	mkdir -m 700 "$D"
	add A 13800000001
	sale-post -q M000001 100
	printf '%s\n' "$(srow 2026-03-01T10:00:00 S2 M000001 100.00 0 100.00 100 2026-03-08 '' 0 normal '' '' 100 $'a\x01b')" >>"$D/sales.tsv"
	printf '%s\n' "$(srow 2026-03-01T10:00:00 S3 M000001 100.00 0 100.00 100 2026-03-08 '' 0 normal '' '' 100 $'a\x7f')" >>"$D/sales.tsv"
	printf '%s\n' "$(srow 2026-03-01T10:00:00 S4 M000001 100.00 0 100.00 100 2026-03-08 '' 0 normal '' '' 100 $'a\xc2\x85')" >>"$D/sales.tsv"
	printf '%s\n' "$(srow 2026-03-01T10:00:00 S5 M000001 100.00 0 100.00 100 2026-03-08 '' 0 normal $'\xff' '' 100 '')" >>"$D/sales.tsv"
	printf '%s\r\n' "$(srow 2026-03-01T10:00:00 S6 M000001 100.00 0 100.00 100 2026-03-08 '' 0 normal '' '' 100 '')" >>"$D/sales.tsv"
	put sales.tsv "$(srow 2026-03-01T10:00:00 S7 M000001 100.00 0 100.00 100 2026-03-08 '' 0 normal '' '' 100 "$(printf 'x%.0s' $(seq 4097))")"
	put sales.tsv 2026-03-01T10:00:00 S8 M000001 sale
	put sales.tsv "$(srow 2026-03-01T10:00:00 S9 M000001 100.00 0 100.00 100 2026-03-08 '' 0 normal '' '' 100 '')" more
	printf '\n\n' >>"$D/sales.tsv"
	put sales.tsv "$(srow 2026-03-01T10:00:00 S10 M000001 100.00 0 100.00 100 2026-03-08 '' 0 normal '' '' 100 '')"
	lc
	said 1 'sales.tsv:3: format: note holds a control character' \
	    'sales.tsv:4: format: note holds a control character' \
	    'sales.tsv:5: format: note holds a control character' \
	    'sales.tsv:6: format: store is not valid UTF-8' \
	    'sales.tsv:7: format: wallet holds a control character' \
	    'sales.tsv:8: format: note is longer than 4096 bytes' \
	    'sales.tsv:9: format: 4 fields, expected 19' \
	    'sales.tsv:10: format: 20 fields, but the header has 19'
}

@test "format: members.tsv, points.tsv, tiers.tsv" {
	mkdir -m 700 "$D"
	add A 13800000001
	put members.tsv 2026-03-01T10:00:00 'M 2' '' 1234 13-01 X '' '' '' '' '' '' maybe ''
	put members.tsv 2026-03-01T10:00:00 M000003 C +8613800000003 2026-02-29 F '' '' '' '' '' '' dnd ''
	put members.tsv 2026-03-01T10:00:00 "M$(printf '0%.0s' $(seq 32))" D '' '' '' '' '' '' '' '' '' '' ''
	points-adjust -q --reason seed M000001 5
	put points.tsv 2026-03-01T10:00:00 M000001 gift 5 2026-03-01 'a ref' ''
	put points.tsv 2026-03-01T10:00:00 M000001 adjust 1234567890123456 2026-03-01 '' ''
	put points.tsv 2026-03-01T10:00:00 '' adjust +5 2026-03-01 '' ''
	put tiers.tsv at member event from to since expires strikes reason
	put tiers.tsv 2026-03-01T00:00:00 M000001 promote normal '' 2026-03-01 never x ''
	lc
	said 1 'members.tsv:3: format: member must be 1 to 32 letters, digits, '"'-', '_' or '.'" \
	    'members.tsv:3: format: name is empty' \
	    'members.tsv:3: format: phone must be 5 to 20 digits, with an optional leading +' \
	    'members.tsv:3: format: birthday must be a real date as MM-DD or YYYY-MM-DD' \
	    'members.tsv:3: format: gender must be F, M or empty' \
	    'members.tsv:3: format: contact must be ok, dnd or empty' \
	    'members.tsv:4: format: birthday must be a real date as MM-DD or YYYY-MM-DD' \
	    'members.tsv:5: format: member must be 1 to 32 letters, digits, '"'-', '_' or '.'" \
	    'points.tsv:3: format: kind must be redeem, adjust, bonus or expire' \
	    'points.tsv:3: format: ref must be 1 to 64 letters, digits, '"'-', '_' or '.'" \
	    'points.tsv:4: format: points is too large' \
	    'points.tsv:5: format: member is empty' \
	    'points.tsv:5: format: points is not a whole number' \
	    'tiers.tsv:2: format: event must be upgrade, renew, downgrade or set' \
	    'tiers.tsv:2: format: to is empty' \
	    'tiers.tsv:2: format: expires is not a date like 2026-03-01' \
	    'tiers.tsv:2: format: strikes is not a whole number'
}

@test "format: wallet.tsv, notes.tsv, and staff.tsv kept by hand (BOM, CRLF)" {
	mkdir -m 700 "$D"
	add A 13800000001
	put wallet.tsv at member kind amount ref note
	put wallet.tsv 2026-03-01T10:00:00 M000001 topup 500.00 W1 ''
	put wallet.tsv 2026-03-01T10:00:00 M000001 refund -100.00 W2 ''
	put wallet.tsv 2026-03-01T10:00:00 M000001 topup -5.00 '' ''
	put wallet.tsv 2026-03-01T10:00:00 M000001 refund 5.00 '' ''
	put wallet.tsv 2026-03-01T10:00:00 M000001 gift 5 '' ''
	put notes.tsv at member kind staff task text
	put notes.tsv 2026-03-01T10:00:00 M000001 followup s1 big:S000001 'called her'
	put notes.tsv 2026-03-01T10:00:00 M000001 visit '' '' ''
	printf '\xef\xbb\xbfstaff\tname\tactive\r\ns1\tLi\tyes\r\ns2\tWang\tno\r\ns3\tZhao\tleft\r\n' >"$D/staff.tsv"
	lc
	said 1 'wallet.tsv:4: format: amount is not above zero in a topup' \
	    'wallet.tsv:5: format: amount is not below zero in a refund' \
	    'wallet.tsv:6: format: kind must be topup or refund' \
	    'wallet.tsv:6: format: amount is not an amount like 1280.50' \
	    'notes.tsv:2: references: task big:S000001 is no follow-up task of the rules and sales' \
	    'notes.tsv:3: format: kind must be followup, complaint, service, profile or contact' \
	    'staff.tsv:4: format: active must be yes or no'
}

@test "ids: receipts, return ids, and refs in points.tsv and wallet.tsv, at the later line" {
	shop
	put sales.tsv "$(srow 2026-03-01T10:00:00 S000003 M000002 10.00 0 10.00 10 2026-03-08 M000001 0 normal '' '' 10 '')"
	rrow 2026-03-01T10:00:00 S000005 M000001 S000001 -1.00 0 -1.00 -1 0 >>"$D/sales.tsv"
	echo >>"$D/sales.tsv"
	put points.tsv 2026-03-01T10:00:00 M000002 adjust 5 2026-03-01 V1 ''
	put points.tsv 2026-03-01T10:00:00 M000002 adjust 5 2026-03-01 '' ''
	put wallet.tsv at member kind amount ref note
	put wallet.tsv 2026-03-01T10:00:00 M000001 topup 500.00 V1 ''
	put wallet.tsv 2026-03-01T10:00:00 M000001 refund -100.00 V1 ''
	lc
	said 1 'sales.tsv:8: ids: receipt S000003 is already on line 4' \
	    'sales.tsv:9: ids: receipt S000005 is already on line 6' \
	    'points.tsv:4: ids: ref V1 is already on line 3' \
	    'wallet.tsv:3: ids: ref V1 is already on line 2'
}

@test "ids: a shared phone, at the record in force of the member registered later" {
	mkdir -m 700 "$D"
	add A 13800000001
	add B 13800000002
	add C 13800000003
	put members.tsv 2026-03-01T11:00:00 M000001 A 13800000003 '' '' '' '' '' '' '' '' ok ''
	put members.tsv 2026-03-01T12:00:00 M000002 B 13800000009 '' '' '' '' '' '' '' '' ok ''
	lc
	said 1 'members.tsv:4: ids: member M000003 has the same phone as M000001; give one of them another with member-edit'
	member-edit -q M000001 --phone 13800000001
	lc
	said 0
}

@test "ids: no member id is another member's current phone" {
	mkdir -m 700 "$D"
	add A 13800000001
	put members.tsv 2026-03-01T11:00:00 13800000002 B 13800000001 '' '' '' '' '' '' '' '' ok ''
	put members.tsv 2026-03-01T11:00:00 M000003 C 13800000002 '' '' '' '' '' '' '' '' ok ''
	put members.tsv 2026-03-01T11:00:00 M000004 D 13900000004 '' '' '' '' '' '' '' '' ok ''
	lc
	said 1 'members.tsv:3: ids: member 13800000002 has the same phone as M000001; give one of them another with member-edit' \
	    'members.tsv:4: ids: the phone of M000003 is the member id of 13800000002; give M000003 another phone with member-edit'
	# a member whose current phone is malformed has no phone to clash
	put members.tsv 2026-03-01T12:00:00 M000001 A M000004 '' '' '' '' '' '' '' '' ok ''
	lc
	said 1 'members.tsv:4: ids: the phone of M000003 is the member id of 13800000002; give M000003 another phone with member-edit' \
	    'members.tsv:6: format: phone must be 5 to 20 digits, with an optional leading +'
	# the id registered after the phone: reported at the id's record
	sed -i '$d' "$D/members.tsv"
	put members.tsv 2026-03-01T12:00:00 M000001 A 13900000004 '' '' '' '' '' '' '' '' ok ''
	put members.tsv 2026-03-01T12:00:00 M000004 D 13900000005 '' '' '' '' '' '' '' '' ok ''
	put members.tsv 2026-03-01T12:00:00 13900000004 E 13900000008 '' '' '' '' '' '' '' '' ok ''
	lc
	said 1 'members.tsv:4: ids: the phone of M000003 is the member id of 13800000002; give M000003 another phone with member-edit' \
	    'members.tsv:8: ids: the phone of M000001 is the member id of 13900000004; give M000001 another phone with member-edit'
}

@test "ids: a member's later rows are edits, not duplicates; a forgotten member's empty phone is no clash" {
	mkdir -m 700 "$D"
	add A 13800000001
	add B 13800000002
	member-edit -q M000001 --name Anna
	member-edit -q M000001 --phone 13800000009
	put members.tsv 2026-03-01T12:00:00 M000002 - '' '' '' '' '' '' '' '' '' dnd ''
	put members.tsv 2026-03-01T12:00:00 M000003 - '' '' '' '' '' '' '' '' '' dnd ''
	lc
	said 0
}

@test "references: members, referrers, a return's sale and member" {
	shop
	put members.tsv 2026-03-01T11:00:00 M000003 C 13800000003 '' '' '' '' '' M000004 '' '' ok ''
	put members.tsv 2026-03-01T11:00:00 M000004 D 13800000004 '' '' '' '' '' M000004 '' '' ok ''
	put sales.tsv "$(srow 2026-03-01T10:00:00 S9 M000009 10.00 0 10.00 10 2026-03-08 M000008 0 normal '' '' 10 '')"
	put sales.tsv "$(srow 2026-03-01T10:00:00 S10 M000001 10.00 0 10.00 10 2026-03-08 '' 0 normal '' '' 10 '')"
	put sales.tsv 2026-03-01T10:00:00 S11 M000001 sale S9 10.00 0 10.00 10 2026-03-08 '' 0 normal '' '' 10 '' '' ''
	rrow 2026-03-01T10:00:00 S12 M000001 S404 -1.00 0 -1.00 -1 0 >>"$D/sales.tsv"
	echo >>"$D/sales.tsv"
	rrow 2026-03-01T10:00:00 S13 M000001 S000004 -1.00 0 -1.00 -1 0 >>"$D/sales.tsv"
	echo >>"$D/sales.tsv"
	rrow 2026-03-01T10:00:00 S14 M000002 S10 -1.00 0 -1.00 -1 0 >>"$D/sales.tsv"
	echo >>"$D/sales.tsv"
	put points.tsv 2026-03-01T10:00:00 M000009 adjust 5 2026-03-01 '' ''
	put tiers.tsv 2026-03-01T00:00:00 M000009 set normal gold 2026-03-01 '' 0 x
	put wallet.tsv at member kind amount ref note
	put wallet.tsv 2026-03-01T10:00:00 M000009 topup 5.00 '' ''
	put notes.tsv at member kind staff task text
	put notes.tsv 2026-03-01T10:00:00 M000009 followup '' big:S000001 ''
	lc
	said 1 'members.tsv:4: references: referrer M000004 is not a member registered above this row' \
	    'members.tsv:5: references: member M000004 is its own referrer' \
	    'sales.tsv:8: references: member M000009 is not in members.tsv' \
	    'sales.tsv:8: references: referrer M000008 is not in members.tsv' \
	    'sales.tsv:10: references: sale S11 names the sale S9; a sale'"'"'s sale column is its own receipt' \
	    'sales.tsv:11: references: return S12 is of S404, which is not a sale above it' \
	    'sales.tsv:12: references: return S13 is of S000004, which is not a sale above it' \
	    'sales.tsv:13: references: return S14 is for member M000002, but its sale S10 is for M000001' \
	    'points.tsv:4: references: member M000009 is not in members.tsv' \
	    'tiers.tsv:3: references: member M000009 is not in members.tsv' \
	    'wallet.tsv:2: references: member M000009 is not in members.tsv' \
	    'notes.tsv:2: references: member M000009 is not in members.tsv' \
	    'notes.tsv:2: references: task big:S000001 is no follow-up task of member M000009'
}

@test "references: without members.tsv every member named is missing" {
	mkdir -m 700 "$D"
	put points.tsv at member kind points available_on ref note
	put points.tsv 2026-03-01T10:00:00 M000001 adjust 5 2026-03-01 '' ''
	lc
	said 1 'points.tsv:2: references: member M000001 is not in members.tsv'
}

@test "arithmetic: paid is goods less the value of points_used, at rules.conf's redeem_rate" {
	shop
	put sales.tsv "$(srow 2026-03-01T10:00:00 S9 M000001 100.00 300 98.00 98 2026-03-08 '' 0 normal '' '' 100 '')"
	put sales.tsv "$(srow 2026-03-01T10:00:00 S10 M000001 100.00 0 99.99 99 2026-03-08 '' 0 normal '' '' 100 '')"
	rrow 2026-03-01T11:00:00 S11 M000001 S10 -10.00 0 -9.98 -9 0 >>"$D/sales.tsv"
	echo >>"$D/sales.tsv"
	lc
	said 1 'sales.tsv:8: arithmetic: paid 98.00 is not goods 100.00 less the value of 300 points_used at redeem_rate 100' \
	    'sales.tsv:9: arithmetic: paid 99.99 is not goods 100.00 less the value of 0 points_used at redeem_rate 100' \
	    'sales.tsv:10: arithmetic: paid -9.98 is not goods -10.00 less the value of 0 points_used at redeem_rate 100'
	rules 'referral_pct 1' 'redeem_rate 150'
	sed -i '/\tS9\t/d; /\tS10\t/d; /\tS11\t/d' "$D/sales.tsv"
	lc
	said 1 'sales.tsv:3: arithmetic: paid 48.00 is not goods 50.00 less the value of 200 points_used at redeem_rate 150' \
	    'sales.tsv:6: arithmetic: paid -48.00 is not goods -50.00 less the value of -200 points_used at redeem_rate 150'
}

@test "arithmetic: a return's value within a cent of its exact share is right" {
	rules 'redeem_rate 300'
	add A 13800000001
	points-adjust -q --reason seed M000001 1000
	sale-post -q --use-points 300 M000001 3
	sale-return -q S000001 0.01
	sale-return -q S000001
	[ "$(body sales.tsv | cut -f6-8 | tr '\t\n' '  ')" = '3.00 300 2.00 -0.01 -1 0.00 -2.99 -299 -2.00 ' ]
	lc
	said 0
}

@test "arithmetic: no return takes back more than its sale has left" {
	shop
	rrow 2026-03-01T11:00:00 S9 M000001 S000001 -200.00 0 -200.00 -200 0 >>"$D/sales.tsv"
	echo >>"$D/sales.tsv"
	rrow 2026-03-01T11:00:00 S10 M000001 S000002 0.00 -1 0.01 0 0 >>"$D/sales.tsv"
	echo >>"$D/sales.tsv"
	rrow 2026-03-01T11:00:00 S11 M000002 S000003 -700.00 0 -700.00 -700 -601 >>"$D/sales.tsv"
	echo >>"$D/sales.tsv"
	lc
	said 1 'sales.tsv:8: arithmetic: return S9 takes back more goods than sale S000001 has left' \
	    'sales.tsv:9: format: paid is above zero in a return' \
	    'sales.tsv:9: arithmetic: return S10 takes back more points_used than sale S000002 has left' \
	    'sales.tsv:10: arithmetic: return S11 takes back more goods, referral_points than sale S000003 has left'
}

@test "tiers: each member's rows chain, from the last to, never going back in time" {
	shop
	put tiers.tsv 2026-03-20T00:00:00 M000002 set silver gold 2026-03-20 '' 0 x
	put tiers.tsv 2026-03-10T00:00:00 M000002 set normal gold 2026-03-10 '' 0 x
	put tiers.tsv 2026-03-10T00:00:00 M000001 set silver gold 2026-03-10 '' 0 x
	put tiers.tsv 2026-03-11T00:00:00 M000001 set gold normal 2026-03-11 '' 0 x
	lc
	said 1 'tiers.tsv:4: tiers: member M000002 goes from normal, but its row on line 3 left it at gold' \
	    "tiers.tsv:4: tiers: member M000002's row is dated before its row on line 3"
}

@test "torn: reported at its line; --repair sets it aside in torn/, then clean" {
	shop
	printf '2026-03-01T10:00:00\tS000009\tM000001\tsale\tS0' >>"$D/sales.tsv"
	printf '2026-03-01T10:00:00\tM0000' >>"$D/points.tsv"
	before=$(sha "$D"/*.tsv)
	lc
	said 1 'sales.tsv:8: torn: the last line has no line end: a write was cut short; run ledger-check --repair to set it aside in torn/sales.tsv' \
	    'points.tsv:4: torn: the last line has no line end: a write was cut short; run ledger-check --repair to set it aside in torn/points.tsv'
	[ "$(sha "$D"/*.tsv)" = "$before" ]
	lc --repair
	said 0 'sales.tsv: torn last line set aside in torn/sales.tsv' \
	    'points.tsv: torn last line set aside in torn/points.tsv'
	[ "$(cat "$D/torn/sales.tsv")" = $'2026-03-01T10:00:00\tS000009\tM000001\tsale\tS0' ]
	[ "$(tail -c 1 "$D/torn/sales.tsv" | od -An -c | tr -d ' ')" = '\n' ]
	[ "$(tail -c 1 "$D/sales.tsv" | od -An -c | tr -d ' ')" = '\n' ]
	[ "$(body sales.tsv | wc -l)" -eq 6 ]
	[ "$(stat -c %a "$D/torn")" = 700 ]
	[ "$(stat -c %a "$D/torn/sales.tsv")" = 600 ]
	lc
	said 0
	printf 'x' >>"$D/sales.tsv"
	lc --repair
	said 0 'sales.tsv: torn last line set aside in torn/sales.tsv'
	[ "$(cat "$D/torn/sales.tsv")" = $'2026-03-01T10:00:00\tS000009\tM000001\tsale\tS0\nx' ]
}

@test "torn: a torn header counts as empty; staff.tsv is reported, never set aside" {
	mkdir -m 700 "$D"
	add A 13800000001
	printf 'at\trec' >"$D/sales.tsv"
	printf 'staff\tname\tactive\ns1\tLi\tyes' >"$D/staff.tsv"
	lc
	said 1 'sales.tsv:1: torn: the last line has no line end: a write was cut short; run ledger-check --repair to set it aside in torn/sales.tsv' \
	    'staff.tsv:2: torn: the last line has no line end; end it with a newline'
	lc --repair
	said 1 'sales.tsv: torn last line set aside in torn/sales.tsv' \
	    'staff.tsv:2: torn: the last line has no line end; end it with a newline'
	[ ! -s "$D/sales.tsv" ]
	[ "$(cat "$D/torn/sales.tsv")" = $'at\trec' ]
	[ ! -e "$D/torn/staff.tsv" ]
	echo >>"$D/staff.tsv"
	sale-post -q M000001 100
	lc
	said 0
}

@test "torn: a row set aside is not read; a writer's next row goes on after it" {
	mkdir -m 700 "$D"
	add A 13800000001
	printf '2026-03-01T10:00:00\tM000002\tB\t1380' >>"$D/members.tsv"
	lc --repair -q
	said 0
	add B 13800000002
	lc
	said 0
	[ "$(body members.tsv | cut -f2 | tr '\n' ' ')" = 'M000001 M000002 ' ]
}

@test "intent: reported; --repair cuts each ledger back to its length, removes it" {
	shop
	s=$(stat -c %s "$D/sales.tsv")
	p=$(stat -c %s "$D/points.tsv")
	printf 'sales.tsv\t%s\npoints.tsv\t%s\nwallet.tsv\t0\n' "$s" "$p" >"$D/.intent"
	before=$(sha "$D"/*.tsv)
	put sales.tsv "$(srow 2026-03-01T10:00:00 S000009 M000001 1.00 0 1.00 1 2026-03-08 '' 0 normal '' '' 1 '')"
	printf '2026-03-01T10:00:00\tS000010\tM0' >>"$D/sales.tsv"
	lc
	said 1 '.intent:0: intent: a writer was stopped before it finished; run ledger-check --repair to undo its rows' \
	    'sales.tsv:9: torn: the last line has no line end: a write was cut short; run ledger-check --repair to set it aside in torn/sales.tsv'
	now=$(stat -c %s "$D/sales.tsv")
	lc --repair
	said 0 "sales.tsv: cut back from $now to $s bytes, the length .intent recorded" \
	    '.intent: recovered and removed'
	[ ! -e "$D/.intent" ]
	[ ! -e "$D/torn" ]
	[ "$(sha "$D"/*.tsv)" = "$before" ]
	lc
	said 0
}

@test "intent: a ledger shorter than recorded, or a malformed .intent, is exit 3 for a human" {
	shop
	s=$(stat -c %s "$D/sales.tsv")
	before=$(sha "$D"/*.tsv)
	printf 'sales.tsv\t%s\npoints.tsv\t999999\n' "$s" >"$D/.intent"
	lc --repair
	failed 3 "$D/points.tsv: shorter than the 999999 bytes $D/.intent records; a human must look at it and the ledgers"
	printf 'members.tsv\t0\n' >"$D/.intent"
	printf 'wallet.tsv\t1\n' >>"$D/.intent"
	lc --repair
	failed 3 "$D/wallet.tsv: shorter than the 1 bytes"
	for bad in 'sales.tsv 10' $'sales.tsv\t-1' $'../sales.tsv\t1' $'.lock\t0' $'sales.tsv\t1x' $'sales.tsv\t10'; do
		printf '%s' "$bad" >"$D/.intent"
		lc --repair
		failed 3 "$D/.intent:1: not FILE<TAB>LENGTH; a human must look at it and the ledgers"
	done
	printf 'sales.tsv\t10\n\n' >"$D/.intent"
	lc --repair
	failed 3 "$D/.intent:2: not FILE<TAB>LENGTH"
	[ "$(sha "$D"/*.tsv)" = "$before" ]
	[ -e "$D/.intent" ]
	lc
	said 1 '.intent:0: intent: a writer was stopped before it finished; run ledger-check --repair to undo its rows'
}

@test "intent: an empty .intent, and a ledger the writer was about to create" {
	mkdir -m 700 "$D"
	add A 13800000001
	: >"$D/.intent"
	lc --repair
	said 0 '.intent: recovered and removed'
	printf 'sales.tsv\t0\n' >"$D/.intent"
	lc --repair
	said 0 '.intent: recovered and removed'
	[ ! -e "$D/sales.tsv" ]
	sale-post -q M000001 100
	printf 'sales.tsv\t0\n' >"$D/.intent"
	now=$(stat -c %s "$D/sales.tsv")
	lc --repair
	said 0 "sales.tsv: cut back from $now to 0 bytes, the length .intent recorded" \
	    '.intent: recovered and removed'
	[ ! -s "$D/sales.tsv" ]
}

@test "modes: DIR, ledgers, .lock, torn/ and cache/; --repair sets them; rules.conf is the owner's" {
	shop
	mkdir -p "$D/torn" "$D/cache/sub"
	: >"$D/torn/sales.tsv"
	: >"$D/cache/sub/index"
	ln -s ../members.tsv "$D/cache/link"
	chmod 755 "$D" "$D/cache/sub"
	chmod 644 "$D/sales.tsv" "$D/.lock" "$D/torn/sales.tsv" "$D/cache/sub/index"
	chmod 640 "$D/rules.conf"
	chmod 711 "$D/torn"
	chmod 4600 "$D/points.tsv"
	lc
	said 1 '.:0: modes: mode 755, should be 700; run ledger-check --repair' \
	    '.lock:0: modes: mode 644, should be 600; run ledger-check --repair' \
	    'sales.tsv:0: modes: mode 644, should be 600; run ledger-check --repair' \
	    'points.tsv:0: modes: mode 4600, should be 600; run ledger-check --repair' \
	    'torn:0: modes: mode 711, should be 700; run ledger-check --repair' \
	    'torn/sales.tsv:0: modes: mode 644, should be 600; run ledger-check --repair' \
	    'cache/sub:0: modes: mode 755, should be 700; run ledger-check --repair' \
	    'cache/sub/index:0: modes: mode 644, should be 600; run ledger-check --repair'
	lc --repair
	said 0 '.: mode 755 changed to 700' \
	    '.lock: mode 644 changed to 600' \
	    'sales.tsv: mode 644 changed to 600' \
	    'points.tsv: mode 4600 changed to 600' \
	    'torn: mode 711 changed to 700' \
	    'torn/sales.tsv: mode 644 changed to 600' \
	    'cache/sub: mode 755 changed to 700' \
	    'cache/sub/index: mode 644 changed to 600'
	[ "$(stat -c %a "$D" "$D/sales.tsv" "$D/cache/sub" "$D/rules.conf" | tr '\n' ' ')" = '700 600 700 640 ' ]
	lc
	said 0
}

@test "cache: derived files with their modes are clean; nothing else is compared yet" {
	shop
	mkdir -p -m 700 "$D/cache"
	printf 'anything\n' >"$D/cache/index"
	lc
	said 0
}

@test "--repair: prints what it did, then the problems it left; the status is the check's" {
	shop
	chmod 644 "$D/members.tsv"
	put points.tsv 2026-03-01T10:00:00 M000009 adjust 5 2026-03-01 '' ''
	printf '2026-03-01' >>"$D/points.tsv"
	lc --repair
	said 1 'points.tsv: torn last line set aside in torn/points.tsv' \
	    'members.tsv: mode 644 changed to 600' \
	    'points.tsv:4: references: member M000009 is not in members.tsv'
	lc --repair
	said 1 'points.tsv:4: references: member M000009 is not in members.tsv'
	lc -q --repair
	said 1
	lc -q
	said 1
}

@test "-q: nothing printed, whatever is found or repaired; the status alone" {
	shop
	chmod 644 "$D/members.tsv"
	printf 'x' >>"$D/sales.tsv"
	lc -q
	said 1
	lc -q --repair
	said 0
	[ "$(stat -c %a "$D/members.tsv")" = 600 ]
	[ "$(cat "$D/torn/sales.tsv")" = x ]
}

@test "the lock: a held lock is waited for as -w, then exit 3 ledger busy; a torn row under it is no problem" {
	shop
	flock "$D/.lock" sleep 2 &
	sleep 0.3
	lc -w 0.2
	failed 3 'ledger busy'
	wait
	(flock 9; printf '2026-03-01T10:00:00\tM0' >>"$D/points.tsv"; sleep 1
	 truncate -s -22 "$D/points.tsv") 9>"$D/.lock" &
	sleep 0.3
	lc -w 5
	said 0
	wait
}

@test "a ledger that is not a regular file, or unreadable, is exit 3 naming it" {
	shop
	mkfifo "$D/wallet.tsv"
	lc
	failed 3 "$D/wallet.tsv: not a regular file"
	rm "$D/wallet.tsv"
	printf 'a\tb' >"$D/notes.tsv"
	for i in $(seq 70); do printf '\tx' >>"$D/notes.tsv"; done
	printf '\n' >>"$D/notes.tsv"
	lc
	failed 3 'notes.tsv:1: more than 64 fields'
}

@test "every problem line is FILE:LINE: CHECK: message, one check of the list" {
	shop
	chmod 644 "$D/sales.tsv"
	put sales.tsv "$(srow 2026-03-01T10:00:00 S000001 M000009 100.00 5 100.00 100 2026-03-08 '' 0 normal '' '' 100 '')"
	put tiers.tsv 2026-03-01T00:00:00 M000002 set silver gold 2026-03-01 '' 0 x
	put points.tsv bad
	printf 'x' >>"$D/points.tsv"
	: >"$D/.intent"
	lc
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 8 ]
	for l in "${lines[@]}"; do
		[[ $l =~ ^[a-z./]+:[0-9]+:\ (header|format|ids|references|arithmetic|tiers|torn|intent|modes|cache):\ [^[:upper:]] ]]
	done
}

@test "the example of ledger-check(1): a phone typed twice and a torn sale" {
	add Li 13800000001
	add Wang 13800000002
	put members.tsv 2026-03-01T11:00:00 M000003 Zhao 13800000001 '' '' '' '' '' '' '' '' ok ''
	sale-post -q M000001 1280
	printf '2026-03-01T12:00:00\tS000002\tM000002\tsale\tS0' >>"$D/sales.tsv"
	lc
	said 1 'members.tsv:4: ids: member M000003 has the same phone as M000001; give one of them another with member-edit' \
	    'sales.tsv:3: torn: the last line has no line end: a write was cut short; run ledger-check --repair to set it aside in torn/sales.tsv'
	lc --repair
	said 1 'sales.tsv: torn last line set aside in torn/sales.tsv' \
	    'members.tsv:4: ids: member M000003 has the same phone as M000001; give one of them another with member-edit'
	member-edit -q M000003 --phone 13900000003
	lc
	said 0
}

@test "cache: an index that disagrees with the ledgers is reported; --repair builds it again" {
	mkdir -m 700 "$D"
	add A 13800000001
	add B 13800000002
	sale-post -q M000001 100
	sale-post -q -r R-9 M000002 50
	lc
	said 0
	# the receipts' entries wiped, the header (and generation) kept
	size=$(stat -c %s "$D/cache/receipts.tab")
	dd if=/dev/zero of="$D/cache/receipts.tab" bs=1 seek=32 count=$((size - 32)) conv=notrunc 2>/dev/null
	lc
	said 1 'cache:0: cache: the index does not agree with the ledgers for S000001; run ledger-check --repair' \
	    'cache:0: cache: the index does not agree with the ledgers for R-9; run ledger-check --repair'
	lc --repair
	said 0 'cache: rebuilt'
	lc
	said 0
	ok sale-post -r R-9 M000002 50
	[ "$(body sales.tsv | wc -l)" -eq 2 ]
}
