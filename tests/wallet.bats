# wallet.bats: stored value (充值): wallet-topup, wallet-refund, report
# wallet, the wallet of report member and liability, the topup metric.
load common

SALES_HEADER=$'at\treceipt\tmember\tkind\tsale\tgoods\tpoints_used\tpaid\tearned\tavailable_on\treferrer\treferral_points\ttier\tstore\tassociate\titems\tnote\tbirthday_units\twallet'

# sales_row FIELD...: a sales.tsv row of the 0.2 columns, written by hand
# (as another till would), the header first
sales_row() {
	[ -e "$D/sales.tsv" ] || printf '%s\n' "$SALES_HEADER" >"$D/sales.tsv"
	chmod 600 "$D/sales.tsv"
	printf '%s\n' "$(row "$@")" >>"$D/sales.tsv"
}

# at TIME CMD...: CMD with the clock at TIME
at() {
	local t=$1
	shift
	VIPLEDGER_NOW=$t "$@"
}

# key VIEW-OUTPUT KEY: the value of a key of report member
key() {
	printf '%s\n' "$1" | awk -F'\t' -v k="$2" '$1 == k { print $2 }'
}

# scene: two members; M000001 tops up, pays with stored value, has part
# of a sale returned, is refunded, tops up again; M000002 spends more than
# she topped up (rows by hand), so her stored value is below zero.
scene() {
	J=2026-01-05T09:00:00 member A 13800000001
	J=2026-01-05T09:30:00 member B 13800000002
	at 2026-01-10T10:00:00 wallet-topup -q -r T1 M000001 1000
	at 2026-01-15T10:00:00 wallet-topup -q M000002 100
	sales_row 2026-01-20T12:00:00 S000001 M000001 sale S000001 600.00 0 600.00 600 2026-01-27 '' 0 normal '' '' 600 '' '' 300.00
	sales_row 2026-01-22T12:00:00 R000001 M000001 return S000001 -200.00 0 -200.00 -200 2026-01-27 '' 0 normal '' '' '' '' '' -100.00
	sales_row 2026-01-25T12:00:00 S000002 M000001 sale S000002 80.00 0 80.00 80 2026-02-01 '' 0 normal '' '' 80 '' '' ''
	sales_row 2026-01-26T12:00:00 S000003 M000001 sale S000003 90.00 0 90.00 90 2026-02-02 '' 0 normal '' '' 90 '' '' 0.00
	sales_row 2026-01-16T10:00:00 S000005 M000002 sale S000005 150.00 0 150.00 150 2026-01-23 '' 0 normal '' '' 150 '' '' 150.00
	at 2026-02-01T09:00:00 wallet-refund -q M000001 200
	at 2026-02-05T12:00:00 wallet-topup -q -r T2 M000001 500
	sales_row 2026-02-05T12:00:00 S000004 M000001 sale S000004 50.00 0 50.00 50 2026-02-12 '' 0 normal '' '' 50 '' '' 50.00
}

@test "wallet-topup writes a topup row of +AMOUNT, earns no points, creates wallet.tsv 0600" {
	add A 13800000001
	ok wallet-topup -r T1 --note 'card 0193' M000001 12000
	[ "$output" = "$(row 2026-03-01T10:00:00 M000001 topup 12000.00 T1 'card 0193')" ]
	[ "$(head -1 "$D/wallet.tsv")" = $'at\tmember\tkind\tamount\tref\tnote' ]
	[ "$(body wallet.tsv)" = "$output" ]
	[ "$(stat -c %a "$D/wallet.tsv")" = 600 ]
	ok wallet-topup 13800000001 1280.5
	[ "$output" = "$(row 2026-03-01T10:00:00 M000001 topup 1280.50 '' '')" ]
	[ ! -e "$D/points.tsv" ]
	[ ! -e "$D/sales.tsv" ]
	ok report -N liability
	[ "$output" = $'0\t0\t0.00\t13280.50' ]
	ok report -N member M000001
	[ "$(key "$output" available)" = 0 ]
	[ "$(key "$output" wallet)" = 13280.50 ]
	ok ledger-check
}

