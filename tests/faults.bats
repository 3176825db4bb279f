# faults.bats: a failed open, write, fsync, ftruncate or rename leaves every
# ledger as it was and exits 3 naming the file (SPEC sections 3 and 11).
#
# Each writer runs once cleanly with the shim counting its calls on DIR;
# then, for every kind of call and every N up to that count, it runs again
# on a fresh copy of the shop with the Nth such call failing (EIO or
# ENOSPC; writes also cut short half-way, the next write failing), and a
# retry without the shim must leave exactly what the clean run left.
load common
load harness

# faulted KIND N ERRNO [PARTIAL] CMD...: CMD run with the shim failing the
# Nth KIND call, stdin from $IN
faulted() {
	local kind=$1 n=$2 e=$3 partial=$4
	shift 4
	run --separate-stderr env LD_PRELOAD="$SHIM" FAULT_CALL="$kind" \
		FAULT_N="$n" FAULT_ERRNO="$e" FAULT_PARTIAL="$partial" "$@" <"${IN:-/dev/null}"
}

# sweep CMD...: the fault sweep of CMD on the shop in DIR (stdin from $IN)
sweep() {
	local kind n e partial total before after want prog points=0 bad=()
	local count=$BATS_TEST_TMPDIR/count
	prog=$(progname "$@")
	# every run, the clean one too, from a copy without the index: a
	# copy's index may stand for its ledgers or not (the stamp names their
	# inodes, which a copy may or may not get again), and tier-recalc
	# opens other ledgers when it walks from the index
	keep tpl
	rm -rf "${BATS_TEST_TMPDIR:?}/tpl/cache"
	back tpl
	before=$(tsvs)
	rm -f "$count"
	run --separate-stderr env LD_PRELOAD="$SHIM" FAULT_COUNT="$count" "$@" <"${IN:-/dev/null}"
	echo "# clean run: status $status; stdout: $output; stderr: $stderr"
	[ "$status" -eq 0 ]
	want=$output
	after=$(tsvs)
	[ "$after" != "$before" ]
	cat "$count"
	for kind in open write fsync ftruncate rename; do
		total=$(awk -v k="$kind" '$1 == k { print $2 }' "$count")
		for n in $(seq "$total"); do
			for partial in 0 1; do
				[ "$partial" = 0 ] || [ "$kind" = write ] || continue
				e=EIO
				[ $((n % 2)) -eq 1 ] || e=ENOSPC
				points=$((points + 1))
				back tpl
				faulted "$kind" "$n" "$e" "$partial" "$@"
				if [ "$status" -ne 3 ] || [ -n "$output" ] || ! one_line "$prog" ||
					! names_a_file || [ "$(tsvs)" != "$before" ]; then
					bad+=("$kind #$n of $total ($e, partial $partial): status $status; stdout: ${output:0:200}; stderr: $stderr; ledgers $([ "$(tsvs)" = "$before" ] && echo unchanged || echo CHANGED)")
					continue
				fi
				run --separate-stderr "$@" <"${IN:-/dev/null}"
				if [ "$status" -ne 0 ] || [ "$output" != "$want" ] || [ "$(tsvs)" != "$after" ]; then
					bad+=("$kind #$n of $total ($e, partial $partial): the retry: status $status; stderr: $stderr; ledgers $([ "$(tsvs)" = "$after" ] && echo 'as a clean run' || echo 'NOT as a clean run')")
				fi
			done
		done
	done
	echo "# $points fault points"
	printf '# %s\n' "${bad[@]}"
	[ "${#bad[@]}" -eq 0 ]
}

@test "faults: member-add into a DIR that does not exist yet" {
	need_shim
	sweep member-add --name A --phone 13800000001
}

@test "faults: member-add" {
	need_shim
	shop
	sweep member-add --name C --phone 13800000003 --associate a1
}

@test "faults: member-add - (a batch of two)" {
	need_shim
	shop
	IN=$BATS_TEST_TMPDIR/in
	printf 'name\tphone\treferrer\nC\t13800000003\tM000001\nD\t13800000004\t\n' >"$IN"
	sweep member-add -
}

@test "faults: member-edit" {
	need_shim
	shop
	sweep member-edit M000002 --email b@example.com --associate a1
}

@test "faults: sale-post" {
	need_shim
	shop
	sweep sale-post M000001 1280 2x459/899
}

@test "faults: sale-post --use-points" {
	need_shim
	shop
	sweep sale-post --use-points 300 M000001 100
}

@test "faults: sale-post - (a batch of three)" {
	need_shim
	shop
	IN=$BATS_TEST_TMPDIR/in
	printf 'member\titems\treceipt\nM000001\t100\t\nM000002\t2x50,30\tR-7\nM000001\t5\t\n' >"$IN"
	sweep sale-post -
}

