# badinput.bats: every malformed argument, batch row or ledger line is
# refused with one line "PROG: ...", the right exit status (record data 1,
# malformed options 2, unreadable ledgers 3), nothing on stdout, and no
# ledger changed (SPEC sections 2, 3 and 11).
load common
load harness

# the bad values: control characters (\x01 stands for NUL, which no
# argument can hold), ESC, DEL, a C1 control, invalid UTF-8, a value
# longer than a field may be, a negative and a huge number
v_tab=$'a\tb'
v_cr=$'a\rb'
v_lf=$'a\nb'
v_nul=$'a\x01b'
v_esc=$'\e[31m'
v_del=$'a\x7fb'
v_c1=$'a\xc2\x85b'
v_utf=$'\xff'
v_long=$(printf '%5000s' '' | tr ' ' a)
v_neg=-1
v_huge=99999999999999999999
text=(v_tab v_cr v_lf v_nul v_esc v_del v_c1 v_utf v_long)

# expect STATUS CMD...: CMD (each @ in it replaced by the bad value $v)
# exits STATUS with one line "PROG: ..." on stderr (holding $WHAT, if set),
# nothing on stdout and the ledgers as $base; a mismatch is kept in bad[]
# and the shop restored from the copy tpl
expect() {
	local want=$1 a args=() prog st lines out=$BATS_TEST_TMPDIR/out err=$BATS_TEST_TMPDIR/err
	shift
	for a; do
		args+=("${a//@/$v}")
	done
	prog=$(progname "${args[@]}")
	st=0
	"${args[@]}" <"${IN:-/dev/null}" >"$out" 2>"$err" || st=$?
	mapfile -t lines <"$err"
	if [ "$st" -ne "$want" ] || [ -s "$out" ] || [ "${#lines[@]}" -ne 1 ] ||
		[[ ${lines[0]} != "$prog: "* ]] || [ "$(tsvs)" != "$base" ] ||
		{ [ -n "${WHAT:-}" ] && [[ ${lines[0]} != *"$WHAT"* ]]; }; then
		bad+=("$(printf '%q ' "$@")[$name]: exit $st, want $want; stdout $(wc -c <"$out") bytes; stderr: $(head -c 300 "$err" | cat -v); ledgers $([ "$(tsvs)" = "$base" ] && echo unchanged || echo CHANGED)")
		back tpl
	fi
}

# each STATUS NAMES CMD...: expect STATUS for CMD with each value named
each() {
	local want=$1 names=$2 name v
	shift 2
	for name in $names; do
		v=${!name}
		expect "$want" "$@"
	done
}

# verdict: no mismatch
verdict() {
	printf '# %s\n' "${bad[@]}"
	[ "${#bad[@]}" -eq 0 ]
}

# setup_shop: the shop, kept as tpl; bad[] empty; the value sets; the
# text options (the sanitizer pass tries two of them)
setup_shop() {
	shop
	keep tpl
	base=$(tsvs)
	bad=()
	all="${text[*]} v_neg v_huge"
	txt="${text[*]}"
	opts=$(scale '--name --email --address --size --store --note' '--name --note')
}

@test "bad input: member-add arguments" {
	setup_shop
	each 1 "$txt" member-add --phone 13800000009 --name @
	for o in $opts; do
		[ "$o" = --name ] || each 1 "$txt" member-add --name X --phone 13800000009 "$o" @
	done
	each 1 "$txt v_neg" member-add --name X --phone @
	each 1 "$all" member-add --name X --phone 13800000009 --birthday @
	each 1 "$txt" member-add --name X --phone 13800000009 --id @
	each 1 "$all" member-add --name X --phone 13800000009 --referrer @
	each 1 "$all" member-add --name X --phone 13800000009 --associate @
	each 1 "$all" member-add --name X --phone 13800000009 --gender @
	each 2 "$txt v_neg" member-add -w @ --name X --phone 13800000009
	verdict
}

@test "bad input: member-edit arguments" {
	setup_shop
	each 1 "$txt v_huge" member-edit @ --name X
	each 2 v_neg member-edit @ --name X
	for o in $opts; do
		each 1 "$txt" member-edit M000002 "$o" @
	done
	each 1 "$txt v_neg" member-edit M000002 --phone @
	each 1 "$all" member-edit M000002 --birthday @
	each 1 "$all" member-edit M000002 --referrer @
	each 1 "$all" member-edit M000002 --associate @
	each 2 "$txt v_neg" member-edit -w @ M000002 --name X
	verdict
}

