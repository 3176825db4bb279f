# till.bats: at the till (SPEC section 9): member prices and the birthday
# benefit, -DISC% items, paying with stored value, returns by items.
load common

# f ROW N...: fields N... of a TAB-separated row, TAB-joined
f() {
	local row=$1
	shift
	printf '%s\n' "$row" | cut -f"$(IFS=,; echo "$*")"
}

# gold discount=5 birthday=20, M000001 gold since 2026-01-02, born 03-01
gold() {
	rules 'tier normal' 'tier gold discount=5 multiplier=1 validity=0 birthday=20' "$@"
	VIPLEDGER_NOW=2026-01-01T10:00:00 add A 13800000001 --birthday 1990-03-01
	printf 'at\tmember\tevent\tfrom\tto\tsince\texpires\tstrikes\treason\n%s\n' \
	    "$(row 2026-01-02T00:00:00 M000001 set normal gold 2026-01-02 '' 0 vip)" >"$D/tiers.tsv"
}

@test "member price: the worked example of SPEC 9, the dearest units first, goods and birthday_units" {
	gold 'birthday_items 2'
	export VIPLEDGER_NOW=2026-03-01T10:00:00
	ok sale-post --member-price M000001 899 459 2x199
	[ "$output" = "$(row 2026-03-01T10:00:00 S000001 M000001 sale S000001 1464.50 0 1464.50 1464 \
	    2026-03-08 '' 0 gold '' '' '899-20%,459-20%,2x199-5%' '' 2 '')" ]
	# the window's two units are used: the tier's discount from now on
	ok sale-post -q --member-price M000001 3x899
	ok report -N member M000001
	[ "$(printf '%s\n' "$output" | grep -E '^(discount|birthday_today)')" = \
	    "$(printf 'discount\t5\nbirthday_today\tyes')" ]
	[ "$(f "$(tail -1 "$D/sales.tsv")" 16,18)" = $'3x899-5%\t' ]
}

@test "member price: an item split, its birthday units first; a typed -DISC% is left alone" {
	gold 'birthday_items 2'
	export VIPLEDGER_NOW=2026-03-01T10:00:00
	ok sale-post --member-price M000001 3x899 100-0% 50-10%@S1
	[ "$(f "$output" 6,8,16,18)" = $'2437.45\t2437.45\t2x899-20%,899-5%,100-0%,50-10%@S1\t2' ]
	# 2 x 719.20 + 854.05 + 100.00 + 45.00 = 2437.45
}

@test "member price: birthday_once, birthday_window month, no limit, Feb 29 in a common year" {
	gold 'birthday_once yes'
	export VIPLEDGER_NOW=2026-03-01T10:00:00
	ok sale-post --member-price M000001 100 100
	[ "$(f "$output" 16,18)" = $'100-20%,100-20%\t2' ]
	ok sale-post --member-price M000001 100
	[ "$(f "$output" 16,18)" = $'100-5%\t' ]
	VIPLEDGER_NOW=2026-03-02T10:00:00 ok sale-post --member-price M000001 100
	[ "$(f "$output" 16,18)" = $'100-5%\t' ]
	rules 'tier normal' 'tier gold discount=5 multiplier=1 validity=0 birthday=20' \
	    'birthday_window month' 'birthday_items 3'
	VIPLEDGER_NOW=2026-03-20T10:00:00 ok sale-post --member-price M000001 100 100
	# the month's window: 2 of its 3 units were used on 03-01
	[ "$(f "$output" 16,18)" = $'100-20%,100-5%\t1' ]
	VIPLEDGER_NOW=2026-04-01T10:00:00 ok sale-post --member-price M000001 100
	[ "$(f "$output" 16,18)" = $'100-5%\t' ]
	VIPLEDGER_NOW=2026-04-01T10:00:00 member-edit -q M000001 --birthday 2000-02-29
	rules 'tier normal' 'tier gold discount=5 multiplier=1 validity=0 birthday=20'
	VIPLEDGER_NOW=2027-02-28T10:00:00 ok sale-post --member-price M000001 3x100
	[ "$(f "$output" 16,18)" = $'3x100-20%\t3' ]
}

