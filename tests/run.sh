#!/bin/sh
# run.sh: run the suite against the binaries in BINDIR and close with a count.
# Usage: sh tests/run.sh BINDIR [LABEL [FILE.bats...]]  (default: every file)
VL_BIN=$(cd "$1" && pwd) || exit 3
export VL_BIN
label=${2:-tests}
[ $# -ge 2 ] && shift 2 || shift $#
[ $# -gt 0 ] || set -- "$(dirname "$0")"
out=$(mktemp) && status=$(mktemp) || exit 3
trap 'rm -f "$out" "$status"' EXIT
{ bats "$@"; echo $? > "$status"; } | tee "$out"
passed=$(grep -c '^ok ' "$out")
failed=$(grep -c '^not ok ' "$out")
echo "$label: $passed passed, $failed failed"
[ "$(cat "$status")" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
