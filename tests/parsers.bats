# parsers.bats: amounts, fields and lines as the readers take them: the limits of SPEC section 2.
load common

NOW=2026-03-01T10:00:00
SHEADER=$'at\treceipt\tmember\tkind\tsale\tgoods\tpoints_used\tpaid\tearned\tavailable_on\treferrer\treferral_points\ttier\tstore\tassociate\titems\tnote\tbirthday_units\twallet'
MHEADER=$'at\tmember\tname\tphone\tbirthday\tgender\temail\taddress\tsize\treferrer\tassociate\tstore\tcontact\tnote'
PHEADER=$'at\tmember\tkind\tpoints\tavailable_on\tref\tnote'

# says STATUS MESSAGE CMD...: CMD is refused with STATUS and exactly the
# one line MESSAGE on stderr, and changes no ledger
says() {
	local want=$1 msg=$2
	shift 2
	refused "$want" '' "$@"
	[ "$stderr" = "$msg" ]
}

# sales ROW...: sales.tsv of Ann's M000001, with these rows
sales() {
	mkdir -p "$D"
	{
		echo "$SHEADER"
		printf '%s\n' "$@"
	} >"$D/sales.tsv"
}

# a sale of GOODS (as the ledger holds it) by M000001
sale() {
	srow 2026-02-01T10:00:00 S000001 M000001 "$1" 0 "$1" 100 2026-02-08 '' 0 normal '' '' 100 ''
}

# repeat N CHAR: CHAR N times
repeat() {
	head -c "$1" /dev/zero | tr '\0' "$2"
}

# --- amounts and numbers in a ledger ---------------------------------------------

@test "a ledger amount of 15 digits before the point is read; 16 or more is exit 3 naming file:LINE" {
	add Ann 13800000001
	sales "$(sale 999999999999999.99)"
	ok report -N sales
	[ "$output" = $'2026-02-01\t1\t0\t999999999999999.99\t999999999999999.99\t100\t0\t1' ]
	local a
	for a in 9999999999999999.00 99999999999999999.00 -99999999999999999.00 \
		0000000000000000.00 92233720368547758.08; do
		sales "$(sale $a)"
		says 3 'report: sales.tsv:2: field 6 has more than 15 digits before the point' report sales
	done
	sales "$(sale -999999999999999.99)"
	ok report -N sales
	[ "$(cut -f 4 <<<"$output")" = -999999999999999.99 ]
}

@test "a sum of amounts never wraps into a negative total" {
	add Ann 13800000001
	sales "$(sale 99999999999999999.00)"
	says 3 'report: sales.tsv:2: field 6 has more than 15 digits before the point' report members
	says 3 'sale-post: sales.tsv:2: field 6 has more than 15 digits before the point' sale-post M000001 1
}

@test "a ledger integer of 16 digits is exit 3 naming file:LINE" {
	add Ann 13800000001
	{
		echo "$PHEADER"
		row 2026-02-01T10:00:00 M000001 adjust 999999999999999 2026-02-01 '' ''
		echo
	} >"$D/points.tsv"
	ok report -N member M000001
	{
		echo "$PHEADER"
		row 2026-02-01T10:00:00 M000001 adjust -1000000000000000 2026-02-01 '' ''
		echo
	} >"$D/points.tsv"
	says 3 'report: points.tsv:2: field 4 is too large' report member M000001
}

# --- control characters, UTF-8 and length of a field given -------------------------

@test "a field with any C0 or C1 control character or DEL is refused naming the field" {
	local c
	for c in $'\x01' $'\x1b' $'\x1f' $'\x7f' $'\xc2\x80' $'\xc2\x85' $'\xc2\x9b' $'\xc2\x9f'; do
		says 1 'member-add: name: contains a control character' \
			member-add --name "Ann${c}Lee" --phone 13800000001
		says 1 'member-add: note: contains a control character' \
			member-add --name Ann --phone 13800000001 --note "a${c}"
	done
	says 1 'member-add: note: contains a TAB' member-add --name Ann --phone 13800000001 --note $'a\tb'
	says 1 'member-add: note: contains a line break' member-add --name Ann --phone 13800000001 --note $'a\rb'
	says 1 'member-add: note: is not valid UTF-8' member-add --name Ann --phone 13800000001 --note $'a\xc2'
	[ ! -e "$D/members.tsv" ]
	# U+00A0, the first character after the C1 controls, is text
	ok member-add --name Ann --phone 13800000001 --note $'a\xc2\xa0b\xc3\xbf'
	[ "$(cut -f 14 <<<"$output")" = $'a\xc2\xa0b\xc3\xbf' ]
}

@test "a field of 4096 bytes is taken; 4097 is refused naming the field" {
	add Ann 13800000001
	ok sale-post --note "$(repeat 4096 n)" M000001 1
	[ "$(cut -f 17 <<<"$output" | wc -c)" -eq 4097 ]
	says 1 'sale-post: note: is longer than 4096 bytes' sale-post --note "$(repeat 4097 n)" M000001 1
	# a multibyte character counts its bytes
	says 1 'sale-post: store: is longer than 4096 bytes' sale-post --store "$(repeat 1366 x | sed 's/x/店/g')" M000001 1
	[ "$(body sales.tsv | wc -l)" -eq 1 ]
}

