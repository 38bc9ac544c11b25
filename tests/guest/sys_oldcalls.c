/* ue-test: variants=s2 d0 p2 */
/* The old i386 calls glibc has no wrappers for, raw through syscall():
 * oldstat (18), oldfstat (28), oldlstat (84) with struct __old_kernel_stat
 * and cp_old_stat's EOVERFLOW on a 16-bit inode or link count and its
 * truncations (size, times, 16-bit ids); oldolduname (59, 5 x 9 bytes),
 * olduname (109, 5 x 65 bytes); readdir (89: one old_linux_dirent per call,
 * 1 then 0 at the end, d_offset the entry's own position); restart_syscall
 * (0) with nothing to restart: EINTR; map_shadow_stack (453) ENOSYS. Each compared field by field with what
 * stat64, uname and getdents64 say. The program runs twice, the second
 * time with UE_NO_INT80=1 (ue reading directories without the host's i386
 * entry). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "rerun_no_int80.h"

struct old_stat {
    uint16_t dev, ino, mode, nlink, uid, gid, rdev, pad;
    uint32_t size, atime, mtime, ctime;
};
_Static_assert(sizeof(struct old_stat) == 32, "__old_kernel_stat");

static const char *en(int e)
{
    switch (e) {
    case 0: return "ok";
    case EFAULT: return "EFAULT";
    case EOVERFLOW: return "EOVERFLOW";
    case ENOENT: return "ENOENT";
    case EBADF: return "EBADF";
    case ENOTDIR: return "ENOTDIR";
    case EINTR: return "EINTR";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case ENOSYS: return "ENOSYS";
    default: return strerror(e);
    }
}

static long raw(long nr, long a, long b, long c)
{
    long r = syscall(nr, a, b, c);
    return r < 0 ? -errno : r;
}

static unsigned hi2lo(unsigned id) { return id > 0xffff ? 65534 : id; }

/* what cp_old_stat makes of st; the result the call must give */
static int expect(const struct stat64 *st, struct old_stat *o)
{
    memset(o, 0, sizeof *o);
    if ((uint16_t)st->st_ino != st->st_ino || st->st_nlink > 0xffff) return -EOVERFLOW;
    o->dev = (uint16_t)(major(st->st_dev) << 8 | minor(st->st_dev));
    o->ino = (uint16_t)st->st_ino;
    o->mode = (uint16_t)st->st_mode;
    o->nlink = (uint16_t)st->st_nlink;
    o->uid = hi2lo(st->st_uid);
    o->gid = hi2lo(st->st_gid);
    o->rdev = (uint16_t)(major(st->st_rdev) << 8 | minor(st->st_rdev));
    o->size = (uint32_t)st->st_size;
    o->atime = (uint32_t)st->st_atime;
    o->mtime = (uint32_t)st->st_mtime;
    o->ctime = (uint32_t)st->st_ctime;
    return 0;
}

static void check_stat(const char *what, long nr, long arg)
{
    struct stat64 st;
    int e = nr == 28 ? fstat64((int)arg, &st) : nr == 84 ? lstat64((const char *)arg, &st) : stat64((const char *)arg, &st);
    if (e) { printf("%s: stat64 fails\n", what); return; }
    struct old_stat want, got;
    int we = expect(&st, &want);
    memset(&got, 0xa5, sizeof got);
    long r = raw(nr, arg, (long)&got, 0);
    printf("%s: %s (expected %s)", what, en(-r), en(-we));
    if (!r && !we) printf(", fields %s", memcmp(&got, &want, sizeof got) ? "DIFFER" : "match");
    printf("\n");
    if (!r && !we && memcmp(&got, &want, sizeof got)) {
        const uint16_t *g = (const uint16_t *)&got, *w = (const uint16_t *)&want;
        for (int i = 0; i < 16; i++) if (g[i] != w[i]) printf("  halfword %d: %#x want %#x\n", i, g[i], w[i]);
    }
}

