# fuzz.bats: each fuzz corpus replayed through its harness, in the build under test (SPEC section 11).
load common

# The replay programs sit beside bin/ in the same build (make all).
R=$VL_BIN/../replay

@test "every fuzz corpus replays through its harness: no crash, no exit, no sanitizer report" {
	local n files
	for n in money date item rules batch ledger; do
		files=("$BATS_TEST_DIRNAME/fuzz/corpus/$n"/*)
		echo "# $n: ${#files[@]} inputs"
		[ "${#files[@]}" -ge 10 ] && [ "${#files[@]}" -lt 200 ]
		run --separate-stderr "$R/$n" "${files[@]}"
		echo "# status $status; stdout: $output; stderr: $stderr"
		[ "$status" -eq 0 ]
		[ "$output" = "$n: ${#files[@]} inputs" ]
		[ -z "$stderr" ]
	done
}

@test "a replay stops at an input it cannot read" {
	run --separate-stderr "$R/money" "$BATS_TEST_DIRNAME/fuzz/corpus/money/seed-00-zero" "$BATS_TEST_TMPDIR/none"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[ "$stderr" = "money: $BATS_TEST_TMPDIR/none: No such file or directory" ]
}
