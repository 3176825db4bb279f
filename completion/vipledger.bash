# vipledger.bash: bash completion for the vipledger programs: their
# options (read from each program's --help), report's views, the values of
# --by, --class and member-note's KIND, and member ids from members.tsv.

# The data directory the command line names: -d DIR, --dir=DIR, --dir DIR,
# else as the programs choose it.
_vipledger_dir()
{
	local i
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-d | --dir) printf '%s\n' "${COMP_WORDS[i + 1]}"; return ;;
		--dir=*) printf '%s\n' "${COMP_WORDS[i]#--dir=}"; return ;;
		esac
	done
	if [[ -n ${VIPLEDGER_DIR-} ]]; then
		printf '%s\n' "$VIPLEDGER_DIR"
	elif [[ -n ${XDG_DATA_HOME-} ]]; then
		printf '%s\n' "$XDG_DATA_HOME/vipledger"
	else
		printf '%s\n' "$HOME/.local/share/vipledger"
	fi
}

# Member ids, each once, in registration order.
_vipledger_members()
{
	local f
	f=$(_vipledger_dir)/members.tsv
	[[ -r $f ]] && awk -F'\t' 'NR > 1 && !seen[$2]++ { print $2 }' "$f"
}

# The operands before the current word (options and their values left out).
_vipledger_operands()
{
	local i w skip=0
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if ((skip)); then
			skip=0
			continue
		fi
		case $w in
		--*=*) ;;
		-d | -w | -r | --dir | --wait | --at | --as-of | --by | --class | \
		--days | --from | --to | --since | --staff | --task | --tier | \
		--reason | --note | --store | --associate | --use-points | \
		--wallet | --months | --seed | --receipt | --id | --name | \
		--phone | --birthday | --gender | --email | --address | --size | \
		--referrer)
			skip=1 ;;
		-*) ;;
		*) printf '%s\n' "$w" ;;
		esac
	done
}

_vipledger()
{
	local prog=${COMP_WORDS[0]##*/} cur=${COMP_WORDS[COMP_CWORD]}
	local prev=${COMP_WORDS[COMP_CWORD - 1]} words ops n
	COMPREPLY=()
	case $prev in
	-d | --dir)
		COMPREPLY=($(compgen -d -- "$cur"))
		return ;;
	--by)
		COMPREPLY=($(compgen -W 'day month store associate tier' -- "$cur"))
		return ;;
	--class)
		COMPREPLY=($(compgen -W 'vip normal inactive potential' -- "$cur"))
		return ;;
	--gender)
		COMPREPLY=($(compgen -W 'F M' -- "$cur"))
		return ;;
	--referrer)
		COMPREPLY=($(compgen -W "$(_vipledger_members)" -- "$cur"))
		return ;;
	esac
	if [[ $cur == -* ]]; then
		words=$("$prog" --help 2>/dev/null | grep -o -- '--[a-z-]*' | sort -u)
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
		return
	fi
	ops=($(_vipledger_operands))
	n=${#ops[@]}
	case $prog in
	report)
		if ((n == 0)); then
			words=$(report --help 2>/dev/null | sed -n '/^views:/,$p' |
			    sed 's/^views://' | tr '|' '\n' | awk '{ print $1 }')
			COMPREPLY=($(compgen -W "$words" -- "$cur"))
		elif ((n == 1)) && [[ ${ops[0]} == @(member|statement|notes|wallet) ]]; then
			COMPREPLY=($(compgen -W "$(_vipledger_members)" -- "$cur"))
		fi ;;
	member-note)
		if ((n == 0)); then
			COMPREPLY=($(compgen -W "$(_vipledger_members)" -- "$cur"))
		elif ((n == 1)); then
			COMPREPLY=($(compgen -W 'followup complaint service profile contact' -- "$cur"))
		fi ;;
	member-edit | member-forget | member-assign | points-redeem | \
	points-adjust | sale-post | tier-set | wallet-topup | wallet-refund)
		if ((n == 0)); then
			COMPREPLY=($(compgen -W "$(_vipledger_members)" -- "$cur"))
		fi ;;
	tier-recalc)
		COMPREPLY=($(compgen -W "$(_vipledger_members)" -- "$cur")) ;;
	esac
}

complete -F _vipledger member-add member-edit member-forget member-note \
	member-assign sale-post sale-return points-redeem points-adjust \
	tier-recalc tier-set wallet-topup wallet-refund report ledger-check \
	ledger-load-pg
