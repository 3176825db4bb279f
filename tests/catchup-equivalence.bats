# catchup-equivalence.bats: tier-recalc every night gives the bytes of one run at the end.
load common

# history: 8 members, 320 sales over 500 days from 2025-01-01, 20 returns;
# short tiers so that upgrades, renewals, grace and downgrades all happen
history() {
	rules 'hold_days 7' 'downgrade step' 'tier normal' 'tier silver validity=3' \
	    'tier gold validity=2 multiplier=2' 'upgrade normal silver total 800' \
	    'upgrade normal gold single 900' 'upgrade silver gold points 1500 within 60' \
	    'keep silver total 600 grace 1' 'keep gold total 1200'
	local i
	for i in 1 2 3 4 5 6 7 8; do
		VIPLEDGER_NOW=2024-12-31T09:00:00 member-add -q --name "m$i" --phone "1380000000$i"
	done
	{ printf 'at\treceipt\tmember\titems\tpoints_used\tassociate\tstore\tnote\n'
	awk 'function date(n,   y, m, ml) {	# day n from 2025-01-01
		y = 2025; m = 1
		for (;;) {
			ml = substr("312831303130313130313031", 2 * m - 1, 2) + (m == 2 && y % 4 == 0)
			if (n < ml)
				return sprintf("%04d-%02d-%02d", y, m, n + 1)
			n -= ml
			if (++m > 12) { m = 1; y++ }
		}
	}
	BEGIN {
		for (i = 0; i < 320; i++) {
			day = int(i * 500 / 320) + (i * 7) % 3
			m = (i * i + 3 * i) % 8 + 1
			if (m > 6 && day > 250)	# two members go quiet
				m -= 4
			price = (i * 173) % 700 + 50
			printf "%sT12:%02d:00\t\tM%06d\t%d,%d/%d\t\t\t\t\n", date(day), i % 60, m,
			    price, (i * 31) % 200 + 10, 300
		}
	}' | sort; } | VIPLEDGER_NOW=2026-05-20T00:00:00 sale-post -q -
	for i in $(seq 7 16 320); do
		r=$(printf S%06d "$i")
		t=$(awk -F'\t' -v r="$r" '$2 == r { print substr($1, 1, 10) }' "$D/sales.tsv")
		VIPLEDGER_NOW=2026-05-20T00:00:00 sale-return -q --at "${t}T18:00:00" "$r" \
		    $([ $((i % 3)) -eq 0 ] && echo 10)
	done
}

@test "catching up once gives the same tiers.tsv as running every night" {
	history
	[ "$(body sales.tsv | wc -l)" -eq 340 ]
	cp -r "$D" "$BATS_TEST_TMPDIR/once"
	export VIPLEDGER_NOW=2026-05-20T06:00:00
	for d in $(awk 'BEGIN { for (y = 2025; y <= 2026; y++) for (m = 1; m <= 12; m++)
	    for (d = 1; d <= substr("312831303130313130313031", 2 * m - 1, 2) + (m == 2 && y % 4 == 0); d++)
	    { s = sprintf("%04d-%02d-%02d", y, m, d); if (s <= "2026-05-19") print s } }'); do
		tier-recalc -q --as-of "$d"
	done
	tier-recalc -q -d "$BATS_TEST_TMPDIR/once" --as-of 2026-05-19
	cmp "$D/tiers.tsv" "$BATS_TEST_TMPDIR/once/tiers.tsv"
	# not vacuous: every kind of change happened
	for e in upgrade renew downgrade; do
		[ "$(cut -f3 "$D/tiers.tsv" | grep -c "^$e$")" -ge 2 ]
	done
	[ "$(cut -f8 "$D/tiers.tsv" | grep -c '^1$')" -ge 1 ]
	[ "$(body tiers.tsv | wc -l)" -ge 20 ]
	run tier-recalc -d "$BATS_TEST_TMPDIR/once" --as-of 2026-05-19
	[ -z "$output" ]
}
