# cache.bats: DIR/cache is derived and deletable: the same bytes with it,
# without it, and when a ledger changed underneath it (SPEC section 6).
load common

shop() {
	rules 'referral_pct 10' 'hold_days 0'
	VIPLEDGER_NOW=2026-01-01T10:00:00 add Ann 13800000001
	VIPLEDGER_NOW=2026-01-01T10:00:00 add Bob 13800000002 --referrer M000001
	VIPLEDGER_NOW=2026-01-01T10:00:00 add Cai 13800000003
	ok points-adjust -q --reason gift M000001 300
	ok sale-post -q --at 2026-02-01T10:00:00 M000002 500 2x100/200
	ok sale-post -q -r R-1 --at 2026-02-02T10:00:00 --use-points 200 M000001 900
	ok sale-return -q --at 2026-02-03T10:00:00 S000001 100
	ok points-redeem -q -r V-1 M000002 50
	ok tier-recalc -q --as-of 2026-02-28
	ok member-edit -q M000003 --phone 13900000003
}

# probe: what the writers would do and what the till shows, as text
probe() {
	local c
	while IFS= read -r c; do
		eval "$c" 2>&1 || echo "exit $?"
	done <<-'EOF'
	sale-post --dry-run M000002 100
	sale-post --dry-run 13900000003 100
	sale-post --dry-run -r R-1 M000001 900 --use-points 200
	sale-post --dry-run --use-points 70 M000002 100
	points-redeem --dry-run M000003 1
	points-redeem --dry-run -r V-1 M000002 50
	sale-return --dry-run --at 2026-02-05 S000001
	member-add --dry-run --name Dan --phone 13800000004
	member-add --dry-run --name Dan --phone 13800000003
	member-add --dry-run --name Dan --phone 13900000003
	report member M000001
	report member 13900000003
	report sales --by month
	report sales --from 2026-02-02 --to 2026-03-01
	report sales --by store
	EOF
}

# fresh: what probe says of a copy of DIR without its cache
fresh() {
	local copy=$BATS_TEST_TMPDIR/copy
	rm -rf "$copy"
	cp -a "$D" "$copy"
	rm -rf "$copy/cache"
	VIPLEDGER_DIR=$copy probe | sed "s#$copy#$D#g"
}

# same: probe gives the same bytes on DIR, index and all, as on a copy
# without the index
same() {
	local got want
	want=$(fresh)
	got=$(probe)
	[ "$got" = "$want" ] || { diff <(echo "$want") <(echo "$got"); return 1; }
}

@test "cache: the same bytes with the index, without it, and lagging behind" {
	shop
	[ -f "$D/cache/stamp" ]
	want=$(probe)
	echo "$want"
	[[ $want == *$'\tS000003\tM000002\tsale\t'* ]]
	[[ $want == *"points: 1 asked, 0 available"* ]]
	[[ $want == *$'\tM000004\tDan\t13800000003\t'* ]]
	[[ $want == *"phone: 13900000003 is taken by member M000003"* ]]
	rm -rf "$D/cache"
	[ "$(probe)" = "$want" ]
	[ ! -e "$D/cache" ]	# dry runs write nothing, the index neither
	ok points-redeem -q M000001 1
	[ -f "$D/cache/stamp" ]
	# rows appended by hand, past the index: read as its tail
	printf '2026-03-01T09:00:00\tM000001\tadjust\t1\t2026-03-01\t\thand\n' >>"$D/points.tsv"
	same
	# a member and her sale added by hand: past the index, both
	printf '2026-03-01T09:00:00\tM000009\tHand\t13800000009\t\t\t\t\t\t\t\t\tok\t\n' >>"$D/members.tsv"
	printf '2026-03-01T09:00:00\tS000099\tM000009\tsale\tS000099\t10.00\t0\t10.00\t10\t2026-03-01\t\t0\tnormal\t\t\t10\t\t\t\n' >>"$D/sales.tsv"
	same
	[[ $(probe) == *$'2026-03\t1\t0\t10.00\t10.00\t10\t0\t1'* ]]
	[[ $(probe) == *$'available\t6998\n'* ]]
	ok points-redeem -q M000001 1
	same
}

@test "cache: a ledger replaced, cut back or edited at its end means a rebuild, never a wrong answer" {
	shop
	same
	# replaced by a copy (another inode), same bytes
	cp "$D/sales.tsv" "$D/sales.new" && mv "$D/sales.new" "$D/sales.tsv"
	same
	ok points-redeem -q M000001 1
	ok points-adjust -q --reason back M000001 1
	same
	# its last row cut off by hand: the index must not answer for it
	sed -i '$d' "$D/points.tsv"
	same
	ok points-adjust -q --reason back M000001 1
	# the last row changed in place, same length
	sed -i '$s/\tback$/\tBACK/' "$D/points.tsv"
	same
	ok points-redeem -q M000001 1
	same
	# a member's last record cut off: her phone is her old one again
	sed -i '$d' "$D/members.tsv"
	same
	run sale-post --dry-run 13800000003 1
	[ "$(cut -f 3 <<<"$output")" = M000003 ]
}

