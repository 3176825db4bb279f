# assert.bash: assertions and row builders shared by the test files.

bats_require_minimum_version 1.5.0

# row FIELD...: the fields joined by TABs, as a ledger row
row() {
	local IFS=$'\t'
	printf '%s' "$*"
}

# ledgers: a digest of every ledger in DIR
ledgers() {
	sha "$D"/*.tsv
}

# progname ARGS...: the program of a command line (after env and VAR=value)
progname() {
	local a
	for a; do
		case $a in
		env | *=*) ;;
		*)
			printf '%s' "${a##*/}"
			return
			;;
		esac
	done
}

# mentions TEXT ALTS: TEXT contains one of the |-separated strings ALTS
mentions() {
	local alts a
	IFS='|' read -ra alts <<<"$2"
	for a in "${alts[@]}"; do
		[[ $1 == *"$a"* ]] && return 0
	done
	return 1
}

# ok CMD...: CMD exits 0 and says nothing on stderr; its stdout is in $output
ok() {
	run --separate-stderr "$@"
	echo "# $*: status $status; stdout: $output; stderr: $stderr"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
}

# warned CMD...: CMD exits 0; a warning on stderr is allowed, as "PROG: ..."
warned() {
	local prog l
	prog=$(progname "$@")
	run --separate-stderr "$@"
	echo "# $*: status $status; stdout: $output; stderr: $stderr"
	[ "$status" -eq 0 ]
	for l in "${stderr_lines[@]}"; do
		[[ $l == "$prog: "* ]]
	done
}

# refused STATUS WHAT CMD...: CMD exits STATUS, prints nothing on stdout and
# one stderr line "PROG: ..." naming one of WHAT (|-separated; empty: no
# check); no ledger changes.
refused() {
	local want=$1 what=$2 before prog
	shift 2
	before=$(ledgers)
	prog=$(progname "$@")
	run --separate-stderr "$@"
	echo "# $*: status $status (want $want); stdout: $output; stderr: $stderr"
	[ "$status" -eq "$want" ]
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ $stderr == "$prog: "* ]]
	[ -z "$what" ] || mentions "$stderr" "$what"
	[ "$(ledgers)" = "$before" ]
}

# usage CMD...: a usage error: exit 2, one line "PROG: ...; see PROG --help"
usage() {
	local prog
	prog=$(progname "$@")
	refused 2 '' "$@"
	[[ $stderr == *"; see $prog --help" ]]
}

# batch_refused LINES CMD... <TSV: the batch is refused (exit 1) with one
# stderr line "PROG: line N: ..." for each N of LINES, in order; nothing is
# written
batch_refused() {
	local nums=($1) before prog i
	shift
	before=$(ledgers)
	prog=$(progname "$@")
	run --separate-stderr "$@"
	echo "# $*: status $status; stdout: $output; stderr: $stderr"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq "${#nums[@]}" ]
	for i in "${!nums[@]}"; do
		[[ ${stderr_lines[$i]} == "$prog: line ${nums[$i]}: "* ]]
	done
	[ "$(ledgers)" = "$before" ]
}

# staff ROWS...: write staff.tsv with the rows "ID NAME ACTIVE"
staff() {
	mkdir -p "$D"
	printf 'staff\tname\tactive\n' >"$D/staff.tsv"
	local r
	for r; do
		printf '%s\n' "$r" | tr ' ' '\t' >>"$D/staff.tsv"
	done
}

# srow AT RECEIPT MEMBER GOODS USED PAID EARNED AVAILABLE_ON REFERRER
#      REFERRAL_POINTS TIER STORE ASSOCIATE ITEMS NOTE [BIRTHDAY_UNITS [WALLET]]:
#      a sale's row of the 0.2 columns; BIRTHDAY_UNITS and WALLET empty
#      unless given
srow() {
	local tail=('' '')
	row "$1" "$2" "$3" sale "$2" "${@:4}" "${tail[@]:$(($# - 15))}"
}

# member NAME PHONE [OPTIONS]: a member who joined at $J
member() {
	VIPLEDGER_NOW=$J add "$@"
}
