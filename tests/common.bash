# common.bash: setup shared by every test file; runs the freshly built binaries.

: "${VL_BIN:=$BATS_TEST_DIRNAME/../build/bin}"
PATH="$VL_BIN:$PATH"
export PATH

load assert

setup() {
	export VIPLEDGER_DIR="$BATS_TEST_TMPDIR/shop"
	export VIPLEDGER_NOW=2026-03-01T10:00:00
	unset XDG_DATA_HOME
	D=$VIPLEDGER_DIR
}

# rules TEXT: write DIR/rules.conf
rules() {
	mkdir -p "$D"
	printf '%s\n' "$@" > "$D/rules.conf"
}

# body FILE: the ledger without its header line
body() {
	tail -n +2 "$D/$1"
}

# add NAME PHONE [options]: register a member quietly
add() {
	local name=$1 phone=$2
	shift 2
	member-add -q --name "$name" --phone "$phone" "$@"
}

# sha FILES...: a digest that shows whether a ledger changed
sha() {
	cat "$@" 2>/dev/null | cksum
}

# VL_CACHE=none: every program finds no DIR/cache, as after rm -rf; the
# output must be the same bytes (SPEC section 6)
if [ "${VL_CACHE:-}" = none ]; then
	for p in member-add member-edit member-forget member-note member-assign \
		sale-post sale-return \
		points-redeem points-adjust wallet-topup wallet-refund \
		tier-recalc tier-set report ledger-check; do
		eval "$p() { rm -rf \"\${VIPLEDGER_DIR:?}/cache\" 2>/dev/null || true; command $p \"\$@\"; }"
	done
fi

# the sanitizer run: a leak at exit is no failure of a command-line tool
if [ -n "${VL_SAN:-}" ]; then
	export ASAN_OPTIONS=detect_leaks=0
fi