int main(int argc, char **argv)
{
    (void)argc;
    printf("pass %s\n", getenv("UE_NO_INT80") ? "2 (UE_NO_INT80=1)" : "1");
    /* restart_syscall with nothing to restart */
    printf("restart_syscall: %s\n", en(-raw(0, 0, 0, 0)));
    /* 64-bit only: the i386 entry is sys_ni_syscall */
    printf("map_shadow_stack: %s\n", en(-raw(453, 0, 4096, 0)));

    /* old stats: small-inode files are found in /, /dev and /proc; a
     * scratch file gets whatever its file system gives */
    int fd = open("big", O_CREAT | O_RDWR | O_TRUNC, 0600);
    ftruncate64(fd, 0x123456789LL);   /* size past 32 bits: truncated, no EOVERFLOW */
    symlink("big", "link");
    check_stat("oldstat /", 18, (long)"/");
    check_stat("oldstat /dev/null", 18, (long)"/dev/null");
    check_stat("oldstat /proc/self/stat", 18, (long)"/proc/self/stat");
    check_stat("oldstat big", 18, (long)"big");
    check_stat("oldlstat link", 84, (long)"link");
    check_stat("oldstat link", 18, (long)"link");
    check_stat("oldfstat big", 28, fd);
    int pfd[2];
    pipe(pfd);
    check_stat("oldfstat pipe", 28, pfd[0]);
    int dfd = open("/", O_RDONLY | O_DIRECTORY);
    check_stat("oldfstat /", 28, dfd);
    printf("oldstat missing: %s\n", en(-raw(18, (long)"nonexistent", (long)&(struct old_stat){0}, 0)));
    printf("oldstat bad path: %s\n", en(-raw(18, 16, (long)&(struct old_stat){0}, 0)));
    printf("oldstat / bad buf: %s\n", en(-raw(18, (long)"/", 16, 0)));
    printf("oldfstat bad fd: %s\n", en(-raw(28, 999, (long)&(struct old_stat){0}, 0)));
    printf("oldfstat bad fd, bad buf: %s\n", en(-raw(28, 999, 16, 0)));
    printf("oldlstat NULL buf: %s\n", en(-raw(84, (long)"link", 0, 0)));
    char longname[5000];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    printf("oldstat long name: %s\n", en(-raw(18, (long)longname, (long)&(struct old_stat){0}, 0)));
    unlink("link");
    unlink("big");
    close(fd);

    /* uname, old and older */
    struct utsname u;
    uname(&u);
    char old[5][65], oldold[5][9];
    memset(old, 0xa5, sizeof old);
    memset(oldold, 0xa5, sizeof oldold);
    long r1 = raw(109, (long)old, 0, 0), r2 = raw(59, (long)oldold, 0, 0);
    printf("olduname: %s, oldolduname: %s\n", en(-r1), en(-r2));
    const char *f[5] = { u.sysname, u.nodename, u.release, u.version, u.machine };
    int bad1 = 0, bad2 = 0;
    for (int i = 0; i < 5; i++) {
        if (memcmp(old[i], f[i], 65)) bad1++;
        char w[9] = { 0 };
        memcpy(w, f[i], 8);
        if (strlen(f[i]) < 8) memset(w + strlen(f[i]), 0, 9 - strlen(f[i]));
        if (memcmp(oldold[i], w, 9)) bad2++;
    }
    printf("olduname fields differ: %d, oldolduname fields differ: %d\n", bad1, bad2);
    printf("olduname NULL: %s, bad: %s\n", en(-raw(109, 0, 0, 0)), en(-raw(109, 16, 0, 0)));
    printf("oldolduname NULL: %s, bad: %s\n", en(-raw(59, 0, 0, 0)), en(-raw(59, 16, 0, 0)));
    char *pg = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(pg + 4096, 4096);
    memset(pg, 0x5a, 4096);
    printf("oldolduname end of page: %s", en(-raw(59, (long)(pg + 4096 - 20), 0, 0)));
    printf(", bytes before the fault: %s\n", !memcmp(pg + 4096 - 20, oldold, 20) ? "written" : "not written");


    /* readdir: a directory of known names */
    mkdir("d", 0700);
    static const char *names[] = { "alpha", "b", "a_rather_longer_name_than_the_rest_0123456789" };
    for (int i = 0; i < 3; i++) {
        char p[128];
        snprintf(p, sizeof p, "d/%s", names[i]);
        close(open(p, O_CREAT | O_WRONLY, 0600));
    }
    int d = open("d", O_RDONLY | O_DIRECTORY);
    struct { uint32_t ino, off; uint16_t namlen; char name[300]; } __attribute__((packed)) ent;
    int count = 0, bad = 0, seen = 0;
    for (;;) {
        memset(&ent, 0xa5, sizeof ent);
        long r = raw(89, d, (long)&ent, 1);
        if (r != 1) {
            printf("readdir end: %s %ld\n", r < 0 ? en(-r) : "returns", r);
            break;
        }
        count++;
        /* the entry's own position: seeking there reads it again */
        char name[300];
        strcpy(name, ent.name);
        off_t next = lseek(d, 0, SEEK_CUR);
        lseek(d, ent.off, SEEK_SET);
        if (raw(89, d, (long)&ent, 1) != 1 || strcmp(name, ent.name)) bad++;
        lseek(d, next, SEEK_SET);
        if (ent.namlen != strlen(ent.name)) bad++;

        struct stat64 st;
        char p[400];
        snprintf(p, sizeof p, "d/%s", ent.name);
        if (stat64(p, &st) || (uint32_t)st.st_ino != ent.ino) bad++;
        for (int i = 0; i < 3; i++) if (!strcmp(ent.name, names[i])) seen |= 1 << i;
        if (!strcmp(ent.name, ".")) seen |= 8;
        if (!strcmp(ent.name, "..")) seen |= 16;
        if (count > 10) break;
    }
    printf("readdir: %d entries, seen %#x, bad fields %d\n", count, seen, bad);
    printf("readdir again at end: %ld\n", raw(89, d, (long)&ent, 1));
    lseek(d, 0, SEEK_SET);
    printf("readdir bad buf: %s\n", en(-raw(89, d, 16, 1)));
    char first[300];
    printf("readdir after EFAULT: %ld, name %s\n", raw(89, d, (long)&ent, 0), ent.name[0] ? "set" : "empty");
    strcpy(first, ent.name);
    lseek(d, 0, SEEK_SET);
    memset(pg, 0x5a, 4096);
    printf("readdir into the end of a page: %s", en(-raw(89, d, (long)(pg + 4096 - 8), 1)));
    printf(", d_ino %s, d_offset %s", memcmp(pg + 4088, "\x5a\x5a\x5a\x5a", 4) ? "written" : "not written",
           memcmp(pg + 4092, "\x5a\x5a\x5a\x5a", 4) ? "written" : "not written");
    memset(&ent, 0, sizeof ent);
    raw(89, d, (long)&ent, 1);
    printf(", then the same entry: %d\n", !strcmp(first, ent.name));
    off_t p1 = lseek(d, 0, SEEK_CUR);
    lseek(d, 0, SEEK_SET);
    raw(89, d, (long)&ent, 1);
    printf("position after one: same as before %d\n", lseek(d, 0, SEEK_CUR) == p1);
    printf("readdir bad fd: %s\n", en(-raw(89, 999, (long)&ent, 1)));
    printf("readdir bad fd, bad buf: %s\n", en(-raw(89, 999, 16, 1)));
    printf("readdir on a file: %s\n", en(-raw(89, pfd[1], (long)&ent, 1)));
    int nf = open("d/b", O_RDONLY);
    printf("readdir on a regular file: %s\n", en(-raw(89, nf, (long)&ent, 1)));
    close(nf);
    close(d);
    for (int i = 0; i < 3; i++) {
        char p[128];
        snprintf(p, sizeof p, "d/%s", names[i]);
        unlink(p);
    }
    rmdir("d");
    return rerun_no_int80(argv);
}
