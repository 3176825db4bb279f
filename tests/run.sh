#!/bin/sh
# run.sh: run the suite against the binaries in BINDIR and close with a count.
# Usage: sh tests/run.sh BINDIR [LABEL]
VL_BIN=$(cd "$1" && pwd) || exit 3
export VL_BIN
out=$(mktemp) && status=$(mktemp) || exit 3
trap 'rm -f "$out" "$status"' EXIT
{ bats "$(dirname "$0")"; echo $? > "$status"; } | tee "$out"
passed=$(grep -c '^ok ' "$out")
failed=$(grep -c '^not ok ' "$out")
echo "${2:-tests}: $passed passed, $failed failed"
[ "$(cat "$status")" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