@test "wallet-refund writes -AMOUNT, refused above the stored value, to the cent" {
	add A 13800000001
	wallet-topup -q M000001 500
	ok wallet-refund -r C1 --note cash M000001 200
	[ "$output" = "$(row 2026-03-01T10:00:00 M000001 refund -200.00 C1 cash)" ]
	refused 1 'amount' wallet-refund M000001 300.01
	[ "$stderr" = "wallet-refund: amount: 300.01 asked, 300.00 in stored value" ]
	ok wallet-refund M000001 300
	[ "$output" = "$(row 2026-03-01T10:00:00 M000001 refund -300.00 '' '')" ]
	refused 1 'amount' wallet-refund M000001 0.01
	[ "$stderr" = "wallet-refund: amount: 0.01 asked, 0.00 in stored value" ]
	[ "$(body wallet.tsv | cut -f3,4 | tr '\t\n' ': ')" = 'topup:500.00 refund:-200.00 refund:-300.00 ' ]
	ok report -N liability
	[ "$(printf '%s\n' "$output" | cut -f4)" = 0.00 ]
	ok ledger-check
}

@test "wallet-refund: a member with no stored value, or below zero, is refused" {
	add A 13800000001
	refused 1 'amount' wallet-refund M000001 1
	[ ! -e "$D/wallet.tsv" ]
	wallet-topup -q M000001 100
	sales_row 2026-03-01T09:00:00 S000001 M000001 sale S000001 150.00 0 150.00 150 2026-03-08 '' 0 normal '' '' 150 '' '' 150.00
	refused 1 'amount' wallet-refund M000001 0.01
	[ "$stderr" = "wallet-refund: amount: 0.01 asked, 0.00 in stored value" ]
}

@test "wallet-refund --at: refused above the lowest stored value from then to now" {
	scene
	# M000001: 1000 on 01-10, 700 on 01-20, 800 on 01-22, 600 on 02-01, 1050 on 02-05
	refused 1 'amount' wallet-refund --at 2026-01-21 M000001 600.01
	[ "$stderr" = "wallet-refund: amount: 600.01 asked, 600.00 in stored value" ]
	ok wallet-refund --at 2026-01-21 M000001 600
	[ "$output" = "$(row 2026-01-21T00:00:00 M000001 refund -600.00 '' '')" ]
	# now: 100 on 01-21, 200 on 01-22, 0 on 02-01, 450 on 02-05
	refused 1 'amount' wallet-refund --at 2026-01-10T10:00:00 M000001 0.01
	refused 1 'amount' wallet-refund M000001 450.01
	ok wallet-refund --at 2026-02-05T12:00:00 M000001 450
	ok report -N member M000001
	[ "$(key "$output" wallet)" = 0.00 ]
}

@test "wallet-refund --at before a top-up cannot spend it" {
	J=2026-01-05T09:00:00 member A 13800000001
	at 2026-02-15T10:00:00 wallet-topup -q M000001 100
	refused 1 'amount' wallet-refund --at 2026-02-01 M000001 10
	[ "$stderr" = "wallet-refund: amount: 10.00 asked, 0.00 in stored value" ]
	ok wallet-refund --at 2026-02-15T10:00:00 M000001 10
	[ "$output" = "$(row 2026-02-15T10:00:00 M000001 refund -10.00 '' '')" ]
}

@test "--at: a date or a time, not in the future, not before the member joined" {
	J=2026-01-05T09:00:00 member A 13800000001
	ok wallet-topup --at 2026-02-01 M000001 100
	[ "$output" = "$(row 2026-02-01T00:00:00 M000001 topup 100.00 '' '')" ]
	ok wallet-topup --at 2026-01-05T09:00:00 M000001 1
	[ "$output" = "$(row 2026-01-05T09:00:00 M000001 topup 1.00 '' '')" ]
	ok wallet-topup --at=2026-03-01T10:00:00 M000001 1
	for p in wallet-topup wallet-refund; do
		refused 1 'at' "$p" --at 2026-03-01T10:00:01 M000001 1
		[ "$stderr" = "$p: at: 2026-03-01T10:00:01 is in the future" ]
		refused 1 'at' "$p" --at 2026-03-02 M000001 1
		refused 1 'at' "$p" --at 2026-01-05 M000001 1
		[[ $stderr == "$p: at: "*"before member M000001 joined"* ]]
		refused 1 'at' "$p" --at 2026-01-05T08:59:59 M000001 1
		for bad in '' 2026-02-30 2026-02-01T25:00:00 2026-02-01T10:00 yesterday 2026-2-1; do
			refused 1 'at' "$p" --at "$bad" M000001 1
		done
	done
	ok ledger-check
}

