# sale-post: posting sales, the points arithmetic of SPEC section 3, and what it refuses.
load common

J=2026-01-01T09:00:00
NOW=2026-03-01T10:00:00
SHEADER=$'at\treceipt\tmember\tkind\tsale\tgoods\tpoints_used\tpaid\tearned\tavailable_on\treferrer\treferral_points\ttier\tstore\tassociate\titems\tnote\tbirthday_units\twallet'

# grant MEMBER POINTS [AT [AVAILABLE_ON]]: points given by hand in points.tsv
grant() {
	[ -e "$D/points.tsv" ] ||
		printf 'at\tmember\tkind\tpoints\tavailable_on\tref\tnote\n' >"$D/points.tsv"
	row "${3:-2026-01-01T09:30:00}" "$1" adjust "$2" "${4:-2026-01-01}" '' 'opening balance' >>"$D/points.tsv"
	echo >>"$D/points.tsv"
}

# settier MEMBER AT FROM TO [EXPIRES]: a tiers.tsv row written by hand
settier() {
	[ -e "$D/tiers.tsv" ] ||
		printf 'at\tmember\tevent\tfrom\tto\tsince\texpires\tstrikes\treason\n' >"$D/tiers.tsv"
	row "$2" "$1" set "$3" "$4" "${2%T*}" "${5:-}" 0 'set by hand' >>"$D/tiers.tsv"
	echo >>"$D/tiers.tsv"
}

# --- the row ------------------------------------------------------------------

@test "a plain sale: goods, paid, earned, hold days, tier, receipt S000001" {
	member Ann 13800000001
	ok sale-post M000001 1280
	local want
	want=$(srow $NOW S000001 M000001 1280.00 0 1280.00 1280 2026-03-08 '' 0 normal '' '' 1280 '')
	[ "$output" = "$want" ]
	[ "$(head -n 1 "$D/sales.tsv")" = "$SHEADER" ]
	[ "$(body sales.tsv)" = "$want" ]
	[ "$(stat -c %a "$D/sales.tsv")" = 600 ]
}

@test "receipts go on S000001, S000002 and each run prints only its own row" {
	member Ann 13800000001
	ok sale-post M000001 1280
	ok sale-post M000001 99.90
	local want
	want=$(srow $NOW S000002 M000001 99.90 0 99.90 99 2026-03-08 '' 0 normal '' '' 99.90 '')
	[ "$output" = "$want" ]
	[ "$(body sales.tsv | cut -f 2 | paste -sd ' ')" = 'S000001 S000002' ]
	[ "$(tail -n 1 "$D/sales.tsv")" = "$want" ]
}

@test "items with quantity, list price and SKU; items kept as typed, joined with commas" {
	member Ann 13800000001
	ok sale-post M000001 2x459/899 399/399@A1234
	[ "$output" = "$(srow $NOW S000001 M000001 1317.00 0 1317.00 1317 2026-03-08 '' 0 normal '' '' '2x459/899,399/399@A1234' '')" ]
	ok sale-post M000001 1280.5 1x0.99 3x10/12.5@SKU-1 05
	[ "$output" = "$(srow $NOW S000002 M000001 1316.49 0 1316.49 1316 2026-03-08 '' 0 normal '' '' '1280.5,1x0.99,3x10/12.5@SKU-1,05' '')" ]
}

@test "the member may be given by phone; the row has its id" {
	member Ann 13800000001
	ok sale-post 13800000001 100
	[ "$output" = "$(srow $NOW S000001 M000001 100.00 0 100.00 100 2026-03-08 '' 0 normal '' '' 100 '')" ]
}

@test "a sale's associate and store are empty unless given, not taken from the member" {
	member Ann 13800000001 --associate A1 --store Main
	ok sale-post M000001 100
	[ "$output" = "$(srow $NOW S000001 M000001 100.00 0 100.00 100 2026-03-08 '' 0 normal '' '' 100 '')" ]
	ok sale-post --store East --associate A2 --note 'gift wrap' M000001 100
	[ "$output" = "$(srow $NOW S000002 M000001 100.00 0 100.00 100 2026-03-08 '' 0 normal East A2 100 'gift wrap')" ]
}

# --- arithmetic -----------------------------------------------------------------

@test "--use-points 500: value 5.00, paid = goods - 5.00, earned on what was paid" {
	member Ann 13800000001
	grant M000001 5000
	ok sale-post --use-points 500 M000001 1280
	[ "$output" = "$(srow $NOW S000001 M000001 1280.00 500 1275.00 1275 2026-03-08 '' 0 normal '' '' 1280 '')" ]
}

@test "earned is rounded down once, over the whole sale (silver 1.5: 3.33 + 3.33 earns 9)" {
	member Ann 13800000001
	settier M000001 2026-01-02T00:00:00 normal silver
	ok sale-post M000001 3.33 3.33
	[ "$output" = "$(srow $NOW S000001 M000001 6.66 0 6.66 9 2026-03-08 '' 0 silver '' '' '3.33,3.33' '')" ]
}

@test "earned = floor(sum qty*paid*rate*mult * P / (G*100*100*earn_per)), rounded once" {
	# 100/100 earns 100 %, 40/100 earns 50 %; 333 points: P = 136.67 of G = 140.00
	# (10000*100*100 + 4000*50*100) * 13667 / (14000 * 1000000) = 117.14...
	member Ann 13800000001
	rules 'band 0.50 100' 'band 0.00 50'
	grant M000001 1000
	ok sale-post --use-points 333 M000001 100/100 40/100
	[ "$output" = "$(srow $NOW S000001 M000001 140.00 333 136.67 117 2026-03-08 '' 0 normal '' '' '100/100,40/100' '')" ]
}

@test "3x33.33 with one point: paid 99.98 earns 99" {
	member Ann 13800000001
	grant M000001 10
	ok sale-post --use-points 1 M000001 3x33.33
	[ "$output" = "$(srow $NOW S000001 M000001 99.99 1 99.98 99 2026-03-08 '' 0 normal '' '' 3x33.33 '')" ]
}

