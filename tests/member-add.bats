# member-add: registering members, one at a time and in batches, and what it refuses.
load common

# mrow AT ID NAME PHONE [CONTACT]: a members.tsv row with no optional fields
mrow() {
	row "$1" "$2" "$3" "$4" '' '' '' '' '' '' '' '' "${5:-ok}" ''
}

HEADER=$'at\tmember\tname\tphone\tbirthday\tgender\temail\taddress\tsize\treferrer\tassociate\tstore\tcontact\tnote'
NOW=2026-03-01T10:00:00

# --- single members ---------------------------------------------------------

@test "ids M000001, M000002 are given in order; each row is printed as written" {
	ok member-add --name Ann --phone 13800000001
	[ "$output" = "$(mrow $NOW M000001 Ann 13800000001)" ]
	ok member-add --name Bob --phone 13800000002
	[ "$output" = "$(mrow $NOW M000002 Bob 13800000002)" ]
	[ "$(head -n 1 "$D/members.tsv")" = "$HEADER" ]
	[ "$(body members.tsv)" = "$(mrow $NOW M000001 Ann 13800000001; echo; mrow $NOW M000002 Bob 13800000002)" ]
	[ "$(wc -l <"$D/members.tsv")" -eq 3 ]
}

@test "every option lands in its own column" {
	add Ann 13800000001
	ok member-add --id VIP-7.x_1 --name 王芳 --phone +8613800000002 \
		--birthday 1990-05-17 --gender F --email wf@example.com \
		--address '1 Nanjing Rd, Shanghai' --size L --referrer M000001 \
		--associate A1 --store Main --dnd --note 'likes red, size L'
	local want
	want=$(row $NOW VIP-7.x_1 王芳 +8613800000002 1990-05-17 F wf@example.com \
		'1 Nanjing Rd, Shanghai' L M000001 A1 Main dnd 'likes red, size L')
	[ "$output" = "$want" ]
	[ "$(tail -n 1 "$D/members.tsv")" = "$want" ]
}

@test "--opt=value works as well as --opt value" {
	ok member-add --name=Ann --phone=13800000001 --birthday=02-29 --gender=M
	[ "$output" = "$(row $NOW M000001 Ann 13800000001 02-29 M '' '' '' '' '' '' ok '')" ]
}

@test "contact is ok unless --dnd" {
	ok member-add --name Ann --phone 13800000001
	[ "$(cut -f 13 <<<"$output")" = ok ]
	ok member-add --name Bob --phone 13800000002 --dnd
	[ "$(cut -f 13 <<<"$output")" = dnd ]
}

@test "at is VIPLEDGER_NOW; a bare date means T00:00:00" {
	ok env VIPLEDGER_NOW=2025-12-31T23:59:59 member-add --name Ann --phone 13800000001
	[ "$output" = "$(mrow 2025-12-31T23:59:59 M000001 Ann 13800000001)" ]
	ok env VIPLEDGER_NOW=2026-01-02 member-add --name Bob --phone 13800000002
	[ "$output" = "$(mrow 2026-01-02T00:00:00 M000002 Bob 13800000002)" ]
}

@test "a malformed VIPLEDGER_NOW is a usage error" {
	refused 2 '' env VIPLEDGER_NOW=2026-02-30 member-add --name Ann --phone 13800000001
	refused 2 '' env VIPLEDGER_NOW=yesterday member-add --name Ann --phone 13800000001
	[ ! -e "$D/members.tsv" ]
}

@test "--referrer takes a phone and records the member id" {
	add Ann 13800000001
	ok member-add --name Bob --phone 13800000002 --referrer 13800000001
	[ "$output" = "$(row $NOW M000002 Bob 13800000002 '' '' '' '' '' M000001 '' '' ok '')" ]
}

@test "the first write creates DIR 0700, .lock and members.tsv 0600, header first" {
	umask 000
	[ ! -e "$D" ]
	ok member-add --name Ann --phone 13800000001
	[ "$(stat -c %a "$D")" = 700 ]
	[ "$(stat -c %a "$D/members.tsv")" = 600 ]
	[ "$(stat -c %a "$D/.lock")" = 600 ]
	[ "$(head -n 1 "$D/members.tsv")" = "$HEADER" ]
}

@test "an existing DIR keeps its mode" {
	mkdir -m 750 "$D"
	ok member-add --name Ann --phone 13800000001
	[ "$(stat -c %a "$D")" = 750 ]
	[ "$(stat -c %a "$D/members.tsv")" = 600 ]
}