@test "bad input: sale-post arguments" {
	setup_shop
	each 1 "$txt v_huge" sale-post @ 100
	each 2 v_neg sale-post @ 100
	each 1 "$txt v_huge" sale-post M000001 @
	each 2 v_neg sale-post M000001 @
	each 1 "$txt v_huge" sale-post M000001 100 @
	each 1 "$txt" sale-post -r @ M000001 100
	each 1 "$all" sale-post --at @ M000001 100
	each 1 "$all" sale-post --use-points @ M000001 100
	each 1 "$txt" sale-post --note @ M000001 100
	each 1 "$txt" sale-post --store @ M000001 100
	each 1 "$all" sale-post --associate @ M000001 100
	each 2 "$txt v_neg" sale-post -w @ M000001 100
	verdict
}

@test "bad input: sale-return arguments" {
	setup_shop
	each 1 "$txt v_huge" sale-return @
	each 2 v_neg sale-return @
	each 1 "$txt v_huge" sale-return S000001 @
	each 2 v_neg sale-return S000001 @
	each 1 "$txt" sale-return -r @ S000001
	each 1 "$all" sale-return --at @ S000001
	each 1 "$txt" sale-return --note @ S000001
	each 2 "$txt v_neg" sale-return -w @ S000001
	verdict
}

@test "bad input: points-redeem arguments" {
	setup_shop
	each 1 "$txt v_huge" points-redeem @ 10
	each 2 v_neg points-redeem @ 10
	each 1 "$txt v_huge" points-redeem M000001 @
	each 2 v_neg points-redeem M000001 @
	each 1 "$txt" points-redeem -r @ M000001 10
	each 1 "$txt" points-redeem --note @ M000001 10
	each 2 "$txt v_neg" points-redeem -w @ M000001 10
	verdict
}

@test "bad input: points-adjust arguments" {
	setup_shop
	each 1 "$txt" points-adjust --reason @ M000001 5
	each 1 "$all" points-adjust --reason x @ 5
	each 1 "$txt v_huge" points-adjust --reason x M000001 @
	each 2 "$txt v_neg" points-adjust -w @ --reason x M000001 5
	verdict
}

@test "bad input: tier-recalc arguments" {
	setup_shop
	each 2 "$all" tier-recalc --as-of @
	each 1 "$txt v_huge" tier-recalc @
	each 2 v_neg tier-recalc @
	each 2 "$txt v_neg" tier-recalc -w @
	verdict
}

@test "bad input: report arguments" {
	setup_shop
	each 2 "$all" report @
	each 1 "$txt v_huge" report member @
	each 2 v_neg report member @
	each 1 "$txt v_huge" report statement @
	each 2 v_neg report statement @
	each 2 "$all" report --as-of @ members
	each 2 "$all" report sales --from @
	each 2 "$all" report sales --to @
	each 2 "$all" report sales --by @
	each 1 "$all" report members --tier @
	verdict
}

# batch WANT LINE PROG HEADER GOOD ROW: PROG - reading the lines HEADER,
# GOOD and ROW (printf %b escapes) exits WANT naming line LINE
batch() {
	local want=$1 prog=$3 name
	name="line $2: $(printf '%q' "$6" | head -c 80)"
	IN=$BATS_TEST_TMPDIR/in
	printf '%b\n' "$4" "$5" "$6" >"$IN"
	v='' WHAT="$prog: line $2: " expect "$want" "$prog" -
	unset IN
}

@test "bad input: member-add - rows" {
	setup_shop
	h='name\tphone\tnote'
	good='G\t13800000008\tok'
	for r in 'A\x01B' 'a\rb' '\x1b[31m' 'a\x7fb' 'a\xc2\x85b' '\xff'; do
		batch 1 3 member-add "$h" "$good" "X\t13800000009\t$r"
	done
	batch 1 3 member-add "$h" "$good" 'A\0B\t13800000009\tnul'
	batch 1 3 member-add "$h" "$good" 'X\t13800000009\ta\tb'
	batch 1 3 member-add "$h" "$good" 'X\t-1\tneg'
	batch 1 3 member-add "$h" "$good" "X\t13800000009\t$v_long"
	batch 1 3 member-add "$h" "$good" "X\t13800000009$(printf '\\tf%d' $(seq 68))"
	# a field of 10 MB
	IN=$BATS_TEST_TMPDIR/in
	{
		printf 'name\tphone\tnote\nG\t13800000008\tok\nX\t13800000009\t'
		head -c 10485760 /dev/zero | tr '\0' a
		printf '\n'
	} >"$IN"
	name='10 MB' v='' WHAT='member-add: line 3: ' expect 1 member-add -
	verdict
}

