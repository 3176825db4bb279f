# member-forget.bats: erasure of a member's personal data, and what it leaves alone.
load common

# Wang Fang (M000001) joined with one phone, email and address and changed
# all of them; Lucy (M000002), whom she referred, buys and returns.
scene() {
	rules 'referral_pct 1'
	VIPLEDGER_NOW=2026-01-05T10:00:00 member-add -q --name 王芳 --phone 13800000001 \
	    --birthday 1990-03-01 --gender F --email wang@example.com \
	    --address 上海市南京路1号 --size M --associate a1 --store s1 --note 'likes silk'
	VIPLEDGER_NOW=2026-01-06T10:00:00 member-add -q --name 'Lucy Chen' --phone 13800000002 \
	    --referrer M000001 --store s2
	VIPLEDGER_NOW=2026-01-10T12:00:00 sale-post -q --store s1 --associate a1 M000001 1000
	VIPLEDGER_NOW=2026-02-01T10:00:00 member-edit -q M000001 --name 王小芳 \
	    --phone 13900000001 --email fang@example.com --address 北京市长安街2号
	VIPLEDGER_NOW=2026-02-02T12:00:00 sale-post -q M000002 500
	VIPLEDGER_NOW=2026-02-03T12:00:00 sale-return -q S000002 100
	VIPLEDGER_NOW=2026-02-26T12:00:00 sale-post -q --use-points 300 M000001 200
	VIPLEDGER_NOW=2026-02-27T12:00:00 points-redeem -q M000001 100
	{
		row at member kind staff task text; echo
		row 2026-02-10T10:00:00 M000001 followup a1 '' 'called 13900000001, wants silk'; echo
		row 2026-02-11T10:00:00 M000002 service '' '' 'hemmed trousers'; echo
	} > "$D/notes.tsv"
}

# her: every name, phone, email and address she ever had, as grep patterns
her() {
	printf '%s\n' 13800000001 13900000001 王芳 王小芳 wang@example.com \
	    fang@example.com 上海市南京路1号 北京市长安街2号
}

# tree: a digest of every name and byte under DIR
tree() {
	(cd "$D" && find . | LC_ALL=C sort && find . -type f | LC_ALL=C sort |
	    xargs cat) | cksum
}

@test "her rows keep at, member, referrer, associate, store; name -, contact dnd; one line printed" {
	scene
	ok member-forget --reason 'asked in store' M000001
	[ "$output" = 'M000001 forgotten: asked in store' ]
	[ "$(head -1 "$D/members.tsv")" = "$(row at member name phone birthday gender email address size referrer associate store contact note)" ]
	[ "$(body members.tsv)" = "$(printf '%s\n' \
	    "$(row 2026-01-05T10:00:00 M000001 - '' '' '' '' '' '' '' a1 s1 dnd '')" \
	    "$(row 2026-01-06T10:00:00 M000002 'Lucy Chen' 13800000002 '' '' '' '' '' M000001 '' s2 ok '')" \
	    "$(row 2026-02-01T10:00:00 M000001 - '' '' '' '' '' '' '' a1 s1 dnd '')")" ]
	[ "$(body notes.tsv)" = "$(printf '%s\n' \
	    "$(row 2026-02-10T10:00:00 M000001 followup a1 '' '')" \
	    "$(row 2026-02-11T10:00:00 M000002 service '' '' 'hemmed trousers')")" ]
	run grep -rF 'asked in store' "$D"
	[ "$status" -eq 1 ]
}

@test "balances, statements and report totals stay the same, byte for byte" {
	scene
	figures() {
		report liability
		report members | cut -f1,4-10
		report statement M000001
		report statement M000002
		report sales --by month
		report tiers
		sha "$D/sales.tsv" "$D/points.tsv" "$D/tiers.tsv"
	}
	before=$(figures)
	[ "$(report -N liability)" = $'1400\t197\t14.00\t0.00' ]
	ok member-forget -q --reason x M000001
	[ "$(figures)" = "$before" ]
	run report -N members
	[ "${lines[0]}" = "$(row M000001 - '' normal '' 1000 197 1197.00 2026-02-26 a1 dnd)" ]
}

