# sheets.bats: spreadsheets in and out (SPEC section 10): report --csv read
# back by Python's csv module; CSV, BOM, CR LF and Chinese headings on
# input; report changes in order of at.
load common

# cells FILE: a TSV or a CSV file as Python's csv module reads it, one
# cell a line, rows ended by a blank line
cells() {
	python3 - "$1" "$2" <<'PY'
import csv, sys
kind, path = sys.argv[1], sys.argv[2]
with open(path, newline='', encoding='utf-8-sig' if kind == 'csv' else 'utf-8') as f:
    r = csv.reader(f) if kind == 'csv' else csv.reader(f, delimiter='\t', quoting=csv.QUOTE_NONE)
    for row in r:
        for c in row:
            # the formula guard is the one difference
            if kind == 'csv' and c[:2] in ("'=", "'+", "'-", "'@"):
                c = c[1:]
            print(repr(c))
        print()
PY
}

scene() {
	export VIPLEDGER_NOW=2026-03-01T10:00:00
	add '=SUM(A1:A9)' 13800000001 --note 'likes "linen", not wool'
	add '王芳, Jr.' +8613800000002 --associate '@a1'
	add '-minus' 13800000003 --address 'a,b'
	sale-post -q M000001 1280 2x459/899
	sale-return -q S000001 459
	sale-post -q M000002 100
}

@test "report --csv: a BOM, RFC 4180 quoting, the formula guard; the same cells as the TSV" {
	command -v python3 >/dev/null || skip "python3 is not installed"
	scene
	for view in members 'member M000002' 'statement M000001' 'sales --by month' \
	    liability tiers 'changes' 'contacts' 'segments'; do
		# shellcheck disable=SC2086
		report $view > "$BATS_TEST_TMPDIR/v.tsv"
		# shellcheck disable=SC2086
		report --csv $view > "$BATS_TEST_TMPDIR/v.csv"
		[ "$(head -c 3 "$BATS_TEST_TMPDIR/v.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ]
		diff <(cells tsv "$BATS_TEST_TMPDIR/v.tsv") <(cells csv "$BATS_TEST_TMPDIR/v.csv")
	done
	run report --csv -N members
	[ "${lines[0]}" = $'\xef\xbb\xbf'"M000001,'=SUM(A1:A9),13800000001,normal,,0,1739,1739.00,2026-03-01,,ok"$'\r' ]
	[ "${lines[1]}" = "M000002,\"王芳, Jr.\",'+8613800000002,normal,,0,100,100.00,2026-03-01,'@a1,ok"$'\r' ]
	[ "${lines[2]}" = "M000003,'-minus,13800000003,normal,,0,0,0.00,,,ok"$'\r' ]
	run report --csv -N statement M000001
	[ "${lines[1]}" = $'2026-03-01T10:00:00,return,S000002,-459,2026-03-08,0\r' ]
	run report --csv member M000001
	[ "${lines[14]}" = $'note,"likes ""linen"", not wool"\r' ]
	# -N and nothing to say: the BOM alone
	[ "$(report --csv -N members --tier gold | od -An -tx1 | tr -d ' ')" = efbbbf ]
}

@test "report --csv: with -t, or for rules, a usage error" {
	usage report --csv -t members
	usage report --csv rules
}

@test "member-add --csv: quotes, a comma and a quote in a field, BOM, CR LF, Chinese headings, 女 and 男" {
	export VIPLEDGER_NOW=2026-03-01T10:00:00
	printf '\xef\xbb\xbf姓名,手机号,性别,生日,地址,备注\r\n王芳,13800000001,女,03-08,"上海, 南京路 ""1"" 号",\r\nLi Lei,13800000002,男,,,VIP\r\n' >"$BATS_TEST_TMPDIR/in.csv"
	ok member-add --csv - <"$BATS_TEST_TMPDIR/in.csv"
	[ "$output" = "$(printf '%s\n' \
	    "$(row 2026-03-01T10:00:00 M000001 王芳 13800000001 03-08 F '' '上海, 南京路 "1" 号' '' '' '' '' ok '')" \
	    "$(row 2026-03-01T10:00:00 M000002 'Li Lei' 13800000002 '' M '' '' '' '' '' '' ok VIP)")" ]
	# TSV with a BOM and CR LF, and 电话 for the phone when nothing else is
	printf '\xef\xbb\xbf姓名\t电话\r\nC\t13800000003\r\n' | member-add -q -
	[ "$(body members.tsv | cut -f3,4 | tail -1)" = $'C\t13800000003' ]
	ok member-add --gender 女 --name D --phone 13800000004
	[ "$(printf '%s\n' "$output" | cut -f6)" = F ]
}

