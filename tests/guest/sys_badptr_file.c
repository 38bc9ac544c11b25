/* ue-test: variants=s2 d0 p2 */
/* Syscall buffers on a file mapping past end of file (a file one page long,
 * mapped two pages: touching the second page is SIGBUS): every call answers
 * EFAULT (or what the kernel answers before looking), and ue never dies of it.
 * stat and friends, getdents, readlink, ioctl, read/write/readv, pipe, poll,
 * _llseek, getcwd, fcntl locks, utime, sendfile, epoll, xattrs, paths. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/xattr.h>
#include <unistd.h>
#define SHOW_WIDTH 34
#include "errno_show.h"
#include "bad_arena.h"

int main(void)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/ue-badptr-%d", (int)getpid());
    int f;
    char *map = past_eof_map(path, 4096, &f);
    if (!map) return 1;
    char *past = map + 4096;
    int p[2];
    if (pipe(p)) return 1;
    write(p[1], "data", 4);
    char good[256];

    RAW("stat", SYS_stat, path, past);
    RAW("stat64", SYS_stat64, path, past);
    RAW("lstat64", SYS_lstat64, path, past);
    RAW("fstat", SYS_fstat, f, past);
    RAW("fstat64", SYS_fstat64, f, past);
    RAW("fstatat64", SYS_fstatat64, AT_FDCWD, path, past, 0);
    RAW("statx", SYS_statx, AT_FDCWD, path, 0, 0x7ff, past);
    RAW("statx missing file", SYS_statx, AT_FDCWD, "/nonexistent", 0, 0x7ff, past);
    RAW("statfs", SYS_statfs, "/", past);
    RAW("fstatfs64", SYS_fstatfs64, f, 84, past);
    RAW("stat path past EOF", SYS_stat64, past, good);
    RAW("open path past EOF", SYS_open, past, O_RDONLY);
    RAW("unlink path past EOF", SYS_unlink, past);

    int d = open("/", O_RDONLY | O_DIRECTORY);
    RAW("getdents", SYS_getdents, d, past, 4096);
    RAW("getdents64", SYS_getdents64, d, past, 4096);
    close(d);

    symlink("target", "link");
    RAW("readlink", SYS_readlink, "link", past, 100);
    RAW("readlink /proc/self/exe", SYS_readlink, "/proc/self/exe", past, 100);
    RAW("readlink missing", SYS_readlink, "missing", past, 100);

    RAW("ioctl(pipe, TCGETS)", SYS_ioctl, p[0], TCGETS, past);
    RAW("ioctl(pipe, FIONREAD)", SYS_ioctl, p[0], FIONREAD, past);
    RAW("ioctl(pipe, FIONBIO) in", SYS_ioctl, p[0], FIONBIO, past);

    RAW("read(pipe)", SYS_read, p[0], past, 4);
    RAW("read(pipe) 2 good bytes", SYS_read, p[0], past - 2, 4);
    RAW("read(file)", SYS_read, f, past, 4);
    RAW("write(pipe)", SYS_write, p[1], past, 4);
    RAW("write(/dev/null)", SYS_write, open("/dev/null", O_WRONLY), past, 4);
    struct iovec iov = { past, 4 };
    RAW("readv buffer past EOF", SYS_readv, p[0], &iov, 1);
    RAW("readv iovec past EOF", SYS_readv, p[0], past, 1);
    RAW("pread64", SYS_pread64, f, past, 4, 0, 0);

    RAW("pipe", SYS_pipe, past);
    RAW("pipe2 bad flags", SYS_pipe2, past, 0x12345);
    RAW("poll", SYS_poll, past, 1, 0);
    RAW("_llseek", SYS__llseek, f, 0, 0, past, SEEK_SET);
    RAW("getcwd", SYS_getcwd, past, 100);
    RAW("fcntl F_GETLK", SYS_fcntl, f, F_GETLK, past);
    RAW("fcntl64 F_GETLK64", SYS_fcntl64, f, 12, past);
    RAW("fcntl F_GETOWN_EX", SYS_fcntl, f, F_GETOWN_EX, past);
    RAW("utime", SYS_utime, path, past);
    RAW("utimes", SYS_utimes, path, past);
    RAW("sendfile offset", SYS_sendfile, p[1], f, past, 4);
    RAW("sendfile64 offset", SYS_sendfile64, p[1], f, past, 4);

    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN };
    RAW("epoll_ctl event past EOF", SYS_epoll_ctl, ep, EPOLL_CTL_ADD, p[0], past);
    epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
    RAW("epoll_wait events past EOF", SYS_epoll_wait, ep, past, 4, 0);

    RAW("getxattr value past EOF", SYS_getxattr, path, "user.none", past, 100);
    RAW("getxattr name past EOF", SYS_getxattr, path, past, good, 100);
    RAW("listxattr list past EOF", SYS_listxattr, path, past, 100);
    RAW("memfd_create name past EOF", SYS_memfd_create, past, 0);
    RAW("openat2 how past EOF", 437, AT_FDCWD, path, past, 24);
    RAW("symlink target past EOF", SYS_symlink, past, "x");
    unlink(path);
    return 0;
}