@test "bands: PAID/LIST at or above a band's ratio earns its percent" {
	member Ann 13800000001
	rules 'band 0.50 100' 'band 0.00 50'
	ok sale-post M000001 1000/1000 400/1000
	[ "$output" = "$(srow $NOW S000001 M000001 1400.00 0 1400.00 1200 2026-03-08 '' 0 normal '' '' '1000/1000,400/1000' '')" ]
	# 1000 + 200 + 500 + 249.995
	ok sale-post M000001 1000/1000 400/1000 500/1000 499.99/1000
	[ "$output" = "$(srow $NOW S000002 M000001 2399.99 0 2399.99 1949 2026-03-08 '' 0 normal '' '' '1000/1000,400/1000,500/1000,499.99/1000' '')" ]
	# no LIST: ratio 1
	ok sale-post M000001 2x10
	[ "$output" = "$(srow $NOW S000003 M000001 20.00 0 20.00 20 2026-03-08 '' 0 normal '' '' 2x10 '')" ]
}

@test "a band that earns nothing" {
	member Ann 13800000001
	rules 'band 0.88 100' 'band 0.00 0'
	ok sale-post M000001 88/100 87.99/100
	[ "$output" = "$(srow $NOW S000001 M000001 175.99 0 175.99 88 2026-03-08 '' 0 normal '' '' '88/100,87.99/100' '')" ]
}

@test "a flat band ignores the tier multiplier" {
	member Ann 13800000001
	rules 'band 0.80 100' 'band 0.00 50 flat'
	settier M000001 2026-01-02T00:00:00 normal silver
	ok sale-post M000001 1000/1000 500/1000
	[ "$output" = "$(srow $NOW S000001 M000001 1500.00 0 1500.00 1750 2026-03-08 '' 0 silver '' '' '1000/1000,500/1000' '')" ]
}

@test "the tier is the last tiers.tsv row with at on or before the sale" {
	member Ann 13800000001
	settier M000001 2026-01-02T00:00:00 normal silver
	settier M000001 2026-02-15T00:00:00 silver gold
	ok sale-post --at 2026-01-01T12:00:00 M000001 1280
	[ "$output" = "$(srow 2026-01-01T12:00:00 S000001 M000001 1280.00 0 1280.00 1280 2026-01-08 '' 0 normal '' '' 1280 '')" ]
	ok sale-post --at 2026-02-14T23:59:59 M000001 1280
	[ "$output" = "$(srow 2026-02-14T23:59:59 S000002 M000001 1280.00 0 1280.00 1920 2026-02-21 '' 0 silver '' '' 1280 '')" ]
	ok sale-post --at 2026-02-15 M000001 1280
	[ "$output" = "$(srow 2026-02-15T00:00:00 S000003 M000001 1280.00 0 1280.00 2560 2026-02-22 '' 0 gold '' '' 1280 '')" ]
	ok sale-post M000001 1280
	[ "$output" = "$(srow $NOW S000004 M000001 1280.00 0 1280.00 2560 2026-03-08 '' 0 gold '' '' 1280 '')" ]
}

@test "another member's tier rows do not count" {
	member Ann 13800000001
	member Bob 13800000002
	settier M000002 2026-01-02T00:00:00 normal gold
	ok sale-post M000001 100
	[ "$output" = "$(srow $NOW S000001 M000001 100.00 0 100.00 100 2026-03-08 '' 0 normal '' '' 100 '')" ]
	ok sale-post M000002 100
	[ "$output" = "$(srow $NOW S000002 M000002 100.00 0 100.00 200 2026-03-08 '' 0 gold '' '' 100 '')" ]
}

@test "the recorded tier holds past its expires until a new row is written" {
	member Ann 13800000001
	settier M000001 2026-01-02T00:00:00 normal silver 2026-02-01
	ok sale-post M000001 1280
	[ "$output" = "$(srow $NOW S000001 M000001 1280.00 0 1280.00 1920 2026-03-08 '' 0 silver '' '' 1280 '')" ]
}

@test "a recorded tier that rules.conf does not define is refused, naming member and tier" {
	member Ann 13800000001
	settier M000001 2026-01-02T00:00:00 normal platinum
	refused 1 platinum sale-post M000001 100
	[[ $stderr == *M000001* ]]
	[ ! -e "$D/sales.tsv" ]
}

@test "referral points: floor(P * referral_pct * redeem_rate / 10000), only with a referrer" {
	rules 'referral_pct 1'
	member Ann 13800000001
	member Bob 13800000002 --referrer M000001
	ok sale-post M000002 12.34
	[ "$output" = "$(srow $NOW S000001 M000002 12.34 0 12.34 12 2026-03-08 M000001 12 normal '' '' 12.34 '')" ]
	ok sale-post M000001 1280
	[ "$output" = "$(srow $NOW S000002 M000001 1280.00 0 1280.00 1280 2026-03-08 '' 0 normal '' '' 1280 '')" ]
	grant M000002 500
	ok sale-post --use-points 500 M000002 1280
	[ "$output" = "$(srow $NOW S000003 M000002 1280.00 500 1275.00 1275 2026-03-08 M000001 1275 normal '' '' 1280 '')" ]
}

@test "referral_pct may be a decimal" {
	rules 'referral_pct 0.5'
	member Ann 13800000001
	member Bob 13800000002 --referrer M000001
	ok sale-post M000002 1280
	[ "$output" = "$(srow $NOW S000001 M000002 1280.00 0 1280.00 1280 2026-03-08 M000001 640 normal '' '' 1280 '')" ]
	ok sale-post M000002 12.34
	[ "$output" = "$(srow $NOW S000002 M000002 12.34 0 12.34 12 2026-03-08 M000001 6 normal '' '' 12.34 '')" ]
}

@test "the referrer is the member's referrer at the time of posting, even for a back-dated sale" {
	rules 'referral_pct 1'
	member Ann 13800000001
	member Bob 13800000002 --referrer M000001
	member Cai 13800000003
	row 2026-02-01T10:00:00 M000002 Bob 13800000002 '' '' '' '' '' M000003 '' '' ok '' >>"$D/members.tsv"
	echo >>"$D/members.tsv"
	ok sale-post --at 2026-01-15 M000002 100
	[ "$output" = "$(srow 2026-01-15T00:00:00 S000001 M000002 100.00 0 100.00 100 2026-01-22 M000003 100 normal '' '' 100 '')" ]
}

