# harness.bash: what the trust harnesses share (faults, crash, race, bad
# input, trust): the fault shim, ledger digests, copies of a shop, figures
# scaled down for the sanitizer pass.

SHIM=${FAULTSHIM:-$VL_BIN/../faultshim.so}

# scale PLAIN SANITIZED: the figure of this pass
scale() {
	if [ -n "${VL_SAN:-}" ]; then
		echo "$2"
	else
		echo "$1"
	fi
}

# need_shim: the shim is preloaded into the plain binaries only: under
# AddressSanitizer its runtime would have to be loaded before the shim.
need_shim() {
	[ -z "${VL_SAN:-}" ] || skip "the fault shim runs with the plain binaries only"
	[ -f "$SHIM" ] || {
		echo "# no $SHIM: run make"
		return 1
	}
}

# tsvs: every ledger of DIR by name, with its digest: shows a ledger that
# changed, appeared or went away
tsvs() {
	cksum "$D"/*.tsv 2>/dev/null || true
}

# keep NAME: keep a copy of DIR (or of its absence) as NAME
keep() {
	rm -rf "${BATS_TEST_TMPDIR:?}/$1"
	if [ -e "$D" ]; then
		cp -a "$D" "$BATS_TEST_TMPDIR/$1"
	fi
}

# back NAME: DIR becomes the copy NAME again
back() {
	rm -rf "${D:?}"
	if [ -e "$BATS_TEST_TMPDIR/$1" ]; then
		cp -a "$BATS_TEST_TMPDIR/$1" "$D"
	fi
}

# value KEY: the value of KEY in report member M000001
value() {
	report -N member "${2:-M000001}" | awk -F'\t' -v k="$1" '$1 == k { print $2 }'
}

# column VIEW NAME: the column NAME of the first row of report VIEW
column() {
	report "$1" | awk -F'\t' -v k="$2" '
		NR == 1 { for (i = 1; i <= NF; i++) if ($i == k) c = i }
		NR == 2 && c { print $c }'
}

# whole FILE: FILE ends in LF and every line has the fields of its header
whole() {
	local f=$D/$1
	[ -f "$f" ] || return 0
	[ ! -s "$f" ] || [ "$(tail -c 1 "$f" | od -An -c | tr -d ' ')" = '\n' ] || {
		echo "# $1: a last line without LF"
		return 1
	}
	awk -F'\t' -v f="$1" 'NR == 1 { n = NF } NF != n {
		printf "# %s:%d: %d fields, not %d\n", f, NR, NF, n; bad = 1 }
		END { exit bad }' "$f"
}

# one_line PROG: $stderr (from run --separate-stderr) is one line "PROG: ..."
one_line() {
	[ "${#stderr_lines[@]}" -eq 1 ] && [[ $stderr == "$1: "* ]] &&
		[[ $stderr != *$'\n'* ]]
}

# names_a_file: $stderr names a file of DIR (or DIR)
names_a_file() {
	[[ $stderr == *"$D"* ]] || mentions "$stderr" \
		'.tsv|rules.conf|.lock|.intent|torn/|cache/'
}

# shop: two members (joined 2026-01-01), a sale of 1000.00 on 2026-02-01
# whose points are available since 02-08, 500 points adjusted, staff.tsv
# and rules.conf
shop() {
	rules 'hold_days 7' 'return_days 60'
	staff 'a1 Ann yes'
	VIPLEDGER_NOW=2026-01-01T09:00:00 add A 13800000001
	VIPLEDGER_NOW=2026-01-01T09:00:00 add B 13800000002
	VIPLEDGER_NOW=2026-02-01T10:00:00 sale-post -q M000001 1000
	VIPLEDGER_NOW=2026-02-01T11:00:00 points-adjust -q --reason seed M000001 500
}
