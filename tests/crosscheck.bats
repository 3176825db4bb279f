# crosscheck.bats: report sales agrees with sqlite3 run over the same sales.tsv.
load common

# a shop of 5 members, 60 sales over three months in two stores, 6 returns
shop() {
	local i m day
	for i in 1 2 3 4 5; do
		VIPLEDGER_NOW=2025-12-01T09:00:00 add "M$i" "1380000000$i"
	done
	{
		printf 'at\tmember\titems\tpoints_used\tstore\tassociate\n'
		for i in $(seq 60); do
			m=$(((i * 7) % 5 + 1))
			day=$(((i * 13) % 28 + 1))
			printf '2026-%02d-%02dT1%d:00:00\tM%06d\t%d.%02d,2x%d/%d\t\t%s\t%s\n' \
				$((i % 3 + 1)) "$day" $((i % 10)) "$m" $((i * 37 % 900 + 1)) $((i % 100)) \
				$((i * 11 % 300 + 10)) $((i * 11 % 300 + 99)) \
				"$([ $((i % 3)) -eq 0 ] && echo huaihai-rd || echo nanjing-rd)" "a0$((i % 4))"
		done | sort
	} | VIPLEDGER_NOW=2026-04-01T00:00:00 sale-post -q -
	for i in 3 11 17 25 40 52; do
		at=$(awk -F'\t' -v r="$(printf S%06d "$i")" '$2 == r { print substr($1, 1, 10) }' "$D/sales.tsv")
		VIPLEDGER_NOW=${at}T23:00:00 sale-return -q "$(printf S%06d "$i")" $([ $((i % 2)) -eq 0 ] && echo 5.55)
	done
}

# sql KEY: the report's columns computed by sqlite3, keyed by the SQL expression KEY
sql() {
	sqlite3 :memory: -cmd '.mode tabs' -cmd ".import $D/sales.tsv sales" "
	select $1 as k,
	    sum(kind = 'sale'), sum(kind = 'return'),
	    printf('%.2f', sum(cast(goods as real))), printf('%.2f', sum(cast(paid as real))),
	    sum(cast(earned as integer)), sum(cast(points_used as integer)),
	    count(distinct member)
	from sales group by k order by k"
}

@test "report sales --by day, month, store, associate agree with sqlite3" {
	command -v sqlite3 >/dev/null || skip "sqlite3 is not installed"
	shop
	[ "$(body sales.tsv | wc -l)" -eq 66 ]
	diff <(sql 'substr(at, 1, 10)') <(VIPLEDGER_NOW=2026-04-01 report -N sales --by day)
	diff <(sql 'substr(at, 1, 7)') <(VIPLEDGER_NOW=2026-04-01 report -N sales --by month)
	diff <(sql 'store') <(VIPLEDGER_NOW=2026-04-01 report -N sales --by store)
	diff <(sql 'associate') <(VIPLEDGER_NOW=2026-04-01 report -N sales --by associate)
	[ "$(VIPLEDGER_NOW=2026-04-01 report -N sales --by month | wc -l)" -eq 3 ]
}

@test "report sales --from/--to agree with sqlite3 over the same days" {
	command -v sqlite3 >/dev/null || skip "sqlite3 is not installed"
	shop
	diff <(sqlite3 :memory: -cmd '.mode tabs' -cmd ".import $D/sales.tsv sales" "
		select count(*), printf('%.2f', sum(cast(paid as real))) from sales
		where substr(at, 1, 10) between '2026-02-01' and '2026-02-28'") \
	    <(VIPLEDGER_NOW=2026-04-01 report -N sales --from 2026-02-01 --to 2026-02-28 --by month |
		awk -F'\t' '{ printf "%d\t%s\n", $2 + $3, $5 }')
}
