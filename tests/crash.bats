# crash.bats: a writer killed at any instant leaves every ledger as it was
# or with all of the command's rows, after the next writer's recovery;
# every row a program printed is there exactly once (SPEC sections 3, 11).
load common
load harness

# check_clean: ledger-check finds nothing, where another engineer's
# ledger-check is built already
check_clean() {
	if ! command -v ledger-check >/dev/null; then
		echo "# no ledger-check yet: its check is left out"
		return 0
	fi
	run ledger-check -d "$D"
	echo "# ledger-check: status $status: $output"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

# loop L KILLS CMD...: runs CMD again and again until KILLS runs were
# killed by SIGKILL, most runs at a random moment of their first 8 ms (in
# CMD's arguments @ becomes L-I and # the digits LIIIIII, I the run's
# number); the rows each run printed go to loopL.rows, an exit that is
# neither 0 nor a kill to loopL.bad
loop() {
	local l=$1 kills=$2 i=0 k=0 pid rc a args line digits fd out=$BATS_TEST_TMPDIR/loop$1
	shift 2
	: >"$out.rows"
	: >"$out.bad"
	# read -t on a FIFO that never speaks: a pause without a process
	mkfifo "$out.fifo"
	exec {fd}<>"$out.fifo"
	while [ "$k" -lt "$kills" ] && [ "$i" -lt $((kills * 20)) ]; do
		i=$((i + 1))
		printf -v digits '%d%06d' "$l" "$i"
		args=()
		for a; do
			a=${a//@/$l-$i}
			args+=("${a//#/$digits}")
		done
		: >"$out.cur"
		"${args[@]}" >>"$out.cur" 2>"$out.err" &
		pid=$!
		if [ $((RANDOM % 3)) -ne 0 ]; then
			read -r -t "$(printf '0.%06d' $((RANDOM % 8000)))" -u "$fd" || true
			kill -KILL "$pid" 2>/dev/null || true
		fi
		rc=0
		wait "$pid" 2>/dev/null || rc=$?
		# whole lines only: a line without LF was never printed
		while IFS= read -r line; do
			printf '%s\n' "$line"
		done <"$out.cur" >>"$out.rows"
		if [ "$rc" -eq 137 ]; then
			k=$((k + 1))
		elif [ "$rc" -ne 0 ]; then
			echo "${args[*]}: exit $rc: $(cat "$out.err")" >>"$out.bad"
		fi
	done
	exec {fd}>&-
	echo "$k" >"$out.kills"
}

@test "crash: 8 writers killed at random, again and again: every printed row once, no torn line" {
	add A 13800000001
	add B 13800000002
	points-adjust -q --reason seed M000001 1000000
	total=$(scale 300 60)
	for l in 1 2 3 4 5 6 7 8; do
		# 300 kills, dealt as evenly as they go
		kills=$(((total + 8 - l) / 8))
		case $l in
		1 | 2) loop "$l" "$kills" sale-post -w 60 --note @ M000001 10 2x5.50 ;;
		3 | 4) loop "$l" "$kills" points-redeem -w 60 -r @ M000001 1 ;;
		5 | 6) loop "$l" "$kills" member-add -w 60 --name @ --phone '139#' ;;
		7 | 8) loop "$l" "$kills" points-adjust -w 60 --reason @ M000002 1 ;;
		esac 2>"$BATS_TEST_TMPDIR/loop$l.shell" &
	done
	wait
	cat "$BATS_TEST_TMPDIR"/loop*.bad
	[ "$(cat "$BATS_TEST_TMPDIR"/loop*.kills | awk '{ s += $1 } END { print s }')" -eq "$total" ]
	[ -z "$(cat "$BATS_TEST_TMPDIR"/loop*.bad)" ]
	# the next writer recovers what a killed one left
	warned points-adjust --reason final M000002 1
	for f in members sales points; do
		whole "$f.tsv"
	done
	all=$BATS_TEST_TMPDIR/all
	cat "$D"/members.tsv "$D"/sales.tsv "$D"/points.tsv | sort >"$all"
	# no row twice, and every row printed is there
	[ -z "$(uniq -d "$all")" ]
	printed=$BATS_TEST_TMPDIR/printed
	cat "$BATS_TEST_TMPDIR"/loop*.rows | sort >"$printed"
	[ -z "$(uniq -d "$printed")" ]
	comm -23 "$printed" "$all" >"$BATS_TEST_TMPDIR/missing"
	echo "# $total kills; $(wc -l <"$printed") rows printed, each found once among $(wc -l <"$all") rows"
	cat "$BATS_TEST_TMPDIR/missing"
	[ ! -s "$BATS_TEST_TMPDIR/missing" ]
	[ -z "$(body sales.tsv | cut -f2 | sort | uniq -d)" ]
	[ -z "$(body points.tsv | cut -f6 | grep . | sort | uniq -d)" ]
	[ -z "$(body members.tsv | cut -f2 | sort | uniq -d)" ]
	[ -z "$(body members.tsv | cut -f4 | sort | uniq -d)" ]
	run report members
	[ "$status" -eq 0 ]
	run report -N liability
	[ "$status" -eq 0 ]
	check_clean
}

