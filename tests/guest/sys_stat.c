/* ue-test: variants=all */
/* stat/fstat/lstat on a file, a directory, a symlink, a FIFO and /dev/null:
 * the stable fields (size, mode, nlink, file type, rdev major/minor of
 * /dev/null), through glibc and through the raw i386 calls (stat 106,
 * stat64 195, lstat64 196, fstat64 197, fstatat64 300, statx 383). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static void show(const char *what, int r, const struct stat *st)
{
    if (r < 0) {
        printf("%-22s error %s\n", what, strerror(errno));
        return;
    }
    const char *t = S_ISREG(st->st_mode) ? "reg" : S_ISDIR(st->st_mode) ? "dir" : S_ISLNK(st->st_mode) ? "lnk"
                  : S_ISFIFO(st->st_mode) ? "fifo" : S_ISCHR(st->st_mode) ? "chr" : "other";
    printf("%-22s %-4s mode=%06o nlink=%lu size=%lld", what, t, (unsigned)st->st_mode, (unsigned long)st->st_nlink,
           S_ISDIR(st->st_mode) ? -1LL : (long long)st->st_size);
    if (S_ISCHR(st->st_mode))
        printf(" rdev=%u,%u", major(st->st_rdev), minor(st->st_rdev));
    printf("\n");
}

/* The i386 kernel's struct stat (old, 106) and struct stat64 (195-197, 300). */
struct k_stat {
    uint16_t st_dev, pad1;
    uint32_t st_ino;
    uint16_t st_mode, st_nlink, st_uid, st_gid, st_rdev, pad2;
    uint32_t st_size, st_blksize, st_blocks, k_atime, k_atime_nsec, k_mtime, k_mtime_nsec, k_ctime,
        k_ctime_nsec, unused4, unused5;
};
struct k_stat64 {
    uint64_t st_dev;
    uint8_t pad0[4];
    uint32_t __st_ino, st_mode, st_nlink, st_uid, st_gid;
    uint64_t st_rdev;
    uint8_t pad3[4];
    int64_t st_size;
    uint32_t st_blksize;
    uint64_t st_blocks;
    uint32_t k_atime, k_atime_nsec, k_mtime, k_mtime_nsec, k_ctime, k_ctime_nsec;
    uint64_t st_ino;
} __attribute__((packed));

int main(void)
{
    int fd = open("file", O_CREAT | O_WRONLY | O_TRUNC, 0640);
    write(fd, "0123456789", 10);
    mkdir("dir", 0751);
    symlink("file", "link");
    symlink("nowhere", "dangling");
    link("file", "hardlink");
    mkfifo("fifo", 0600);
    struct stat st;
    show("stat file", stat("file", &st), &st);
    show("fstat file", fstat(fd, &st), &st);
    show("stat dir", stat("dir", &st), &st);
    show("stat link", stat("link", &st), &st);
    show("lstat link", lstat("link", &st), &st);
    printf("lstat link size = strlen(target): %d\n", (int)st.st_size == 4);
    show("stat dangling", stat("dangling", &st), &st);
    show("lstat dangling", lstat("dangling", &st), &st);
    show("stat fifo", stat("fifo", &st), &st);
    show("stat /dev/null", stat("/dev/null", &st), &st);
    show("fstatat AT_FDCWD", fstatat(AT_FDCWD, "file", &st, 0), &st);
    int dfd = open(".", O_RDONLY | O_DIRECTORY);
    show("fstatat dirfd nofollow", fstatat(dfd, "link", &st, AT_SYMLINK_NOFOLLOW), &st);
    show("fstatat EMPTY_PATH", fstatat(fd, "", &st, AT_EMPTY_PATH), &st);
    show("stat missing", stat("missing", &st), &st);
    show("stat file/x", stat("file/x", &st), &st);

    struct k_stat ks;
    memset(&ks, 0, sizeof ks);
    long r = syscall(106, "file", &ks);
    printf("raw stat(106): r=%ld mode=%06o nlink=%u size=%u\n", r, ks.st_mode, ks.st_nlink, ks.st_size);
    struct k_stat64 k64;
    memset(&k64, 0, sizeof k64);
    r = syscall(195, "file", &k64);
    printf("raw stat64(195): r=%ld size-of-struct=%u mode=%06o nlink=%u size=%lld ino-match=%d\n", r,
           (unsigned)sizeof k64, k64.st_mode, k64.st_nlink, (long long)k64.st_size, k64.st_ino != 0 && (uint32_t)k64.st_ino == k64.__st_ino);
    r = syscall(196, "link", &k64);
    printf("raw lstat64(196): r=%ld mode=%06o size=%lld\n", r, k64.st_mode, (long long)k64.st_size);
    r = syscall(197, fd, &k64);
    printf("raw fstat64(197): r=%ld mode=%06o size=%lld\n", r, k64.st_mode, (long long)k64.st_size);
    r = syscall(300, AT_FDCWD, "dir", &k64, 0);
    printf("raw fstatat64(300): r=%ld mode=%06o nlink=%u\n", r, k64.st_mode, k64.st_nlink);
    struct statx sx;
    memset(&sx, 0, sizeof sx);
    r = syscall(383, AT_FDCWD, "file", 0, STATX_BASIC_STATS, &sx);
    printf("raw statx(383): r=%ld mask-has-size=%d mode=%06o nlink=%u size=%llu\n", r, !!(sx.stx_mask & STATX_SIZE),
           sx.stx_mode, sx.stx_nlink, (unsigned long long)sx.stx_size);
    r = syscall(195, "missing", &k64);
    printf("raw stat64 missing: r=%ld errno=%d\n", r, errno);
    close(fd);
    close(dfd);
    unlink("file"); unlink("hardlink"); unlink("link"); unlink("dangling"); unlink("fifo"); rmdir("dir");
    return 0;
}
