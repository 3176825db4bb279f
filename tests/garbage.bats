# garbage.bats: odd arguments never crash a program: no exit above 3, no sanitizer report.
load common

@test "every program survives garbage arguments with an exit status of 3 or less" {
	add A 13800000001
	sale-post -q M000001 100
	long=$(printf '%*s' 5000 '' | tr ' ' 9)
	args=("" "-" "--" "--at=" "-w" "-w -1" "-wabc" $'\xff\xfe' "99999999999999999999" "%s%n%n"
		"1e400" "-0" "+" "x" "2x" "0x5" "@" "/" "1/0" "5@a b" "--use-points=-1" "--by=tier"
		"--as-of=9999-12-31" "M000001" "S000001" "-d" "--dir=" "members" "sales" "member"
		"statement" "-t" "-N" "--reason=" "--id=" "--phone=+" "$long" $'a\tb' $'a\nb'
		"followups" "segments" "--days=0" "--days=99999999999" "--class=" "--seed=-1" "--task=:"
		"--task=big:" "followup" "notes" "associates" "--staff=")
	progs=(member-add member-edit sale-post sale-return points-redeem points-adjust report tier-recalc member-forget
		member-note member-assign ledger-check)
	bad=0
	for p in "${progs[@]}"; do
		for a in "${args[@]}"; do
			for b in "" M000001 "$a" 100 -; do
				rc=0
				(cd "$BATS_TEST_TMPDIR" && "$p" "$a" "$b" < /dev/null > out 2> err) || rc=$?
				if [ "$rc" -gt 3 ] || grep -qE 'Sanitizer|runtime error' "$BATS_TEST_TMPDIR/err"; then
					echo "$p [$a] [$b]: exit $rc: $(head -3 "$BATS_TEST_TMPDIR/err")"
					bad=1
				fi
			done
		done
	done
	[ "$bad" -eq 0 ]
}

@test "a usage error is one line ending '; see PROG --help', exit 2" {
	for p in member-add member-edit sale-post sale-return points-redeem points-adjust report tier-recalc \
		member-forget member-note member-assign; do
		run "$p" --no-such-option
		[ "$status" -eq 2 ]
		[ "$output" = "$p: unknown option --no-such-option; see $p --help" ]
		run "$p" --help
		[ "$status" -eq 0 ]
		[[ $output == "usage: $p "* ]]
		run "$p" -V
		[ "$output" = "$p (vipledger) 0.2" ]
	done
}