@test "crash: a batch of 60,000 sales killed as sales.tsv grows: none of it after the next writer, then all of it once" {
	n=$(scale 60000 20000)
	{
		printf 'name\tphone\n'
		seq 1000 | awk '{ printf "N%d\t139%08d\n", $1, $1 }'
	} | member-add -q -
	in=$BATS_TEST_TMPDIR/sales.in
	seq "$n" | awk '{ printf "M%06d\t%d.%02d,2x19.90/39.90\trow %d %s\n", $1 % 1000 + 1, 100 + $1 % 900, $1 % 100, $1,
		"of a batch that a kill cuts short: the kernel may stop a long write(2) part of the way" }' |
		{ printf 'member\titems\tnote\n'; cat; } >"$in"
	keep members
	f=$D/sales.tsv
	# kill as the first bytes land, until a kill lands inside the write
	landed=0
	for try in 1 2 3 4 5 6 7 8; do
		back members
		sale-post -q - <"$in" &
		pid=$!
		deadline=$((SECONDS + 60))
		until [[ -s $f ]] || ((SECONDS > deadline)); do :; done
		kill -KILL "$pid" 2>/dev/null || true
		rc=0
		wait "$pid" 2>/dev/null || rc=$?
		[ -e "$f" ]
		got=$(wc -l <"$f")
		echo "# try $try: exit $rc, $got lines, $(stat -c %s "$f") bytes"
		[ "$rc" -eq 137 ] || continue
		if [ "$got" -lt $((n + 1)) ] || [ "$(tail -c 1 "$f" | od -An -c | tr -d ' ')" != '\n' ]; then
			landed=1
			break
		fi
	done
	[ "$landed" = 1 ] || skip "no kill landed inside the write in 8 tries"
	warned points-adjust --reason next M000001 5
	[ ! -e "$f" ] || [ "$(body sales.tsv | wc -l)" -eq 0 ]
	[ "$(body points.tsv | wc -l)" -eq 1 ]
	# the retry posts each row exactly once
	warned sale-post -q - <"$in"
	[ "$(body sales.tsv | wc -l)" -eq "$n" ]
	[ "$(body sales.tsv | cut -f2 | sort -u | wc -l)" -eq "$n" ]
	[ "$(body sales.tsv | cut -f2 | sort | tail -1)" = "$(printf 'S%06d' "$n")" ]
	[ "$(body sales.tsv | cut -f17 | sort -u | wc -l)" -eq "$n" ]
	whole sales.tsv
	check_clean
}

# killed_sweep CMD...: CMD killed after each of its calls on DIR in turn (and
# in the middle of each write); after the next writer every ledger is as
# before CMD (or with its torn last lines set aside), or as after it, plus
# the next writer's row
killed_sweep() {
	local count=$BATS_TEST_TMPDIR/count n total mode got none aside all bad=() points=0 f
	keep tpl
	run --separate-stderr points-adjust --reason next M000002 1
	none=$(tsvs)
	back tpl
	for f in "$D"/*.tsv; do
		[ "$(tail -c 1 "$f" | od -An -c | tr -d ' ')" = '\n' ] ||
			truncate -s $(($(wc -c <"$f") - $(tail -n 1 "$f" | wc -c))) "$f"
	done
	run --separate-stderr points-adjust --reason next M000002 1
	aside=$(tsvs)
	back tpl
	rm -f "$count"
	run --separate-stderr env LD_PRELOAD="$SHIM" FAULT_COUNT="$count" "$@" <"${IN:-/dev/null}"
	[ "$status" -eq 0 ]
	run --separate-stderr points-adjust --reason next M000002 1
	all=$(tsvs)
	[ "$all" != "$none" ]
	for mode in any write; do
		total=$(awk -v k="$mode" '$1 == k { print $2 }' "$count")
		for n in $(seq "$total"); do
			points=$((points + 1))
			back tpl
			run --separate-stderr env LD_PRELOAD="$SHIM" FAULT_CALL="$mode" FAULT_N="$n" FAULT_KILL=1 \
				FAULT_PARTIAL="$([ "$mode" = write ] && echo 1 || echo 0)" "$@" <"${IN:-/dev/null}"
			if [ "$status" -ne 137 ] || [ -n "$output" ]; then
				bad+=("$mode #$n: not killed: status $status; stdout: $output; stderr: $stderr")
				continue
			fi
			run --separate-stderr points-adjust --reason next M000002 1
			got=$(tsvs)
			if [ "$status" -ne 0 ] || { [ "$got" != "$none" ] && [ "$got" != "$aside" ] && [ "$got" != "$all" ]; }; then
				bad+=("killed at $mode #$n of $total: the next writer: status $status; stderr: $stderr; ledgers neither as before nor as after")
			fi
		done
	done
	echo "# $points kill points"
	printf '# %s\n' "${bad[@]}"
	[ "${#bad[@]}" -eq 0 ]
}

@test "crash: sale-post - killed after each call it makes, and inside each write" {
	need_shim
	shop
	IN=$BATS_TEST_TMPDIR/in
	seq 200 | awk 'BEGIN { print "member\titems" } { printf "M00000%d\t%d.50\n", $1 % 2 + 1, $1 }' >"$IN"
	killed_sweep sale-post -
}

@test "crash: member-add - killed after each call it makes, and inside each write" {
	need_shim
	shop
	IN=$BATS_TEST_TMPDIR/in
	seq 100 | awk 'BEGIN { print "name\tphone" } { printf "N%d\t139%08d\n", $1, $1 }' >"$IN"
	killed_sweep member-add -
}

@test "crash: points-redeem killed after each call it makes, and inside each write" {
	need_shim
	shop
	killed_sweep points-redeem M000001 300
}

@test "crash: a torn last line and a killed writer: the next writer sets it aside and recovers" {
	need_shim
	shop
	printf '2026-02-01T12:00:00\tS000009\tM000001\tsale\tS0' >>"$D/sales.tsv"
	killed_sweep sale-post M000001 100
}
