# busybox sh script: files, find, tar, gzip, checksums.
set -e
mkdir -p tree/a/b tree/c
i=0
for d in tree tree/a tree/a/b tree/c; do
    for n in 1 2 3; do
        i=$((i + 1))
        seq $i $((i * 50)) > "$d/file$n.txt"
    done
done
ln -s file1.txt tree/link
touch -d '2001-02-03 04:05:06' tree/a/b/file2.txt
find tree -type f | sort
find tree -name '*2*' | sort
find tree -type l
find tree -type f -newer tree/a/b/file2.txt | wc -l
find tree -type f -exec cat {} + | wc -l
ls tree | sort
ls -1 tree/a
cat tree/a/b/file3.txt | head -n 2
cp tree/c/file1.txt copy.txt
mv copy.txt moved.txt
cmp moved.txt tree/c/file1.txt && echo "cmp same"
rm moved.txt
# fixed times: the archive's bytes (and md5) must not depend on the second the run started
find tree -exec touch -h -d '2002-03-04 05:06:07' {} +
tar -cf t.tar tree
tar -tf t.tar | sort
mkdir out
tar -xf t.tar -C out
diff -r tree out/tree && echo "tar round trip ok"
gzip -n -c t.tar > t.tar.gz
gzip -t t.tar.gz && echo "gzip test ok"
md5sum t.tar.gz | cut -d' ' -f1
gzip -d -c t.tar.gz | cmp - t.tar && echo "gunzip same"
zcat t.tar.gz | tar -tf - | wc -l
bzip2 -c t.tar > t.tar.bz2 2>/dev/null && bzip2 -d -c t.tar.bz2 | cmp - t.tar && echo "bzip2 round trip ok" || echo "no bzip2"
dd if=t.tar of=part bs=512 count=3 2>/dev/null
wc -c part
base64 part | head -n 2
base64 part | base64 -d | cmp - part && echo "base64 round trip ok"
stat -c '%s %F' part tree
du -s tree >/dev/null && echo "du ran"
realpath tree/a/../c | sed "s|$PWD|.|"
readlink tree/link
test -d tree && test -f tree/link && test -L tree/link && echo "tests ok"
rm -r out tree
ls