@test "-d creates missing parents and wins over VIPLEDGER_DIR" {
	local other=$BATS_TEST_TMPDIR/a/b/shop
	ok member-add -d "$other" --name Ann --phone 13800000001
	[ "$output" = "$(mrow $NOW M000001 Ann 13800000001)" ]
	[ "$(stat -c %a "$other")" = 700 ]
	[ "$(tail -n 1 "$other/members.tsv")" = "$output" ]
	[ ! -e "$D/members.tsv" ]
}

@test "without -d and VIPLEDGER_DIR: XDG_DATA_HOME/vipledger, then ~/.local/share/vipledger" {
	ok env -u VIPLEDGER_DIR XDG_DATA_HOME="$BATS_TEST_TMPDIR/xdg" \
		member-add --name Ann --phone 13800000001
	[ "$(tail -n +2 "$BATS_TEST_TMPDIR/xdg/vipledger/members.tsv")" = "$(mrow $NOW M000001 Ann 13800000001)" ]
	[ "$(stat -c %a "$BATS_TEST_TMPDIR/xdg/vipledger")" = 700 ]
	mkdir "$BATS_TEST_TMPDIR/home"
	ok env -u VIPLEDGER_DIR -u XDG_DATA_HOME HOME="$BATS_TEST_TMPDIR/home" \
		member-add --name Bob --phone 13800000002
	[ "$(tail -n +2 "$BATS_TEST_TMPDIR/home/.local/share/vipledger/members.tsv")" = "$(mrow $NOW M000001 Bob 13800000002)" ]
	[ ! -e "$D" ]
}

@test "--id gives the id; automatic ids go on from the highest M number" {
	ok member-add --id VIP1 --name Ann --phone 13800000001
	[ "$output" = "$(mrow $NOW VIP1 Ann 13800000001)" ]
	ok member-add --name Bob --phone 13800000002
	[ "$output" = "$(mrow $NOW M000001 Bob 13800000002)" ]
	ok member-add --id M000005 --name Cai --phone 13800000003
	ok member-add --name Dan --phone 13800000004
	[ "$output" = "$(mrow $NOW M000006 Dan 13800000004)" ]
}

@test "--id is 1 to 32 ASCII letters, digits, - _ ." {
	local id32=abcdefghijklmnopqrstuvwxyz012345
	ok member-add --id "$id32" --name Ann --phone 13800000001
	[ "$(cut -f 2 <<<"$output")" = "$id32" ]
	refused 1 id member-add --id "${id32}6" --name Bob --phone 13800000002
	refused 1 id member-add --id 'a b' --name Bob --phone 13800000002
	refused 1 id member-add --id 'M/1' --name Bob --phone 13800000002
	refused 1 id member-add --id 'Ä1' --name Bob --phone 13800000002
	[ "$(wc -l <"$D/members.tsv")" -eq 2 ]
}

@test "an empty --id is refused, not taken for an automatic id" {
	refused 1 id member-add --id '' --name Bob --phone 13800000002
	[ ! -e "$D/members.tsv" ]
}

@test "refuses an id already taken" {
	add Ann 13800000001
	add Bob 13800000002 --id VIP1
	refused 1 id member-add --id M000001 --name Cai --phone 13800000003
	refused 1 id member-add --id VIP1 --name Cai --phone 13800000003
}

@test "refuses a phone already taken" {
	add Ann 13800000001
	refused 1 phone member-add --name Bob --phone 13800000001
	refused 1 phone member-add --id VIP1 --name Bob --phone 13800000001
	[ "$(body members.tsv)" = "$(mrow $NOW M000001 Ann 13800000001)" ]
}

@test "phones compare as plain strings: +86138... and 138... are different" {
	add Ann 13800000001
	ok member-add --name Bob --phone +8613800000001
	[ "$output" = "$(mrow $NOW M000002 Bob +8613800000001)" ]
}

@test "a phone is 5 to 20 digits with an optional leading +" {
	local n=0 p
	for p in 12345 +12345 12345678901234567890 +12345678901234567890 0000000; do
		n=$((n + 1))
		ok member-add --name "P$n" --phone "$p"
		[ "$output" = "$(mrow $NOW "$(printf 'M%06d' $n)" "P$n" "$p")" ]
	done
	for p in 1234 +1234 123456789012345678901 '138-0000-0001' '138 00000001' \
		++12345 12345+ 1+2345 '' abcde '１２３４５' $'12345\t6'; do
		refused 1 phone member-add --name X --phone "$p"
	done
	[ "$(wc -l <"$D/members.tsv")" -eq 6 ]
}