@test "redeem_rate 10: a point is worth 0.10" {
	rules 'redeem_rate 10'
	member Ann 13800000001
	grant M000001 5000
	ok sale-post --use-points 500 M000001 1280
	[ "$output" = "$(srow $NOW S000001 M000001 1280.00 500 1230.00 1230 2026-03-08 '' 0 normal '' '' 1280 '')" ]
}

@test "redeem_rate 3: points must convert to whole cents (1 and 2 refused, 3 and 6 taken)" {
	rules 'redeem_rate 3'
	member Ann 13800000001
	grant M000001 100
	refused 1 'point|cent' sale-post --use-points 1 M000001 1280
	refused 1 'point|cent' sale-post --use-points 2 M000001 1280
	refused 1 'point|cent' sale-post --use-points 10 M000001 1280
	[ ! -e "$D/sales.tsv" ]
	ok sale-post --use-points 3 M000001 1280
	[ "$output" = "$(srow $NOW S000001 M000001 1280.00 3 1279.00 1279 2026-03-08 '' 0 normal '' '' 1280 '')" ]
	ok sale-post --use-points 6 M000001 10
	[ "$output" = "$(srow $NOW S000002 M000001 10.00 6 8.00 8 2026-03-08 '' 0 normal '' '' 10 '')" ]
}

@test "redeem_min and redeem_step apply to --use-points, but not to 0 or none" {
	rules 'redeem_min 100' 'redeem_step 50'
	member Ann 13800000001
	grant M000001 5000
	refused 1 'redeem_min|100|point' sale-post --use-points 50 M000001 1280
	refused 1 'redeem_step|50|point' sale-post --use-points 120 M000001 1280
	refused 1 'redeem_step|50|point' sale-post --use-points 101 M000001 1280
	ok sale-post --use-points 150 M000001 1280
	[ "$output" = "$(srow $NOW S000001 M000001 1280.00 150 1278.50 1278 2026-03-08 '' 0 normal '' '' 1280 '')" ]
	ok sale-post --use-points 0 M000001 10
	[ "$output" = "$(srow $NOW S000002 M000001 10.00 0 10.00 10 2026-03-08 '' 0 normal '' '' 10 '')" ]
	ok sale-post M000001 10
	[ "$output" = "$(srow $NOW S000003 M000001 10.00 0 10.00 10 2026-03-08 '' 0 normal '' '' 10 '')" ]
}

@test "--use-points above the available balance is refused, saying how many could be used" {
	member Ann 13800000001
	grant M000001 5000
	refused 1 5000 sale-post --use-points 5001 M000001 1280
	[ ! -e "$D/sales.tsv" ]
	ok sale-post --use-points 5000 M000001 1280
	[ "$output" = "$(srow $NOW S000001 M000001 1280.00 5000 1230.00 1230 2026-03-08 '' 0 normal '' '' 1280 '')" ]
	refused 1 'point' sale-post --use-points 1 M000001 1280
}

@test "the sale's own earned points cannot be spent on it" {
	member Ann 13800000001
	refused 1 'point' sale-post --use-points 1 M000001 1000
	[ ! -e "$D/sales.tsv" ]
}

@test "points earned are not available during the hold days" {
	member Ann 13800000001
	ok sale-post --at 2026-02-25T12:00:00 M000001 1000
	[ "$output" = "$(srow 2026-02-25T12:00:00 S000001 M000001 1000.00 0 1000.00 1000 2026-03-04 '' 0 normal '' '' 1000 '')" ]
	refused 1 'point' sale-post --use-points 1 M000001 1000
	ok env VIPLEDGER_NOW=2026-03-04T00:00:00 sale-post --use-points 1000 M000001 1000
	[ "$output" = "$(srow 2026-03-04T00:00:00 S000002 M000001 1000.00 1000 990.00 990 2026-03-11 '' 0 normal '' '' 1000 '')" ]
}

@test "a back-dated sale cannot spend points that were spent since" {
	member Ann 13800000001
	grant M000001 1000
	ok env VIPLEDGER_NOW=2026-02-20T12:00:00 sale-post --use-points 800 M000001 100
	[ "$output" = "$(srow 2026-02-20T12:00:00 S000001 M000001 100.00 800 92.00 92 2026-02-27 '' 0 normal '' '' 100 '')" ]
	# 1000 until 02-20, 200 until 02-27, then 292
	refused 1 200 sale-post --at 2026-02-10 --use-points 201 M000001 50
	ok sale-post --at 2026-02-10 --use-points 200 M000001 50
	[ "$output" = "$(srow 2026-02-10T00:00:00 S000002 M000001 50.00 200 48.00 48 2026-02-17 '' 0 normal '' '' 50 '')" ]
	# now: 1000 - 800 - 200 + 92 + 48
	refused 1 140 sale-post --use-points 141 M000001 10
	ok sale-post --use-points 140 M000001 10
	[ "$output" = "$(srow $NOW S000003 M000001 10.00 140 8.60 8 2026-03-08 '' 0 normal '' '' 10 '')" ]
}

@test "--at DATE sees points that become available that day, not rows timed later that day" {
	member Ann 13800000001
	ok sale-post --at 2026-02-01T15:00:00 M000001 100
	[ "$output" = "$(srow 2026-02-01T15:00:00 S000001 M000001 100.00 0 100.00 100 2026-02-08 '' 0 normal '' '' 100 '')" ]
	grant M000001 50 2026-02-08T12:00:00 2026-02-08
	refused 1 100 sale-post --at 2026-02-08 --use-points 101 M000001 10
	ok sale-post --at 2026-02-08 --use-points 100 M000001 10
	[ "$output" = "$(srow 2026-02-08T00:00:00 S000002 M000001 10.00 100 9.00 9 2026-02-15 '' 0 normal '' '' 10 '')" ]
}

