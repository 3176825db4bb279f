# deleted-cache.bats: DIR/cache is derived and may be deleted at any time
# (SPEC section 6), even while writers are using it (rm -rf may itself
# fail then: files appear as it goes, hence the "|| true"): every writer still
# writes its row, and the next one rebuilds the index.  A reader does not
# rebuild it: asked of one member, it reads only the lines that can be
# about her, and answers in the same bytes.
load common

@test "20 sales at once, each deleting DIR/cache as it starts, with the real clock: 20 rows, ledger-check clean" {
	add A 13800000001
	unset VIPLEDGER_NOW
	for i in $(seq 20); do
		(rm -rf "$D/cache" 2>/dev/null || true; command sale-post -q -w 30 M000001 "$i" 2>"$BATS_TEST_TMPDIR/err.$i") &
	done
	wait
	[ "$(body sales.tsv | wc -l)" -eq 20 ]
	[ "$(body sales.tsv | cut -f2 | sort -u | wc -l)" -eq 20 ]
	# a writer that lost its index to rm says so in a warning, nothing more
	! grep -hv 'is not used' "$BATS_TEST_TMPDIR"/err.* | grep .
	command sale-post -q M000001 1
	run command ledger-check
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

# probe_members: report member of ids and phones, old ones among them, as
# text with each exit status
probe_members() {
	local k
	for k in M000001 M000002 M000003 M000004 M000005 13800000001 \
	    13900000001 13800000005 13900000005; do
		echo "== $k"
		report member "$k" 2>&1 || echo "exit $?"
	done
}

@test "report member by id, new phone and old phone: the same bytes without the cache, and the old phone finds whoever holds it now" {
	rules 'referral_pct 10' 'hold_days 0'
	VIPLEDGER_NOW=2026-01-01T10:00:00 add Ann 13800000001
	VIPLEDGER_NOW=2026-01-01T10:00:00 add Bob 13800000002 --referrer M000001
	VIPLEDGER_NOW=2026-01-01T10:00:00 add Cai 13800000005
	ok sale-post -q --at 2026-02-01T10:00:00 M000001 500
	ok sale-post -q --at 2026-02-02T10:00:00 M000002 300
	ok points-adjust -q --reason gift M000001 30
	VIPLEDGER_NOW=2026-02-10T10:00:00 ok member-edit -q M000001 --phone 13900000001
	[ -f "$D/cache/stamp" ]
	want=$(probe_members)
	echo "$want"
	# her rows after the edit do not hold the old phone: it finds no one
	[[ $want == *$'== 13800000001\nreport: member: 13800000001 is not a member id or phone\nexit 1\n'* ]]
	[[ $want == *$'== 13900000001\nkey\tvalue\nat\t2026-02-10T10:00:00\nmember\tM000001\nname\tAnn\nphone\t13900000001\n'* ]]
	# 500 + 30, and 10% of Bob's 300.00 at 100 points to 1.00
	[[ $want == *$'available\t3530\n'* ]]
	rm -rf "$D/cache"
	[ "$(probe_members)" = "$want" ]
	[ ! -e "$D/cache" ]
	# another member takes the old phone
	VIPLEDGER_NOW=2026-02-11T10:00:00 add Dan 13800000001
	want=$(probe_members)
	[[ $want == *$'== 13800000001\nkey\tvalue\nat\t2026-02-11T10:00:00\nmember\tM000004\nname\tDan\n'* ]]
	rm -rf "$D/cache"
	[ "$(probe_members)" = "$want" ]
	# past the index, by hand: Cai's phone typed twice (Eve's), then Cai
	# changes hers: it is Eve's now; Ann's and Dan's typed twice too
	# (Fay's, Gus's): still theirs, the first to hold them
	ok sale-post -q M000003 1
	printf '2026-03-01T09:00:00\tM000005\tEve\t13800000005\t\t\t\t\t\t\t\t\tok\t\n' >>"$D/members.tsv"
	printf '2026-03-01T09:10:00\tM000006\tFay\t13900000001\t\t\t\t\t\t\t\t\tok\t\n' >>"$D/members.tsv"
	printf '2026-03-01T09:20:00\tM000007\tGus\t13800000001\t\t\t\t\t\t\t\t\tok\t\n' >>"$D/members.tsv"
	printf '2026-03-01T09:30:00\tM000003\tCai\t13900000005\t\t\t\t\t\t\t\t\tok\t\n' >>"$D/members.tsv"
	want=$(probe_members)
	[[ $want == *$'== 13900000001\nkey\tvalue\nat\t2026-02-10T10:00:00\nmember\tM000001\n'* ]]
	[[ $want == *$'== 13800000001\nkey\tvalue\nat\t2026-02-11T10:00:00\nmember\tM000004\n'* ]]
	[[ $want == *$'== 13800000005\nkey\tvalue\nat\t2026-03-01T09:00:00\nmember\tM000005\nname\tEve\n'* ]]
	[[ $want == *$'== 13900000005\nkey\tvalue\nat\t2026-03-01T09:30:00\nmember\tM000003\nname\tCai\n'* ]]
	rm -rf "$D/cache"
	[ "$(probe_members)" = "$want" ]
}

# A reader asked of one member reads only the lines that can be about her
# (SPEC section 6): another member's malformed row is not read, so not
# checked.  Asked of that member, of every member, or to write, the row
# is read and refused, naming its line.
@test "a hand-made row with a bad amount: report member of another member answers as without it; of hers, report members and writers refuse" {
	local clean=$BATS_TEST_TMPDIR/clean d
	rules 'referral_pct 10' 'hold_days 0'
	VIPLEDGER_NOW=2026-01-01T10:00:00 add Ann 13800000001
	VIPLEDGER_NOW=2026-01-01T10:00:00 add Bob 13800000002 --referrer M000001
	ok sale-post -q --at 2026-02-01T10:00:00 M000001 100
	ok sale-post -q --at 2026-02-01T11:00:00 M000002 50
	ok sale-post -q --at 2026-02-02T10:00:00 M000001 200
	ok sale-post -q --at 2026-02-02T11:00:00 M000002 50
	ok sale-post -q --at 2026-02-03T10:00:00 M000001 300
	ok sale-post -q --at 2026-02-03T11:00:00 M000002 50
	cp -a "$D" "$clean"
	# line 8: Bob's, goods 12.3.4; line 9: Ann's, in both shops
	printf '2026-02-04T10:00:00\tS000098\tM000002\tsale\tS000098\t12.3.4\t0\t10.00\t10\t2026-02-04\t\t0\tnormal\t\t\t10\t\t\t\n' >>"$D/sales.tsv"
	for d in "$D" "$clean"; do
		printf '2026-02-04T11:00:00\tS000099\tM000001\tsale\tS000099\t40.00\t0\t40.00\t40\t2026-02-04\t\t0\tnormal\t\t\t40\t\t\t\n' >>"$d/sales.tsv"
		rm -rf "$d/cache"
	done
	[ "$(sed -n 8p "$D/sales.tsv" | cut -f2,6)" = $'S000098\t12.3.4' ]
	ok report -d "$clean" member M000001
	want=$output
	# 100 + 200 + 300 + 40, and 10% of Bob's three sales of 50.00
	[[ $want == *$'available\t2140\n'* ]]
	ok report member M000001
	[ "$output" = "$want" ]
	ok report member 13800000001
	[ "$output" = "$want" ]
	[ ! -e "$D/cache" ]
	refused 3 'report: sales.tsv:8: field 6 is not an amount' report member M000002
	refused 3 'report: sales.tsv:8: field 6 is not an amount' report members
	refused 3 'sale-post: sales.tsv:8: field 6 is not an amount' sale-post -q M000001 10
	refused 3 'points-adjust: sales.tsv:8: field 6 is not an amount' points-adjust -q --reason gift M000001 1
	# whatever the writers left of the index, the reader's answer stands
	ok report member M000001
	[ "$output" = "$want" ]
}