@test "a birthday is MM-DD (Feb 29 allowed) or a real YYYY-MM-DD" {
	local n=0 b
	for b in 02-29 12-31 01-01 2024-02-29 1990-05-17 2000-12-31; do
		n=$((n + 1))
		ok member-add --name "B$n" --phone "1380000000$n" --birthday "$b"
		[ "$(cut -f 5 <<<"$output")" = "$b" ]
	done
	for b in 2025-02-29 02-30 04-31 13-01 00-10 01-00 2-3 1990-1-1 2026-04-31 \
		1990/05/17 0517 05-17-1990 x; do
		refused 1 birthday member-add --name X --phone 13900000000 --birthday "$b"
	done
	[ "$(wc -l <"$D/members.tsv")" -eq 7 ]
}

@test "gender is F, M (女, 男 as a register writes them) or empty" {
	ok member-add --name Ann --phone 13800000001 --gender F
	ok member-add --name Bob --phone 13800000002 --gender M
	ok member-add --name Cai --phone 13800000003 --gender ''
	ok member-add --name Dai --phone 13800000004 --gender 女
	ok member-add --name Eli --phone 13800000005 --gender 男
	[ "$(cut -f 6 "$D/members.tsv" | paste -sd ' ')" = 'gender F M  F M' ]
	local g
	for g in f m X FM 'F ' female 女士 ' 女'; do
		refused 1 gender member-add --name X --phone 13900000000 --gender "$g"
	done
}

@test "refuses an unknown referrer, by id or by phone" {
	add Ann 13800000001
	refused 1 'referrer|M000009' member-add --name Bob --phone 13800000002 --referrer M000009
	refused 1 'referrer|13900000000' member-add --name Bob --phone 13800000002 --referrer 13900000000
	refused 1 'referrer|VIP1' member-add --id VIP1 --name Bob --phone 13800000002 --referrer VIP1
	[ "$(wc -l <"$D/members.tsv")" -eq 2 ]
}

@test "without staff.tsv any associate is taken" {
	ok member-add --name Ann --phone 13800000001 --associate A7
	[ "$(cut -f 11 <<<"$output")" = A7 ]
}

@test "with staff.tsv the associate must be listed as active, the last row in force" {
	staff 'A1 Li yes' 'A2 Wang yes' 'A3 Zhao no' 'A2 Wang no' 'A3 Zhao yes'
	ok member-add --name Ann --phone 13800000001 --associate A1
	[ "$(cut -f 11 <<<"$output")" = A1 ]
	ok member-add --name Bob --phone 13800000002 --associate A3
	[ "$(cut -f 11 <<<"$output")" = A3 ]
	refused 1 'associate|A2' member-add --name Cai --phone 13800000003 --associate A2
	refused 1 'associate|A9' member-add --name Cai --phone 13800000003 --associate A9
	[ "$(wc -l <"$D/members.tsv")" -eq 3 ]
}

@test "a field with TAB, CR, LF or invalid UTF-8 is refused naming the field" {
	refused 1 name member-add --name $'Ann\tLee' --phone 13800000001
	refused 1 name member-add --name $'Ann\nLee' --phone 13800000001
	refused 1 name member-add --name $'Ann\xff' --phone 13800000001
	refused 1 email member-add --name Ann --phone 13800000001 --email $'a@b\r'
	refused 1 address member-add --name Ann --phone 13800000001 --address $'Road 1\nFlat 2'
	refused 1 address member-add --name Ann --phone 13800000001 --address $'\xe4\xb8'
	refused 1 size member-add --name Ann --phone 13800000001 --size $'L\tXL'
	refused 1 store member-add --name Ann --phone 13800000001 --store $'Main\r\n'
	refused 1 note member-add --name Ann --phone 13800000001 --note $'likes\tred'
	refused 1 note member-add --name Ann --phone 13800000001 --note $'\xc0\xafx'
	refused 1 associate member-add --name Ann --phone 13800000001 --associate $'A\t1'
	[ ! -e "$D/members.tsv" ]
}

