#!/bin/sh
# demo.sh: a year of a small shop, posted month by month into a temporary
# directory, then the reports the owner reads.  Usage: sh demo.sh BINDIR
set -eu

bin=$(cd "${1:?usage: demo.sh BINDIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
shop=$here/shop
PATH=$bin:$PATH
VIPLEDGER_DIR=$(mktemp -d "${TMPDIR:-/tmp}/vipledger-demo.XXXXXX")
export PATH VIPLEDGER_DIR
trap 'rm -rf "$VIPLEDGER_DIR"' EXIT INT TERM

cp "$shop/staff.tsv" "$VIPLEDGER_DIR/"
cp "$here/dept-store.rules.conf" "$VIPLEDGER_DIR/rules.conf"

echo "== the shop opens: 30 members register"
VIPLEDGER_NOW=2025-08-31T18:00:00 member-add -q - < "$shop/members.in.tsv"
wc -l < "$VIPLEDGER_DIR/members.tsv" | awk '{ print $1 - 1, "members" }'

# Month by month: the month's sales, its returns, then the nightly tier
# recalculation at the month's end (catching up the nights in between).
for month in 2025-09 2025-10 2025-11 2025-12 2026-01 2026-02 2026-03 \
    2026-04 2026-05 2026-06 2026-07 2026-08 2026-09 2026-10; do
	end=$(date -d "$month-01 +1 month -1 day" +%F 2>/dev/null ||
	    awk -v m="$month" 'BEGIN { split(m, a, "-"); d = 31;
	        if (a[2] == 4 || a[2] == 6 || a[2] == 9 || a[2] == 11) d = 30;
	        if (a[2] == 2) d = (a[1] % 4 == 0) ? 29 : 28;
	        printf "%s-%02d\n", m, d }')
	VIPLEDGER_NOW=${end}T21:00:00
	export VIPLEDGER_NOW
	awk -F'\t' -v m="$month" 'NR == 1 || substr($1, 1, 7) == m' \
	    "$shop/sales.in.tsv" | sale-post -q -
	awk -F'\t' -v m="$month" 'NR > 1 && substr($3, 1, 7) == m' \
	    "$shop/returns.in.tsv" |
	while IFS='	' read -r id sale at note amount; do
		# shellcheck disable=SC2086
		sale-return -q -r "$id" --at "$at" --note "$note" "$sale" $amount
	done
	tier-recalc -q
done
unset VIPLEDGER_NOW

export VIPLEDGER_NOW=2026-11-02T11:00:00
echo
echo "== the till, $VIPLEDGER_NOW"
tier-recalc
sale-post --use-points 1000 --associate a01 --store nanjing-rd M000001 599
points-redeem -r GIFT-1 --note "scarf" M000009 2000
points-adjust --reason "goodwill: late delivery" M000003 500

echo
echo "== report -t members (the first ten)"
report -t members | head -11
echo
echo "== report -t member M000001"
report -t member M000001
echo
echo "== report -t statement M000001 (the last ten lines)"
report -t statement M000001 | tail -10
echo
echo "== report -t sales --by month"
report -t sales --by month
echo
echo "== report -t sales --by store"
report -t sales --by store
echo
echo "== report -t tiers"
report -t tiers
echo
echo "== report -t liability"
report -t liability
echo
echo "== report -t changes --since 2026-06-01"
report -t changes --since 2026-06-01
