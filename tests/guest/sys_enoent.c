/* ue-test: variants=s2 d0 p2 */
/* Missing files and other path errors, with errno names and glibc's messages:
 * open/stat/unlink/rmdir/readlink/chdir/rename of missing paths (ENOENT), a
 * path through a file (ENOTDIR), an empty path (ENOENT), a too long name
 * (ENAMETOOLONG), EACCES for X_OK and exec of a non-executable file (even as
 * root), O_CREAT in a missing directory, fopen and perror. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define E(expr) do { errno = 0; long _r = (long)(expr); printf("%-40s %ld %s (%s)\n", #expr, _r, strerrorname_np(errno), strerror(errno)); } while (0)

int main(void)
{
    struct stat st;
    char buf[64];
    close(open("file", O_CREAT | O_WRONLY, 0644));
    E(open("missing", O_RDONLY));
    E(open("missing/x", O_CREAT | O_WRONLY, 0644));
    E(open("file/x", O_RDONLY));
    E(open("", O_RDONLY));
    E(stat("missing", &st));
    E(lstat("", &st));
    E(unlink("missing"));
    E(rmdir("missing"));
    E(readlink("missing", buf, sizeof buf));
    E(chdir("missing"));
    E(rename("missing", "other"));
    E(access("missing", F_OK));
    E(access("file", X_OK));
    E(mkdir("missing/sub", 0755));
    char longname[400];
    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    E(open(longname, O_RDONLY));
    E(execl("missing", "missing", (char *)NULL));
    E(execl("file", "file", (char *)NULL));
    FILE *f = fopen("missing", "r");
    printf("fopen: %p\n", (void *)f);
    perror("perror says");
    fprintf(stderr, "strerror(ENOENT)=%s\n", strerror(ENOENT));
    unlink("file");
    return 0;
}
