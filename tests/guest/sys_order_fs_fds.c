/* ue-test: variants=s2 d0 p2 */
/* Calls whose answer depends on the caller being i386 or on the order of the
 * kernel's checks: F_GETFL of files from open/openat (no O_LARGEFILE) and
 * creat/openat2 (forced), the 2 GiB limits of a file without O_LARGEFILE
 * (pwrite EFBIG or short, ftruncate64 EINVAL, open EOVERFLOW), lseek and
 * _llseek on a directory (ext4 answers a 32-bit caller with 32-bit hash
 * limits), getdents with a count over INT_MAX, _newselect with n above the
 * fdtable's size and sets ending at a read-only page, epoll_wait with a bad
 * fd and a bad maxevents (the fd is checked first). The program then runs
 * itself again with UE_NO_INT80=1: ue then opens files as on a host without
 * the 32-bit entry (O_LARGEFILE forced) and must keep the i386 answers. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>
#include "rerun_no_int80.h"
#include "fd_table_size.h"

static void show(const char *what, long r)
{
    printf("%-44s -> %ld %s\n", what, r, r < 0 ? strerrorname_np(errno) : "");
}

#define T(...) (errno = 0, show(#__VA_ARGS__, syscall(__VA_ARGS__)))

static void getfl(const char *what, int fd)
{
    printf("%-44s -> %#x\n", what, fcntl(fd, F_GETFL));
    int d = dup(fd);
    printf("%-44s -> %#x\n", "  its dup", fcntl(d, F_GETFL));
    close(d);
    close(fd);
}

int main(int argc, char **argv)
{
    static char buf[0x2000];
    printf("pass %s\n", getenv("UE_NO_INT80") ? "2 (UE_NO_INT80=1)" : "1");
    struct open_how how = { .flags = O_RDWR };
    close(open("of", O_WRONLY | O_CREAT, 0600));
    getfl("open", syscall(SYS_open, "of", O_RDWR));
    getfl("openat", syscall(SYS_openat, AT_FDCWD, "of", O_RDWR));
    getfl("open O_LARGEFILE", syscall(SYS_open, "of", O_RDWR | O_LARGEFILE));
    getfl("creat", syscall(SYS_creat, "of", 0600));
    getfl("openat2", syscall(SYS_openat2, AT_FDCWD, "of", &how, sizeof how));

    /* a file without O_LARGEFILE stops at 2 GiB - 1 */
    int fd = syscall(SYS_open, "of", O_RDWR);
    T(SYS_pwrite64, fd, buf, 0x2000, 0xffffffff, 0);
    T(SYS_pwrite64, fd, buf, 0x2000, 0x7fffffff, 0);
    T(SYS_pwrite64, fd, buf, 0x2000, 0x7ffff000, 0);
    struct iovec iov[2] = { { buf, 0x1000 }, { buf, 0x1000 } };
    T(SYS_pwritev, fd, iov, 2, 0xffffffff, 0);
    T(SYS_pwritev, fd, iov, 2, 0x7ffffff0, 0);
    T(SYS_ftruncate64, fd, 0xa4, 1);
    T(SYS_ftruncate64, fd, 0x80000000, 0);
    T(SYS_ftruncate, fd, 0);
    close(fd);
    fd = syscall(SYS_creat, "of", 0600);
    T(SYS_ftruncate64, fd, 0xa4, 1);
    T(SYS_pwrite64, fd, buf, 0x10, 0xffffffff, 0);
    close(fd);
    T(SYS_open, "of", O_RDONLY);
    T(SYS_openat, AT_FDCWD, "of", O_RDONLY);
    fd = syscall(SYS_open, "of", O_RDONLY | O_LARGEFILE);
    T(SYS_lseek, fd, 0, SEEK_END);
    int64_t res = 0;
    T(SYS__llseek, fd, 0, 0, &res, SEEK_END);
    printf("  res %#llx\n", (long long)res);
    close(fd);
    unlink("of");

    /* a directory */
    mkdir("od", 0700);
    for (int k = 0; k < 5; k++) {
        char n[16];
        snprintf(n, sizeof n, "od/e%d", k);
        close(open(n, O_WRONLY | O_CREAT, 0600));
    }
    int d = open("od", O_RDONLY | O_DIRECTORY);
    T(SYS_lseek, d, 0x7fffffff, SEEK_DATA);
    T(SYS_lseek, d, 0, SEEK_DATA);
    T(SYS_lseek, d, 0, SEEK_END);
    T(SYS_lseek, d, -1, SEEK_END);
    res = 0;
    T(SYS__llseek, d, 0x261a2db8, 0xab, &res, SEEK_SET);
    printf("  res %#llx\n", (long long)res);
    T(SYS__llseek, d, 0xffffffff, 0xffffffff, &res, SEEK_END);
    printf("  res %#llx\n", (long long)res);
    T(SYS__llseek, d, 0, 0, &res, SEEK_SET);
    T(SYS_getdents64, d, buf, 0xffffffff);
    T(SYS_getdents64, d, buf, 0x80000000);
    T(SYS_getdents, d, buf, 0xffffffff);
    T(SYS_getdents, d, buf, 0x80000000);
    T(SYS_getdents64, d, buf, 0x7fffffff);
    T(SYS_getdents64, d, buf, 0xffffffff);   /* at the end: 0 */
    close(d);
    for (int k = 0; k < 5; k++) {
        char n[16];
        snprintf(n, sizeof n, "od/e%d", k);
        unlink(n);
    }
    rmdir("od");

    /* _newselect: n far above the fdtable's size, sets of 8 bytes before a read-only page */
    char *m = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(m + 4096, 4096, PROT_READ);
    int p[2];
    if (pipe(p)) return 1;
    int bytes = fd_table_size() / 8, n = bytes * 32;
    uint32_t *w = (uint32_t *)(m + 4096 - bytes), *r = (uint32_t *)(m + 4096 - 2 * bytes);
    memset(r, 0, 2 * bytes);
    w[0] = 1u << p[1];
    r[0] = 1u << p[0];
    int32_t *tv = (int32_t *)m;
    tv[0] = 0; tv[1] = 0;
    T(SYS__newselect, n, r, w, NULL, tv);
    printf("  sets %#x %#x\n", r[0], w[0]);
    w[0] = 1u << p[1];
    T(SYS__newselect, n, NULL, w, NULL, tv);
    printf("  set %#x\n", w[0]);
    T(SYS__newselect, n, NULL, m + 4096, NULL, tv);   /* read-only set: EFAULT on the way out */
    close(p[0]);
    close(p[1]);

    /* epoll: the fd before maxevents */
    T(SYS_epoll_wait, -1, buf, 0, 0);
    T(SYS_epoll_pwait, 0x7fffffff, NULL, 0x10000000, 0, NULL, 8);
    T(SYS_epoll_wait, 0, buf, 0, 0);
    int ep = syscall(SYS_epoll_create1, 0);
    T(SYS_epoll_wait, ep, buf, 0, 0);
    T(SYS_epoll_wait, ep, buf, 0x7fffffff, 0);
    T(SYS_epoll_wait, ep, buf, 1, 0);
    close(ep);
    (void)argc;
    return rerun_no_int80(argv);
}
