/* ue-test: variants=s2 d0 p2 */
/* Which bytes of the guest buffer the kernel writes: stat64 and friends
 * write struct stat64 field by field (cp_stat64) and leave __pad0 and __pad3
 * alone; into a buffer running into a hole they stop at the first field that
 * faults. getdents and getdents64 leave the bytes after each name's NUL
 * alone. Each call is made twice over buffers filled with 0xaa and 0x55: a
 * byte changed in either run was written. The directory listings run again
 * with UE_NO_INT80=1 (ue reading directories as on a host without the 32-bit
 * entry; nothing changes natively), on tmpfs where offsets fit 32 bits. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "rerun_no_int80.h"
#include "scratch_dir.h"

static char *hole;

/* call nr on a 96-byte stat64 buffer ending `avail` bytes before the hole */
static void stat_map(const char *what, int nr, long a, long b, int avail)
{
    unsigned char *buf = (unsigned char *)hole - avail, seen[96] = { 0 };
    long r[2];
    for (int pass = 0; pass < 2; pass++) {
        int fill = pass ? 0x55 : 0xaa;
        memset(buf, fill, avail);
        errno = 0;
        if (nr == SYS_fstat64) r[pass] = syscall(nr, a, buf);
        else if (nr == SYS_fstatat64) r[pass] = syscall(nr, AT_FDCWD, a, buf, b);
        else r[pass] = syscall(nr, a, buf);
        if (r[pass] < 0) r[pass] = -errno;
        for (int k = 0; k < avail && k < 96; k++) seen[k] |= buf[k] != fill;
    }
    printf("%-10s avail %2d -> %ld %ld ", what, avail, r[0], r[1]);
    for (int k = 0; k < 96; k++) putchar(k >= avail ? '-' : seen[k] ? 'w' : '.');
    putchar('\n');
}

static void dirents(int nr, const char *dir, unsigned count)
{
    static unsigned char buf[2][4096];
    long r[2];
    for (int pass = 0; pass < 2; pass++) {
        int fd = open(dir, O_RDONLY | O_DIRECTORY);
        memset(buf[pass], pass ? 0x55 : 0xaa, sizeof buf[pass]);
        r[pass] = syscall(nr, fd, buf[pass], count);
        close(fd);
    }
    printf("%s count %#x -> %ld %ld\n", nr == SYS_getdents ? "getdents" : "getdents64", count, r[0], r[1]);
    if (r[0] != r[1] || r[0] <= 0) return;
    int name = nr == SYS_getdents ? 10 : 19, rl = nr == SYS_getdents ? 8 : 16;
    for (long pos = 0; pos < r[0];) {
        uint16_t reclen;
        memcpy(&reclen, buf[0] + pos + rl, 2);
        unsigned char *d0 = buf[0] + pos, *d1 = buf[1] + pos;
        if (d0[name] != '.') {   /* "." and ".." come in any order: skip them */
            printf("  %-8s reclen %2u type %u  ", (char *)d0 + name, reclen,
                   nr == SYS_getdents ? d0[reclen - 1] : d0[18]);
            for (int k = 0; k < reclen; k++) putchar(d0[k] != 0xaa || d1[k] != 0x55 ? 'w' : '.');
            putchar('\n');
        }
        if (!reclen) break;
        pos += reclen;
    }
}

int main(int argc, char **argv)
{
    char dir[64], path[128];
    snprintf(dir, sizeof dir, "/dev/shm/ue-order-stat-%d", (int)getpid());
    if (mkdir(dir, 0700)) { perror("mkdir"); return 1; }
    for (int k = 0; k < 6; k++) {
        snprintf(path, sizeof path, "%s/%.*s", dir, k + 1, "abcdefgh");
        close(open(path, O_WRONLY | O_CREAT, 0600));
    }
    printf("pass %s\n", getenv("UE_NO_INT80") ? "2 (UE_NO_INT80=1)" : "1");
    dirents(SYS_getdents, dir, 0x68);
    dirents(SYS_getdents, dir, 4096);
    dirents(SYS_getdents64, dir, 0x68);
    dirents(SYS_getdents64, dir, 4096);

    if (!getenv("UE_NO_INT80")) {
        char *m = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        munmap(m + 4096, 4096);
        hole = m + 4096;
        snprintf(path, sizeof path, "%s/a", dir);
        int fd = open(path, O_RDONLY);
        const int avails[] = { 96, 95, 88, 87, 52, 44, 40, 16, 12, 8, 4, 0 };
        for (unsigned k = 0; k < sizeof avails / sizeof avails[0]; k++) {
            stat_map("stat64", SYS_stat64, (long)path, 0, avails[k]);
            stat_map("fstat64", SYS_fstat64, fd, 0, avails[k]);
        }
        stat_map("lstat64", SYS_lstat64, (long)path, 0, 96);
        stat_map("fstatat64", SYS_fstatat64, (long)path, 0, 96);
        stat_map("fstatat64", SYS_fstatat64, (long)path, AT_SYMLINK_NOFOLLOW, 90);
        close(fd);
    }

    scratch_dir_remove(dir);
    (void)argc;
    return rerun_no_int80(argv);
}