# --- batch input ------------------------------------------------------------------------

@test "batch: a NUL byte in a field is a bad row naming the field, not the text before it" {
	add Ann 13800000001
	before=$(ledgers)
	run --separate-stderr sale-post - < <(printf 'member\titems\nM000001\t12.80\0junk\nM000001\t5\n')
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = 'sale-post: line 2: items: contains a control character' ]
	[ "$(ledgers)" = "$before" ]
	run --separate-stderr member-add - < <(printf 'name\tphone\tnote\nBob\t13800000002\t\0\nCai\t1380000\0003\t\n')
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = 'member-add: line 2: note: contains a control character' ]
	[ "${stderr_lines[1]}" = 'member-add: line 3: phone: contains a control character' ]
	[ "${#stderr_lines[@]}" -eq 2 ]
	[ "$(ledgers)" = "$before" ]
}

@test "batch: every field is checked, the member and receipt columns too" {
	add Ann 13800000001
	local in
	in=$(printf '%s\n' $'member\titems\treceipt\tnote' $'M000001\t1\tR1\t\x01' \
		$'M000001\x1b\t1\tR2\t' $'M000001\t1\tR\xc2\x9b3\t' $'M000001\t1\tR4\tok\xff' \
		$'M000001\t1\tR5\tfine')
	batch_refused '2 3 4 5' sale-post - <<<"$in"
	[ "${stderr_lines[0]}" = 'sale-post: line 2: note: contains a control character' ]
	[ "${stderr_lines[1]}" = 'sale-post: line 3: member: contains a control character' ]
	[ "${stderr_lines[2]}" = 'sale-post: line 4: receipt: contains a control character' ]
	[ "${stderr_lines[3]}" = 'sale-post: line 5: note: is not UTF-8 text; save the file as "CSV UTF-8" (Excel and WPS otherwise write GBK)' ]
}

@test "batch: a row of more than 64 fields is a bad row, exit 1" {
	add Ann 13800000001
	local in
	in=$(printf 'member\titems\n'; printf 'M000001\t1'; repeat 70 '\t'; printf '\nM000001\t2\n')
	batch_refused 2 sale-post - <<<"$in"
	[ "$stderr" = 'sale-post: line 2: more than 64 fields, the header names 2' ]
	in=$(printf 'name\tphone\n'; printf 'Bob\t13800000002\n'; printf 'Cai\t13800000003'; repeat 64 '\t'; echo)
	batch_refused 3 member-add - <<<"$in"
	[ "$stderr" = 'member-add: line 3: more than 64 fields, the header names 2' ]
}

@test "batch: a header with a NUL byte or a control character is refused at line 1" {
	add Ann 13800000001
	run --separate-stderr sale-post - < <(printf 'at\0zzz\tmember\titems\n\tM000001\t12.80\n')
	[ "$status" -eq 1 ]
	[ "$stderr" = 'sale-post: line 1: column 1: contains a control character' ]
	run --separate-stderr sale-post - < <(printf 'member\0\titems\nM000001\t12.80\n')
	[ "$status" -eq 1 ]
	[ "$stderr" = 'sale-post: line 1: column 1: contains a control character' ]
	run --separate-stderr member-add - < <(printf 'name\tphone\x7f\nBob\t13800000002\n')
	[ "$status" -eq 1 ]
	[ "$stderr" = 'member-add: line 1: column 2: contains a control character' ]
	[ ! -e "$D/sales.tsv" ]
	[ "$(body members.tsv | wc -l)" -eq 1 ]
}

@test "batch: a 10 MB field is refused naming the field, exit 1, and the rest is read" {
	add Ann 13800000001
	before=$(ledgers)
	run --separate-stderr sale-post - < <(printf 'member\titems\tnote\nM000001\t1\t'; repeat 10000000 a
		printf '\nM000001\t2\t'; repeat 5000 b; printf '\nM000001\t'; repeat 10000000 1; printf '\t\n')
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "${stderr_lines[0]}" = 'sale-post: line 2: note: is longer than 4096 bytes' ]
	[ "${stderr_lines[1]}" = 'sale-post: line 3: note: is longer than 4096 bytes' ]
	[ "${stderr_lines[2]}" = 'sale-post: line 4: items: is longer than 4096 bytes' ]
	[ "${#stderr_lines[@]}" -eq 3 ]
	[ "$(ledgers)" = "$before" ]
	# a last line without LF, and a line of 10 MB in NUL bytes
	run --separate-stderr member-add - < <(printf 'name\tphone\tnote\nBob\t'; repeat 10000000 '\0')
	[ "$status" -eq 1 ]
	[ "$stderr" = 'member-add: line 2: phone: is longer than 4096 bytes' ]
	run --separate-stderr member-add - < <(printf 'name\tphone\n'; repeat 300000 '\t')
	[ "$status" -eq 1 ]
	[ "$stderr" = 'member-add: line 2: more than 64 fields, the header names 2' ]
	[ "$(ledgers)" = "$before" ]
}