@test "no file under DIR holds her old phone, name, email or address" {
	scene
	mkdir -p "$D/torn" "$D/cache/index"
	row 2026-02-05T10:00:00 M000003 X 13800000001 > "$D/torn/members.tsv"; echo >> "$D/torn/members.tsv"
	echo 'wang@example.com' > "$D/cache/torn-members.tsv"
	echo '王小芳 13900000001' > "$D/cache/index/phones"
	echo '北京市长安街2号' > "$D/.members.tsv.tmp"
	echo 'fang@example.com' > "$D/torn/.sales.tsv.tmp"
	printf 'a crash left \0\0 then 13900000001\nnot hers\n' > "$D/torn/points.tsv"
	printf '2026-02-28T10:00:00\tM000001\t王小芳\t1390000' >> "$D/members.tsv"
	printf '2026-02-28T10:00:00\tM000002\tservice\t\t\tnot 上海市南京路1号' >> "$D/notes.tsv"
	for p in $(her); do grep -rqF "$p" "$D"; done
	ok member-forget --reason x M000001
	run grep -rF "$(her)" "$D"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ ! -e "$D/cache" ]
	[ "$(tail -c 1 "$D/members.tsv" | od -An -c | tr -d ' ')" = '\n' ]
	[ "$(cat "$D/torn/points.tsv")" = 'not hers' ]
}

@test "torn lines: one mentioning her is dropped, one not stays; a torn last line is set aside first" {
	scene
	mkdir -p "$D/torn"
	printf '%s\n' "$(row 2026-02-05T10:00:00 S000009 M000001 sale)" \
	    "$(row 2026-02-05T10:00:00 S000010 M000002 sale)" > "$D/torn/sales.tsv"
	printf '%s\n' "$(row 2026-02-06T10:00:00 M000009 adjust 5 '' '' 'x fang@example.com')" \
	    > "$D/torn/points.tsv"
	printf '2026-02-28T10:00:00\tM000002\tLucy' >> "$D/members.tsv"
	printf '2026-02-28T10:00:00\tM000001\tfollowup' >> "$D/notes.tsv"
	ok member-forget -q --reason x M000001
	[ "$(cat "$D/torn/sales.tsv")" = "$(row 2026-02-05T10:00:00 S000010 M000002 sale)" ]
	[ ! -s "$D/torn/points.tsv" ]
	[ "$(cat "$D/torn/members.tsv")" = "$(row 2026-02-28T10:00:00 M000002 Lucy)" ]
	[ "$(tail -c 1 "$D/torn/members.tsv" | od -An -c | tr -d ' ')" = '\n' ]
	[ ! -e "$D/torn/notes.tsv" ]
	[ "$(body members.tsv | wc -l)" -eq 3 ]
	[ "$(body notes.tsv | wc -l)" -eq 2 ]
	[ "$(tail -c 1 "$D/notes.tsv" | od -An -c | tr -d ' ')" = '\n' ]
}

@test "the files replaced are 0600, a torn/ it makes is 0700, no temporary file remains" {
	scene
	umask 022
	printf '2026-02-28T10:00:00\tM000002\tLucy' >> "$D/members.tsv"
	ok member-forget -q --reason x M000001
	[ "$(stat -c %a "$D/members.tsv")" = 600 ]
	[ "$(stat -c %a "$D/notes.tsv")" = 600 ]
	[ "$(stat -c %a "$D/torn")" = 700 ]
	[ "$(stat -c %a "$D/torn/members.tsv")" = 600 ]
	[ -z "$(find "$D" -name '*.tmp')" ]
}

@test "--dry-run prints the line and changes nothing" {
	scene
	mkdir -p "$D/cache" "$D/torn"
	echo 13800000001 > "$D/cache/x"
	echo 13800000001 > "$D/torn/sales.tsv"
	before=$(tree)
	ok member-forget --dry-run --reason x 13900000001
	[ "$output" = 'M000001 forgotten: x' ]
	[ "$(tree)" = "$before" ]
	ok member-forget -q --dry-run --reason x M000001
	[ -z "$output" ]
	[ "$(tree)" = "$before" ]
}

@test "forgetting her again prints the line and changes nothing; a torn line not hers stays" {
	scene
	ok member-forget -q --reason x M000001
	printf '2026-02-28T10:00:00\tM000002\tLucy' >> "$D/members.tsv"
	before=$(tree)
	ok member-forget --reason 'asked again' M000001
	[ "$output" = 'M000001 forgotten: asked again' ]
	[ "$(tree)" = "$before" ]
}