@test "AMOUNT is money above 0; operands and fields are checked" {
	add A 13800000001
	wallet-topup -q M000001 100
	for p in wallet-topup wallet-refund; do
		for a in 0 0.00 abc 1.234 1e3 '' ' 5' 5. .5 +5 1000000000.01 99999999999999999999; do
			refused 1 'amount' "$p" M000001 "$a"
		done
		usage "$p" M000001 -5
		usage "$p" M000001
		usage "$p" M000001 5 6
		usage "$p"
		usage "$p" --at
		usage "$p" --bogus M000001 5
		refused 1 'member' "$p" M000009 5
		refused 1 'member' "$p" 13800000009 5
		refused 1 'note' "$p" --note $'a\tb' M000001 5
		refused 1 'note' "$p" --note $'a\nb' M000001 5
		refused 1 'note' "$p" --note $'\xff' M000001 5
		refused 1 'ref' "$p" -r 'bad ref' M000001 5
		refused 1 'ref' "$p" -r '' M000001 5
		refused 1 'ref' "$p" -r "$(printf '%065d' 0)" M000001 5
	done
	ok wallet-topup M000001 1000000000
	[ "$(printf '%s\n' "$output" | cut -f4)" = 1000000000.00 ]
	ok wallet-refund M000001 0.5
	[ "$(printf '%s\n' "$output" | cut -f4)" = -0.50 ]
}

@test "a member's stored value stays within 15 digits: a top-up past it is refused" {
	add A 13800000001
	add B 13800000002
	printf '%s\n' $'at\tmember\tkind\tamount\tref\tnote' \
	    $'2026-02-01T10:00:00\tM000001\ttopup\t999999999999999.00\t\t' \
	    $'2026-02-01T10:00:00\tM000002\ttopup\t999999999999999.99\t\t' >"$D/wallet.tsv"
	chmod 600 "$D/wallet.tsv"
	refused 1 'amount' wallet-topup M000001 1
	[ "$stderr" = "wallet-topup: amount: the stored value of M000001 would pass 999999999999999.99" ]
	ok wallet-topup -q M000001 0.99
	ok report -N member M000001
	[ "$(key "$output" wallet)" = 999999999999999.99 ]
	ok report -N liability
	[ "$(printf '%s\n' "$output" | cut -f4)" = 1999999999999999.98 ]
	ok wallet-refund -q M000002 1000000000
	ok report -N wallet M000002
	[ "$(printf '%s\n' "$output" | tail -1 | cut -f4,5)" = $'-1000000000.00\t999998999999999.99' ]
}

@test "-r: a retry prints the earlier row; any other use of the ref is refused" {
	J=2026-01-05T09:00:00 member A 13800000001
	J=2026-01-05T09:00:00 member B 13800000002
	first=$(at 2026-02-01T10:00:00 wallet-topup -r T1 M000001 300)
	ok wallet-topup -r T1 M000001 300
	[ "$output" = "$first" ]
	ok wallet-topup -r T1 --at 2026-02-02 --note other 13800000001 300.00
	[ "$output" = "$first" ]
	[ "$(body wallet.tsv | wc -l)" -eq 1 ]
	refused 1 'ref' wallet-topup -r T1 M000001 300.01
	[ "$stderr" = "wallet-topup: ref: T1 is already used for another top-up or refund" ]
	refused 1 'ref' wallet-topup -r T1 M000002 300
	refused 1 'ref' wallet-refund -r T1 M000001 300
	# a refund retried after it took all there was
	ok wallet-refund -r C1 M000001 300
	refund=$output
	ok wallet-refund -r C1 M000001 300
	[ "$output" = "$refund" ]
	refused 1 'ref' wallet-topup -r C1 M000001 300
	refused 1 'ref' wallet-refund -r C1 M000001 200
	[ "$(body wallet.tsv | wc -l)" -eq 2 ]
	# a retry with --dry-run prints the row too
	ok wallet-refund --dry-run -r C1 M000001 300
	[ "$output" = "$refund" ]
	ok ledger-check
}

