# readme.bats: README.md's walk through a week at the till, run verbatim in
# a fresh shell from the checkout; its output must be what the README shows.
load common

# The indented block of the section "## A day at the till", indent removed.
block() {
	awk '/^## A day at the till/ { on = 1; next } /^## / { on = 0 }
	    on && /^    / { sub(/^    /, ""); print }' "$BATS_TEST_DIRNAME/../README.md"
}

@test "README's day at the till works as written, output and all" {
	local want have script
	want=$(block)
	[ -n "$want" ]
	script=$BATS_TEST_TMPDIR/walk.sh
	# each command is shown, then run in the same shell
	printf '%s\n' "$want" | sed -n 's/^\$ //p' | while IFS= read -r cmd; do
		printf 'printf "%%s\\n" %q\n%s\n' "\$ $cmd" "$cmd"
	done > "$script"
	have=$(cd "$BATS_TEST_DIRNAME/.." && env -i HOME="$BATS_TEST_TMPDIR" \
	    PATH=/usr/bin:/bin TMPDIR="$BATS_TEST_TMPDIR" bash --norc "$script" 2>&1)
	diff <(printf '%s\n' "$want") <(printf '%s\n' "$have")
}
