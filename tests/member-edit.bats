# member-edit: changing a member's record by appending the whole record, and what it refuses.
load common

J=2026-01-01T09:00:00
NOW=2026-03-01T10:00:00

# ann AT [FIELD=VALUE...]: Ann's record at AT, with changes
# bob AT [FIELD=VALUE...]: Bob's record likewise
record() {
	local at=$1 id=$2 name=$3 phone=$4 birthday=$5 gender=$6 email=$7 address=$8
	local size=$9 referrer=${10} associate=${11} store=${12} contact=${13} note=${14}
	shift 14
	local kv
	for kv; do
		local "$kv"
	done
	row "$at" "$id" "$name" "$phone" "$birthday" "$gender" "$email" "$address" \
		"$size" "$referrer" "$associate" "$store" "$contact" "$note"
}
ann() {
	local at=$1
	shift
	record "$at" M000001 Ann 13800000001 05-17 F ann@example.com 'Road 1' M '' '' Main ok 'likes red' "$@"
}
bob() {
	local at=$1
	shift
	record "$at" M000002 Bob 13800000002 '' '' '' '' '' M000001 '' '' ok '' "$@"
}

# two: Ann (every field but referrer and associate) and Bob (referred by Ann)
two() {
	VIPLEDGER_NOW=$J add Ann 13800000001 --birthday 05-17 --gender F \
		--email ann@example.com --address 'Road 1' --size M --store Main \
		--note 'likes red'
	VIPLEDGER_NOW=$J add Bob 13800000002 --referrer M000001
	[ "$(body members.tsv)" = "$(ann $J; echo; bob $J)" ]
}

@test "appends the whole record with the change, at the current time" {
	two
	ok member-edit M000001 --email ann@shop.example
	[ "$output" = "$(ann $NOW email=ann@shop.example)" ]
	[ "$(body members.tsv)" = "$(ann $J; echo; bob $J; echo; ann $NOW email=ann@shop.example)" ]
}

@test "later edits start from the record in force" {
	two
	ok member-edit M000002 --size L
	[ "$output" = "$(bob $NOW size=L)" ]
	ok env VIPLEDGER_NOW=2026-03-02T08:00:00 member-edit M000002 --store East
	[ "$output" = "$(bob 2026-03-02T08:00:00 size=L store=East)" ]
	[ "$(body members.tsv)" = "$(ann $J; echo; bob $J; echo; bob $NOW size=L; echo;
		bob 2026-03-02T08:00:00 size=L store=East)" ]
}

@test "changes every field at once; options before or after MEMBER; --opt=value" {
	two
	ok member-edit --name=Anna --phone 13900000001 M000001 --birthday 1990-05-17 \
		--gender M --email=a@x.cn --address 'Road 2' --size L --referrer M000002 \
		--associate A1 --store East --dnd --note 'prefers calls'
	[ "$output" = "$(row $NOW M000001 Anna 13900000001 1990-05-17 M a@x.cn 'Road 2' L M000002 A1 East dnd 'prefers calls')" ]
	[ "$(tail -n 1 "$D/members.tsv")" = "$output" ]
}

@test "-- ends the options" {
	two
	ok member-edit --size XL -- M000002
	[ "$output" = "$(bob $NOW size=XL)" ]
}

@test "finds the member by its current phone" {
	two
	ok member-edit 13800000002 --size XL
	[ "$output" = "$(bob $NOW size=XL)" ]
}

@test "after a phone change the old phone finds nobody, the new one does, and the old one is free" {
	two
	ok member-edit M000001 --phone 13900000001
	[ "$output" = "$(ann $NOW phone=13900000001)" ]
	refused 1 '13800000001|member' member-edit 13800000001 --size S
	ok member-edit 13900000001 --size S
	[ "$output" = "$(ann $NOW phone=13900000001 size=S)" ]
	ok member-add --name Cai --phone 13800000001
	[ "$output" = "$(row $NOW M000003 Cai 13800000001 '' '' '' '' '' '' '' '' ok '')" ]
}

