# race.bats: racing spends never overspend, concurrent writers lose and
# duplicate no row (SPEC sections 3 and 11), with the real clock.
load common
load harness

# race N HELD CMD...: N copies of CMD started at once, their exit statuses
# left in $BATS_TEST_TMPDIR/race/rcI.  With HELD 1 they start while
# another process holds DIR/.lock: a fifth of them, then the rest in the
# next second (so that their clocks differ); then the lock is let go.
race() {
	local n=$1 held=$2 i ms out=$BATS_TEST_TMPDIR/race
	shift 2
	rm -rf "$out"
	mkdir "$out"
	if [ "$held" = 1 ]; then
		flock "$D/.lock" sh -c ': >"$1/held"; i=0
			until [ -e "$1/go" ] || [ $i -gt 3000 ]; do sleep 0.01; i=$((i + 1)); done' sh "$out" 3>&- &
		until [ -e "$out/held" ]; do sleep 0.01; done
	fi
	for i in $(seq "$n"); do
		if [ "$held" = 1 ] && [ "$i" -eq $((n / 5 + 1)) ]; then
			ms=${EPOCHREALTIME: -6:3}
			ms=$((1030 - 10#$ms))
			sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
		fi
		(
			rc=0
			"$@" >"$out/out$i" 2>"$out/err$i" || rc=$?
			echo "$rc" >"$out/rc$i"
		) &
	done
	: >"$out/go"
	wait
}

# statuses: the exit statuses of the last race, counted: "COUNT STATUS" lines
statuses() {
	cat "$BATS_TEST_TMPDIR"/race/rc* | sort | uniq -c | awk '{ print $1, $2 }' | tr '\n' ' '
}

# never_below_zero: the balance of M000001 is never below zero at the end
# of a second (rows of one second from two ledgers have no order)
never_below_zero() {
	report -N statement M000001 | awk -F'\t' '
		$1 != at && at != "" && bal < 0 { print "# below zero at " at ": " bal; bad = 1 }
		{ at = $1; bal = $6 }
		END { if (bal < 0) { print "# below zero at " at ": " bal; bad = 1 }; exit bad }'
}

# spend_rounds ROUNDS CMD...: each round gives M000001 100 points, races 50
# copies of CMD for them (every fourth round while the lock is held), and
# checks that exactly one wins and the balance ends at 0, never below.
spend_rounds() {
	local rounds=$1 r held got
	shift
	for r in $(seq "$rounds"); do
		points-adjust -q --reason "round $r" M000001 100
		held=0
		[ $((r % 4)) -ne 1 ] || held=1
		race 50 "$held" "$@"
		got=$(statuses)
		if [ "$got" != "1 0 49 1 " ]; then
			echo "# round $r (lock held: $held): statuses $got"
			cat "$BATS_TEST_TMPDIR"/race/err* | sort | uniq -c | head -5
			return 1
		fi
		[ "$(value available)" = 0 ] || {
			echo "# round $r: available $(value available)"
			return 1
		}
		[ "$(column liability available)" = 0 ]
		never_below_zero
	done
	echo "# $rounds rounds of 50 racers: one success and 49 refusals in each"
}

@test "race: 50 points-redeem for the points of one, again and again: exactly one wins" {
	unset VIPLEDGER_NOW
	add A 13800000001
	rounds=$(scale 20 4)
	spend_rounds "$rounds" points-redeem -q -w 20 M000001 100
	[ "$(body points.tsv | cut -f3 | grep -c '^redeem$')" -eq "$rounds" ]
	[ "$(body points.tsv | awk -F'\t' '{ s += $4 } END { print s }')" -eq 0 ]
	never_below_zero
}

@test "race: 50 sale-post --use-points for the points of one, again and again: exactly one wins" {
	unset VIPLEDGER_NOW
	add A 13800000001
	rounds=$(scale 20 4)
	spend_rounds "$rounds" sale-post -q -w 20 --use-points 100 M000001 10
	[ "$(body sales.tsv | wc -l)" -eq "$rounds" ]
	[ "$(body sales.tsv | cut -f7 | grep -c '^100$')" -eq "$rounds" ]
	[ "$(body sales.tsv | cut -f2 | sort -u | wc -l)" -eq "$rounds" ]
	never_below_zero
}

@test "race: 16 writers x 200 sale-post: every row once, receipts unique" {
	unset VIPLEDGER_NOW
	add A 13800000001
	writers=16
	each=$(scale 200 40)
	for w in $(seq "$writers"); do
		timeout 300 sh -c 'w=$1 each=$2; i=0
			while [ $i -lt $each ]; do
				i=$((i + 1))
				sale-post -q -w 60 --note "w$w.$i" M000001 "$w.$((i % 100))" || echo "w$w.$i: exit $?"
			done' sh "$w" "$each" >"$BATS_TEST_TMPDIR/w$w" 2>&1 &
	done
	wait
	cat "$BATS_TEST_TMPDIR"/w*
	[ -z "$(cat "$BATS_TEST_TMPDIR"/w*)" ]
	total=$((writers * each))
	[ "$(body sales.tsv | wc -l)" -eq "$total" ]
	[ "$(body sales.tsv | cut -f2 | sort -u | wc -l)" -eq "$total" ]
	[ "$(body sales.tsv | cut -f17 | sort -u | wc -l)" -eq "$total" ]
	[ "$(body sales.tsv | cut -f2 | sort | tail -1)" = "$(printf 'S%06d' "$total")" ]
	[ "$(grep -c '^at	' "$D/sales.tsv")" -eq 1 ]
	whole sales.tsv
}
