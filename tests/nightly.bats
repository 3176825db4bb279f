# nightly.bats: the crontab line of README.md, run as cron runs it, on a
# shop with a follow-up due, a lapsed member and a quiet associate.
load common

setup() {
	export VIPLEDGER_DIR="$BATS_TEST_TMPDIR/shop"
	D=$VIPLEDGER_DIR
	MAILBOX=$BATS_TEST_TMPDIR/mail
	mkdir -p "$MAILBOX" "$BATS_TEST_TMPDIR/fake"
	# mail [-E] -s SUBJECT TO: bsd-mailx's -E sends nothing for an empty body
	cat > "$BATS_TEST_TMPDIR/fake/mail" <<'MAIL'
#!/bin/sh
empty=no
while getopts Es: c; do
	case $c in
	E) empty=yes ;;
	s) subject=$OPTARG ;;
	esac
done
shift $((OPTIND - 1))
body=$(cat)
[ "$empty" = yes ] && [ -z "$body" ] && exit 0
printf 'Subject: %s\n%s\n' "$subject" "$body" >> "$MAILBOX/$1"
MAIL
	chmod +x "$BATS_TEST_TMPDIR/fake/mail"
	export MAILBOX
}

# the crontab line of README.md without its five time fields
cronjob() {
	grep -E '^    [0-9]+ [0-9]+ \* \* \* ' "$BATS_TEST_DIRNAME/../README.md" |
		sed -E 's/^    ([^ ]+ ){5}//'
}

@test "README's nightly crontab works as written: tiers, the deal, each associate's follow-ups" {
	local job
	job=$(cronjob)
	[ -n "$job" ]
	mkdir -p "$D"
	printf 'staff\tname\tactive\na01\tAnn\tyes\na02\tBo\tyes\na03\tCy\tno\n' > "$D/staff.tsv"
	VIPLEDGER_NOW=2026-01-01T10:00:00 member-add -q --name A --phone 13800000001 --associate a01
	VIPLEDGER_NOW=2026-01-01T10:00:00 member-add -q --name B --phone 13800000002 --associate a02
	VIPLEDGER_NOW=2026-02-20T10:00:00 sale-post -q M000001 2500
	# the night of 2026-03-01: A's first and big revisits are due (02-27),
	# she bought on 02-20 so stays a01's; B lapsed on 03-01 and goes to a01
	export VIPLEDGER_NOW=2026-03-01T02:15:00
	PATH="$BATS_TEST_TMPDIR/fake:$VL_BIN:/usr/bin:/bin" run sh -c "$job"
	[ "$status" -eq 0 ]
	[ "$(cat "$MAILBOX/owner")" = "$(printf '%s\n' 'Subject: tier changes' \
	    "$(row 2026-02-27T00:00:00 M000001 upgrade normal gold 2026-02-27 2027-02-27 0 'single 2500.00 >= 800.00')" \
	    'Subject: members dealt' \
	    "$(row 2026-03-01T02:15:00 M000002 B 13800000002 '' '' '' '' '' '' a01 '' ok '')")" ]
	[ "$(cat "$MAILBOX/a01@shop")" = "$(printf '%s\n' 'Subject: 回访' \
	    "$(row 2026-02-27 first:S000001 M000001 A 13800000001 a01 S000001 2500.00 2)" \
	    "$(row 2026-02-27 big:S000001 M000001 A 13800000001 a01 S000001 2500.00 2)")" ]
	[ ! -e "$MAILBOX/a02@shop" ]
	[ ! -e "$MAILBOX/a03@shop" ]
	# the same night again: nothing new to say but the open follow-ups
	rm -f "$MAILBOX"/*
	PATH="$BATS_TEST_TMPDIR/fake:$VL_BIN:/usr/bin:/bin" run sh -c "$job"
	[ "$status" -eq 0 ]
	[ ! -e "$MAILBOX/owner" ]
	[ "$(wc -l < "$MAILBOX/a01@shop")" -eq 3 ]
}