@test "an id and a phone are never the same string: MEMBER is never ambiguous" {
	add Ann 99999 --id 12345
	refused 1 'phone: 12345 is the id of member 12345' member-add --name Bob --phone 12345
	refused 1 'id: 99999 is the phone of member 12345' member-add --name Bob --phone 13800000002 --id 99999
	add Bob 13800000002
	refused 1 'phone: 12345 is the id of member 12345' member-edit M000001 --phone 12345
	[ "$(body members.tsv | cut -f 2,4 | paste -sd ' ')" = $'12345\t99999 M000001\t13800000002' ]
	ok member-edit 12345 --note first
	[ "$output" = "$(row $NOW 12345 Ann 99999 '' '' '' '' '' '' '' '' ok first)" ]
}

@test "an empty value clears an optional field" {
	two
	ok member-edit M000001 --birthday '' --gender '' --email '' --address '' \
		--size '' --store '' --note ''
	[ "$output" = "$(row $NOW M000001 Ann 13800000001 '' '' '' '' '' '' '' '' ok '')" ]
	ok member-edit M000002 --referrer=
	[ "$output" = "$(bob $NOW referrer=)" ]
}

@test "name and phone cannot be emptied" {
	two
	refused 1 name member-edit M000001 --name ''
	refused 1 phone member-edit M000001 --phone ''
	refused 1 phone member-edit M000001 --phone= --size L
	[ "$(wc -l <"$D/members.tsv")" -eq 3 ]
}

@test "--dnd and --ok set contact" {
	two
	ok member-edit M000001 --dnd
	[ "$output" = "$(ann $NOW contact=dnd)" ]
	ok member-edit M000001 --note 'called back'
	[ "$output" = "$(ann $NOW contact=dnd note='called back')" ]
	ok member-edit M000001 --ok
	[ "$output" = "$(ann $NOW note='called back')" ]
}

@test "an edit that changes nothing still appends a row" {
	two
	ok member-edit M000001 --phone 13800000001
	[ "$output" = "$(ann $NOW)" ]
	ok member-edit M000002 --ok
	[ "$output" = "$(bob $NOW)" ]
	[ "$(wc -l <"$D/members.tsv")" -eq 5 ]
}

@test "a member cannot be its own referrer, by id or by phone" {
	two
	refused 1 referrer member-edit M000001 --referrer M000001
	refused 1 referrer member-edit M000001 --referrer 13800000001
	refused 1 referrer member-edit 13800000002 --referrer M000002
}

@test "--referrer takes a phone and records the id; an unknown referrer is refused" {
	two
	VIPLEDGER_NOW=$J add Cai 13800000003
	ok member-edit M000002 --referrer 13800000003
	[ "$output" = "$(bob $NOW referrer=M000003)" ]
	refused 1 'referrer|M000009' member-edit M000002 --referrer M000009
	refused 1 'referrer|13900000000' member-edit M000002 --referrer 13900000000
}

@test "refuses a phone taken by another member, and a malformed phone" {
	two
	refused 1 phone member-edit M000002 --phone 13800000001
	local p
	for p in 1234 +1234 123456789012345678901 138-0000 ++12345 abcde; do
		refused 1 phone member-edit M000002 --phone "$p"
	done
	ok member-edit M000002 --phone +12345
	[ "$output" = "$(bob $NOW phone=+12345)" ]
}

@test "checks birthday and gender as member-add does" {
	two
	local b
	for b in 2025-02-29 02-30 13-01 1990-1-1 x; do
		refused 1 birthday member-edit M000002 --birthday "$b"
	done
	ok member-edit M000002 --birthday 02-29
	[ "$output" = "$(bob $NOW birthday=02-29)" ]
	ok member-edit M000002 --birthday 2024-02-29
	[ "$output" = "$(bob $NOW birthday=2024-02-29)" ]
	refused 1 gender member-edit M000002 --gender X
	refused 1 gender member-edit M000002 --gender f
	ok member-edit M000002 --gender M
	[ "$output" = "$(bob $NOW birthday=2024-02-29 gender=M)" ]
}

