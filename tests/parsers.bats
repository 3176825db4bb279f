# parsers.bats: amounts, fields and lines as the readers take them: the limits of SPEC section 2.
load common

NOW=2026-03-01T10:00:00
SHEADER=$'at\treceipt\tmember\tkind\tsale\tgoods\tpoints_used\tpaid\tearned\tavailable_on\treferrer\treferral_points\ttier\tstore\tassociate\titems\tnote'
MHEADER=$'at\tmember\tname\tphone\tbirthday\tgender\temail\taddress\tsize\treferrer\tassociate\tstore\tcontact\tnote'
PHEADER=$'at\tmember\tkind\tpoints\tavailable_on\tref\tnote'

# says STATUS MESSAGE CMD...: CMD is refused with STATUS and exactly the
# one line MESSAGE on stderr, and changes no ledger
says() {
	local want=$1 msg=$2
	shift 2
	refused "$want" '' "$@"
	[ "$stderr" = "$msg" ]
}

# sales ROW...: sales.tsv of Ann's M000001, with these rows
sales() {
	mkdir -p "$D"
	{
		echo "$SHEADER"
		printf '%s\n' "$@"
	} >"$D/sales.tsv"
}

# a sale of GOODS (as the ledger holds it) by M000001
sale() {
	srow 2026-02-01T10:00:00 S000001 M000001 "$1" 0 "$1" 100 2026-02-08 '' 0 normal '' '' 100 ''
}

# repeat N CHAR: CHAR N times
repeat() {
	head -c "$1" /dev/zero | tr '\0' "$2"
}

# --- amounts and numbers in a ledger ---------------------------------------------

@test "a ledger amount of 15 digits before the point is read; 16 or more is exit 3 naming file:LINE" {
	add Ann 13800000001
	sales "$(sale 999999999999999.99)"
	ok report -N sales
	[ "$output" = $'2026-02-01\t1\t0\t999999999999999.99\t999999999999999.99\t100\t0\t1' ]
	local a
	for a in 9999999999999999.00 99999999999999999.00 -99999999999999999.00 \
		0000000000000000.00 92233720368547758.08; do
		sales "$(sale $a)"
		says 3 'report: sales.tsv:2: field 6 has more than 15 digits before the point' report sales
	done
	sales "$(sale -999999999999999.99)"
	ok report -N sales
	[ "$(cut -f 4 <<<"$output")" = -999999999999999.99 ]
}

@test "a sum of amounts never wraps into a negative total" {
	add Ann 13800000001
	sales "$(sale 99999999999999999.00)"
	says 3 'report: sales.tsv:2: field 6 has more than 15 digits before the point' report members
	says 3 'sale-post: sales.tsv:2: field 6 has more than 15 digits before the point' sale-post M000001 1
}

@test "a ledger integer of 16 digits is exit 3 naming file:LINE" {
	add Ann 13800000001
	{
		echo "$PHEADER"
		row 2026-02-01T10:00:00 M000001 adjust 999999999999999 2026-02-01 '' ''
		echo
	} >"$D/points.tsv"
	ok report -N member M000001
	{
		echo "$PHEADER"
		row 2026-02-01T10:00:00 M000001 adjust -1000000000000000 2026-02-01 '' ''
		echo
	} >"$D/points.tsv"
	says 3 'report: points.tsv:2: field 4 is too large' report member M000001
}
