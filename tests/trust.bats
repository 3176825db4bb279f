# trust.bats: the promises of SPEC section 11 and SPEC-DETAILS "Trust", one
# test each, at the edges where they were found broken.
load common
load harness

# a lock holder left waiting by a failed test lets go
teardown() {
	: >"$BATS_TEST_TMPDIR/go"
}

@test "trust: a DIR path of 4,089 characters is exit 3, and no file is created under any name" {
	top=$BATS_TEST_TMPDIR/long
	p=$top
	while [ $((${#p} + 101 + 50)) -lt 4089 ]; do
		p=$p/$(printf '%100s' '' | tr ' ' d)
	done
	mkdir -p "$p"
	dir=$p/$(printf "%$((4089 - ${#p} - 1))s" '' | tr ' ' s)
	[ "${#dir}" -eq 4089 ]
	run --separate-stderr member-add -d "$dir" --name A --phone 13800000001
	echo "# status $status; stdout: $output; stderr: ${stderr:0:200}"
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	one_line member-add
	# DIR/.lock would fit in PATH_MAX, DIR/members.tsv would not
	[ -z "$(find "$p" -mindepth 1 -printf '%P\n' | head -5)" ]
}

@test "trust: .lock removed and made again while a writer waits: it waits for the new lock" {
	add A 13800000001
	points-adjust -q --reason seed M000001 500
	t=$BATS_TEST_TMPDIR
	# the old .lock is held for a second
	flock "$D/.lock" sh -c ': >"$1/held1"; sleep 1' sh "$t" 3>&- &
	until [ -e "$t/held1" ]; do sleep 0.01; done
	points-redeem -w 20 M000001 300 >"$t/out" 2>"$t/err" 3>&- &
	pid=$!
	sleep 0.3
	# .lock is removed, and another process makes and holds a new one
	rm "$D/.lock"
	flock "$D/.lock" sh -c ': >"$1/held2"; i=0
		until [ -e "$1/go" ] || [ $i -gt 3000 ]; do sleep 0.01; i=$((i + 1)); done' sh "$t" 3>&- &
	until [ -e "$t/held2" ]; do sleep 0.01; done
	# the old lock is let go: the writer must see .lock is another file now
	sleep 1.2
	kill -0 "$pid"
	[ "$(body points.tsv | wc -l)" -eq 1 ]
	: >"$t/go"
	rc=0
	wait "$pid" || rc=$?
	cat "$t/err"
	[ "$rc" -eq 0 ]
	[ "$(body points.tsv | cut -f3 | tr '\n' ' ')" = 'adjust redeem ' ]
}

@test "trust: a balance never passes 15 digits: the adjust that would is refused; reports sum past 64 bits" {
	add A 13800000001
	ok points-adjust -q --reason x M000001 999999999999999
	[ "$(value available)" = 999999999999999 ]
	refused 1 '' points-adjust --reason x M000001 1
	refused 1 '' points-adjust --reason x M000001 999999999999999
	# 9,299 such rows written by hand: the sum is past 2^63
	seq 9298 | awk '{ printf "2026-03-01T10:00:00\tM000001\tadjust\t999999999999999\t2026-03-01\t\thand\n" }' >>"$D/points.tsv"
	refused 1 '' points-adjust --reason x M000001 999999999999999
	[ "$(body points.tsv | wc -l)" -eq 9299 ]
	[ "$(value available)" = 9298999999999990701 ]
	[ "$(column liability available)" = 9298999999999990701 ]
}

@test "trust: rules.conf that is a FIFO, a device or larger than 1 MB is exit 3, at once" {
	add A 13800000001
	before=$(tsvs)
	mkfifo "$D/rules.conf"
	for p in points-adjust report; do
		args=(--reason x M000001 5)
		[ "$p" = points-adjust ] || args=(members)
		run --separate-stderr timeout 5 "$p" "${args[@]}"
		echo "# $p on a FIFO: status $status; stderr: $stderr"
		[ "$status" -eq 3 ]
		[ -z "$output" ]
		one_line "$p"
		[[ $stderr == *rules.conf* ]]
	done
	rm "$D/rules.conf"
	ln -s /dev/zero "$D/rules.conf"
	run --separate-stderr timeout 5 points-adjust --reason x M000001 5
	echo "# /dev/zero: status $status; stderr: $stderr"
	[ "$status" -eq 3 ]
	one_line points-adjust
	rm "$D/rules.conf"
	yes '# a comment, and another' | head -c 1048577 >"$D/rules.conf"
	run --separate-stderr timeout 5 points-adjust --reason x M000001 5
	echo "# 1 MB + 1: status $status; stderr: $stderr"
	[ "$status" -eq 3 ]
	one_line points-adjust
	[ "$(tsvs)" = "$before" ]
	yes '# a comment, and another' | head -c 1000000 >"$D/rules.conf"
	ok points-adjust -q --reason x M000001 5
}

@test "trust: under umask 000 and 0277 DIR and every directory in it are 0700, every file 0600" {
	for u in 000 0277; do
		export VIPLEDGER_DIR=$BATS_TEST_TMPDIR/shop$u
		D=$VIPLEDGER_DIR
		(
			umask "$u"
			add A 13800000001
			sale-post -q M000001 100
			printf '2026-03-01T10:00:00\tS0' >>"$D/sales.tsv"
			sale-post -q M000001 5
		) 2>/dev/null || true
		echo "# umask $u:"
		ls -laR "$D"
		[ "$(stat -c %a "$D")" = 700 ]
		[ "$(stat -c %a "$D/.lock")" = 600 ]
		[ "$(stat -c %a "$D/members.tsv")" = 600 ]
		[ -z "$(find "$D" -type d ! -perm 700)" ]
		[ -z "$(find "$D" -type f ! -perm 600)" ]
	done
}

@test "trust: a ledger, .lock or torn/FILE that is a symbolic link: writers refuse it (3); readers follow" {
	add A 13800000001
	points-adjust -q --reason seed M000001 500
	sale-post -q M000001 100
	keep tpl
	out=$BATS_TEST_TMPDIR/elsewhere
	mv "$D/points.tsv" "$out"
	ln -s "$out" "$D/points.tsv"
	run report -N member M000001
	[ "$status" -eq 0 ]
	[ "$(value available)" = 500 ]
	copy=$(cksum <"$out")
	refused 3 points.tsv points-adjust --reason x M000001 5
	refused 3 points.tsv points-redeem M000001 5
	[ "$(cksum <"$out")" = "$copy" ]
	back tpl
	mv "$D/.lock" "$out.lock"
	ln -s "$out.lock" "$D/.lock"
	refused 3 .lock points-adjust --reason x M000001 5
	back tpl
	rm "$D/points.tsv"
	ln -s "$BATS_TEST_TMPDIR/nowhere.tsv" "$D/points.tsv"
	refused 3 points.tsv points-adjust --reason x M000001 5
	[ ! -e "$BATS_TEST_TMPDIR/nowhere.tsv" ]
	back tpl
	printf '2026-03-01T10:00:00\tS0' >>"$D/sales.tsv"
	mkdir -m 700 "$D/torn"
	: >"$out.torn"
	ln -s "$out.torn" "$D/torn/sales.tsv"
	refused 3 torn/sales.tsv sale-post M000001 5
	[ ! -s "$out.torn" ]
}

@test "trust: every program but member-add on a missing DIR: exit 3, the message, nothing created" {
	for cmd in "member-edit M000001 --name X" "sale-post M000001 100" "sale-post --dry-run M000001 100" \
		"sale-return S000001" "points-redeem M000001 1" "points-adjust --reason x M000001 1" \
		"tier-recalc" "tier-recalc --dry-run" "report members" "report liability"; do
		read -ra args <<<"$cmd"
		run --separate-stderr "${args[@]}"
		echo "# $cmd: status $status; stdout: $output; stderr: $stderr"
		[ "$status" -eq 3 ]
		[ -z "$output" ]
		[ "$stderr" = "${args[0]}: $D: no such data directory; give -d or set VIPLEDGER_DIR" ]
		[ ! -e "$D" ]
	done
	run --separate-stderr points-adjust -d "$BATS_TEST_TMPDIR/none" --reason x M000001 1
	[ "$status" -eq 3 ]
	[ "$stderr" = "points-adjust: $BATS_TEST_TMPDIR/none: no such data directory; give -d or set VIPLEDGER_DIR" ]
	[ ! -e "$BATS_TEST_TMPDIR/none" ]
}

@test "trust: a torn last line is set aside into DIR/torn/sales.tsv" {
	add A 13800000001
	sale-post -q M000001 100
	printf '2026-03-01T10:00:00\tS000002\tM000001\tsale\tS0' >>"$D/sales.tsv"
	warned sale-post -q M000001 200
	[ "$(cat "$D/torn/sales.tsv")" = $'2026-03-01T10:00:00\tS000002\tM000001\tsale\tS0' ]
	[ "$(tail -c 1 "$D/torn/sales.tsv" | od -An -c | tr -d ' ')" = '\n' ]
	[ ! -e "$D/cache/torn-sales.tsv" ]
	[ "$(stat -c %a "$D/torn")" = 700 ]
	[ "$(stat -c %a "$D/torn/sales.tsv")" = 600 ]
	[ "$(body sales.tsv | cut -f2 | tr '\n' ' ')" = 'S000001 S000002 ' ]
	whole sales.tsv
}

@test "trust: an id equal to another member's phone, or a phone equal to another's id, is refused" {
	add A 13800000001
	refused 1 '' member-add --id 13800000001 --name B --phone 13800000002
	ok member-add -q --id 13900000009 --name B --phone 13800000002
	refused 1 '' member-add --name C --phone 13900000009
	refused 1 '' member-edit M000001 --phone 13900000009
	[ "$(body members.tsv | cut -f2 | tr '\n' ' ')" = 'M000001 13900000009 ' ]
}

@test "trust: staff.tsv with active 'maybe' is a malformed ledger: exit 3 staff.tsv:2:" {
	add A 13800000001
	staff 'x Xe maybe'
	refused 3 'staff.tsv:2:' member-add --name B --phone 13800000002 --associate x
	refused 3 'staff.tsv:2:' sale-post --associate x M000001 100
}

@test "trust: return_days 7: a return 7 days after the sale is refused, 6 days after taken" {
	rules 'return_days 7'
	add A 13800000001
	sale-post -q M000001 100
	refused 1 '' env VIPLEDGER_NOW=2026-03-08T00:00:00 sale-return S000001
	refused 1 '' env VIPLEDGER_NOW=2026-03-08T09:00:00 sale-return S000001 10
	ok env VIPLEDGER_NOW=2026-03-07T23:59:59 sale-return S000001 10
	[ "$(printf '%s\n' "$output" | cut -f1-6)" = "$(row 2026-03-07T23:59:59 S000002 M000001 return S000001 -10.00)" ]
}

@test "trust: a batch's automatic receipt skips the receipts the batch gives" {
	add A 13800000001
	IN=$BATS_TEST_TMPDIR/in
	printf 'receipt\tmember\titems\n\tM000001\t100\nS000001\tM000001\t200\n' >"$IN"
	ok sale-post - <"$IN"
	[ "$(printf '%s\n' "$output" | cut -f2,6 | tr '\t\n' ': ')" = 'S000002:100.00 S000001:200.00 ' ]
	[ "$(body sales.tsv | cut -f2,6 | tr '\t\n' ': ')" = 'S000002:100.00 S000001:200.00 ' ]
	# a receipt given by two rows of one batch is refused, whatever their content
	printf 'receipt\tmember\titems\nR1\tM000001\t100\nR1\tM000001\t100\n' >"$IN"
	batch_refused 3 sale-post - <"$IN"
}

@test "trust: rules.conf with 200 upgrade lines: refused at a line of rules.conf, no crash" {
	add A 13800000001
	{
		echo 'tier normal'
		echo 'tier silver'
		seq 200 | awk '{ printf "upgrade normal silver total %d\n", $1 }'
	} >"$D/rules.conf"
	for cmd in "points-adjust --reason x M000001 5" "report rules" "sale-post M000001 100"; do
		read -ra args <<<"$cmd"
		refused 1 '' "${args[@]}"
		[[ $stderr =~ ^${args[0]}:\ rules\.conf:[0-9]+:\  ]]
	done
}

@test "trust: a sale whose earned points would pass 15 digits is refused; the ledgers stay readable" {
	rules 'earn_per 0.01' 'tier normal multiplier=1000' 'band 0.00 1000'
	add A 13800000001
	ok sale-post -q M000001 1.00
	[ "$(body sales.tsv | cut -f9)" = 1000000 ]
	refused 1 '' sale-post M000001 1000000000.00
	refused 1 '' sale-post M000001 100000000.00 2x450000000.00
	run --separate-stderr report liability
	[ "$status" -eq 0 ]
	run --separate-stderr report members
	[ "$status" -eq 0 ]
	[ "$(body sales.tsv | wc -l)" -eq 1 ]
}

# many_sales AMOUNT...: a batch of member M000001's sales of AMOUNT...,
# then one small sale of each of 1,099 others: more members than sale-post
# asks of one by one
many_sales() {
	printf 'member\titems\n'
	printf 'M000001\t%s\n' "$@"
	seq 2 1100 | awk '{ printf "M%06d\t0.01\n", $1 }'
}

# members: 1,100 members, M000001 to M001100
members() {
	seq 1100 | awk '{ printf "Name%d\t138%08d\n", $1, $1 }' |
		{ printf 'name\tphone\n'; cat; } | member-add -q -
}

@test "trust: a balance that many sales would take past 15 digits is refused alone and in a batch, the same with the index as without it" {
	rules 'earn_per 0.01' 'tier normal multiplier=1000' 'band 0.00 1000' \
	    'referral_pct 10'
	members
	msg='points: the balance of M000001 would pass 999999999999999 points'
	# 500000000000000 + 499999999990000 + 10000: one point too many
	many_sales 500000000.00 499999999.99 0.01 >"$BATS_TEST_TMPDIR/in"
	batch_refused 4 sale-post - <"$BATS_TEST_TMPDIR/in"
	[ "$stderr" = "sale-post: line 4: $msg" ]
	many_sales 500000000.00 499999990.00 >"$BATS_TEST_TMPDIR/in"
	ok sale-post -q - <"$BATS_TEST_TMPDIR/in"
	[ "$(body sales.tsv | wc -l)" -eq 1101 ]
	# 9999999 points below the limit: from the rows in the index, and
	# from the ledgers without it
	for cache in kept deleted; do
		[ $cache = kept ] || rm -rf "$D/cache"
		refused 1 '' sale-post M000001 10.00
		[ "$stderr" = "sale-post: $msg" ]
		many_sales 9.99 0.01 >"$BATS_TEST_TMPDIR/in"
		[ $cache = kept ] || rm -rf "$D/cache"
		batch_refused 3 sale-post - <"$BATS_TEST_TMPDIR/in"
		[ "$stderr" = "sale-post: line 3: $msg" ]
	done
	# her referral points count too: 10% of the cents paid
	add Ref 13900000001 --referrer M000001
	refused 1 '' sale-post M001101 1000000.00
	[ "$stderr" = "sale-post: $msg" ]
	ok sale-post M001101 999999.99
	[ "$(cut -f 3,11,12 <<<"$output")" = $'M001101\tM000001\t9999999' ]
	refused 1 '' sale-post M000001 0.01
	[ "$stderr" = "sale-post: $msg" ]
	many_sales 0.01 >"$BATS_TEST_TMPDIR/in"
	batch_refused 2 sale-post - <"$BATS_TEST_TMPDIR/in"
}

@test "trust: points rows written by hand that sum past 64 bits are summed in 128: a sale that would take them further is refused" {
	rules 'earn_per 0.01' 'tier normal multiplier=1000' 'band 0.00 1000'
	members
	ok points-adjust -q --reason gift M000002 5
	# 2^64 + 100 in all: what 64 bits would take for 100
	awk 'BEGIN { for (i = 0; i < 18446; i++)
		print "2026-03-01T10:00:00\tM000002\tadjust\t999999999999999\t2026-03-01\t\thand"
	print "2026-03-01T10:00:00\tM000002\tadjust\t744073709570157\t2026-03-01\t\thand" }' >>"$D/points.tsv"
	msg='points: the balance of M000002 would pass 999999999999999 points'
	for cache in kept deleted; do
		[ $cache = kept ] || rm -rf "$D/cache"
		refused 1 '' sale-post M000002 0.01
		[ "$stderr" = "sale-post: $msg" ]
		[ $cache = kept ] || rm -rf "$D/cache"
		many_sales 0.01 >"$BATS_TEST_TMPDIR/in"
		batch_refused 3 sale-post - <"$BATS_TEST_TMPDIR/in"
		[ "$stderr" = "sale-post: line 3: $msg" ]
	done
}

@test "trust: points folded into the index but not stamped count once when a writer folds them again" {
	load harness
	need_shim
	rules 'earn_per 0.01' 'tier normal multiplier=1000' 'band 0.00 1000'
	members
	ok sale-post -q M000002 0.01
	# its writes: the stamp, .intent, sales.tsv, the stamp again; the
	# last fails, after the row was folded
	run --separate-stderr env LD_PRELOAD="$SHIM" FAULT_SKIP=none \
	    FAULT_CALL=write FAULT_N=4 sale-post -q M000001 500000000.00
	[ "$status" -eq 0 ]
	[ "$stderr" = "sale-post: the index in $D/cache lags: write the index's stamp: Input/output error" ]
	ok sale-post -q M000001 499999999.99
	msg='points: the balance of M000001 would pass 999999999999999 points'
	refused 1 '' sale-post M000001 0.01
	[ "$stderr" = "sale-post: $msg" ]
	many_sales 0.01 >"$BATS_TEST_TMPDIR/in"
	batch_refused 2 sale-post - <"$BATS_TEST_TMPDIR/in"
	[ "$stderr" = "sale-post: line 2: $msg" ]
}
