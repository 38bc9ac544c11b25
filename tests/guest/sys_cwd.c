/* ue-test: variants=s2 d0 p2 */
/* getcwd/chdir/fchdir: paths relative to the starting directory, getcwd with
 * a too small buffer (ERANGE), chdir to a file (ENOTDIR) and to a missing
 * directory (ENOENT), relative opens after chdir, ".." back up. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static char start[4096];

static void where(const char *label)
{
    char buf[4096];
    if (!getcwd(buf, sizeof buf)) {
        printf("%s: getcwd failed %s\n", label, strerrorname_np(errno));
        return;
    }
    size_t n = strlen(start);
    printf("%s: %s\n", label, strncmp(buf, start, n) == 0 ? buf[n] ? buf + n : "(start)" : "(outside start)");
}

int main(void)
{
    getcwd(start, sizeof start);
    printf("absolute: %d\n", start[0] == '/');
    mkdir("a", 0755);
    mkdir("a/b", 0755);
    close(open("a/b/file", O_CREAT | O_WRONLY, 0644));
    where("at start");
    printf("chdir a/b: %d\n", chdir("a/b"));
    where("after chdir");
    printf("open relative: %d\n", access("file", F_OK));
    printf("chdir ..: %d\n", chdir(".."));
    where("after ..");
    int fd = open("b", O_RDONLY | O_DIRECTORY);
    chdir(start);
    printf("fchdir: %d\n", fchdir(fd));
    where("after fchdir");
    close(fd);
    char small[4];
    errno = 0;
    char *g = getcwd(small, sizeof small);
    printf("getcwd small: %s %s\n", g ? "ok" : "NULL", strerrorname_np(errno));
    long r = syscall(SYS_getcwd, small, 2);
    printf("raw getcwd small: %ld %s\n", r, r < 0 ? strerrorname_np(errno) : "");
    char big[4096];
    r = syscall(SYS_getcwd, big, sizeof big);
    printf("raw getcwd returns length+1: %d\n", r == (long)strlen(big) + 1);
    int c = chdir("file");
    printf("chdir file: %d %s\n", c, strerrorname_np(errno));
    c = chdir("missing");
    printf("chdir missing: %d %s\n", c, strerrorname_np(errno));
    chdir(start);
    where("back");
    unlink("a/b/file");
    rmdir("a/b");
    rmdir("a");
    return 0;
}