@test "MEMBER may be her current phone; an old phone or an unknown id is refused (1)" {
	scene
	refused 1 'member: 13800000001' member-forget --reason x 13800000001
	refused 1 'member: M000009' member-forget --reason x M000009
	ok member-forget --reason x 13900000001
	[ "$output" = 'M000001 forgotten: x' ]
	[ "$(body members.tsv | cut -f2,3 | sort -u | head -1)" = $'M000001\t-' ]
}

@test "afterwards her phone is free, she can still buy and be edited, an empty phone finds no one" {
	scene
	ok member-forget -q --reason x M000001
	ok member-add --name New --phone 13900000001
	[ "$(printf '%s\n' "$output" | cut -f2,4)" = $'M000003\t13900000001' ]
	ok member-add -q --name Newer --phone 13800000001
	ok sale-post -q M000001 100
	ok member-edit M000001 --store s3
	[ "$output" = "$(row 2026-03-01T10:00:00 M000001 - '' '' '' '' '' '' '' a1 s3 dnd '')" ]
	refused 1 'member' member-forget --reason x ''
	run report member ''
	[ "$status" -eq 1 ]
	refused 1 'phone' member-add --name Lucy2 --phone 13800000002
}

@test "usage errors: no or empty --reason, no member, two members, an unknown option" {
	scene
	usage member-forget M000001
	usage member-forget --reason '' M000001
	usage member-forget --reason=x
	usage member-forget --reason x M000001 M000002
	usage member-forget --reason x --frob M000001
	usage member-forget -w x --reason x M000001
	run env VIPLEDGER_NOW=yesterday member-forget --reason x M000001
	[ "$status" -eq 2 ]
	refused 1 reason member-forget --reason $'a\tb' M000001
	[ "$(body members.tsv | cut -f3 | head -1)" = 王芳 ]
}

@test "a missing DIR is exit 3, and nothing is created" {
	refused 3 '' member-forget --reason x M000001
	[ "$stderr" = "member-forget: $D: no such data directory; give -d or set VIPLEDGER_DIR" ]
	refused 3 'no such data directory' member-forget -d "$BATS_TEST_TMPDIR/none" --dry-run --reason x M000001
	[ ! -e "$D" ] && [ ! -e "$BATS_TEST_TMPDIR/none" ]
}

@test "a ledger that is a symbolic link, a held lock, a bad notes.tsv header: exit 3, nothing changes" {
	scene
	mv "$D/members.tsv" "$BATS_TEST_TMPDIR/members.tsv"
	ln -s "$BATS_TEST_TMPDIR/members.tsv" "$D/members.tsv"
	before=$(sha "$BATS_TEST_TMPDIR/members.tsv")
	refused 3 'symbolic link' member-forget --reason x M000001
	[ "$(sha "$BATS_TEST_TMPDIR/members.tsv")" = "$before" ]
	rm "$D/members.tsv"
	mv "$BATS_TEST_TMPDIR/members.tsv" "$D/members.tsv"
	flock "$D/.lock" sleep 3 &
	sleep 0.3
	refused 3 'ledger busy' member-forget -w 0.2 --reason x M000001
	wait
	printf 'at\tmember\tkind\n' > "$D/notes.tsv"
	refused 3 'notes.tsv:1' member-forget --reason x M000001
}

@test "-h, --help and -V; garbage arguments never crash it" {
	ok member-forget --help
	[[ $output == 'usage: member-forget '* ]]
	ok member-forget -V
	[ "$output" = 'member-forget (vipledger) 0.2' ]
	scene
	for a in "" - -- -w $'\xff' M000001 13900000001 --dry-run -q --reason= "$(printf '%*s' 5000 '' | tr ' ' 9)" $'a\nb'; do
		rc=0
		member-forget --reason x "$a" > /dev/null 2> "$BATS_TEST_TMPDIR/err" || rc=$?
		[ "$rc" -le 3 ]
		[ -z "$(grep -E 'Sanitizer|runtime error' "$BATS_TEST_TMPDIR/err")" ]
	done
}