@test "bad input: sale-post - rows" {
	setup_shop
	h='member\titems\tnote\tpoints_used'
	good='M000001\t100\tok\t'
	for r in 'A\x01B' 'a\rb' '\x1b[31m' 'a\x7fb' 'a\xc2\x85b' '\xff'; do
		batch 1 3 sale-post "$h" "$good" "M000001\t100\t$r\t"
	done
	batch 1 3 sale-post "$h" "$good" 'M000001\t1\x002\tnul\t'
	batch 1 3 sale-post "$h" "$good" 'M000001\t100\tnote\t\t'
	batch 1 3 sale-post "$h" "$good" 'M000001\t-1\tneg\t'
	batch 1 3 sale-post "$h" "$good" "M000001\t$v_huge\thuge\t"
	batch 1 3 sale-post "$h" "$good" 'M000001\t100\tneg\t-1'
	batch 1 3 sale-post "$h" "$good" "M000001\t100\thuge\t$v_huge"
	batch 1 3 sale-post "$h" "$good" "M000001\t100\t$v_long\t"
	batch 1 3 sale-post "$h" "$good" "M000001\t100$(printf '\\tf%d' $(seq 68))"
	IN=$BATS_TEST_TMPDIR/in
	{
		printf 'member\titems\tnote\nM000001\t100\tok\nM000001\t100\t'
		head -c 10485760 /dev/zero | tr '\0' a
		printf '\n'
	} >"$IN"
	name='10 MB' v='' WHAT='sale-post: line 3: ' expect 1 sale-post -
	verdict
}

# corrupt FILE FIELD VALUE: line 3 of FILE gets VALUE in FIELD (0: the line
# loses all but its first two fields)
corrupt() {
	awk -F'\t' -v OFS='\t' -v k="$2" -v v="$3" '
		NR == 3 && k == 0 { print $1, $2; next }
		NR == 3 { $k = v } { print }' "$D/$1" >"$D/$1.new"
	mv "$D/$1.new" "$D/$1"
}

# ledger_shop: three rows in every ledger: three members, each with a sale
# of 1000.00 that made her gold, three adjusts, three associates
ledger_shop() {
	staff 'a1 Ann yes' 'a2 Bo yes' 'a3 Cy yes'
	for i in 1 2 3; do
		VIPLEDGER_NOW=2026-01-01T09:00:00 add "N$i" "1380000000$i"
		VIPLEDGER_NOW=2026-02-01T10:00:00 sale-post -q "M00000$i" 1000
		VIPLEDGER_NOW=2026-02-01T11:00:00 points-adjust -q --reason seed "M00000$i" 500
	done
	tier-recalc -q
	[ "$(body tiers.tsv | wc -l)" -eq 3 ]
	keep ledgers
}

# broken FILE FIELD VALUE CMD...: with line 3 of FILE corrupted, CMD exits 3
# naming FILE:3 and changes nothing
broken() {
	local file=$1 field=$2 val=$3 name
	shift 3
	back ledgers
	corrupt "$file" "$field" "$val"
	keep tpl
	base=$(tsvs)
	name="$file field $field = $(printf '%q' "$val")"
	v='' WHAT="$file:3: " expect 3 "$@"
}

@test "bad ledger lines: members.tsv" {
	ledger_shop
	bad=()
	for c in "1|2026-02-30T09:00:00" $'3|N\x01' "0|"; do
		broken members.tsv "${c%%|*}" "${c#*|}" report members
		broken members.tsv "${c%%|*}" "${c#*|}" points-adjust --reason x M000001 1
		broken members.tsv "${c%%|*}" "${c#*|}" member-add --name Z --phone 13800000099
	done
	verdict
}

@test "bad ledger lines: sales.tsv" {
	ledger_shop
	bad=()
	for c in "6|1,00" "6|12.345" $'17|\e[31m' "0|"; do
		broken sales.tsv "${c%%|*}" "${c#*|}" report members
		broken sales.tsv "${c%%|*}" "${c#*|}" sale-post M000001 10
		broken sales.tsv "${c%%|*}" "${c#*|}" points-redeem M000001 1
	done
	verdict
}

@test "bad ledger lines: points.tsv" {
	ledger_shop
	bad=()
	for c in "4|12a" $'7|x\x01' "0|"; do
		broken points.tsv "${c%%|*}" "${c#*|}" report members
		broken points.tsv "${c%%|*}" "${c#*|}" points-redeem M000001 1
		broken points.tsv "${c%%|*}" "${c#*|}" sale-post --use-points 1 M000001 10
	done
	verdict
}

@test "bad ledger lines: tiers.tsv" {
	ledger_shop
	bad=()
	for c in "8|x" "7|2027-02-30" $'9|x\x01' "0|"; do
		broken tiers.tsv "${c%%|*}" "${c#*|}" report members
		broken tiers.tsv "${c%%|*}" "${c#*|}" tier-recalc
		broken tiers.tsv "${c%%|*}" "${c#*|}" sale-post M000001 10
	done
	verdict
}

@test "bad ledger lines: staff.tsv" {
	ledger_shop
	bad=()
	for c in "3|maybe" $'2|A\x01' "0|"; do
		broken staff.tsv "${c%%|*}" "${c#*|}" member-add --name Z --phone 13800000099 --associate a1
		broken staff.tsv "${c%%|*}" "${c#*|}" sale-post --associate a1 M000001 10
	done
	verdict
}
