/* ue-test: variants=s2 d0 p2 */
/* Buffers that are partly mapped, and errors in the kernel's order:
 * a pipe read whose buffer ends 4 bytes before an unmapped page (EFAULT, the
 * data stays in the pipe), write/writev/pwrite over a partly mapped range to a
 * pipe and to a file, readv/writev with an iovec of 0x7fffffff or a total over
 * 2^31 (clamped to MAX_RW_COUNT), iovec errors after the fd's (EBADF first),
 * ioctl TCGETS with a bad pointer on a non-tty (ENOTTY), paths running off the
 * end of memory (ENAMETOOLONG after 4096 bytes, EFAULT before), the empty path. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/xattr.h>
#include <unistd.h>

static void show(const char *what, long r)
{
    printf("%-44s -> %ld %s\n", what, r, r < 0 ? strerrorname_np(errno) : "");
}

/* what is left in the pipe, read with a good buffer */
static void drain(int fd)
{
    char buf[64];
    int fl = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    ssize_t n = read(fd, buf, sizeof buf);
    fcntl(fd, F_SETFL, fl);
    printf("  left in pipe: %zd [%.*s]\n", n, n > 0 ? (int)n : 0, buf);
}

static void file_bytes(int fd)
{
    char buf[64];
    ssize_t n = pread(fd, buf, sizeof buf, 0);
    printf("  file holds %zd [%.*s]\n", n, n > 0 ? (int)n : 0, buf);
}

