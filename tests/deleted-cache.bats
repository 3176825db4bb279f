# deleted-cache.bats: DIR/cache is derived and may be deleted at any time
# (SPEC section 6), even while writers are using it (rm -rf may itself
# fail then: files appear as it goes, hence the "|| true"): every writer still
# writes its row, and the next one rebuilds the index.
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
