/* ue-test: variants=all */
/* Directories: mkdir (EEXIST), readdir (sorted), getdents64 raw, rename of
 * files and directories (over an existing file), link/symlink/readlink
 * (truncation, EINVAL on a non-link), unlink of a directory (EISDIR), rmdir
 * (ENOTEMPTY, ENOTDIR), renameat, mkdirat, unlinkat AT_REMOVEDIR. */
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

#define CHECK(x) do { long _r = (long)(x); printf("%-44s = %ld%s%s\n", #x, _r, _r < 0 ? " " : "", _r < 0 ? strerrorname_np(errno) : ""); } while (0)

static int cmp(const void *a, const void *b) { return strcmp(*(char **)a, *(char **)b); }

static void list(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        printf("opendir %s: %s\n", dir, strerrorname_np(errno));
        return;
    }
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 64) {
        char t = e->d_type == DT_DIR ? 'd' : e->d_type == DT_REG ? 'f' : e->d_type == DT_LNK ? 'l' : '?';
        names[n] = malloc(300);
        snprintf(names[n], 300, "%s(%c)", e->d_name, t);
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmp);
    printf("%s:", dir);
    for (int i = 0; i < n; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
}

int main(void)
{
    CHECK(mkdir("d", 0755));
    CHECK(mkdir("d", 0755));
    CHECK(mkdir("d/sub", 0700));
    for (int i = 0; i < 20; i++) {
        char name[64];
        snprintf(name, sizeof name, "d/file%02d", i * 7 % 20);
        close(open(name, O_CREAT | O_WRONLY, 0644));
    }
    list("d");
    /* raw getdents64 in a small buffer: several calls */
    int fd = open("d", O_RDONLY | O_DIRECTORY);
    char buf[200];
    int total = 0, calls = 0;
    long r;
    while ((r = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
        calls++;
        for (long off = 0; off < r;) {
            uint16_t reclen = *(uint16_t *)(buf + off + 16);
            total++;
            off += reclen;
        }
    }
    printf("getdents64: %d entries in more than one call: %d, last r=%ld\n", total, calls > 1, r);
    lseek(fd, 0, SEEK_SET);
    r = syscall(SYS_getdents64, fd, buf, 10);
    printf("getdents64 tiny buffer: r=%ld %s\n", r, r < 0 ? strerrorname_np(errno) : "");
    close(fd);
    CHECK(rename("d/file00", "d/renamed"));
    CHECK(rename("d/file01", "d/file02"));
    CHECK(rename("d/missing", "d/x"));
    CHECK(rename("d/sub", "d/sub2"));
    CHECK(link("d/renamed", "d/hard"));
    CHECK(link("d/renamed", "d/hard"));
    CHECK(symlink("renamed", "d/soft"));
    char target[64];
    memset(target, 0, sizeof target);
    CHECK(readlink("d/soft", target, sizeof target));
    printf("readlink: %s\n", target);
    memset(target, 0, sizeof target);
    CHECK(readlink("d/soft", target, 3));
    printf("readlink truncated: %s\n", target);
    CHECK(readlink("d/renamed", target, sizeof target));
    list("d");
    CHECK(rmdir("d"));
    CHECK(unlink("d/sub2"));
    CHECK(rmdir("d/renamed"));
    int dfd = open("d", O_RDONLY | O_DIRECTORY);
    CHECK(mkdirat(dfd, "at", 0755));
    CHECK(renameat(dfd, "at", dfd, "at2"));
    CHECK(unlinkat(dfd, "at2", AT_REMOVEDIR));
    CHECK(unlinkat(dfd, "hard", 0));
    close(dfd);
    DIR *d = opendir("d");
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char p[300];
        snprintf(p, sizeof p, "d/%s", e->d_name);
        if (e->d_type == DT_DIR)
            rmdir(p);
        else
            unlink(p);
    }
    closedir(d);
    list("d");
    CHECK(rmdir("d"));
    CHECK(rmdir("d"));
    return 0;
}
