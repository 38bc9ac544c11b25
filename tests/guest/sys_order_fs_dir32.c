/* ue-test: variants=s2 d0 p2 */
/* Directory positions as an i386 process sees them, in the work directory
 * (ext4 on a usual host, where hash-ordered directories give 32-bit callers
 * 32-bit hash positions and 64-bit callers 64-bit ones): readdir lists every
 * name (an i386 glibc turns a position over 32 bits into EOVERFLOW),
 * telldir/seekdir come back to the same entry, getdents and getdents64 show
 * the same d_off values, lseek and _llseek answer with the i386 limits. The
 * program then runs itself again with UE_NO_INT80=1: ue reads directories as
 * on a host without the 32-bit entry and must still give the i386 values. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "rerun_no_int80.h"
#include "scratch_dir.h"

#define DIR_NAME "order_dir32"
#define N 40

static void show(const char *what, long r)
{
    printf("%-40s -> %ld %s\n", what, r, r < 0 ? strerrorname_np(errno) : "");
}

#define T(...) (errno = 0, show(#__VA_ARGS__, syscall(__VA_ARGS__)))

static void listing(void)
{
    DIR *d = opendir(DIR_NAME);
    struct dirent *e;
    int n = 0;
    long mark = -1;
    printf("readdir:");
    errno = 0;
    while ((e = readdir(d))) {
        if (++n == 12) mark = telldir(d);
        printf(" %s", e->d_name);
    }
    printf("\n  end after %d: %s\n", n, errno ? strerrorname_np(errno) : "ok");
    if (mark != -1) {
        seekdir(d, mark);
        printf("  after seekdir:");
        for (int k = 0; k < 5 && (e = readdir(d)); k++) printf(" %s", e->d_name);
        printf("\n");
    }
    closedir(d);
}

static void raw(int nr)
{
    static char buf[8192];
    int fd = open(DIR_NAME, O_RDONLY | O_DIRECTORY);
    long r = syscall(nr, fd, buf, sizeof buf);
    printf("%s -> %ld\n ", nr == SYS_getdents ? "getdents" : "getdents64", r);
    for (long pos = 0; pos < r;) {
        uint16_t reclen;
        int64_t off;
        if (nr == SYS_getdents) {
            int32_t o;
            memcpy(&o, buf + pos + 4, 4);
            off = o;
            memcpy(&reclen, buf + pos + 8, 2);
        } else {
            memcpy(&off, buf + pos + 8, 8);
            memcpy(&reclen, buf + pos + 16, 2);
        }
        printf(" %s@%lld", buf + pos + (nr == SYS_getdents ? 10 : 19), (long long)off);
        if (!reclen) break;
        pos += reclen;
    }
    printf("\n");
    int64_t res = -1;
    T(SYS_lseek, fd, 0, SEEK_CUR);
    T(SYS_lseek, fd, 0, SEEK_END);
    T(SYS_lseek, fd, -1, SEEK_END);
    T(SYS_lseek, fd, 1, SEEK_END);
    T(SYS_lseek, fd, 0x7fffffff, SEEK_DATA);
    T(SYS_lseek, fd, 5, SEEK_DATA);
    T(SYS_lseek, fd, 5, SEEK_HOLE);
    T(SYS_lseek, fd, 3, SEEK_CUR);
    T(SYS_lseek, fd, -10, SEEK_CUR);
    T(SYS_lseek, fd, 0, 7);
    T(SYS__llseek, fd, 0x261a2db8, 0xab, &res, SEEK_SET);
    T(SYS__llseek, fd, 0, 0x7fffffff, &res, SEEK_SET);
    printf("  res %lld\n", (long long)res);
    T(SYS__llseek, fd, 0xffffffff, 0xffffffff, &res, SEEK_END);
    printf("  res %lld\n", (long long)res);
    /* the first record's d_off (where the second entry is), then the rest from there */
    long second = -1;
    lseek(fd, 0, SEEK_SET);
    if (syscall(nr, fd, buf, sizeof buf) > 0) {
        int32_t o;
        memcpy(&o, buf + (nr == SYS_getdents ? 4 : 8), 4);
        second = o;
    }
    T(SYS_lseek, fd, second, SEEK_SET);
    r = syscall(nr, fd, buf, sizeof buf);
    printf("  from %ld: %ld bytes\n", second, r);
    close(fd);
}

int main(int argc, char **argv)
{
    printf("pass %s\n", getenv("UE_NO_INT80") ? "2 (UE_NO_INT80=1)" : "1");
    char path[64];
    mkdir(DIR_NAME, 0700);
    for (int k = 0; k < N; k++) {
        snprintf(path, sizeof path, DIR_NAME "/file-%02d", k);
        close(open(path, O_WRONLY | O_CREAT, 0600));
    }
    listing();
    raw(SYS_getdents);
    raw(SYS_getdents64);
    scratch_dir_remove(DIR_NAME);
    (void)argc;
    return rerun_no_int80(argv);
}