@test "--dry-run prints the row and writes nothing; -q prints nothing" {
	add A 13800000001
	ok wallet-topup --dry-run M000001 10
	[ "$output" = "$(row 2026-03-01T10:00:00 M000001 topup 10.00 '' '')" ]
	[ ! -e "$D/wallet.tsv" ]
	refused 1 'amount' wallet-refund --dry-run M000001 10
	wallet-topup -q M000001 10
	before=$(ledgers)
	ok wallet-refund --dry-run M000001 10
	[ "$output" = "$(row 2026-03-01T10:00:00 M000001 refund -10.00 '' '')" ]
	ok wallet-refund --dry-run -q M000001 10
	[ -z "$output" ]
	[ "$(ledgers)" = "$before" ]
	ok wallet-refund -q M000001 10
	[ -z "$output" ]
	[ "$(ledgers)" != "$before" ]
}

@test "--help, -V, a usage error; a missing DIR; a broken rules.conf" {
	for p in wallet-topup wallet-refund; do
		ok "$p" --help
		[ "$output" = "usage: $p [-d DIR] [-q] [-w SECONDS] [--dry-run] [-r REF]
$(printf '%*s' $((${#p} + 8)) '')[--at TIME] [--note TEXT] MEMBER AMOUNT" ]
		ok "$p" -V
		[ "$output" = "$p (vipledger) $(points-adjust -V | cut -d' ' -f3)" ]
		run "$p" --no-such-option
		[ "$status" -eq 2 ]
		[ "$output" = "$p: unknown option --no-such-option; see $p --help" ]
		run "$p" -d "$BATS_TEST_TMPDIR/none" M000001 5
		[ "$status" -eq 3 ]
		[[ $output == *"no such data directory"* ]]
	done
	add A 13800000001
	rules 'upgrade normal silver bogus 5'
	for p in wallet-topup wallet-refund; do
		refused 1 'rules.conf:1' "$p" M000001 5
		ok "$p" --help
	done
}

@test "odd arguments never crash the wallet programs" {
	add A 13800000001
	wallet-topup -q M000001 100
	long=$(printf '%*s' 5000 '' | tr ' ' 9)
	args=("" "-" "--" "--at=" "-w" "-w -1" "-wabc" $'\xff\xfe' "99999999999999999999" "%s%n%n"
		"1e400" "-0" "+" "x" "--at=9999-12-31" "-r" "--ref=" "--note=" "M000001" "$long" $'a\tb' "0.001")
	bad=0
	for p in wallet-topup wallet-refund; do
		for a in "${args[@]}"; do
			for b in "" M000001 "$a" 100 -; do
				rc=0
				(cd "$BATS_TEST_TMPDIR" && "$p" "$a" "$b" </dev/null >out 2>err) || rc=$?
				if [ "$rc" -gt 3 ] || grep -qE 'Sanitizer|runtime error' "$BATS_TEST_TMPDIR/err"; then
					echo "# $p [$a] [$b]: exit $rc: $(head -3 "$BATS_TEST_TMPDIR/err")"
					bad=1
				fi
			done
		done
	done
	[ "$bad" -eq 0 ]
}

# The racers run the programs themselves: under VL_CACHE=none the wrapper
# would delete the cache while the others write it.
@test "race: 20 refunds of the whole stored value at once, with the real clock: exactly one wins" {
	unset VIPLEDGER_NOW
	add A 13800000001
	wallet-topup -q M000001 500
	for i in $(seq 20); do
		(
			rc=0
			command wallet-refund -w 30 M000001 500 >"$BATS_TEST_TMPDIR/out$i" 2>"$BATS_TEST_TMPDIR/err$i" || rc=$?
			echo "$rc" >"$BATS_TEST_TMPDIR/rc$i"
		) &
	done
	wait
	got=$(cat "$BATS_TEST_TMPDIR"/rc* | sort | uniq -c | awk '{ print $1, $2 }' | tr '\n' ' ')
	echo "# statuses: $got"
	cat "$BATS_TEST_TMPDIR"/err* | sort | uniq -c
	[ "$got" = "1 0 19 1 " ]
	[ "$(cat "$BATS_TEST_TMPDIR"/err* | sort -u)" = "wallet-refund: amount: 500.00 asked, 0.00 in stored value" ]
	[ "$(body wallet.tsv | cut -f3 | grep -c '^refund$')" -eq 1 ]
	ok report -N member M000001
	[ "$(key "$output" wallet)" = 0.00 ]
	ok ledger-check
}

@test "race: 20 top-ups with one ref at once write one row, and each prints it" {
	unset VIPLEDGER_NOW
	add A 13800000001
	for i in $(seq 20); do
		(
			rc=0
			command wallet-topup -w 30 -r T1 M000001 500 >"$BATS_TEST_TMPDIR/out$i" 2>"$BATS_TEST_TMPDIR/err$i" || rc=$?
			echo "$rc" >"$BATS_TEST_TMPDIR/rc$i"
		) &
	done
	wait
	[ "$(cat "$BATS_TEST_TMPDIR"/rc* | sort -u)" = 0 ]
	[ -z "$(cat "$BATS_TEST_TMPDIR"/err*)" ]
	[ "$(body wallet.tsv | wc -l)" -eq 1 ]
	[ "$(cat "$BATS_TEST_TMPDIR"/out* | sort -u)" = "$(body wallet.tsv)" ]
}

@test "report wallet: top-ups, refunds, sales and returns that moved stored value, running" {
	scene
	ok report wallet M000001
	[ "$output" = "$(printf '%s\n' $'at\tkind\tref\tamount\tbalance' \
	    $'2026-01-10T10:00:00\ttopup\tT1\t1000.00\t1000.00' \
	    $'2026-01-20T12:00:00\tsale\tS000001\t-300.00\t700.00' \
	    $'2026-01-22T12:00:00\treturn\tR000001\t100.00\t800.00' \
	    $'2026-02-01T09:00:00\trefund\t\t-200.00\t600.00' \
	    $'2026-02-05T12:00:00\ttopup\tT2\t500.00\t1100.00' \
	    $'2026-02-05T12:00:00\tsale\tS000004\t-50.00\t1050.00')" ]
	ok report -N wallet 13800000002
	[ "$output" = "$(printf '%s\n' \
	    $'2026-01-15T10:00:00\ttopup\t\t100.00\t100.00' \
	    $'2026-01-16T10:00:00\tsale\tS000005\t-150.00\t-50.00')" ]
	ok report -N --as-of 2026-01-21 wallet M000001
	[ "$output" = "$(printf '%s\n' \
	    $'2026-01-10T10:00:00\ttopup\tT1\t1000.00\t1000.00' \
	    $'2026-01-20T12:00:00\tsale\tS000001\t-300.00\t700.00')" ]
	ok report -N --as-of 2026-01-05 wallet M000001
	[ -z "$output" ]
	ok report -t wallet M000001
	[ "$(printf '%s\n' "$output" | sed -n 2p)" = '2026-01-10T10:00:00  topup   T1       1000.00  1000.00' ]
	refused 1 'member' report --as-of 2026-01-04 wallet M000001
	refused 1 'member' report wallet M000009
	usage report wallet
	usage report wallet M000001 M000002
	usage report --tier normal wallet M000001
	ok ledger-check
}

@test "report member's wallet and liability's wallet, as of a day" {
	scene
	ok report -N member M000001
	[ "$(key "$output" wallet)" = 1050.00 ]
	# the keys in the order of SPEC section 3
	[ "$(printf '%s\n' "$output" | cut -f1 | grep -A2 '^joined$' | tr '\n' ' ')" = 'joined wallet owner_since ' ]
	ok report -N --as-of 2026-01-21 member M000001
	[ "$(key "$output" wallet)" = 700.00 ]
	ok report -N --as-of 2026-01-21 member 13800000002
	[ "$(key "$output" wallet)" = -50.00 ]
	ok report -N --as-of 2026-01-09 member M000001
	[ "$(key "$output" wallet)" = 0.00 ]
	ok report liability
	[ "$(printf '%s\n' "$output" | head -1)" = $'available\tpending\tvalue\twallet' ]
	[ "$(printf '%s\n' "$output" | tail -1 | cut -f4)" = 1000.00 ]
	ok report -N --as-of 2026-01-21 liability
	[ "$(printf '%s\n' "$output" | cut -f4)" = 650.00 ]
	ok report -N --as-of 2026-01-05 liability
	[ "$output" = $'0\t0\t0.00\t0.00' ]
	ok report -N --as-of 2026-01-01 liability
	[ "$output" = $'0\t0\t0.00\t0.00' ]
}

@test "topup metric: 12000.00 in one top-up makes silver on its own day; 11999.99 or two of 6000 do not" {
	rules 'upgrade normal silver topup 12000'
	for i in 1 2 3 4 5; do
		J=2026-01-05T09:00:00 member "M$i" "1380000000$i"
	done
	at 2026-02-10T10:00:00 wallet-topup -q M000001 11999.99
	at 2026-02-10T10:00:00 wallet-topup -q M000002 6000
	at 2026-02-11T10:00:00 wallet-topup -q M000002 6000
	at 2026-02-10T15:00:00 wallet-topup -q M000003 12000.00
	# a refund on the same day does not lower it
	at 2026-02-12T10:00:00 wallet-topup -q M000004 12000
	at 2026-02-12T11:00:00 wallet-refund -q M000004 12000
	# a sale of 12000 is no top-up
	at 2026-02-01T10:00:00 sale-post -q M000005 12000
	ok tier-recalc
	[ "$output" = "$(printf '%s\n' \
	    "$(row 2026-02-10T00:00:00 M000003 upgrade normal silver 2026-02-10 2027-02-10 0 'topup 12000.00 >= 12000.00')" \
	    "$(row 2026-02-12T00:00:00 M000004 upgrade normal silver 2026-02-12 2027-02-12 0 'topup 12000.00 >= 12000.00')")" ]
	ok tier-recalc
	[ -z "$output" ]
	ok report rules
	[ "$(printf '%s\n' "$output" | grep '^upgrade')" = 'upgrade normal silver topup 12000.00' ]
}

@test "topup metric: report member's needed treats it as single" {
	rules 'upgrade normal silver topup 12000' 'upgrade normal silver total 50000'
	J=2026-01-05T09:00:00 member A 13800000001
	at 2026-02-10T10:00:00 wallet-topup -q M000001 11999.99
	ok report -N member M000001
	[ "$(key "$output" next_tier)" = silver ]
	[ "$(key "$output" needed)" = 'topup 12000.00' ]
	ok report -N --as-of 2026-02-09 member M000001
	[ "$(key "$output" needed)" = 'topup 12000.00' ]
	at 2026-02-20T10:00:00 wallet-topup -q M000001 12000
	ok report -N member M000001
	[ "$(key "$output" needed)" = 'topup 0.00' ]
	ok report -N --as-of 2026-02-19 member M000001
	[ "$(key "$output" needed)" = 'topup 12000.00' ]
	tier-recalc -q
	ok report -N member M000001
	[ "$(key "$output" tier)" = silver ]
	[ -z "$(key "$output" needed)" ]
}

@test "topup metric in a keep line: a top-up in the period renews, too small a one lets the tier go" {
	rules 'tier normal' 'tier silver validity=1' 'upgrade normal silver topup 12000' 'keep silver topup 5000'
	J=2026-01-05T09:00:00 member A 13800000001
	J=2026-01-05T09:00:00 member B 13800000002
	at 2026-01-10T10:00:00 wallet-topup -q M000001 12000
	at 2026-01-10T11:00:00 wallet-topup -q M000002 12000
	at 2026-01-20T10:00:00 wallet-topup -q M000001 5000
	at 2026-01-20T10:00:00 wallet-topup -q M000002 4999.99
	ok tier-recalc
	[ "$output" = "$(printf '%s\n' \
	    "$(row 2026-01-10T00:00:00 M000001 upgrade normal silver 2026-01-10 2026-02-10 0 'topup 12000.00 >= 12000.00')" \
	    "$(row 2026-01-10T00:00:00 M000002 upgrade normal silver 2026-01-10 2026-02-10 0 'topup 12000.00 >= 12000.00')" \
	    "$(row 2026-02-10T00:00:00 M000001 renew silver silver 2026-02-10 2026-03-10 0 'keep topup 5000.00 >= 5000.00')" \
	    "$(row 2026-02-10T00:00:00 M000002 downgrade silver normal 2026-02-10 '' 0 'keep topup 4999.99 < 5000.00')")" ]
	ok report rules
	[ "$(printf '%s\n' "$output" | grep '^keep')" = 'keep silver topup 5000.00' ]
}

@test "topup metric: within counts a top-up on its own day; rules.conf checks the amount" {
	rules 'upgrade normal silver topup 12000 within 30'
	J=2026-01-05T09:00:00 member A 13800000001
	at 2026-02-10T10:00:00 wallet-topup -q M000001 12000
	ok at 2026-02-10T12:00:00 tier-recalc --dry-run
	[ "$(printf '%s\n' "$output" | cut -f3,5,9)" = $'upgrade\tsilver\ttopup 12000.00 >= 12000.00 within 30' ]
	rules 'upgrade normal silver topup 12000.001'
	refused 1 'rules.conf:1' tier-recalc
	rules 'upgrade normal silver topups 5'
	refused 1 'rules.conf:1' tier-recalc
	[[ $stderr == *topup* ]]
}