@test "a balance below zero anywhere from --at to now refuses any points" {
	member Ann 13800000001
	grant M000001 100
	grant M000001 -150 2026-02-01T00:00:00 2026-02-01
	grant M000001 200 2026-02-10T00:00:00 2026-02-10
	refused 1 'point' sale-post --at 2026-02-05 --use-points 1 M000001 10
	ok sale-post --at 2026-02-05 M000001 10
	ok sale-post --use-points 150 M000001 10
	[ "$output" = "$(srow $NOW S000002 M000001 10.00 150 8.50 8 2026-03-08 '' 0 normal '' '' 10 '')" ]
}

@test "a points value above the goods is refused; equal to the goods pays 0.00 and earns 0" {
	member Ann 13800000001
	grant M000001 5000
	refused 1 '' sale-post --use-points 1001 M000001 10
	refused 1 '' sale-post --use-points 1 M000001 0
	ok sale-post --use-points 1000 M000001 10
	[ "$output" = "$(srow $NOW S000001 M000001 10.00 1000 0.00 0 2026-03-08 '' 0 normal '' '' 10 '')" ]
}

@test "an item of 0 is allowed; goods 0.00 earn 0" {
	member Ann 13800000001
	ok sale-post M000001 0
	[ "$output" = "$(srow $NOW S000001 M000001 0.00 0 0.00 0 2026-03-08 '' 0 normal '' '' 0 '')" ]
	ok sale-post M000001 0/100 0.5
	[ "$output" = "$(srow $NOW S000002 M000001 0.50 0 0.50 0 2026-03-08 '' 0 normal '' '' '0/100,0.5' '')" ]
}

@test "goods up to 1,000,000,000.00, exactly, with a gold multiplier" {
	member Ann 13800000001
	settier M000001 2026-01-02T00:00:00 normal gold
	ok sale-post M000001 1000000000
	[ "$output" = "$(srow $NOW S000001 M000001 1000000000.00 0 1000000000.00 2000000000 2026-03-08 '' 0 gold '' '' 1000000000 '')" ]
	ok sale-post M000001 2x400000000.01 199999999.98
	[ "$output" = "$(srow $NOW S000002 M000001 1000000000.00 0 1000000000.00 2000000000 2026-03-08 '' 0 gold '' '' '2x400000000.01,199999999.98' '')" ]
}

@test "goods over 1,000,000,000.00 are refused" {
	member Ann 13800000001
	refused 1 '' sale-post M000001 1000000000.01
	refused 1 '' sale-post M000001 2x500000000.01
	refused 1 '' sale-post M000001 600000000 400000000.01
	refused 1 '' sale-post M000001 99999999999999999999x1
	refused 1 '' sale-post M000001 18446744073709551617x1
	[ ! -e "$D/sales.tsv" ]
}

@test "malformed items are refused (exit 1)" {
	member Ann 13800000001
	local it
	for it in 0x5 5/0 1.234 5@ '5@a b' '5@a,b' x5 2x 5/ .5 5. +5 1e3 5x5x5 5/5/5 \
		'' abc ' 5' '5 ' '１２' 5/-1 '2x-5' 0x0 '5@'$'\t''A'; do
		refused 1 '' sale-post M000001 100 "$it"
	done
	[ ! -e "$D/sales.tsv" ]
}

@test "-5 is an option, not an item (usage error); after -- it is a malformed item" {
	member Ann 13800000001
	usage sale-post M000001 -5
	refused 1 '' sale-post -- M000001 -5
}

@test "no items is a refusal (exit 1); no operands a usage error" {
	member Ann 13800000001
	refused 1 item sale-post M000001
	usage sale-post
	[ ! -e "$D/sales.tsv" ]
}

@test "an unknown member is refused" {
	mkdir -p "$D"
	refused 1 'M000001|member' sale-post M000001 100
	member Ann 13800000001
	refused 1 'M000009|member' sale-post M000009 100
	refused 1 '13900000000|member' sale-post 13900000000 100
	refused 1 '' sale-post $'M000001\t' 100
	[ ! -e "$D/sales.tsv" ]
}

# --- time -----------------------------------------------------------------------

@test "--at takes a TIME or a DATE (T00:00:00); available_on follows it" {
	member Ann 13800000001
	ok sale-post --at 2026-02-10T15:30:00 M000001 100
	[ "$output" = "$(srow 2026-02-10T15:30:00 S000001 M000001 100.00 0 100.00 100 2026-02-17 '' 0 normal '' '' 100 '')" ]
	ok sale-post --at=2026-02-11 M000001 100
	[ "$output" = "$(srow 2026-02-11T00:00:00 S000002 M000001 100.00 0 100.00 100 2026-02-18 '' 0 normal '' '' 100 '')" ]
	ok sale-post --at 2026-03-01T10:00:00 M000001 100
	[ "$output" = "$(srow $NOW S000003 M000001 100.00 0 100.00 100 2026-03-08 '' 0 normal '' '' 100 '')" ]
}

@test "VIPLEDGER_NOW as a bare date; a malformed one is a usage error" {
	member Ann 13800000001
	ok env VIPLEDGER_NOW=2026-02-28 sale-post M000001 100
	[ "$output" = "$(srow 2026-02-28T00:00:00 S000001 M000001 100.00 0 100.00 100 2026-03-07 '' 0 normal '' '' 100 '')" ]
	refused 2 '' env VIPLEDGER_NOW=2026-02-28T24:00:00 sale-post M000001 100
	refused 2 '' env VIPLEDGER_NOW=soon sale-post M000001 100
}

@test "--at in the future is refused (exit 1)" {
	member Ann 13800000001
	refused 1 '' sale-post --at 2026-03-01T10:00:01 M000001 100
	refused 1 '' sale-post --at 2026-03-02 M000001 100
	[ ! -e "$D/sales.tsv" ]
}

@test "a malformed --at is refused (exit 1)" {
	member Ann 13800000001
	local t
	for t in 2026-02-30 2026-2-10 yesterday 2026-02-10T25:00:00 '2026-02-10 10:00:00' \
		2026-02-10T10:00 20260210; do
		refused 1 '' sale-post --at "$t" M000001 100
	done
	[ ! -e "$D/sales.tsv" ]
}