@test "cache: a torn or damaged index is rebuilt" {
	shop
	ok points-redeem -q M000001 1
	printf 'garbage' | dd of="$D/cache/stamp" bs=1 seek=20 conv=notrunc 2>/dev/null
	same
	ok points-redeem -q M000001 1
	same
	: >"$D/cache/members.tab"
	same
	ok points-redeem -q M000001 1
	same
	head -c 100 /dev/urandom >"$D/cache/nodes.dat"
	same
	ok points-redeem -q M000001 1
	same
	rm "$D/cache/receipts.tab"
	same
	ok points-redeem -q M000001 1
	same
}

@test "cache: 2,000 members and the tables that grow stay exact" {
	mkdir -p "$D"
	seq 2000 | awk '{ printf "Name%d\t138%08d\n", $1, $1 }' |
		{ printf 'name\tphone\n'; cat; } | member-add -q -
	seq 2000 | awk '{ printf "M%06d\t%d\n", $1, 100 + $1 }' |
		{ printf 'member\titems\n'; cat; } | sale-post -q -
	ok sale-post -r S000777 M000777 877
	ok sale-post --dry-run 13800001999 1
	[ "$(cut -f 2,3 <<<"$output")" = $'S002001\tM001999' ]
	rm -rf "$D/cache"
	ok sale-post --dry-run 13800001999 1
	[ "$(cut -f 2,3 <<<"$output")" = $'S002001\tM001999' ]
	ok member-add --dry-run --name X --phone 13811111111
	[ "$(cut -f 2 <<<"$output")" = M002001 ]
	# a retry of a posted receipt, the index rebuilt
	ok sale-post -r S000777 M000777 877
	[ "$(body sales.tsv | wc -l)" -eq 2000 ]
}

@test "cache: a writer killed at each call on the index leaves it stale, never wrong" {
	load harness
	need_shim
	shop
	ok points-redeem -q M000001 1
	count=$BATS_TEST_TMPDIR/count
	cp -a "$D" "$BATS_TEST_TMPDIR/tpl"
	env LD_PRELOAD="$SHIM" FAULT_DIR="$D/cache" FAULT_SKIP= FAULT_COUNT="$count" \
		sale-post -q -r K-1 M000002 100 2>/dev/null
	total=$(awk '$1 == "any" { print $2 }' "$count")
	echo "# $total calls on the index"
	[ "$total" -gt 3 ]
	for n in $(seq "$total"); do
		rm -rf "$D" && cp -a "$BATS_TEST_TMPDIR/tpl" "$D"
		run env LD_PRELOAD="$SHIM" FAULT_DIR="$D/cache" FAULT_SKIP= \
			FAULT_CALL=any FAULT_N="$n" FAULT_KILL=1 sale-post -q -r K-1 M000002 100
		# killed or not, the sale is in the ledger once: it was
		# committed before the index was touched again
		[ "$(grep -c $'\tK-1\t' "$D/sales.tsv")" -le 1 ]
		same || { echo "# killed at call $n of $total"; return 1; }
		ok points-redeem -q M000001 1
		same || { echo "# after the next writer, killed at $n"; return 1; }
	done
}

@test "cache: ids one number apart in the tables, and ids of one number written differently (S123, S000123), each found as itself" {
	shop
	# one place in the tables for S123, S0123 and S000123: told apart by
	# the rows themselves
	ok sale-post -q -r S000123 --at 2026-02-10T10:00:00 M000001 123
	ok sale-post -q -r S123 --at 2026-02-10T11:00:00 M000002 45
	ok sale-post -q -r S124 --at 2026-02-10T12:00:00 M000003 46
	ok sale-post -q -r s123 --at 2026-02-10T13:00:00 M000003 47
	ok sale-return -q --at 2026-02-11T10:00:00 S123
	for k in kept deleted; do
		[ $k = kept ] || rm -rf "$D/cache"
		ok sale-post -r S123 --at 2026-02-10T11:00:00 M000002 45
		[ "$(cut -f 2,3,6 <<<"$output")" = $'S123\tM000002\t45.00' ]
		refused 1 'receipt' sale-post -r S000123 M000002 45
		ok sale-post --dry-run -r S0123 M000002 45
		[ "$(cut -f 2,3 <<<"$output")" = $'S0123\tM000002' ]
		refused 1 "nothing is left" sale-return --dry-run --at 2026-02-12T10:00:00 S123
		ok sale-return --dry-run --at 2026-02-12T10:00:00 S000123
		[ "$(cut -f 3,5,6 <<<"$output")" = $'M000001\tS000123\t-123.00' ]
		ok sale-post --dry-run M000001 1
		[ "$(cut -f 2 <<<"$output")" = S000126 ]
		same
	done
}
