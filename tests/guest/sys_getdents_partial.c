/* ue-test: variants=s2 d0 */
/* getdents and getdents64 into a buffer that runs into a read-only page:
 * which bytes filldir stores before the fault. Each field is one store,
 * all or nothing, in the kernel's order: the previous record's d_off (for
 * the first record, its own, with the position before it), d_ino,
 * d_reclen, d_type, then the name 8, 4, 2, 1 bytes at a time. The call
 * returns the whole records before the one that faulted (EFAULT when there
 * are none) and the next call starts at that record. Printed: per byte of
 * the buffer, '.' kept, 'w' written (two runs with different fillings, so
 * an inode number's byte that happens to equal the filling still shows).
 * Found by the sys fuzzer (getdents was left out of its check run). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static uint8_t *end;   /* the read-only page starts here */
static int dir;

static long call(int nr, uint8_t *buf, uint8_t fill, uint8_t *out)
{
    memset(buf, fill, end - buf);
    lseek(dir, 0, SEEK_SET);
    errno = 0;
    long r = syscall(nr, dir, buf, 200);
    memcpy(out, buf, end - buf);
    return r;
}

static void try(int nr, int back)
{
    uint8_t *buf = end - back, a[64], b[64], big[1024];
    long r1 = call(nr, buf, 0xcc, a);
    int e1 = errno;
    /* what is left for the next call */
    long rest = syscall(nr, dir, big, sizeof big);
    long r2 = call(nr, buf, 0x33, b);
    printf("%s into %2d bytes -> %ld %s, then %ld bytes; ", nr == SYS_getdents ? "getdents  " : "getdents64",
           back, r1, r1 < 0 ? strerrorname_np(e1) : "", rest);
    for (int i = 0; i < back; i++) {
        if (i && r1 > 0 && i == r1) putchar('|');
        putchar(a[i] != 0xcc || b[i] != 0x33 ? 'w' : '.');
    }
    printf("%s\n", r1 == r2 ? "" : " (second run differs)");
    /* a first record begun, then EFAULT: its d_off holds the entry's own
     * position (the cookie that reads it again), not 0 nor the next one's */
    int w = nr == SYS_getdents ? 4 : 8;
    if (r1 < 0 && back >= 2 * w && a[w] != 0xcc) {
        int64_t off = 0, next = 0;
        memcpy(&off, a + w, w);
        memcpy(&next, big + w, w);   /* the first record of the full read: the next entry's position */
        lseek(dir, off, SEEK_SET);
        long n = syscall(nr, dir, big, sizeof big);
        int64_t again = 0;
        memcpy(&again, big + w, w);
        printf("  its d_off: %s, reading from there gives the same first record: %s\n",
               off == 0 ? "0" : off == next ? "the next entry's position" : "another position",
               n > 0 && again == next ? "yes" : "no");
    }
}

int main(void)
{
    /* four entries, each record 16 bytes (i386 linux_dirent) or 24 (linux_dirent64) */
    if (mkdir("d", 0755) || close(open("d/a", O_CREAT | O_WRONLY, 0600)) || close(open("d/b", O_CREAT | O_WRONLY, 0600)))
        return 1;
    dir = open("d", O_RDONLY | O_DIRECTORY);
    uint8_t *page = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (dir < 0 || page == MAP_FAILED || mprotect(page + 4096, 4096, PROT_READ)) return 1;
    end = page + 4096;
    static const int old[] = { 4, 6, 8, 10, 12, 16, 20, 24, 26, 28, 30, 31, 32, 40 };
    for (unsigned i = 0; i < sizeof old / sizeof old[0]; i++) try(SYS_getdents, old[i]);
    static const int n64[] = { 8, 12, 16, 18, 19, 20, 24, 32, 40, 42, 43, 44, 45, 48, 56 };
    for (unsigned i = 0; i < sizeof n64 / sizeof n64[0]; i++) try(SYS_getdents64, n64[i]);
    unlink("d/a");
    unlink("d/b");
    rmdir("d");
    return 0;
}
