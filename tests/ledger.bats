# ledger.bats: the lock, concurrent writers, racing redeems, torn lines, bad ledgers.
load common

@test "16 concurrent writers x 40 sale-posts: 640 whole rows, unique receipts" {
	add A 13800000001
	for w in $(seq 16); do
		(for i in $(seq 40); do sale-post -q -w 60 M000001 "$w.$((i % 100))" || echo fail; done) > "$BATS_TEST_TMPDIR/w$w" 2>&1 &
	done
	wait
	cat "$BATS_TEST_TMPDIR"/w*
	! grep -q fail "$BATS_TEST_TMPDIR"/w*
	[ "$(body sales.tsv | wc -l)" -eq 640 ]
	[ "$(body sales.tsv | cut -f2 | sort -u | wc -l)" -eq 640 ]
	[ "$(body sales.tsv | cut -f2 | sort | tail -1)" = S000640 ]
	[ "$(awk -F'\t' 'NF != 19' "$D/sales.tsv" | wc -l)" -eq 0 ]
	[ "$(head -1 "$D/sales.tsv" | cut -f1)" = at ]
	[ "$(grep -c '^at' "$D/sales.tsv")" -eq 1 ]
}

@test "8 racing redeems for the last 100 points: exactly one wins" {
	add A 13800000001
	points-adjust -q --reason seed M000001 100
	for i in $(seq 8); do
		(rc=0; points-redeem -q -w 30 M000001 100 || rc=$?; echo $rc > "$BATS_TEST_TMPDIR/rc$i") 2>/dev/null &
	done
	wait
	[ "$(cat "$BATS_TEST_TMPDIR"/rc* | grep -c '^0$')" -eq 1 ]
	[ "$(cat "$BATS_TEST_TMPDIR"/rc* | grep -c '^1$')" -eq 7 ]
	[ "$(body points.tsv | grep -c redeem)" -eq 1 ]
	run report -N liability
	[ "$output" = $'0\t0\t0.00\t0.00' ]
}

@test "a torn last line: readers ignore it, the next writer sets it aside" {
	add A 13800000001
	sale-post -q M000001 100
	printf '2026-03-01T10:00:00\tS000002\tM000001\tsale\tS0' >> "$D/sales.tsv"
	run report -N sales
	[ "$status" -eq 0 ]
	[ "$output" = $'2026-03-01\t1\t0\t100.00\t100.00\t100\t0\t1' ]
	run sale-post -q M000001 200
	[ "$status" -eq 0 ]
	[ "$(cat "$D/torn/sales.tsv")" = $'2026-03-01T10:00:00\tS000002\tM000001\tsale\tS0' ]
	[ "$(tail -c 1 "$D/torn/sales.tsv" | od -An -c | tr -d ' ')" = '\n' ]
	[ "$(body sales.tsv | cut -f2 | tr '\n' ' ')" = 'S000001 S000002 ' ]
	[ "$(stat -c %a "$D/torn")" = 700 ]
	[ "$(stat -c %a "$D/torn/sales.tsv")" = 600 ]
}

@test "a torn header counts as an empty file and gets its header again" {
	add A 13800000001
	printf 'at\trec' > "$D/sales.tsv"
	run report -N sales
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	sale-post -q M000001 100
	[ "$(head -1 "$D/sales.tsv")" = "$(printf 'at\treceipt\tmember\tkind\tsale\tgoods\tpoints_used\tpaid\tearned\tavailable_on\treferrer\treferral_points\ttier\tstore\tassociate\titems\tnote\tbirthday_units\twallet')" ]
	[ "$(body sales.tsv | wc -l)" -eq 1 ]
	[ "$(cat "$D/torn/sales.tsv")" = $'at\trec' ]
}

