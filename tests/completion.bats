# completion.bats: the bash completion that make install puts in place,
# driven as bash drives it: COMP_WORDS and COMP_CWORD in, COMPREPLY out.
load common


# make install of the build under test (plain or sanitized), into a tree
setup_file() {
	local b
	b=$(cd "$VL_BIN/.." && pwd)
	make -s -C "$BATS_TEST_DIRNAME/.." B="$b" install PREFIX=/usr \
	    DESTDIR="$BATS_FILE_TMPDIR/inst" >/dev/null
}

complete_words() {
	bash --norc -c '
		shopt -s extglob
		. "$0"
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		_vipledger
		printf "%s\n" "${COMPREPLY[@]}"
	' "$BATS_FILE_TMPDIR/inst/usr/share/bash-completion/completions/vipledger" "$@"
}

@test "make install puts the completion where bash-completion finds it, a name per program" {
	local c=$BATS_FILE_TMPDIR/inst/usr/share/bash-completion/completions
	[ -f "$c/vipledger" ]
	for p in member-add sale-post report tier-recalc member-note; do
		[ "$(readlink "$c/$p")" = vipledger ]
	done
	bash --norc -n "$c/vipledger"
}

@test "options come from each program's --help; report's views; --by and --class values" {
	[ "$(complete_words sale-post --use)" = --use-points ]
	[ "$(complete_words sale-post --m)" = --member-price ]
	[ "$(complete_words report seg)" = segments ]
	[ "$(complete_words report foll)" = followups ]
	[ "$(complete_words report --by mo)" = month ]
	[ "$(complete_words report segments --class p)" = potential ]
	[ "$(complete_words member-note M000001 com | sort | tr '\n' ' ')" = 'complaint ' ]
}

@test "member ids from the members.tsv of -d DIR, of VIPLEDGER_DIR" {
	add A 13800000001
	add B 13800000002
	add C 13800000003
	member-edit -q M000002 --name Bee
	[ "$(complete_words report member M | tr '\n' ' ')" = 'M000001 M000002 M000003 ' ]
	[ "$(complete_words points-redeem M00000 | wc -l)" -eq 3 ]
	[ "$(VIPLEDGER_DIR=/nonexistent complete_words report -d "$D" statement M000003)" = M000003 ]
	[ -z "$(VIPLEDGER_DIR=/nonexistent complete_words report member M)" ]
	# after the member, points-redeem wants POINTS: nothing to offer
	[ -z "$(complete_words points-redeem M000001 1)" ]
}
