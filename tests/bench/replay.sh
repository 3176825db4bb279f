#!/bin/sh
# replay.sh: shows that gen writes what the programs write.  It generates a
# small shop, then posts the same history through the programs, one
# command a row in time order with VIPLEDGER_NOW at the row's time
# (member-add, member-edit, sale-post, sale-return, points-redeem,
# points-adjust), and compares the ledgers byte for byte.
# Usage: sh tests/bench/replay.sh BUILDDIR [MEMBERS SALES [SEED]]
# (default 200 members, 2000 sales rows: about a minute).
set -eu

build=$(cd "${1:?usage: replay.sh BUILDDIR [MEMBERS SALES [SEED]]}" && pwd)
bin=$build/bin
members=${2:-200}
sales=${3:-2000}
seed=${4:-1}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vipledger-replay.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
unset VIPLEDGER_DIR

# the programs' own headers, as run.sh takes them
tpl=$tmp/template
VIPLEDGER_DIR=$tpl VIPLEDGER_NOW=2000-01-01T10:00:00 \
    "$bin/member-add" -q --name x --phone 10000000001
VIPLEDGER_DIR=$tpl VIPLEDGER_NOW=2000-01-01T11:00:00 \
    "$bin/sale-post" -q M000001 1280
VIPLEDGER_DIR=$tpl VIPLEDGER_NOW=2000-01-01T12:00:00 \
    "$bin/points-adjust" -q --reason x M000001 1
"$build/gen" -s "$seed" -t "$tpl" "$members" "$sales" "$tmp/gen" >/dev/null

out=$tmp/replay
mkdir -m 700 "$out"
cp "$tmp/gen/staff.tsv" "$out/"
# Every row, tagged with its time, its file and its line: at one time a
# registration comes before a sale, and a sale before a points row.
{
	awk -F '\t' 'NR > 1 { print $1 "\t0\t" NR "\t" $0 }' "$tmp/gen/members.tsv"
	awk -F '\t' 'NR > 1 { print $1 "\t1\t" NR "\t" $0 }' "$tmp/gen/sales.tsv"
	awk -F '\t' 'NR > 1 { print $1 "\t2\t" NR "\t" $0 }' "$tmp/gen/points.tsv"
} | LC_ALL=C sort -t '	' -k1,1 -k2,2n -k3,3n | awk -F '\t' -v sq="'" '
function q(s,    n, a, i, r) {	# quoted for sh
	n = split(s, a, sq)
	r = a[1]
	for (i = 2; i <= n; i++)
		r = r sq "\\" sq sq a[i]
	return sq r sq
}
function opt(name, v) {
	return v == "" ? "" : " --" name " " q(v)
}
{
	pre = "VIPLEDGER_NOW=" $1 " "
	if ($2 == 0) {
		m = $5
		if (!(m in phone)) {
			print pre "member-add -q" opt("name", $6) opt("phone", $7) \
			    opt("birthday", $8) opt("gender", $9) opt("email", $10) \
			    opt("address", $11) opt("size", $12) \
			    opt("referrer", $13) opt("associate", $14) \
			    opt("store", $15) ($16 == "dnd" ? " --dnd" : "") \
			    opt("note", $17)
		} else {
			s = ""
			if ($7 != phone[m])
				s = s opt("phone", $7)
			if ($16 != contact[m])
				s = s ($16 == "dnd" ? " --dnd" : " --ok")
			print pre "member-edit -q " m s
		}
		phone[m] = $7
		contact[m] = $16
	} else if ($2 == 1 && $7 == "sale") {
		n = split($19, it, ",")
		s = ""
		for (i = 1; i <= n; i++)
			s = s " " q(it[i])
		print pre "sale-post -q" opt("associate", $18) opt("store", $17) \
		    ($10 != "0" ? " --use-points " $10 : "") opt("note", $20) \
		    " " $6 s
	} else if ($2 == 1) {
		print pre "sale-return -q" opt("note", $20) " " $8 " " \
		    substr($9, 2)
	} else if ($6 == "redeem") {
		print pre "points-redeem -q" ($9 != "" ? " -r " $9 : "") \
		    opt("note", $10) " " $5 " " substr($7, 2)
	} else {
		print pre "points-adjust -q --reason " q($10) " " $5 " " $7
	}
}' > "$tmp/commands"
(
	PATH=$bin:$PATH
	VIPLEDGER_DIR=$out
	export PATH VIPLEDGER_DIR
	sh -e "$tmp/commands"
)
status=0
for f in members.tsv sales.tsv points.tsv; do
	if cmp -s "$tmp/gen/$f" "$out/$f"; then
		echo "replay: $f identical ($(($(wc -l < "$out/$f") - 1)) rows)"
	else
		echo "replay: $f differs:"
		diff "$tmp/gen/$f" "$out/$f" | head -5
		status=1
	fi
done
exit "$status"