@test "free-text fields keep UTF-8, commas and spaces as given" {
	ok member-add --name '李 小龙' --phone 13800000001 --address '上海市, 南京路 1 号' \
		--note '喜欢红色 😀' --email 'x y@z' --size 'XL, wide' --store '店 1'
	[ "$output" = "$(row $NOW M000001 '李 小龙' 13800000001 '' '' 'x y@z' \
		'上海市, 南京路 1 号' 'XL, wide' '' '' '店 1' ok '喜欢红色 😀')" ]
}

@test "a refused command writes no ledger" {
	refused 1 phone member-add --name Ann --phone 12
	[ ! -e "$D/members.tsv" ]
	add Ann 13800000001
	refused 1 phone member-add --name Bob --phone 13800000001
	[ "$(body members.tsv)" = "$(mrow $NOW M000001 Ann 13800000001)" ]
}

# --- usage ------------------------------------------------------------------

@test "missing --name or --phone is a usage error" {
	usage member-add --phone 13800000001
	usage member-add --name Ann
	usage member-add
	[ ! -e "$D/members.tsv" ]
}

@test "an unknown option, a missing value or an operand is a usage error" {
	usage member-add --name Ann --phone 13800000001 --colour red
	usage member-add --name Ann --phone 13800000001 -x
	usage member-add --name Ann --phone
	usage member-add --name Ann --phone 13800000001 extra
	[ ! -e "$D/members.tsv" ]
}

@test "-h and --help print usage on stdout and exit 0" {
	ok member-add --help
	[[ $output == *member-add* ]]
	ok member-add -h
	[[ $output == *member-add* ]]
	[ ! -e "$D" ]
}

@test "-V and --version print PROG (vipledger) VERSION" {
	ok member-add -V
	[[ $output == 'member-add (vipledger) '?* ]]
	ok member-add --version
	[[ $output == 'member-add (vipledger) '?* ]]
}

@test "a broken rules.conf stops it (exit 1) but not --help" {
	rules 'hold_days 7' 'no_such_setting 3'
	ok member-add --help
	refused 1 'rules.conf:2:' member-add --name Ann --phone 13800000001
	[ ! -e "$D/members.tsv" ]
}

# --- -q and --dry-run ---------------------------------------------------------

@test "-q writes the row and prints nothing" {
	ok member-add -q --name Ann --phone 13800000001
	[ -z "$output" ]
	[ "$(body members.tsv)" = "$(mrow $NOW M000001 Ann 13800000001)" ]
}

@test "--dry-run prints the row it would write and creates nothing" {
	ok member-add --dry-run --name Ann --phone 13800000001
	[ "$output" = "$(mrow $NOW M000001 Ann 13800000001)" ]
	[ ! -e "$D" ]
	ok member-add -q --dry-run --name Ann --phone 13800000001
	[ -z "$output" ]
	[ ! -e "$D" ]
}

@test "--dry-run is checked like the real thing and leaves the ledger alone" {
	add Ann 13800000001
	local before
	before=$(ledgers)
	ok member-add --dry-run --name Bob --phone 13800000002
	[ "$output" = "$(mrow $NOW M000002 Bob 13800000002)" ]
	[ "$(ledgers)" = "$before" ]
	refused 1 phone member-add --dry-run --name Bob --phone 13800000001
}

# --- locking, torn lines, unreadable ledgers -------------------------------------

@test "-w: a held lock gives exit 3 after the wait; a malformed -w is a usage error" {
	mkdir -p "$D"
	exec 9>"$D/.lock"
	flock 9
	refused 3 busy member-add -w 0 --name Ann --phone 13800000001
	refused 3 busy member-add -w 0.5 --name Ann --phone 13800000001
	exec 9>&-
	usage member-add -w abc --name Ann --phone 13800000001
	usage member-add -w -1 --name Ann --phone 13800000001
	[ ! -e "$D/members.tsv" ]
	ok member-add -w 0 --name Ann --phone 13800000001
	[ "$output" = "$(mrow $NOW M000001 Ann 13800000001)" ]
}

@test "a torn last line is set aside into torn/members.tsv before appending" {
	add Ann 13800000001
	printf '2026-03-01T09:00:00\tM000002\tBo' >>"$D/members.tsv"
	warned member-add --name Bob --phone 13800000002
	[ "$output" = "$(mrow $NOW M000002 Bob 13800000002)" ]
	[ "$(body members.tsv)" = "$(mrow $NOW M000001 Ann 13800000001; echo; mrow $NOW M000002 Bob 13800000002)" ]
	[ "$(cat "$D/torn/members.tsv")" = $'2026-03-01T09:00:00\tM000002\tBo' ]
	[ "$(tail -c 1 "$D/torn/members.tsv" | od -An -c | tr -d ' ')" = '\n' ]
	[ "$(stat -c %a "$D/torn")" = 700 ]
	[ "$(stat -c %a "$D/torn/members.tsv")" = 600 ]
}

