/* ue-test: variants=s2 d0 p2 */
/* Bad pointers give EFAULT, never a crash: write from (void *)1, read into
 * NULL, read into a read-only page, stat/open with a bad path, readv with a
 * bad iovec (a good first entry is still read: a short count), getcwd into
 * address 1, gettimeofday and pipe into a read-only page, a path that runs
 * off the end of a mapping. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>
#define SHOW_WIDTH 28
#include "errno_show.h"
#include "bad_arena.h"

int main(void)
{
    char *ro = bad_arena();   /* ro + 8192 - 4: a string with no NUL up to the end of the mapping */
    int fd = open("/dev/zero", O_RDONLY);
    int wfd = open("out", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    RAW("write(1, 1, 10)", SYS_write, 1, (void *)1, 10);
    RAW("write(out, NULL, 10)", SYS_write, wfd, NULL, 10);
    RAW("write(out, NULL, 0)", SYS_write, wfd, NULL, 0);
    RAW("read(zero, NULL, 10)", SYS_read, fd, NULL, 10);
    RAW("read(zero, ro, 10)", SYS_read, fd, ro, 10);
    RAW("read(zero, 0xfffff000, 10)", SYS_read, fd, (void *)0xfffff000u, 10);
    RAW("stat(NULL)", SYS_stat64, NULL, ro + 4096);
    RAW("stat(path, NULL)", SYS_stat64, "/", NULL);
    RAW("stat(path, ro)", SYS_stat64, "/", ro);
    RAW("open(1)", SYS_open, (void *)1, O_RDONLY);
    RAW("open(unterminated)", SYS_open, ro + 8192 - 4, O_RDONLY);
    struct iovec bad[2] = {{ro + 4096, 4}, {(void *)16, 4}};
    RAW("readv(bad iov entry)", SYS_readv, fd, bad, 2);
    RAW("readv(NULL iov)", SYS_readv, fd, NULL, 1);
    RAW("getcwd(1, 100)", SYS_getcwd, (void *)1, 100);
    RAW("gettimeofday(ro)", SYS_gettimeofday, ro, NULL);
    RAW("pipe(ro)", SYS_pipe, ro);
    RAW("uname(NULL)", SYS_uname, NULL);
    RAW("clock_gettime(0, 8)", SYS_clock_gettime, 0, (void *)8);
    RAW("rt_sigaction(bad act)", SYS_rt_sigaction, 10, (void *)4, NULL, 8);
    RAW("nanosleep(NULL)", SYS_nanosleep, NULL, NULL);
    /* and still fine afterwards */
    char buf[4];
    printf("read still works: %zd\n", read(fd, buf, 4));
    unlink("out");
    return 0;
}
