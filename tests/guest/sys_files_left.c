/* ue-test: variants=s2 d0 p2 */
/* Files written and left in the work dir, which the harness compares between
 * the native and the ue run (names, types, modes, link targets, contents):
 * write/pwrite with a hole, writev, a MAP_SHARED store, ftruncate both ways,
 * fchmod and umask, a directory, a symlink, a rename and a hard link.  Nothing
 * is printed about the contents: only the files can show a difference. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

static int made;

static void ok(int r, const char *what)
{
    if (r < 0) perror(what);
    else made++;
}

int main(void)
{
    int fd = open("plain.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    ok(fd, "open plain");
    ok(write(fd, "first line\n", 11), "write");
    ok(pwrite(fd, "after a hole\n", 13, 5000), "pwrite");
    struct iovec iov[2] = {{"vec", 3}, {"tored\n", 6}};
    ok(writev(fd, iov, 2), "writev");
    close(fd);

    fd = open("mapped.bin", O_CREAT | O_RDWR | O_TRUNC, 0600);
    ok(fd, "open mapped");
    ok(ftruncate(fd, 8192), "ftruncate up");
    unsigned char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
        perror("mmap");
    } else {
        for (int i = 0; i < 8192; i++)
            p[i] = (unsigned char)(i * 31 + (i >> 7));
        ok(msync(p, 8192, MS_SYNC), "msync");
        munmap(p, 8192);
    }
    ok(ftruncate(fd, 6000), "ftruncate down");
    ok(fchmod(fd, 0640), "fchmod");
    close(fd);

    umask(027);
    ok(mkdir("sub", 0777), "mkdir");
    fd = open("sub/inner", O_CREAT | O_WRONLY | O_EXCL, 0666);
    ok(fd, "open inner");
    ok(write(fd, "in a subdirectory\n", 18), "write inner");
    close(fd);
    ok(symlink("../plain.txt", "sub/link"), "symlink");
    ok(rename("sub/inner", "sub/renamed"), "rename");
    ok(link("plain.txt", "hard.txt"), "link");
    printf("%d steps done\n", made);
    return 0;
}