@test "a torn header counts as an empty file and gets its header again" {
	mkdir -p "$D"
	printf 'at\tmember\tna' >"$D/members.tsv"
	warned member-add --name Ann --phone 13800000001
	[ "$(cat "$D/members.tsv")" = "$HEADER"$'\n'"$(mrow $NOW M000001 Ann 13800000001)" ]
}

@test "a bad header or a malformed row in members.tsv is exit 3 naming file:LINE" {
	mkdir -p "$D"
	printf 'at\tmember\tname\n' >"$D/members.tsv"
	refused 3 'members.tsv:1' member-add --name Ann --phone 13800000001
	{
		echo "$HEADER"
		mrow $NOW M000001 Ann 13800000001
		echo
		mrow 2026-13-01T10:00:00 M000002 Bob 13800000002
		echo
	} >"$D/members.tsv"
	refused 3 'members.tsv:3' member-add --name Cai --phone 13800000003
}

@test "arguments are UTF-8 whatever the locale" {
	ok env LC_ALL=C member-add --name 王芳 --phone 13800000001 --note 'ü'
	[ "$output" = "$(row $NOW M000001 王芳 13800000001 '' '' '' '' '' '' '' '' ok 'ü')" ]
}

# --- batch --------------------------------------------------------------------

@test "batch: every row in order, columns in any order, referrer to an earlier row" {
	local in
	in=$(printf '%s\n' $'phone\tname\treferrer\tcontact\tbirthday' \
		$'13800000001\tAnn\t\t\t05-17' \
		$'13800000002\tBob\tM000001\tdnd\t' \
		$'13800000003\tCai\t13800000002\tok\t')
	ok member-add - <<<"$in"
	local want
	want=$(row $NOW M000001 Ann 13800000001 05-17 '' '' '' '' '' '' '' ok ''
		echo
		row $NOW M000002 Bob 13800000002 '' '' '' '' '' M000001 '' '' dnd ''
		echo
		row $NOW M000003 Cai 13800000003 '' '' '' '' '' M000002 '' '' ok '')
	[ "$output" = "$want" ]
	[ "$(body members.tsv)" = "$want" ]
}

@test "batch: every column of members.tsv but at; member works as --id; blank lines skipped" {
	add Zed 13800000009
	local in
	in=$(printf '%s\n' \
		$'note\tcontact\tstore\tassociate\treferrer\tsize\taddress\temail\tgender\tbirthday\tphone\tname\tmember' \
		$'vip\tdnd\tMain\tA1\tM000001\tM\tRoad 1\ta@x.cn\tF\t1990-05-17\t13800000001\tAnn\tVIP1' \
		'' \
		$'\t\t\t\tVIP1\t\t\t\t\t\t13800000002\tBob\t')
	ok member-add - <<<"$in"
	local want
	want=$(row $NOW VIP1 Ann 13800000001 1990-05-17 F a@x.cn 'Road 1' M M000001 A1 Main dnd vip
		echo
		row $NOW M000002 Bob 13800000002 '' '' '' '' '' VIP1 '' '' ok '')
	[ "$output" = "$want" ]
	[ "$(body members.tsv)" = "$(mrow $NOW M000001 Zed 13800000009; echo; echo "$want")" ]
}

@test "batch: all or nothing, one stderr line per bad row" {
	local in
	in=$(printf '%s\n' $'name\tphone' $'Ann\t13800000001' $'Bob\t12' $'Cai\t13800000003')
	batch_refused 3 member-add - <<<"$in"
	[[ $stderr == *phone* ]]
	[ ! -e "$D/members.tsv" ]

	in=$(printf '%s\n' $'name\tphone\tgender' $'Ann\t1\tF' $'Bob\t13800000002\tF' \
		$'Cai\t13800000003\tX' $'Dan\t13800000004\tM')
	batch_refused '2 4' member-add - <<<"$in"
	[[ ${stderr_lines[0]} == *phone* ]]
	[[ ${stderr_lines[1]} == *gender* ]]
	[ ! -e "$D/members.tsv" ]
}

