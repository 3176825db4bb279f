#!/bin/sh
# run.sh: run each libFuzzer harness for SECONDS over its corpus; say what it did.
# Usage: sh tests/fuzz/run.sh DIR SECONDS NAME...  (make fuzz builds DIR/fuzzer/NAME)
# New inputs go to DIR/corpus/NAME, crashes to DIR/crashes/NAME; the seeds in
# tests/fuzz/corpus/NAME are only read.  To keep a find, minimize it into a
# fresh directory with -merge=1 and copy what is worth keeping.
dir=$1 secs=$2
shift 2
status=0
for name; do
	mkdir -p "$dir/corpus/$name" "$dir/crashes/$name" || exit 3
	"$dir/fuzzer/$name" -max_total_time="$secs" -timeout=10 \
		-print_final_stats=1 -artifact_prefix="$dir/crashes/$name/" \
		"$dir/corpus/$name" "tests/fuzz/corpus/$name" >"$dir/$name.log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/$name.log")
	crashes=$(find "$dir/crashes/$name" -type f | wc -l)
	echo "fuzz $name: ${runs:-?} executions in ${secs}s, $crashes crashes" \
		"(exit $rc; log $dir/$name.log)"
	[ "$rc" -eq 0 ] && [ "$crashes" -eq 0 ] || status=1
done
exit $status
