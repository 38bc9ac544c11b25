/* ue-test: variants=s2 d0 p2 */
/* getdents and getdents64 into buffers that are partly mapped: the records
 * that fit in the mapped part come back, the directory stays at the first one
 * that did not (a second call with a good buffer returns the rest); nothing
 * mapped is EFAULT and the position does not move; EBADF and EINVAL come
 * before the buffer is looked at; at the end of the directory a bad buffer
 * gives 0. The program then runs itself again with UE_NO_INT80=1, which makes
 * ue read directories as on a host without the 32-bit syscall entry (the
 * variable does nothing natively). The directory is on tmpfs (/dev/shm): its
 * offsets fit in 32 bits whichever way they are asked for. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "rerun_no_int80.h"
#include "scratch_dir.h"

static void show(const char *what, long r)
{
    printf("%-40s -> %ld %s\n", what, r, r < 0 ? strerrorname_np(errno) : "");
}

/* the names in n bytes of records; nr 141 (old layout) or 220 */
static void names(int nr, const char *buf, long n)
{
    printf(" ");
    for (long pos = 0; pos < n;) {
        uint16_t reclen;
        memcpy(&reclen, buf + pos + (nr == 141 ? 8 : 16), 2);
        printf("%s ", buf + pos + (nr == 141 ? 10 : 19));
        if (!reclen) break;
        pos += reclen;
    }
    printf("\n");
}

static void rest(int nr, int fd)
{
    static char buf[8192];
    long r = syscall(nr, fd, buf, sizeof buf);
    printf("  rest: %ld\n", r);
    if (r > 0) names(nr, buf, r);
}

static void run(int nr, const char *dir, char *m)
{
    const char *nm = nr == 141 ? "getdents" : "getdents64";
    char what[80];
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    char *hole = m + 4096;

    snprintf(what, sizeof what, "%s 0x100 bytes mapped", nm);
    long r = syscall(nr, fd, hole - 0x100, 4096);
    show(what, r);
    if (r > 0) names(nr, hole - 0x100, r);
    rest(nr, fd);

    lseek(fd, 0, SEEK_SET);
    snprintf(what, sizeof what, "%s 8 bytes mapped", nm);
    show(what, syscall(nr, fd, hole - 8, 4096));
    snprintf(what, sizeof what, "%s nothing mapped", nm);
    show(what, syscall(nr, fd, hole, 4096));
    rest(nr, fd);   /* from the start: the position did not move */
    snprintf(what, sizeof what, "%s at the end, nothing mapped", nm);
    show(what, syscall(nr, fd, hole, 4096));

    lseek(fd, 0, SEEK_SET);
    snprintf(what, sizeof what, "%s count 10, nothing mapped", nm);
    show(what, syscall(nr, fd, hole, 10));
    snprintf(what, sizeof what, "%s fd -1, nothing mapped", nm);
    show(what, syscall(nr, -1, hole, 4096));

    /* small buffers: as many whole records as fit, one call after another */
    for (int count = 16; count <= 40; count += 24) {
        lseek(fd, 0, SEEK_SET);
        printf("%s count %d:", nm, count);
        static char buf[64];
        long r;
        while ((r = syscall(nr, fd, buf, count)) > 0) {
            printf(" %ld", r);
            names(nr, buf, r);
        }
        printf(" end %ld %s\n", r, r < 0 ? strerrorname_np(errno) : "");
    }
    close(fd);
}

int main(int argc, char **argv)
{
    printf("pass %s\n", getenv("UE_NO_INT80") ? "2 (UE_NO_INT80=1)" : "1");
    char *m = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(m + 4096, 4096);

    char dir[64], path[128];
    snprintf(dir, sizeof dir, "/dev/shm/ue-getdents-%d", (int)getpid());
    if (mkdir(dir, 0700)) { perror("mkdir"); return 1; }
    for (int k = 0; k < 24; k++) {
        snprintf(path, sizeof path, "%s/%.*s%02d", dir, k % 7 + 1, "entryname", k);
        close(open(path, O_WRONLY | O_CREAT, 0600));
    }
    run(141, dir, m);
    run(220, dir, m);

    /* a buffer on a file mapping past end of file */
    snprintf(path, sizeof path, "%s/file", dir);
    int f = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (ftruncate(f, 4096)) return 1;
    char *file = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    show("getdents past EOF", syscall(141, fd, file + 4096, 4096));
    show("getdents64 past EOF", syscall(220, fd, file + 4096, 4096));
    show("getdents64 0x100 before EOF", syscall(220, fd, file + 4096 - 0x100, 4096));
    close(fd);
    close(f);

    scratch_dir_remove(dir);

    (void)argc;
    return rerun_no_int80(argv);
}