@test "checks only the fields it changes: a removed associate does not block a phone change" {
	two
	staff 'A1 Li yes' 'A2 Wang no'
	ok member-edit M000001 --associate A1
	[ "$output" = "$(ann $NOW associate=A1)" ]
	refused 1 'associate|A2' member-edit M000001 --associate A2
	refused 1 'associate|A9' member-edit M000001 --associate A9
	staff 'A1 Li yes' 'A2 Wang no' 'A1 Li no'
	ok member-edit M000001 --phone 13900000001
	[ "$output" = "$(ann $NOW associate=A1 phone=13900000001)" ]
	refused 1 'associate|A1' member-edit M000001 --associate A1
	ok member-edit M000001 --associate ''
	[ "$output" = "$(ann $NOW phone=13900000001)" ]
}

@test "without staff.tsv any associate is taken" {
	two
	ok member-edit M000002 --associate A7
	[ "$output" = "$(bob $NOW associate=A7)" ]
}

@test "a field with TAB, CR, LF or invalid UTF-8 is refused naming the field" {
	two
	refused 1 name member-edit M000001 --name $'Ann\tLee'
	refused 1 name member-edit M000001 --name $'\xff'
	refused 1 email member-edit M000001 --email $'a@b\r'
	refused 1 address member-edit M000001 --address $'Road 1\nFlat 2'
	refused 1 size member-edit M000001 --size $'L\tXL'
	refused 1 store member-edit M000001 --store $'\xe5\xba'
	refused 1 note member-edit M000001 --note $'a\nb'
	refused 1 note member-edit M000001 --size L --note $'a\tb'
	[ "$(body members.tsv)" = "$(ann $J; echo; bob $J)" ]
}

@test "an unknown member is refused (exit 1)" {
	two
	refused 1 'M000009|member' member-edit M000009 --size L
	refused 1 '13900000000|member' member-edit 13900000000 --size L
	refused 1 '' member-edit $'M000001\t' --size L
	refused 1 '' member-edit m000001 --size L
}

@test "no change option is a usage error" {
	two
	usage member-edit M000001
	usage member-edit M000009
}

@test "a missing MEMBER, two MEMBERs, an unknown option or a missing value is a usage error" {
	two
	usage member-edit --size L
	usage member-edit M000001 M000002 --size L
	usage member-edit M000001 --colour red
	usage member-edit M000001 --size
	usage member-edit M000001 --ok --id VIP1
}

@test "-h and --help print usage on stdout and exit 0; -V the version" {
	ok member-edit --help
	[[ $output == *member-edit* ]]
	ok member-edit -h
	[[ $output == *member-edit* ]]
	ok member-edit -V
	[[ $output == 'member-edit (vipledger) '?* ]]
	[ ! -e "$D" ]
}

@test "-q writes the row and prints nothing" {
	two
	ok member-edit -q M000002 --size L
	[ -z "$output" ]
	[ "$(tail -n 1 "$D/members.tsv")" = "$(bob $NOW size=L)" ]
}

@test "--dry-run prints the row and writes nothing" {
	two
	local before
	before=$(ledgers)
	ok member-edit --dry-run M000002 --size L
	[ "$output" = "$(bob $NOW size=L)" ]
	[ "$(ledgers)" = "$before" ]
	ok member-edit -q --dry-run M000002 --size L
	[ -z "$output" ]
	refused 1 phone member-edit --dry-run M000002 --phone 13800000001
}

@test "a broken rules.conf stops it (exit 1) but not --help" {
	two
	rules 'tier gold multiplier=x'
	ok member-edit --help
	refused 1 'rules.conf:1:' member-edit M000002 --size L
}

@test "-w: a held lock gives exit 3 (ledger busy)" {
	two
	exec 9>"$D/.lock"
	flock 9
	refused 3 busy member-edit -w 0 M000002 --size L
	exec 9>&-
	ok member-edit -w 0 M000002 --size L
	[ "$output" = "$(bob $NOW size=L)" ]
}