@test "--at before the member joined is refused" {
	member Ann 13800000001
	refused 1 '' sale-post --at 2026-01-01T08:59:59 M000001 100
	refused 1 '' sale-post --at 2026-01-01 M000001 100
	ok sale-post --at 2026-01-01T09:00:00 M000001 100
	[ "$output" = "$(srow $J S000001 M000001 100.00 0 100.00 100 2026-01-08 '' 0 normal '' '' 100 '')" ]
}

@test "a date past year 9999 is refused (exit 1)" {
	VIPLEDGER_NOW=9999-12-28T00:00:00 add Ann 13800000001
	refused 1 range env VIPLEDGER_NOW=9999-12-28T12:00:00 sale-post M000001 100
	[ ! -e "$D/sales.tsv" ]
}

# --- receipts -------------------------------------------------------------------

@test "-r gives the receipt; automatic receipts go on from the highest S number" {
	member Ann 13800000001
	ok sale-post M000001 10
	[ "$(cut -f 2,5 <<<"$output")" = $'S000001\tS000001' ]
	ok sale-post -r S000010 M000001 10
	[ "$output" = "$(srow $NOW S000010 M000001 10.00 0 10.00 10 2026-03-08 '' 0 normal '' '' 10 '')" ]
	ok sale-post M000001 10
	[ "$(cut -f 2,5 <<<"$output")" = $'S000011\tS000011' ]
	ok sale-post -r R-7 M000001 10
	ok sale-post -r S12 M000001 10
	ok sale-post M000001 10
	[ "$(cut -f 2 <<<"$output")" = S000013 ]
	ok sale-post -r S00000042 M000001 10
	ok sale-post -r S1234567890123456 M000001 10
	ok sale-post M000001 10
	[ "$(cut -f 2 <<<"$output")" = S000043 ]
	[ "$(body sales.tsv | cut -f 2 | paste -sd ' ')" = 'S000001 S000010 S000011 R-7 S12 S000013 S00000042 S1234567890123456 S000043' ]
}

@test "after S999999 comes S1000000" {
	member Ann 13800000001
	ok sale-post -r S999999 M000001 10
	ok sale-post M000001 10
	ok sale-post M000001 10
	[ "$(body sales.tsv | cut -f 2 | paste -sd ' ')" = 'S999999 S1000000 S1000001' ]
}

@test "a batch never writes a receipt twice: automatic ids skip the ids the batch gives" {
	member Ann 13800000001
	ok sale-post - <<-EOF
	member	items	receipt
	M000001	10	
	M000001	20	S000001
	M000001	30	
	EOF
	[ "$(body sales.tsv | cut -f 2,6 | paste -sd ' ')" = $'S000002\t10.00 S000001\t20.00 S000003\t30.00' ]
	refused 1 'line 3: receipt: S000009 is given twice' sale-post - <<-EOF
	member	items	receipt
	M000001	10	S000009
	M000001	10	S000009
	EOF
	[ "$(body sales.tsv | wc -l)" = 3 ]
}

