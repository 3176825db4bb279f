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
	# a new member, brought by 张伟 (M000003), in the last week of October
	[ "$month" != 2026-10 ] || VIPLEDGER_NOW=2026-10-26T15:00:00 \
	    member-add -q --name 吴倩 --phone 13912345678 --referrer M000003 \
	    --birthday 1995-11-05 --associate a01 --store nanjing-rd
	# stored value (充值) first: a top-up can pay for that month's sales
	awk -F'\t' -v m="$month" 'NR > 1 && substr($1, 1, 7) == m' \
	    "$shop/topups.in.tsv" |
	while IFS='	' read -r at member amount ref note; do
		wallet-topup -q -r "$ref" --at "$at" --note "$note" "$member" "$amount"
	done
	awk -F'\t' -v m="$month" 'NR == 1 || substr($1, 1, 7) == m' \
	    "$shop/sales.in.tsv" | sale-post -q -
	awk -F'\t' -v m="$month" 'NR > 1 && substr($3, 1, 7) == m' \
	    "$shop/returns.in.tsv" |
	while IFS='	' read -r id sale at note amount; do
		# shellcheck disable=SC2086
		sale-return -q -r "$id" --at "$at" --note "$note" "$sale" $amount
	done
	tier-recalc -q
	# the associates' revisits: each follow-up done within the week it
	# fell due, by the member's associate, so the list stays short
	close=$(date -d "$end -5 days" +%F 2>/dev/null || echo "$month-25")
	# the last fortnight's are still to do on the morning of the demo
	[ "$month" != 2026-10 ] || close=2026-10-15
	report -N followups |
	awk -F'\t' -v upto="$close" '$1 <= upto {
	    print $1, $2, $3, ($6 == "" ? "-" : $6) }' |
	while read -r due task member associate; do
		[ "$associate" != - ] || associate=
		member-note -q --staff "$associate" --at "${due}T16:00:00" \
		    --task "$task" "$member" followup "回访: 穿着满意"
	done
	# the night's reclaim and deal: members two months without a sale
	# go to another associate
	VIPLEDGER_NOW=${end}T23:30:00 member-assign -q
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
echo "-- 王芳's birthday: --member-price prices at her tier's discount"
sale-post --member-price --associate a01 --store nanjing-rd M000001 1280 2x459/899
receipt=$(tail -n 1 "$VIPLEDGER_DIR/sales.tsv" | cut -f2)
echo "-- she brings one 459/899 back: the return by items takes back what it earned"
sale-return "$receipt" 459/899-2%
echo "-- 周婷 tops up 1000.00 and pays 600.00 of a coat from it"
wallet-topup -r T-2611-01 --note 充值 M000009 1000
sale-post --wallet 600 --associate a02 --store huaihai-rd M000009 899
report -t wallet M000009 | tail -4
echo "-- the owner makes a normal member gold for a year: a long-standing customer"
member=$(report -N members --tier normal | head -n 1 | cut -f1)
tier-set --reason "店长特批: 老顾客" --months 12 "$member" gold

echo
echo "== the birthday benefit under gold-3000 (points-schemes part 4, 生日當日8折)"
(
	VIPLEDGER_DIR=$(mktemp -d "${TMPDIR:-/tmp}/vipledger-demo.XXXXXX")
	export VIPLEDGER_DIR
	trap 'rm -rf "$VIPLEDGER_DIR"' EXIT
	cp "$here/gold-3000.rules.conf" "$VIPLEDGER_DIR/rules.conf"
	member-add -q --name 赵敏 --phone 13578061052 --birthday 1988-11-02
	tier-set -q --reason "VIP金卡: 一年內累積消費3000元" M000001 gold
	report member M000001 | grep -E '^(tier|discount|birthday_today|birthday_left)'
	sale-post --member-price M000001 899 2x459
)

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
echo "== report -t whatif points-year.rules.conf: the same year under part 2's scheme"
report -t whatif "$here/points-year.rules.conf"
echo
echo "== report -t changes --since 2026-06-01"
report -t changes --since 2026-06-01

echo
echo "== customer care, the same morning"
echo "-- report -t followups: today's revisits"
report -t followups
echo
echo "-- a01 thanks 张伟 for bringing 吴倩, and closes the task"
member-note --staff a01 --task thanks:S000300 M000003 followup "回访: 感谢介绍新顾客吴倩"
echo
echo "-- report -t birthdays: the week's birthdays"
report -t birthdays
member-note --staff a01 --task birthday M000001 contact "生日短信: 祝生日快乐, 本周到店8折"
echo
echo "-- report -t lapsed --days 120: we miss you"
report -t lapsed --days 120
echo
echo "-- M000008 is called, and comes back the same afternoon"
member-note --staff a03 --task lapsed M000008 contact "好久不见: 新款到店, 邀请试穿"
VIPLEDGER_NOW=2026-11-02T16:30:00 sale-post --associate a03 --store huaihai-rd M000008 459
VIPLEDGER_NOW=2026-11-02T16:40:00 report -N lapsed --days 120 | cut -f1 | tr '\n' ' '
echo "(M000008 is no longer lapsed)"
echo
echo "-- report -t segments --class vip"
report -t segments --class vip
echo
echo "-- the night's member-assign: whose ownership lapses tonight"
VIPLEDGER_NOW=2026-11-02T23:30:00 member-assign | cut -f2,3,11
echo "-- report -t associates --from 2026-10-01: each associate's month"
report -t associates --from 2026-10-01