@test "member price: a birthday= not above the tier's discount never applies; a tier without discount writes nothing" {
	rules 'tier normal birthday=0' 'tier gold discount=5 birthday=5 validity=0'
	export VIPLEDGER_NOW=2026-03-01T10:00:00
	add A 13800000001 --birthday 03-01
	ok sale-post --member-price M000001 100 2x50
	[ "$(f "$output" 6,16,18)" = $'200.00\t100,2x50\t' ]
}

@test "member price: a retry prices the typed items as when first posted" {
	gold 'birthday_items 1'
	export VIPLEDGER_NOW=2026-03-01T10:00:00
	ok sale-post -r R1 --member-price M000001 200 100
	first=$output
	[ "$(f "$output" 16,18)" = $'200-20%,100-5%\t1' ]
	ok sale-post -q --member-price M000001 300
	ok sale-post -r R1 --member-price M000001 200 100
	[ "$output" = "$first" ]
	refused 1 receipt sale-post -r R1 M000001 200 100
	refused 1 receipt sale-post -r R1 --member-price M000001 200 100 5
}

@test "-DISC%: the unit paid is PRICE less DISC rounded down; the band stays PRICE/LIST's" {
	rules 'band 1.00 100' 'band 0.50 50' 'band 0.00 0'
	export VIPLEDGER_NOW=2026-03-01T10:00:00
	add A 13800000001
	# 899-5%: 854.05 at full price earns 854; 0.99-33%: 0.66; 600/1000-50%
	# is 300.00 in the 0.50 band (not the 0.00 band of 300/1000): 150
	ok sale-post M000001 899-5% 0.99-33% 600/1000-50%
	[ "$(f "$output" 6,9,16)" = $'1154.71\t1004\t899-5%,0.99-33%,600/1000-50%' ]
	refused 1 items sale-post M000001 899-101%
	refused 1 items sale-post M000001 899-5
	refused 1 items sale-post M000001 899-%
	refused 1 items sale-post -- M000001 -5%
}

@test "--wallet: pays part of paid from stored value; refused above paid, above the balance, back-dated" {
	rules 'hold_days 7'
	VIPLEDGER_NOW=2026-02-01T10:00:00 add A 13800000001
	export VIPLEDGER_NOW=2026-03-01T10:00:00
	printf 'at\tmember\tkind\tamount\tref\tnote\n%s\n' \
	    "$(row 2026-03-01T08:00:00 M000001 topup 500.00 T1 '')" >"$D/wallet.tsv"
	refused 1 wallet sale-post --wallet 600 M000001 700
	refused 1 wallet sale-post --wallet 100.01 M000001 100
	refused 1 wallet sale-post --wallet 100 --at 2026-03-01T07:59:59 M000001 400
	refused 1 wallet sale-post --wallet '' M000001 400
	refused 1 wallet sale-post --wallet -5 M000001 400
	ok sale-post --wallet 300 M000001 400
	[ "$output" = "$(row 2026-03-01T10:00:00 S000001 M000001 sale S000001 400.00 0 400.00 400 \
	    2026-03-08 '' 0 normal '' '' 400 '' '' 300.00)" ]
	ok sale-post --wallet 0 M000001 10
	[ "$(f "$output" 19)" = '' ]
	# a batch sees its own rows: 200.00 are left for two rows of 150.00
	batch_refused 3 sale-post - < <(printf 'member\titems\twallet\nM000001\t150\t150\nM000001\t150\t150\n')
	# a retry compares the wallet too
	ok sale-post -q -r W1 --wallet 100 M000001 100
	ok sale-post -r W1 --wallet 100 M000001 100
	refused 1 receipt sale-post -r W1 --wallet 50 M000001 100
}

@test "returns give stored value back in proportion; a sale without it writes none" {
	export VIPLEDGER_NOW=2026-03-01T10:00:00
	add A 13800000001
	printf 'at\tmember\tkind\tamount\tref\tnote\n%s\n' \
	    "$(row 2026-03-01T08:00:00 M000001 topup 500.00 T1 '')" >"$D/wallet.tsv"
	sale-post -q --wallet 300 M000001 400
	sale-post -q M000001 50
	ok sale-return S000001 100
	[ "$(f "$output" 6,19)" = $'-100.00\t-75.00' ]
	ok sale-return S000001 1
	[ "$(f "$output" 6,19)" = $'-1.00\t-0.75' ]
	ok sale-return S000001 0.01
	[ "$(f "$output" 6,19)" = $'-0.01\t-0.01' ]
	ok sale-return S000001
	[ "$(f "$output" 6,19)" = $'-298.99\t-224.24' ]
	ok sale-return S000002 10
	[ "$(f "$output" 19)" = '' ]
	# the four returns give back the 300.00 exactly
	[ "$(awk -F'\t' '$5 == "S000001" { s += $19 } END { printf "%.2f", s }' "$D/sales.tsv")" = 0.00 ]
}