@test "batch: CR LF ends a line (SPEC 10); a CR elsewhere is a line break in the field" {
	add Ann 13800000001
	ok sale-post -q - <<<$'member\titems\r\nM000001\t1\r'
	[ "$(body sales.tsv | cut -f6)" = 1.00 ]
	batch_refused 2 sale-post - <<<$'member\titems\nM000001\t1\r\r'
	[ "$stderr" = 'sale-post: line 2: items: contains a line break' ]
	batch_refused 1 sale-post - <<<$'member\titems\rx\nM000001\t1'
	[ "$stderr" = 'sale-post: line 1: column 2: contains a line break' ]
}

# --- control characters and long lines in a ledger -----------------------------------------

@test "a ledger row with a control character is malformed: exit 3 naming file:LINE and the field" {
	add Ann 13800000001
	local c
	for c in $'\x01' $'\x1b[2J' $'\x7f' $'\xc2\x9b' $'\r'; do
		{
			echo "$MHEADER"
			row $NOW M000001 "Ann${c}" 13800000001 '' '' '' '' '' '' '' '' ok ''
			echo
		} >"$D/members.tsv"
		says 3 'report: members.tsv:2: field 3 contains a control character' report members
		says 3 'member-add: members.tsv:2: field 3 contains a control character' \
			member-add --name Bob --phone 13800000002
	done
	{
		echo "$MHEADER"
		row $NOW M000001 Ann 13800000001 '' '' '' '' '' '' '' '' ok ''
		printf '\0\n'
	} >"$D/members.tsv"
	says 3 'report: members.tsv:2: field 14 contains a control character' report members
	printf 'at\0x\tmember\n' >"$D/members.tsv"
	says 3 'report: members.tsv:1: field 1 contains a control character' report members
	{
		echo "$MHEADER"
		row $NOW M000001 Ann 13800000001 '' '' '' '' '' '' '' '' ok $'\xff'
		echo
	} >"$D/members.tsv"
	says 3 'report: members.tsv:2: field 14 is not valid UTF-8' report members
}

@test "sales.tsv: a NUL in an amount is malformed, not the amount before it" {
	add Ann 13800000001
	sales "$(sale 12.80)"
	ok report -N sales
	[ "$(cut -f 4 <<<"$output")" = 12.80 ]
	printf '%s\n' "$SHEADER" "$(sale 12.80)" | sed 's/12\.80/12.80\x00junk/' >"$D/sales.tsv"
	says 3 'report: sales.tsv:2: field 6 contains a control character' report sales
}

@test "a ledger line of more than 64 fields, or a field past the longest line, is exit 3" {
	add Ann 13800000001
	{
		echo "$MHEADER"
		row $NOW M000001 Ann 13800000001 '' '' '' '' '' '' '' '' ok ''
		repeat 60 '\t'
		echo
	} >"$D/members.tsv"
	says 3 'report: members.tsv:2: more than 64 fields' report members
	{
		echo "$MHEADER"
		row $NOW M000001 Ann 13800000001 '' '' '' '' '' '' '' '' ok "$(repeat 300000 x)"
		echo
	} >"$D/members.tsv"
	says 3 'report: members.tsv:2: field 14 is longer than 4096 bytes' report members
}

@test "staff.tsv kept by hand may start with a BOM and end its lines in CR LF" {
	mkdir -p "$D"
	printf '\xef\xbb\xbfstaff\tname\tactive\r\nA1\tLi\tyes\r\nA2\tWu\tno\r\n' >"$D/staff.tsv"
	ok member-add --name Ann --phone 13800000001 --associate A1
	says 1 'member-add: associate: A2 is not active in staff.tsv' \
		member-add --name Bob --phone 13800000002 --associate A2
	printf 'staff\tname\tactive\nA1\tL\ri\tyes\n' >"$D/staff.tsv"
	says 3 'member-add: staff.tsv:2: field 2 contains a control character' \
		member-add --name Bob --phone 13800000002 --associate A1
	# elsewhere a CR is a control character like any other
	printf '%s\r\n' "$MHEADER" >"$D/members.tsv"
	says 3 'report: members.tsv:1: field 14 contains a control character' report members
}

# --- ITEM arguments ---------------------------------------------------------------------------

@test "sale-post: an ITEM argument with a comma is refused, not split into two items" {
	add Ann 13800000001
	says 1 'sale-post: items: an item has a comma: give each item as its own argument, e.g. 12 5' \
		sale-post M000001 12,5
	says 1 'sale-post: items: an item has a comma: give each item as its own argument, e.g. 12 5' \
		sale-post M000001 1 2x5/9@A,B
	[ ! -e "$D/sales.tsv" ]
	ok sale-post M000001 12 5
	[ "$(cut -f 6,16 <<<"$output")" = $'17.00\t12,5' ]
}