@test "batch: a bad row leaves an existing ledger unchanged" {
	add Ann 13800000001
	local in
	in=$(printf '%s\n' $'name\tphone\tbirthday' $'Bob\t13800000002\t' $'Cai\t13800000003\t2025-02-29')
	batch_refused 3 member-add - <<<"$in"
	[[ $stderr == *birthday* ]]
	[ "$(body members.tsv)" = "$(mrow $NOW M000001 Ann 13800000001)" ]
}

@test "batch: a phone taken in the ledger or earlier in the batch is refused" {
	add Ann 13800000001
	local in
	in=$(printf '%s\n' $'name\tphone' $'Bob\t13800000001')
	batch_refused 2 member-add - <<<"$in"
	[[ $stderr == *phone* ]]
	in=$(printf '%s\n' $'name\tphone' $'Bob\t13800000002' $'Cai\t13800000002')
	batch_refused 3 member-add - <<<"$in"
	[[ $stderr == *phone* ]]
	in=$(printf '%s\n' $'member\tname\tphone' $'VIP1\tBob\t13800000002' $'VIP1\tCai\t13800000003')
	batch_refused 3 member-add - <<<"$in"
}

@test "batch: a referrer named only by a later row is unknown" {
	local in
	in=$(printf '%s\n' $'member\tname\tphone\treferrer' $'VIP1\tAnn\t13800000001\tVIP2' \
		$'VIP2\tBob\t13800000002\t')
	batch_refused 2 member-add - <<<"$in"
	[[ $stderr == *referrer* ]]
	[ ! -e "$D/members.tsv" ]
}

@test "batch: bad fields, contact, missing name or phone are refused by line" {
	local in
	in=$(printf '%s\n' $'name\tphone\tcontact\tnote' $'Ann\t13800000001\tmaybe\t' \
		$'\t13800000002\t\t' $'Cai\t\t\t' $'Dan\t13800000004\tok\t\xff')
	batch_refused '2 3 4 5' member-add - <<<"$in"
	[[ ${stderr_lines[0]} == *contact* ]]
	[[ ${stderr_lines[1]} == *name* ]]
	[[ ${stderr_lines[2]} == *phone* ]]
	[[ ${stderr_lines[3]} == *note* ]]
	[ ! -e "$D/members.tsv" ]
}

@test "batch: a row with too few or too many fields is a bad row like any other" {
	local in
	in=$(printf '%s\n' $'name\tphone\tnote' $'Ann\t13800000001\t' $'Eve\t13800000005' \
		$'Bob\t1\t' $'Cai\t13800000003\t\t')
	batch_refused '3 4 5' member-add - <<<"$in"
	[[ ${stderr_lines[1]} == *phone* ]]
	[ ! -e "$D/members.tsv" ]
}

@test "batch: line numbers count the header and blank lines" {
	local in
	in=$(printf '%s\n' $'name\tphone' $'Ann\t13800000001' '' $'Bob\t1')
	batch_refused 4 member-add - <<<"$in"
}

@test "batch: an unknown or repeated column, or at, is line 1" {
	local h
	for h in $'name\tphone\tcolour' $'name\tphone\tname' $'at\tname\tphone' $'name\tphone\tNote'; do
		batch_refused 1 member-add - <<<"$h"$'\n'$'Ann\t13800000001\tx'
	done
	[ ! -e "$D/members.tsv" ]
}

@test "batch: --dry-run prints the rows and creates nothing; -q prints nothing" {
	local in
	in=$(printf '%s\n' $'name\tphone' $'Ann\t13800000001' $'Bob\t13800000002')
	ok member-add --dry-run - <<<"$in"
	[ "$output" = "$(mrow $NOW M000001 Ann 13800000001; echo; mrow $NOW M000002 Bob 13800000002)" ]
	[ ! -e "$D" ]
	ok member-add -q - <<<"$in"
	[ -z "$output" ]
	[ "$(body members.tsv)" = "$(mrow $NOW M000001 Ann 13800000001; echo; mrow $NOW M000002 Bob 13800000002)" ]
}

@test "batch: --dry-run still refuses bad rows" {
	local in
	in=$(printf '%s\n' $'name\tphone' $'Ann\t13800000001' $'Bob\t13800000001')
	batch_refused 3 member-add --dry-run - <<<"$in"
	[ ! -e "$D" ]
}

@test "batch: field options together with - are a usage error" {
	usage member-add --name Ann - <<<$'phone\n13800000001'
	usage member-add --store Main - <<<$'name\tphone\nAnn\t13800000001'
	[ ! -e "$D/members.tsv" ]
}