# gold-3000's bands: a full-price item earns, a special price earns
# nothing (points-schemes part 4)
@test "return by items takes back what those items earned; by amount it would take a share" {
	rules 'band 1.00 100' 'band 0.00 0'
	export VIPLEDGER_NOW=2026-03-01T10:00:00
	add A 13800000001
	sale-post -q M000001 1000/1000 870/1000
	[ "$(f "$(tail -1 "$D/sales.tsv")" 6,9)" = $'1870.00\t1000' ]
	ok sale-return S000001 1000/1000
	[ "$output" = "$(row 2026-03-01T10:00:00 S000002 M000001 return S000001 -1000.00 0 -1000.00 -1000 \
	    2026-03-08 '' 0 normal '' '' 1000/1000 '' '' '')" ]
	ok sale-return S000001
	[ "$(f "$output" 6,9,16)" = $'-870.00\t0\t870/1000' ]
	# the same sale by amount: 1000 x 870/1870 = 465 points stay
	sale-post -q M000001 1000/1000 870/1000
	ok sale-return S000004 1000
	[ "$(f "$output" 9)" = -535 ]
}

@test "return by items: quantities, spelling as the sale wrote it, what is left, retries, one way only" {
	rules 'band 1.00 100' 'band 0.00 0'
	export VIPLEDGER_NOW=2026-03-01T10:00:00
	add A 13800000001
	points-adjust -q --reason seed M000001 100
	sale-post -q --use-points 100 M000001 3x899-5%@A1 459/899
	[ "$(f "$(tail -1 "$D/sales.tsv")" 6,7,8,9)" = $'3021.15\t100\t3020.15\t2561' ]
	refused 1 items sale-return S000001 899@A1
	refused 1 items sale-return S000001 4x899-5%@A1
	ok sale-return -r B1 S000001 2x899-5%@A1
	[ "$(f "$output" 6,7,8,9,16)" = $'-1708.10\t-57\t-1707.53\t-1708\t2x899-5%@A1' ]
	ok sale-return -r B1 S000001 2x899-5%@A1
	[ "$(f "$output" 2,16)" = $'B1\t2x899-5%@A1' ]
	refused 1 id sale-return -r B1 S000001 899-5%@A1
	refused 1 amount sale-return S000001 10
	refused 1 items sale-return S000001 2x899-5%@A1
	ok sale-return S000001
	[ "$(f "$output" 6,7,9,16)" = $'-1313.05\t-43\t-853\t899-5%@A1,459/899' ]
	[ "$(awk -F'\t' '$5 == "S000001" { g += $6; u += $7; e += $9 } END { printf "%.2f %d %d", g, u, e }' "$D/sales.tsv")" = '0.00 0 0' ]
	sale-post -q -r X1 M000001 100 200
	sale-return -q X1 50
	refused 1 items sale-return X1 1x200
	ok sale-return X1 200
	[ "$(f "$output" 6,16)" = $'-200.00\t' ]
}

@test "race: 20 sales paying 100.00 each from 500.00 of stored value at once, with the real clock; 5 go through" {
	VIPLEDGER_NOW=2026-01-01T10:00:00 add A 13800000001
	printf 'at\tmember\tkind\tamount\tref\tnote\n%s\n' \
	    "$(row 2026-01-01T11:00:00 M000001 topup 500.00 T1 '')" >"$D/wallet.tsv"
	chmod 600 "$D/wallet.tsv"
	unset VIPLEDGER_NOW
	for i in $(seq 20); do
		sale-post -q -w 30 --wallet 100 M000001 100 2>/dev/null &
	done
	wait
	[ "$(body sales.tsv | wc -l)" -eq 5 ]
	[ "$(body sales.tsv | awk -F'\t' '{ s += $19 } END { printf "%.2f", s }')" = 500.00 ]
	run ledger-check
	[ "$status" -eq 0 ]
}
