#!/bin/sh
# deps.sh: get what the test suite needs from Debian, or say what to install.

# pg.bats runs a throwaway PostgreSQL server: wanted, not needed (where it
# cannot be had, that test skips and says why)
pg=
for d in /usr/lib/postgresql/*/bin; do
	[ -x "$d/initdb" ] && pg=1
done
command -v initdb >/dev/null 2>&1 && pg=1
if [ -z "$pg" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "make check: installing postgresql"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq >/dev/null &&
		    apt-get install -y -qq postgresql >/dev/null ||
		    echo "make check: apt-get could not install postgresql;" \
			"tests/pg.bats will skip" >&2
	else
		echo "make check: tests/pg.bats skips without PostgreSQL" \
		    "(as root: apt-get install postgresql)" >&2
	fi
fi

need=
command -v bats >/dev/null 2>&1 || need="$need bats"
command -v sqlite3 >/dev/null 2>&1 || need="$need sqlite3"
command -v mandoc >/dev/null 2>&1 || need="$need mandoc"
# sheets.bats reads report --csv back with Python's csv module
command -v python3 >/dev/null 2>&1 || need="$need python3"
[ -z "$need" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "make check: installing$need"
	export DEBIAN_FRONTEND=noninteractive
	# shellcheck disable=SC2086
	if apt-get update -qq >/dev/null && apt-get install -y -qq $need >/dev/null
	then
		exit 0
	fi
	echo "make check: apt-get could not install$need" >&2
	exit 1
fi
echo "make check: please install$need (as root: apt-get install$need)" >&2
exit 1