@test "lock timeout: a held lock gives exit 3 ledger busy and writes nothing" {
	add A 13800000001
	before=$(sha "$D"/*.tsv)
	flock "$D/.lock" sleep 3 &
	sleep 0.3
	run sale-post -w 0.2 M000001 100
	[ "$status" -eq 3 ]
	[[ $output == "sale-post: ledger busy"* ]]
	run points-adjust -w 0 --reason x M000001 5
	[ "$status" -eq 3 ]
	[ "$(sha "$D"/*.tsv)" = "$before" ]
	wait
	run sale-post -w 0 -q M000001 100
	[ "$status" -eq 0 ]
}

@test "-w takes seconds; a malformed -w is a usage error; report takes no -w" {
	add A 13800000001
	for w in -1 abc 1.2.3 ''; do
		run sale-post -w "$w" M000001 100
		[ "$status" -eq 2 ]
	done
	run report -w 1 members
	[ "$status" -eq 2 ]
}

@test "a bad ledger header or a malformed row is exit 3 naming file:LINE" {
	add A 13800000001
	sale-post -q M000001 100
	sed -i '1s/goods/good/' "$D/sales.tsv"
	run report sales
	[ "$status" -eq 3 ]
	[[ $output == "report: sales.tsv:1: "* ]]
	sed -i '1s/good/goods/; 2s/\t100.00\t0\t/\t1,00\t0\t/' "$D/sales.tsv"
	run sale-post M000001 5
	[ "$status" -eq 3 ]
	[[ $output == "sale-post: sales.tsv:2: "* ]]
	printf 'x\xff\n' >> "$D/members.tsv"
	run report members
	[ "$status" -eq 3 ]
	[[ $output == "report: members.tsv:3: "* ]]
}

@test "a dry run takes no lock and creates nothing; a refusal may leave only DIR, .lock and cache/" {
	run member-add --dry-run --name A --phone 13800000001
	[ "$status" -eq 0 ]
	[ ! -e "$D" ]
	run member-add --name A --phone 13800000001 --referrer M000009
	[ "$status" -eq 1 ]
	[ "$(ls -A "$D" | grep -v '^cache$')" = .lock ]
	[ "$(stat -c %a "$D")" = 700 ]
	[ "$(stat -c %a "$D/.lock")" = 600 ]
}

@test "files are created 0600 with their header; DIR 0700 with missing parents" {
	export VIPLEDGER_DIR=$BATS_TEST_TMPDIR/a/b/shop
	add A 13800000001
	[ "$(stat -c %a "$VIPLEDGER_DIR")" = 700 ]
	[ "$(stat -c %a "$VIPLEDGER_DIR/members.tsv")" = 600 ]
	[ "$(head -1 "$VIPLEDGER_DIR/members.tsv" | cut -f1-3)" = $'at\tmember\tname' ]
}

@test "the data directory: -d, then VIPLEDGER_DIR, then XDG_DATA_HOME, then HOME" {
	run member-add -q -d "$BATS_TEST_TMPDIR/d1" --name A --phone 13800000001
	[ -f "$BATS_TEST_TMPDIR/d1/members.tsv" ]
	unset VIPLEDGER_DIR
	XDG_DATA_HOME=$BATS_TEST_TMPDIR/xdg member-add -q --name A --phone 13800000001
	[ -f "$BATS_TEST_TMPDIR/xdg/vipledger/members.tsv" ]
	HOME=$BATS_TEST_TMPDIR/home member-add -q --name A --phone 13800000001
	[ -f "$BATS_TEST_TMPDIR/home/.local/share/vipledger/members.tsv" ]
}

@test "VIPLEDGER_NOW malformed is a usage error; a date means midnight" {
	run env VIPLEDGER_NOW=2026-13-01 member-add --name A --phone 13800000001
	[ "$status" -eq 2 ]
	run env VIPLEDGER_NOW=2026-03-02 member-add --name A --phone 13800000001
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | cut -f1)" = 2026-03-02T00:00:00 ]
}

@test "a date past year 9999 is refused: a date is out of range" {
	add A 13800000001
	run env VIPLEDGER_NOW=9999-12-30T10:00:00 sale-post M000001 100
	[ "$status" -eq 1 ]
	[[ $output == *"out of range"* ]]
}
