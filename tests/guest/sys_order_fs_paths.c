/* ue-test: variants=s2 d0 p2 */
/* Path system calls whose path cannot be read (unmapped, NULL, running into
 * a hole without a NUL, on a file page past EOF) together with another bad
 * argument: the kernel checks flags, modes, lengths and the other path in its
 * own order, so EINVAL, ENOENT or ENOTDIR may come before EFAULT. Also
 * utimes/futimesat with a times array running into a hole (both timevals are
 * read before either is checked). */
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

static void show(const char *what, long r)
{
    printf("%-48s -> %ld %s\n", what, r, r < 0 ? strerrorname_np(errno) : "");
}

#define T(...) (errno = 0, show(#__VA_ARGS__, syscall(__VA_ARGS__)))

int main(void)
{
    /* the arena: rw page, hole, read-only page, file page past EOF */
    char *a = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *hole = a + 4096, *ro = a + 2 * 4096, *eof = a + 3 * 4096;
    memset(ro, 'x', 4096);
    mprotect(ro, 4096, PROT_READ);
    munmap(hole, 4096);
    int ff = open("order_fs_file", O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (write(ff, "y", 1) != 1) return 1;
    munmap(eof, 4096);
    if (mmap(eof, 4096, PROT_READ, MAP_SHARED | MAP_FIXED, ff, 4096) != eof) return 1;
    char *nonul = eof - 3;   /* "xxx" with no NUL before the page past EOF */
    char *unm = hole;
    strcpy(a, "f0/");
    char *f0slash = a;
    strcpy(a + 16, "");
    char *empty = a + 16;
    strcpy(a + 32, "d0");
    char *d0 = a + 32;
    strcpy(a + 48, "f0");
    char *f0 = a + 48;
    /* times running into the hole: the first timeval readable */
    int32_t *tv = (int32_t *)(hole - 8);
    tv[0] = 0; tv[1] = 2000000;   /* bad usec in the readable one */
    int32_t *ts = (int32_t *)a + 64;
    ts[0] = 0; ts[1] = 0; ts[2] = 0; ts[3] = 0;

    close(open("f0", O_WRONLY | O_CREAT, 0600));
    mkdir("d0", 0700);
    int d = open("d0", O_RDONLY | O_DIRECTORY);

    T(SYS_open, unm, 0xebc00ddf, 031);
    T(SYS_open, eof, 0xebc00ddf, 031);
    T(SYS_open, nonul, 0xebc00ddf, 031);
    T(SYS_open, NULL, O_RDONLY);
    T(SYS_open, ro, 0xebc00ddf, 031);   /* no NUL in 4096 readable bytes: ENAMETOOLONG */
    T(SYS_open, ro, O_RDONLY);
    T(SYS_creat, unm, 0644);
    T(SYS_link, f0slash, nonul);
    T(SYS_link, nonul, f0slash);
    T(SYS_link, f0, unm);
    T(SYS_access, NULL, 0xffffffff);
    T(SYS_access, unm, 0);
    T(SYS_rename, empty, unm);
    T(SYS_rename, unm, empty);
    T(SYS_rename, f0slash, unm);
    T(SYS_symlink, empty, unm);
    T(SYS_symlink, unm, empty);
    T(SYS_truncate, unm, 0xffffffff);
    T(SYS_truncate, eof, 0xffffffff);
    T(SYS_truncate64, unm, 0, 0xffffffff);
    T(SYS_truncate64, f0, 0, 0xffffffff);
    T(SYS_openat, d, unm, 0x410c41, 0777);
    T(SYS_openat, AT_FDCWD, nonul, 0x410c41, 0777);
    T(SYS_openat, -1, unm, O_RDONLY);
    T(SYS_fchownat, d, unm, 0, 0, 0xa45c0140);
    T(SYS_fchownat, -1, unm, 0, 0, 0);
    T(SYS_fstatat64, d, unm, a + 1024, 0x40590004);
    T(SYS_fstatat64, d, NULL, a + 1024, 0x40590004);
    T(SYS_unlinkat, d, unm, 0x4000);
    T(SYS_unlinkat, d, unm, 0);
    T(SYS_renameat, AT_FDCWD, empty, AT_FDCWD, unm);
    T(SYS_renameat, AT_FDCWD, unm, AT_FDCWD, empty);
    T(SYS_linkat, d, unm, d, unm, 0x204402);
    T(SYS_linkat, AT_FDCWD, f0slash, AT_FDCWD, unm, 0);
    T(SYS_symlinkat, empty, AT_FDCWD, unm);
    T(SYS_symlinkat, unm, AT_FDCWD, empty);
    T(SYS_faccessat, AT_FDCWD, unm, 0xf);
    T(SYS_faccessat, AT_FDCWD, unm, 0);
    T(SYS_utimensat, 11, unm, ts, 0x88d2d829);
    T(SYS_utimensat, AT_FDCWD, unm, ts, 0);
    T(SYS_renameat2, AT_FDCWD, unm, AT_FDCWD, unm, 0x200);
    T(SYS_statx, AT_FDCWD, unm, 0x24010826, 6, a + 1024);
    T(SYS_statx, AT_FDCWD, unm, 0, 0x80000000, a + 1024);
    T(SYS_faccessat2, AT_FDCWD, unm, 0xffffffff, 0);
    T(SYS_faccessat2, AT_FDCWD, unm, 0, 0x1234);
    T(SYS_mkdirat, -1, unm, 0700);
    T(SYS_mknodat, AT_FDCWD, unm, 0xffff, 0);
    T(SYS_readlinkat, AT_FDCWD, unm, a, 0);
    T(SYS_fchmodat, -1, unm, 0);
    T(SYS_stat64, unm, a + 1024);
    T(SYS_lstat64, nonul, a + 1024);
    T(SYS_chdir, eof, 0);
    T(SYS_mkdir, unm, 0700);
    T(SYS_utimes, f0, tv);
    T(SYS_futimesat, AT_FDCWD, d0, tv);
    T(SYS_utimes, unm, tv);
    T(SYS_utimes, f0, hole);

    close(d);
    close(ff);
    unlink("order_fs_file");
    unlink("f0");
    rmdir("d0");
    return 0;
}