@test "member-add --csv: a TAB or a line end in a field, 电话 beside 手机, GBK, --csv without -: refused, nothing written" {
	export VIPLEDGER_NOW=2026-03-01T10:00:00
	add A 13800000009
	batch_refused 2 member-add --csv - < <(printf 'name,phone,address\nB,13800000001,"a\tb"\n')
	batch_refused 2 member-add --csv - < <(printf 'name,phone,address\nB,13800000001,"a b\n')
	batch_refused 2 member-add --csv - < <(printf 'name,phone\n"B"x,13800000001\n')
	refused 1 '电话' member-add --csv - < <(printf '姓名,手机,电话\nB,13800000001,021\n')
	refused 1 'CSV UTF-8' member-add --csv - < <(printf 'name,phone\n\xcd\xf5,13800000001\n')
	usage member-add --csv --name B --phone 13800000001
	usage sale-post --csv M000001 100
	# a lone CR is a CR in a field
	batch_refused 2 member-add - < <(printf 'name\tphone\nB\r\r\t13800000001\n')
}

@test "sale-post --csv: 会员, 商品, 时间, 单号; items with commas quoted" {
	export VIPLEDGER_NOW=2026-03-01T10:00:00
	add A 13800000001
	printf '会员,商品,时间,单号,门店\r\nM000001,"1280,2x459/899",2026-03-01T11:00:00,R1,nanjing-rd\r\n' >"$BATS_TEST_TMPDIR/s.csv"
	VIPLEDGER_NOW=2026-03-01T12:00:00 ok sale-post --csv - <"$BATS_TEST_TMPDIR/s.csv"
	[ "$(printf '%s\n' "$output" | cut -f1,2,6,14,16)" = \
	    $'2026-03-01T11:00:00\tR1\t2198.00\tnanjing-rd\t1280,2x459/899' ]
}

@test "rules.conf saved with a BOM and CR LF reads as without" {
	rules 'hold_days 3' 'tier a' 'tier b discount=5'
	printf '\xef\xbb\xbfhold_days 3\r\ntier a\r\ntier b discount=5\r\n' >"$BATS_TEST_TMPDIR/r"
	want=$(report rules)
	cp "$BATS_TEST_TMPDIR/r" "$D/rules.conf"
	ok report rules
	[ "$output" = "$want" ]
}

@test "report changes: in order of at, ties in file order, whatever order they were written in" {
	export VIPLEDGER_NOW=2026-01-01T10:00:00
	add A 13800000001
	add B 13800000002
	export VIPLEDGER_NOW=2026-06-01T10:00:00
	sale-post -q --at 2026-03-01T10:00:00 M000001 900
	tier-recalc -q
	sale-post -q --at 2026-02-01T10:00:00 M000002 900
	tier-recalc -q
	ok report -N changes
	[ "$(printf '%s\n' "$output" | cut -f1,2)" = "$(printf '%s\n' \
	    $'2026-02-08T00:00:00\tM000002' $'2026-03-08T00:00:00\tM000001')" ]
	[ "$(body tiers.tsv | cut -f2 | tr '\n' ' ')" = 'M000001 M000002 ' ]
}

@test "a register saved as CSV by LibreOffice Calc loads with member-add --csv" {
	local fx=$BATS_TEST_DIRNAME/sheets
	if command -v soffice >/dev/null; then
		HOME=$BATS_TEST_TMPDIR timeout 300 soffice --headless --convert-to \
		    'csv:Text - txt - csv (StarCalc):44,34,76,1' \
		    --outdir "$BATS_TEST_TMPDIR" "$fx/register.fods" >/dev/null 2>&1
		cmp "$BATS_TEST_TMPDIR/register.csv" "$fx/register.csv"
	fi
	export VIPLEDGER_NOW=2026-03-01T10:00:00
	ok member-add --csv - <"$fx/register.csv"
	[ "$output" = "$(printf '%s\n' \
	    "$(row 2026-03-01T10:00:00 M000001 王芳 13800000001 1982-11-02 F '' '上海, 南京路 "1" 号' S '' '' '' ok '')" \
	    "$(row 2026-03-01T10:00:00 M000002 'Li Lei' 13800000002 03-08 M '' '' XL '' '' '' ok 'prefers dresses, not skirts')")" ]
}
