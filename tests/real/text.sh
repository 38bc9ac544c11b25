# busybox sh script: text tools.  Runs in an empty directory; everything it
# prints must be the same natively and under ue.
set -e
seq 1 2000 > nums
echo "lines: $(wc -l < nums) sum: $(awk '{s += $1} END {print s}' nums)"
awk 'BEGIN { srand(7) } { printf "%s %d %s\n", ($1 % 3 ? "b" : "a") $1, ($1 * 7919) % 1000, substr("lorem ipsum dolor sit amet", $1 % 20 + 1, 5) }' nums > words
head -n 3 words
tail -n 2 words
sort -k2,2n -k1,1 words | head -n 5
sort -r words | md5sum
cut -d' ' -f2 words | sort -n | uniq -c | sort -k1,1nr -k2,2n | head -n 5
grep -c '^a' words
grep -E 'ipsum|dolor' words | wc -l
grep -v 'm' words | tail -n 1
sed -n '10,12p' words
sed 's/\([ab]\)\([0-9]*\)/\2-\1/' words | tail -n 3
sed -e '/^a/d' -e 's/ /_/g' words | head -n 2
tr 'a-z' 'A-Z' < words | head -n 2
tr -d '0-9' < words | sort -u | wc -l
tr -s ' ' < words | tail -n 1
printf '%s|%5d|%x|%-4s|\n' hello 42 255 ab
printf '%08.3f\n' 3 2>/dev/null || echo "printf without float"
expr 7 \* 6
expr length "hello world"
expr substr "busybox" 2 3
echo "$(basename /a/b/c.txt .txt) $(dirname /a/b/c.txt)"
od -An -tx1 -N 16 words
echo hello | od -c | head -n 1
seq 5 -1 1 | xargs echo reversed:
seq 1 10 | xargs -n 3 echo
printf 'one\ntwo\nthree\n' | awk '{ n[NR] = $0 } END { for (i = NR; i > 0; i--) print i, n[i] }'
awk -F' ' '{ len[$3] += length($1) } END { for (k in len) print k, len[k] }' words | sort
yes abc | head -n 3
cat nums nums | sort -n | uniq -d | wc -l
md5sum nums words
sha256sum nums | cut -c1-16
wc -c words nums
echo done
