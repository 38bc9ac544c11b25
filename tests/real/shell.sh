# busybox sh script: the shell itself (variables, arithmetic, functions,
# loops, case, here-documents, subshells, traps, exit statuses, pipes).
fact() {
    if [ "$1" -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(($1 - 1))) )); fi
}
echo "fact 10 = $(fact 10)"
x=5
while [ $x -gt 0 ]; do printf '%d ' $x; x=$((x - 1)); done; echo
for w in alpha beta gamma; do
    case $w in
    a*) echo "$w starts with a" ;;
    *t*) echo "$w has a t" ;;
    *) echo "$w other" ;;
    esac
done
cat <<END
here-document with $x and $((6 * 7))
END
cat <<'END'
quoted $x stays
END
( cd /; echo "subshell in $(pwd)" )
echo "still in the same place: $(basename "$PWD" | wc -c | tr -d ' ' | sed 's/.*/ok/')"
false || echo "false failed: $?"
sh -c 'exit 3'; echo "child exit: $?"
v=$(echo inner; exit 4) || echo "command substitution status: $?, value $v"
echo "pipe status: $(echo a | grep -c b)"
trap 'echo trapped EXIT' EXIT
set -- one "two three" four
echo "args: $# first=$1 second=$2"
shift
echo "after shift: $*"
s="a:b:c"
IFS=: read p q r <<EOF2
$s
EOF2
echo "read: $p $q $r"
echo "${s#a:} ${s%:c} ${#s} ${unset_var:-default}"
i=0
until [ $i -ge 3 ]; do i=$((i + 1)); done; echo "until: $i"
echo $(( (1 << 20) + 0x10 + 010 )) $(( 17 % 5 )) $(( -7 / 2 ))
echo "nested $(echo "quotes $(echo work)")"
printf '%s\n' c a b | sort | tr '\n' ' '; echo
exec 3>fd3.txt; echo "to fd 3" >&3; exec 3>&-; cat fd3.txt
kill -0 $$ && echo "kill -0 self ok"
sleep 0
type echo | head -c 4; echo
echo end