@test "-r is 1 to 64 ASCII letters, digits, - _ ." {
	member Ann 13800000001
	local r64=abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.
	[ ${#r64} -eq 65 ] && r64=${r64:1}
	ok sale-post -r "$r64" M000001 10
	[ "$(cut -f 2 <<<"$output")" = "$r64" ]
	local r
	for r in "x$r64" 'R 1' R/1 'Ä1' 'R,1' $'R\t1'; do
		refused 1 '' sale-post -r "$r" M000001 10
	done
	[ "$(wc -l <"$D/sales.tsv")" -eq 2 ]
}

@test "the same receipt with the same content prints the existing row and writes nothing" {
	member Ann 13800000001
	ok sale-post -r R1 M000001 1280.5
	local want
	want=$(srow $NOW R1 M000001 1280.50 0 1280.50 1280 2026-03-08 '' 0 normal '' '' 1280.5 '')
	[ "$output" = "$want" ]
	local before
	before=$(ledgers)
	ok sale-post -r R1 M000001 1280.50
	[ "$output" = "$want" ]
	ok sale-post -r R1 --store East --associate A1 --note again --at 2026-02-01 M000001 1280.5
	[ "$output" = "$want" ]
	ok sale-post -r R1 13800000001 1x1280.5
	[ "$output" = "$want" ]
	ok sale-post -r R1 --use-points 0 M000001 1280.5
	[ "$output" = "$want" ]
	[ "$(ledgers)" = "$before" ]
}

@test "the same receipt with other content is refused" {
	member Ann 13800000001
	member Bob 13800000002
	grant M000001 1000
	ok sale-post -r R1 M000001 100 200
	refused 1 'R1|receipt' sale-post -r R1 M000001 200 100
	refused 1 'R1|receipt' sale-post -r R1 M000001 100 200.01
	refused 1 'R1|receipt' sale-post -r R1 M000001 100 200 0
	refused 1 'R1|receipt' sale-post -r R1 M000001 100/120 200
	refused 1 'R1|receipt' sale-post -r R1 M000002 100 200
	refused 1 'R1|receipt' sale-post -r R1 --use-points 10 M000001 100 200
	[ "$(wc -l <"$D/sales.tsv")" -eq 2 ]
}

@test "a retry works after the balance has changed" {
	member Ann 13800000001
	grant M000001 1000
	ok sale-post -r R1 --use-points 500 M000001 1280
	local want
	want=$(srow $NOW R1 M000001 1280.00 500 1275.00 1275 2026-03-08 '' 0 normal '' '' 1280 '')
	[ "$output" = "$want" ]
	ok sale-post -q --use-points 500 M000001 10
	local before
	before=$(ledgers)
	ok sale-post -r R1 --use-points 500 M000001 1280
	[ "$output" = "$want" ]
	[ "$(ledgers)" = "$before" ]
}

# --- checks of other fields -------------------------------------------------------

@test "with staff.tsv the associate must be active; without it any is taken" {
	member Ann 13800000001
	ok sale-post --associate A7 M000001 10
	[ "$(cut -f 15 <<<"$output")" = A7 ]
	printf 'staff\tname\tactive\nA1\tLi\tyes\nA2\tWang\tyes\nA2\tWang\tno\n' >"$D/staff.tsv"
	ok sale-post --associate A1 M000001 10
	[ "$(cut -f 15 <<<"$output")" = A1 ]
	refused 1 'associate|A2' sale-post --associate A2 M000001 10
	refused 1 'associate|A7' sale-post --associate A7 M000001 10
}

@test "a field with TAB, CR, LF or invalid UTF-8 is refused naming the field" {
	member Ann 13800000001
	refused 1 note sale-post --note $'a\tb' M000001 10
	refused 1 note sale-post --note $'a\xff' M000001 10
	refused 1 store sale-post --store $'Main\nEast' M000001 10
	refused 1 associate sale-post --associate $'A1\r' M000001 10
	[ ! -e "$D/sales.tsv" ]
	ok sale-post --note '包好, 谢谢' --store '南京路店' M000001 10
	[ "$(cut -f 14,17 <<<"$output")" = $'南京路店\t包好, 谢谢' ]
}

@test "a malformed --use-points is refused (exit 1)" {
	member Ann 13800000001
	grant M000001 1000
	local n
	for n in abc -5 1.5 5x 0x10; do
		refused 1 '' sale-post --use-points "$n" M000001 100
	done
	[ ! -e "$D/sales.tsv" ]
}

@test "an empty --at, -r or --use-points is malformed, not taken as absent" {
	member Ann 13800000001
	grant M000001 1000
	refused 1 '' sale-post --at '' M000001 100
	refused 1 '' sale-post -r '' M000001 100
	refused 1 '' sale-post --use-points '' M000001 100
	[ ! -e "$D/sales.tsv" ]
}

# --- rules.conf -------------------------------------------------------------------

@test "hold_days and earn_per come from rules.conf" {
	member Ann 13800000001
	rules 'hold_days 0' 'earn_per 3.00'
	ok sale-post M000001 100
	[ "$output" = "$(srow $NOW S000001 M000001 100.00 0 100.00 33 2026-03-01 '' 0 normal '' '' 100 '')" ]
	rules 'hold_days 30' 'earn_per 0.50'
	ok sale-post M000001 100
	[ "$output" = "$(srow $NOW S000002 M000001 100.00 0 100.00 200 2026-03-31 '' 0 normal '' '' 100 '')" ]
}

@test "a broken rules.conf stops it (exit 1) but not --help" {
	member Ann 13800000001
	rules 'earn_per 1.00' 'band 0.50 100'
	ok sale-post --help
	refused 1 'rules.conf:' sale-post M000001 100
	[ ! -e "$D/sales.tsv" ]
}

@test "--at, --use-points and -r are checked before rules.conf is read" {
	member Ann 13800000001
	rules 'no_such_setting 1'
	refused 1 '' sale-post --at 2026-02-30 M000001 100
	[[ $stderr != *rules.conf* ]]
	refused 1 '' sale-post --use-points x M000001 100
	[[ $stderr != *rules.conf* ]]
	refused 1 '' sale-post -r 'R 1' M000001 100
	[[ $stderr != *rules.conf* ]]
	usage sale-post --colour M000001 100
}

# --- usage ----------------------------------------------------------------------

@test "an unknown option or a missing value is a usage error" {
	member Ann 13800000001
	usage sale-post --colour red M000001 100
	usage sale-post M000001 100 --at
	usage sale-post -r
	[ ! -e "$D/sales.tsv" ]
}

@test "-h, --help and -V" {
	ok sale-post --help
	[[ $output == *sale-post* ]]
	ok sale-post -h
	[[ $output == *sale-post* ]]
	ok sale-post -V
	[[ $output == 'sale-post (vipledger) '?* ]]
	[ ! -e "$D" ]
}

# --- -q and --dry-run -----------------------------------------------------------

@test "-q writes the row and prints nothing" {
	member Ann 13800000001
	ok sale-post -q M000001 1280
	[ -z "$output" ]
	[ "$(body sales.tsv)" = "$(srow $NOW S000001 M000001 1280.00 0 1280.00 1280 2026-03-08 '' 0 normal '' '' 1280 '')" ]
}

@test "--dry-run prints the row it would write and writes nothing" {
	member Ann 13800000001
	local before
	before=$(ledgers)
	ok sale-post --dry-run M000001 1280
	[ "$output" = "$(srow $NOW S000001 M000001 1280.00 0 1280.00 1280 2026-03-08 '' 0 normal '' '' 1280 '')" ]
	[ "$(ledgers)" = "$before" ]
	[ ! -e "$D/sales.tsv" ]
	ok sale-post -q --dry-run M000001 1280
	[ -z "$output" ]
	refused 1 'M000009|member' sale-post --dry-run M000009 1280
	[ ! -e "$D/sales.tsv" ]
}

# --- locking, torn lines, unreadable ledgers -------------------------------------

@test "-w: a held lock gives exit 3 (ledger busy); a malformed -w is a usage error" {
	member Ann 13800000001
	exec 9>"$D/.lock"
	flock 9
	refused 3 busy sale-post -w 0 M000001 100
	refused 3 busy sale-post -w 0.2 M000001 100
	exec 9>&-
	usage sale-post -w x M000001 100
	[ ! -e "$D/sales.tsv" ]
	ok sale-post -w 0 M000001 100
	[ "$(cut -f 2 <<<"$output")" = S000001 ]
}

@test "a torn last line of sales.tsv is set aside; other ledgers are left as they are" {
	member Ann 13800000001
	ok sale-post -q M000001 100
	local first
	first=$(body sales.tsv)
	printf '2026-03-01T09:00:00\tS000002\tM0' >>"$D/sales.tsv"
	printf '2026-03-01T09:00:00\tM000002\tBo' >>"$D/members.tsv"
	local members
	members=$(cat "$D/members.tsv"; echo x)
	warned sale-post M000001 50
	[ "$output" = "$(srow $NOW S000002 M000001 50.00 0 50.00 50 2026-03-08 '' 0 normal '' '' 50 '')" ]
	[ "$(body sales.tsv)" = "$first"$'\n'"$output" ]
	[ "$(cat "$D/torn/sales.tsv")" = $'2026-03-01T09:00:00\tS000002\tM0' ]
	[ "$(cat "$D/members.tsv"; echo x)" = "$members" ]
	[ ! -e "$D/torn/members.tsv" ]
}

@test "a malformed number in sales.tsv, or a bad header, is exit 3 naming file:LINE" {
	member Ann 13800000001
	grant M000001 100
	{
		echo "$SHEADER"
		srow 2026-02-01T10:00:00 S000001 M000001 100.00 0 100.00 1.5 2026-02-08 '' 0 normal '' '' 100 ''
		echo
	} >"$D/sales.tsv"
	refused 3 'sales.tsv:2' sale-post --use-points 1 M000001 100
	printf 'at\treceipt\tmember\tkind\n' >"$D/sales.tsv"
	refused 3 'sales.tsv:1' sale-post M000001 100
}

@test "a malformed amount or item in a sales.tsv row is exit 3 naming file:LINE" {
	member Ann 13800000001
	{
		echo "$SHEADER"
		srow 2026-02-01T10:00:00 S000001 M000001 100.0 0 100.00 100 2026-02-08 '' 0 normal '' '' 100 ''
		echo
	} >"$D/sales.tsv"
	refused 3 'sales.tsv:2' sale-post M000001 100
	{
		echo "$SHEADER"
		srow 2026-02-01T10:00:00 S000001 M000001 100.00 0 100.00 100 2026-02-08 '' 0 normal '' '' 100/0 ''
		echo
	} >"$D/sales.tsv"
	refused 3 'sales.tsv:2' sale-post M000001 100
}

@test "a sales.tsv of 0.1 (its header ends at note) is exit 3, one line; nothing changes; after --repair it goes on" {
	member Ann 13800000001
	ok sale-post -q M000001 100
	cut -f 1-17 "$D/sales.tsv" >"$BATS_TEST_TMPDIR/old.tsv"
	cat "$BATS_TEST_TMPDIR/old.tsv" >"$D/sales.tsv"
	local names msg='sale-post: sales.tsv has the 0.1 columns; run ledger-check --repair'
	names=$(ls -A "$D" | grep -vx cache)
	refused 3 '' sale-post M000001 100
	[ "$stderr" = "$msg" ]
	refused 3 '' sale-post -r R1 --at 2026-02-01 --note x M000001 2x50
	[ "$stderr" = "$msg" ]
	refused 3 '' sale-post - <<<$'member\titems\nM000001\t100\nM000001\t200'
	[ "$stderr" = "$msg" ]
	cmp "$D/sales.tsv" "$BATS_TEST_TMPDIR/old.tsv"
	[ "$(ls -A "$D" | grep -vx cache)" = "$names" ]
	ok ledger-check --repair
	[ "$output" = 'sales.tsv: upgraded to the 0.2 columns: birthday_units and wallet added, empty' ]
	ok sale-post M000001 100
	[ "$output" = "$(srow $NOW S000002 M000001 100.00 0 100.00 100 2026-03-08 '' 0 normal '' '' 100 '')" ]
	[ "$(head -n 1 "$D/sales.tsv")" = "$SHEADER" ]
	[ "$(body sales.tsv)" = "$(srow $NOW S000001 M000001 100.00 0 100.00 100 2026-03-08 '' 0 normal '' '' 100 '')"$'\n'"$output" ]
}

# --- batch ------------------------------------------------------------------------

@test "batch: rows in order, columns in any order, member by phone, empty at = now" {
	member Ann 13800000001
	member Bob 13800000002
	local in
	in=$(printf '%s\n' $'member\titems\tat\tstore' \
		$'M000001\t2x459/899,399/399@A1234\t\tMain' \
		$'13800000002\t100\t2026-02-20T12:00:00\t')
	ok sale-post - <<<"$in"
	local want
	want=$(srow $NOW S000001 M000001 1317.00 0 1317.00 1317 2026-03-08 '' 0 normal Main '' '2x459/899,399/399@A1234' ''
		echo
		srow 2026-02-20T12:00:00 S000002 M000002 100.00 0 100.00 100 2026-02-27 '' 0 normal '' '' 100 '')
	[ "$output" = "$want" ]
	[ "$(body sales.tsv)" = "$want" ]
}

@test "batch: every column" {
	member Ann 13800000001
	grant M000001 5000
	local in
	in=$(printf '%s\n' $'at\treceipt\tmember\titems\tpoints_used\tassociate\tstore\tnote' \
		$'2026-02-25T12:00:00\tR1\tM000001\t1280\t500\tA1\tMain\tgift' \
		$'\t\tM000001\t10,20/40\t\t\t\t')
	ok sale-post - <<<"$in"
	local want
	want=$(srow 2026-02-25T12:00:00 R1 M000001 1280.00 500 1275.00 1275 2026-03-04 '' 0 normal Main A1 1280 gift
		echo
		srow $NOW S000001 M000001 30.00 0 30.00 30 2026-03-08 '' 0 normal '' '' '10,20/40' '')
	[ "$output" = "$want" ]
	[ "$(body sales.tsv)" = "$want" ]
}

@test "batch: all or nothing, one stderr line per bad row" {
	member Ann 13800000001
	local in
	in=$(printf '%s\n' $'member\titems' $'M000001\t100' $'M000001\t5/0' $'M000009\t100' $'M000001\t50')
	batch_refused '3 4' sale-post - <<<"$in"
	[ ! -e "$D/sales.tsv" ]
	ok sale-post -q M000001 10
	batch_refused '3 4' sale-post - <<<"$in"
	[ "$(wc -l <"$D/sales.tsv")" -eq 2 ]
}

@test "batch: a row sees the points spent by the rows before it" {
	member Ann 13800000001
	grant M000001 1000
	local in
	in=$(printf '%s\n' $'member\titems\tpoints_used' $'M000001\t100\t600' $'M000001\t100\t600')
	batch_refused 3 sale-post - <<<"$in"
	[ ! -e "$D/sales.tsv" ]
}

@test "batch: an unknown or repeated column is refused at line 1; member and items are required" {
	member Ann 13800000001
	local h
	for h in $'member\titems\tprice' $'member\titems\tmember' $'member\titems\tkind'; do
		batch_refused 1 sale-post - <<<"$h"$'\n'$'M000001\t100\tx'
	done
	refused 1 '' sale-post - <<<$'member\nM000001'
	refused 1 '' sale-post - <<<$'items\n100'
	[ ! -e "$D/sales.tsv" ]
}

@test "batch: a row repeating a posted receipt with the same content prints the existing row" {
	member Ann 13800000001
	ok sale-post -r R1 M000001 100
	local old=$output
	local in
	in=$(printf '%s\n' $'receipt\tmember\titems' $'R1\tM000001\t100.00' $'\tM000001\t50')
	ok sale-post - <<<"$in"
	local new
	new=$(srow $NOW S000001 M000001 50.00 0 50.00 50 2026-03-08 '' 0 normal '' '' 50 '')
	[ "$output" = "$old"$'\n'"$new" ]
	[ "$(body sales.tsv)" = "$old"$'\n'"$new" ]
	in=$(printf '%s\n' $'receipt\tmember\titems' $'R1\tM000001\t101')
	batch_refused 2 sale-post - <<<"$in"
}

@test "batch: --dry-run prints and writes nothing; -q prints nothing" {
	member Ann 13800000001
	local in
	in=$(printf '%s\n' $'member\titems' $'M000001\t100' $'M000001\t50')
	local want
	want=$(srow $NOW S000001 M000001 100.00 0 100.00 100 2026-03-08 '' 0 normal '' '' 100 ''
		echo
		srow $NOW S000002 M000001 50.00 0 50.00 50 2026-03-08 '' 0 normal '' '' 50 '')
	ok sale-post --dry-run - <<<"$in"
	[ "$output" = "$want" ]
	[ ! -e "$D/sales.tsv" ]
	ok sale-post -q - <<<"$in"
	[ -z "$output" ]
	[ "$(body sales.tsv)" = "$want" ]
}

# many BATCHFILE: a batch of 1500 rows over 64 members (ids and phones, the
# referrers of some, two of them a referrer no one is, written by hand;
# points used, receipts given, a posted one again, --member-price), and
# the shop, made in $D
many() {
	{
		printf 'name\tphone\treferrer\n'
		for i in $(seq 62); do
			r=
			[ $((i % 3)) -eq 0 ] && [ "$i" -gt 5 ] && r=$(printf 'M%06d' $((i % 5 + 1)))
			printf 'N%d\t139%08d\t%s\n' "$i" "$i" "$r"
		done
	} | VIPLEDGER_NOW=$J member-add -q -
	for i in 63 64; do
		row $J "M0000$i" "N$i" "139000000$i" '' '' '' '' '' M000999 '' '' '' '' >>"$D/members.tsv"
		echo >>"$D/members.tsv"
	done
	grant M000002 100000
	grant M000007 5000
	settier M000004 2026-01-02T00:00:00 normal silver
	sale-post -q -r R1 M000001 100
	awk 'BEGIN { print "receipt\tmember\titems\tpoints_used\tmember_price"
		for (i = 1; i <= 1500; i++) {
			m = i % 50 == 1 ? 63 : i % 50 == 2 ? 64 : (i * 7) % 62 + 1
			key = i % 4 == 0 ? sprintf("139%08d", m) : sprintf("M%06d", m)
			printf "%s\t%s\t%d.%02d,2x19.90/39.90\t%s\t%s\n",
			    i % 100 == 0 ? "T" i : "", key, 10 + i % 90, i % 100,
			    m == 2 || m == 7 ? 10 : "",
			    i % 9 == 0 ? "yes" : ""
			if (i == 700)
				print "R1\tM000001\t100\t\t"
		} }' >"$1"
}

@test "batch: many rows find each member once, by her place in the index: the same bytes as without an index" {
	local in
	in=$BATS_TEST_TMPDIR/in.tsv
	many "$in"
	cp -Rp "$D" "$D.2"
	ok sale-post - <"$in"
	local out=$output
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 1501 ]
	[ "$(grep -c $'\tM000002\t' <<<"$output")" -gt 20 ]
	# no index to be had: every member asked of the ledgers, one by one
	rm -rf "$D.2/cache"
	: >"$D.2/cache"
	ok env VIPLEDGER_DIR="$D.2" "$VL_BIN/sale-post" - <"$in"
	[ "$output" = "$out" ]
	cmp "$D/sales.tsv" "$D.2/sales.tsv"
	# the index that took the batch in answers as the ledgers do
	local v
	for v in 'member M000002' 'statement M000005' 'statement 13900000007' \
	    'members' 'liability' 'sales --by month'; do
		# shellcheck disable=SC2086 # a view and its arguments
		ok report $v
		out=$output
		# shellcheck disable=SC2086
		ok env VIPLEDGER_DIR="$D.2" "$VL_BIN/report" $v
		[ "$output" = "$out" ]
	done
}

@test "batch: many rows, unknown members and points not there are refused alike with and without an index" {
	local in
	in=$BATS_TEST_TMPDIR/in.tsv
	many "$in"
	printf '\tM000099\t100\t\t\n\t13999999999\t100\t\t\n\tM000007\t1000\t9999\t\n' >>"$in"
	cp -Rp "$D" "$D.2"
	batch_refused '1503 1504 1505' sale-post - <"$in"
	local err=$stderr
	rm -rf "$D.2/cache"
	: >"$D.2/cache"
	batch_refused '1503 1504 1505' env VIPLEDGER_DIR="$D.2" "$VL_BIN/sale-post" - <"$in"
	[ "$stderr" = "$err" ]
	cmp "$D/sales.tsv" "$D.2/sales.tsv"
}