@test "faults: sale-return" {
	need_shim
	shop
	sweep sale-return S000001 100
}

@test "faults: points-redeem" {
	need_shim
	shop
	sweep points-redeem M000001 300
}

@test "faults: points-adjust" {
	need_shim
	shop
	sweep points-adjust --reason fix M000002 -50
}

@test "faults: member-note, creating notes.tsv" {
	need_shim
	shop
	sweep member-note --staff a1 M000001 service 'hemmed trousers'
}

@test "faults: member-assign, dealing both members" {
	need_shim
	shop
	printf 'staff\tname\tactive\na1\tAnn\tyes\na2\tBo\tyes\n' >"$D/staff.tsv"
	sweep member-assign
}

@test "faults: tier-recalc with an upgrade to write" {
	need_shim
	shop
	sweep tier-recalc
}

@test "faults: tier-recalc whose rows come from a spill file, in many batches" {
	need_shim
	shop
	VIPLEDGER_NOW=2026-02-02T10:00:00 sale-post -q M000002 3000
	export VIPLEDGER_TIER_KB=1
	# not vacuous: more text than a sixteenth of the budget, so spilled
	[ "$(VIPLEDGER_NOW=2026-03-01T10:00:00 tier-recalc --dry-run | wc -c)" -gt 64 ]
	sweep tier-recalc
}

@test "faults: points-redeem M000001 300 with a failing fsync of points.tsv, then a retry: one redeem" {
	need_shim
	shop
	before=$(tsvs)
	run --separate-stderr env LD_PRELOAD="$SHIM" FAULT_DIR="$D/points.tsv" \
		FAULT_CALL=fsync FAULT_N=1 points-redeem M000001 300
	echo "# status $status; stdout: $output; stderr: $stderr"
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	one_line points-redeem
	[[ $stderr == *points.tsv* ]]
	[ "$(tsvs)" = "$before" ]
	[ "$(value available)" = 1500 ]
	ok points-redeem M000001 300
	[ "$output" = "$(row 2026-03-01T10:00:00 M000001 redeem -300 2026-03-01 '' '')" ]
	[ "$(body points.tsv | cut -f3 | grep -c '^redeem$')" -eq 1 ]
	[ "$(value available)" = 1200 ]
}

@test "faults: a failing write of sales.tsv cut short half-way leaves no part of the row" {
	need_shim
	shop
	before=$(tsvs)
	size=$(stat -c %s "$D/sales.tsv")
	run --separate-stderr env LD_PRELOAD="$SHIM" FAULT_DIR="$D/sales.tsv" \
		FAULT_CALL=write FAULT_N=1 FAULT_PARTIAL=1 FAULT_ERRNO=ENOSPC sale-post M000001 100
	echo "# status $status; stdout: $output; stderr: $stderr"
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	one_line sale-post
	[[ $stderr == *sales.tsv* ]]
	[ "$(stat -c %s "$D/sales.tsv")" -eq "$size" ]
	[ "$(tsvs)" = "$before" ]
	ok sale-post -q M000001 100
	[ "$(body sales.tsv | cut -f2 | tr '\n' ' ')" = 'S000001 S000002 ' ]
	whole sales.tsv
}

@test "faults: a failure in the cache leaves the ledgers as before, or the command done" {
	need_shim
	shop
	run report members
	count=$BATS_TEST_TMPDIR/count
	keep tpl
	before=$(tsvs)
	run --separate-stderr env LD_PRELOAD="$SHIM" FAULT_DIR="$D/cache" FAULT_SKIP= \
		FAULT_COUNT="$count" sale-post M000001 100
	[ "$status" -eq 0 ]
	want=$output
	after=$(tsvs)
	bad=()
	for kind in open write fsync ftruncate rename; do
		total=$(awk -v k="$kind" '$1 == k { print $2 }' "$count")
		for n in $(seq "$total"); do
			back tpl
			run --separate-stderr env LD_PRELOAD="$SHIM" FAULT_DIR="$D/cache" FAULT_SKIP= \
				FAULT_CALL="$kind" FAULT_N="$n" sale-post M000001 100
			if [ "$status" -eq 3 ] && [ -z "$output" ] && one_line sale-post &&
				[ "$(tsvs)" = "$before" ]; then
				continue
			fi
			if [ "$status" -eq 0 ] && [ "$output" = "$want" ] && [ "$(tsvs)" = "$after" ]; then
				continue
			fi
			bad+=("cache $kind #$n: status $status; stdout: $output; stderr: $stderr")
		done
		# whatever the cache holds now, the next command answers as without it
		run report -N member M000001
		first=$output
		rm -rf "$D/cache"
		run report -N member M000001
		[ "$output" = "$first" ] || bad+=("cache $kind: report member differs with the cache deleted")
	done
	printf '# %s\n' "${bad[@]}"
	[ "${#bad[@]}" -eq 0 ]
}