int main(void)
{
    /* three pages: the middle one is unmapped */
    char *m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(m + 4096, 4096);
    char *end4 = m + 4096 - 4;   /* 4 bytes before the hole */
    memcpy(end4, "WXYZ", 4);
    int p[2];

    /* ---- pipe read into a partly mapped buffer ---- */
    if (pipe(p)) return 1;
    write(p[1], "abcdefgh", 8);
    errno = 0;
    show("read(pipe, 4 mapped of 8)", read(p[0], end4, 8));
    drain(p[0]);
    write(p[1], "abcdefgh", 8);
    struct iovec riov[2] = { { m, 2 }, { end4, 8 } };
    show("readv(pipe, 2 good + 4 mapped of 8)", readv(p[0], riov, 2));
    drain(p[0]);

    /* ---- writes from a partly mapped buffer ---- */
    show("write(pipe, 4 mapped of 8)", write(p[1], end4, 8));
    drain(p[0]);
    struct iovec wiov[2] = { { "ab", 2 }, { end4, 8 } };
    show("writev(pipe, 2 good + 4 mapped of 8)", writev(p[1], wiov, 2));
    drain(p[0]);
    char path[64];
    snprintf(path, sizeof path, "/tmp/ue-partial-%d", (int)getpid());
    int f = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    unlink(path);
    show("write(file, 4 mapped of 8)", write(f, end4, 8));
    file_bytes(f);
    show("writev(file, 2 good + 4 mapped of 8)", writev(f, wiov, 2));
    file_bytes(f);
    show("pwrite64(file, 4 mapped of 8, off 20)", pwrite(f, end4, 8, 20));
    file_bytes(f);
    show("read(file at end, unmapped buffer)", read(f, m + 4096, 8));
    show("pread64(file, 4 mapped of 8)", pread(f, end4, 8, 0));
    printf("  buffer now [%.4s]\n", end4);
    show("pread64(fd -1, offset -1)", syscall(SYS_pread64, -1, m, 8, -1, -1));
    show("pread64(file, offset -1)", syscall(SYS_pread64, f, m, 8, -1, -1));

    /* ---- huge iovecs: clamped to MAX_RW_COUNT, not EINVAL ---- */
    int null = open("/dev/null", O_WRONLY);
    struct iovec big[3] = { { m, 0x7fffffff }, { m, 0x7fffffff }, { m, 100 } };
    show("writev(/dev/null, 0x7fffffff)", writev(null, big, 1));
    show("writev(/dev/null, 2 x 0x7fffffff + 100)", writev(null, big, 3));
    lseek(f, 0, SEEK_SET);
    show("readv(file, 0x7fffffff)", readv(f, big, 1));
    show("preadv(file, 2 x 0x7fffffff, off 2)", preadv(f, big, 2, 2));
    write(p[1], "pipe!", 5);
    show("readv(pipe, 0x7fffffff)", readv(p[0], big, 1));
    printf("  buffer now [%.5s]\n", m);

    /* ---- iovec errors come after the fd's ---- */
    struct iovec neg[2] = { { m, 4 }, { m, 0x80000000u } };
    show("readv(file, negative length)", readv(f, neg, 2));
    show("readv(-1, negative length)", readv(-1, neg, 2));
    show("readv(-1, unreadable iovec)", readv(-1, (struct iovec *)(m + 4096), 1));
    show("readv(file, unreadable iovec)", readv(f, (struct iovec *)(m + 4096), 1));
    show("readv(-1, NULL, 5000)", readv(-1, NULL, 5000));
    show("readv(file, NULL, 5000)", readv(f, NULL, 5000));
    show("readv(pipe write end, unreadable iovec)", readv(p[1], (struct iovec *)(m + 4096), 1));
    show("writev(null, iovec array into the hole)", writev(null, (struct iovec *)(m + 4096 - 8), 2));
    show("writev(-1, iovec array into the hole)", writev(-1, (struct iovec *)(m + 4096 - 8), 2));
    show("preadv(-1, unreadable, offset -1)", syscall(SYS_preadv, -1, m + 4096, 1, -1, -1));
    show("readv(file, 0 entries, bad pointer)", readv(f, (struct iovec *)(m + 4096), 0));

    /* ---- ioctl: ENOTTY on a non-tty before the pointer is looked at ---- */
    show("ioctl(file, TCGETS, bad)", ioctl(f, TCGETS, m + 4096));
    show("ioctl(pipe, TCGETS, bad)", ioctl(p[0], TCGETS, m + 4096));
    show("ioctl(-1, TCGETS, bad)", ioctl(-1, TCGETS, m + 4096));
    show("ioctl(pipe, FIONREAD, bad)", ioctl(p[0], FIONREAD, m + 4096));
    show("ioctl(pipe, FIONREAD, 2 of 4 mapped)", ioctl(p[0], FIONREAD, m + 4096 - 2));
    show("ioctl(-1, unknown request)", ioctl(-1, 0x1234abcd, m + 4096));
    int opath = open("/", O_PATH);
    show("ioctl(O_PATH fd, unknown request)", ioctl(opath, 0x1234abcd, m + 4096));

    /* ---- fcntl: the fd before the struct or the command ---- */
    show("fcntl(-1, F_GETLK, bad)", fcntl(-1, F_GETLK, m + 4096));
    show("fcntl(file, F_GETLK, bad)", fcntl(f, F_GETLK, m + 4096));
    show("fcntl(O_PATH fd, F_SETLK, bad)", fcntl(opath, F_SETLK, m + 4096));
    show("fcntl64(-1, F_GETLK64, bad)", syscall(SYS_fcntl64, -1, 12, m + 4096));
    show("fcntl(-1, unknown command)", syscall(SYS_fcntl, -1, 999, 0));
    show("fcntl(file, unknown command)", syscall(SYS_fcntl, f, 999, 0));

    /* ---- paths ---- */
    char *two = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(two + 2 * 4096, 4096);
    memset(two, 'a', 2 * 4096);   /* no NUL before the hole */
    struct stat st;
    show("stat(8192 bytes without NUL, then hole)", stat(two, &st));
    show("stat(4096 bytes without NUL, then hole)", stat(two + 4096, &st));
    show("stat(4095 bytes without NUL, then hole)", stat(two + 4097, &st));
    show("stat(100 bytes then hole)", stat(two + 8192 - 100, &st));
    show("mkdir(8192 without NUL)", mkdir(two, 0700));
    show("readlink(path off the end, size 0)", readlink(two + 8192 - 10, m, 0));
    show("readlink(path off the end)", readlink(two + 8192 - 10, m, 10));
    show("symlink(target off the end)", symlink(two + 8192 - 10, "x"));
    show("symlink(target 8192 without NUL)", symlink(two, "x"));
    show("memfd_create(name off the end)", syscall(SYS_memfd_create, two + 8192 - 10, 0));
    show("memfd_create(300 a's, then hole)", syscall(SYS_memfd_create, two + 8192 - 300, 0));
    show("memfd_create(249 a's, then hole)", syscall(SYS_memfd_create, two + 8192 - 249, 0));
    two[8191] = 0;
    show("stat(4095 a's and NUL)", stat(two + 4096, &st));
    show("open(4095 a's and NUL)", open(two + 4096, O_RDONLY));
    show("memfd_create(249 a's and NUL)", syscall(SYS_memfd_create, two + 8192 - 250, 0));
    show("memfd_create(250 a's and NUL)", syscall(SYS_memfd_create, two + 8192 - 251, 0));
    show("stat(\"\")", stat("", &st));
    show("fstatat(\"\", AT_EMPTY_PATH)", fstatat(f, "", &st, AT_EMPTY_PATH));
    show("readlinkat(\"\")", readlinkat(f, "", m, 10));
    show("open(\"\")", open("", O_RDONLY));
    show("memfd_create(bad flags, bad name)", syscall(SYS_memfd_create, m + 4096, 0x1000));

    /* ---- extended attributes: flags, name and value before the path ---- */
    char *hole = m + 4096;
    show("setxattr(missing, bad name)", setxattr("missing", hole, "v", 1, 0));
    show("setxattr(missing, \"\")", setxattr("missing", "", "v", 1, 0));
    show("setxattr(missing, 256 a's)", setxattr("missing", two, "v", 1, 0));
    show("setxattr(missing, name, bad value)", setxattr("missing", "user.x", hole, 4, 0));
    show("setxattr(missing, name, 70000 bytes)", setxattr("missing", "user.x", m, 70000, 0));
    show("setxattr(missing, name, bad flags)", setxattr("missing", "user.x", "v", 1, 8));
    show("setxattr(path off the end, name)", setxattr(two + 8192 - 10, "user.x", "v", 1, 0));
    show("getxattr(missing, bad name)", getxattr("missing", hole, m, 10));
    show("getxattr(missing, \"\")", getxattr("missing", "", m, 10));
    show("getxattr(file, name, bad value)", getxattr("/", "user.none", hole, 10));
    show("removexattr(missing, bad name)", removexattr("missing", hole));
    show("listxattr(missing, bad list)", listxattr("missing", hole, 10));
    show("fsetxattr(-1, bad name)", fsetxattr(-1, hole, "v", 1, 0));
    show("fgetxattr(-1, \"\")", fgetxattr(-1, "", m, 10));
    show("fremovexattr(-1, bad name)", fremovexattr(-1, hole));
    show("fsetxattr(file, name, bad value)", fsetxattr(f, "user.x", hole, 4, 0));
    return 0;
}
