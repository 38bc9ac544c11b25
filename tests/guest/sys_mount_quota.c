/* ue-test: variants=s2 d0 */
/* Quotas on an ext4 image (mkfs.ext4 -O quota, attached by losetup) mounted
 * in a private mount namespace: quotactl by device and quotactl_fd
 * with the i386 struct if_dqblk (68 bytes: eight u64 and a
 * u32, 4-aligned) and if_nextdqblk, Q_GETINFO, Q_GETFMT, the XFS-style
 * Q_XGETQSTAT (compat fs_quota_stat), and quotactl's errno cases. Without
 * CAP_SYS_ADMIN, mkfs.ext4 or loop devices the test prints what failed and stops. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/quota.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "errno_show.h"

#define NR_quotactl 131
#define NR_quotactl_fd 443
#define Q_GETNEXTQUOTA_ 0x800009
#define Q_XGETQSTAT_ 0x5805

struct nextdqblk { struct dqblk d; uint32_t id; };
struct qfilestat { uint64_t ino, nblks; uint32_t nextents; } __attribute__((packed));
struct quota_stat {
    int8_t version; uint8_t pad0; uint16_t flags; int8_t pad; uint8_t pad1[3];
    struct qfilestat u, g;
    uint32_t incoredqs; int32_t btimelimit, itimelimit, rtbtimelimit;
    uint16_t bwarnlimit, iwarnlimit;
} __attribute__((packed));

static char *hole;

static void detach(const char *dev)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "PATH=/usr/sbin:/sbin:$PATH; losetup -d %s", dev);
    if (system(cmd)) printf("losetup -d failed\n");
    unlink("img");
    rmdir("q");
}

static long qfd(int fd, int cmd, int type, int id, void *addr)
{
    return syscall(NR_quotactl_fd, fd, QCMD(cmd, type), id, addr);
}

int main(void)
{
    hole = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(hole + 4096, 4096);
    hole += 4096;
    SHOW("quotactl Q_SYNC all", syscall(NR_quotactl, QCMD(Q_SYNC, USRQUOTA), NULL, 0, NULL));
    SHOW("quotactl bad special", syscall(NR_quotactl, QCMD(Q_GETQUOTA, USRQUOTA), hole, 0, NULL));
    SHOW("quotactl missing special", syscall(NR_quotactl, QCMD(Q_GETQUOTA, USRQUOTA), "nothere", 0, NULL));
    SHOW("quotactl_fd bad fd", syscall(NR_quotactl_fd, -1, QCMD(Q_GETQUOTA, USRQUOTA), 0, NULL));
    if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
        printf("private mount namespace: %s: skipped\n", strerrorname_np(errno));
        return 0;
    }
    /* an ext4 image with quotas on a loop device, set up by the host's tools */
    if (system("PATH=/usr/sbin:/sbin:$PATH; mkfs.ext4 -q -F -O quota img 4M >/dev/null 2>&1 && losetup --find --show img > dev 2>/dev/null")) {
        printf("ext4 image on a loop device: not available: skipped\n");
        unlink("img");
        unlink("dev");
        return 0;
    }
    char dev[64] = "";
    FILE *f = fopen("dev", "r");
    if (!f || !fgets(dev, sizeof dev, f)) dev[0] = 0;
    if (f) fclose(f);
    unlink("dev");
    dev[strcspn(dev, "\n")] = 0;
    mkdir("q", 0755);
    if (mount(dev, "q", "ext4", 0, "")) {
        printf("mount ext4: %s: skipped\n", strerrorname_np(errno));
        detach(dev);
        return 0;
    }
    struct dqblk d0;
    SHOW("quotactl by device: Q_GETQUOTA uid 0", syscall(NR_quotactl, QCMD(Q_GETQUOTA, USRQUOTA), dev, 0, &d0));
    printf("  valid %#x\n", d0.dqb_valid);
    SHOW("quotactl by device: bad address", syscall(NR_quotactl, QCMD(Q_GETQUOTA, USRQUOTA), dev, 0, hole));
    int fd = open("q", O_RDONLY | O_DIRECTORY);
    struct dqblk d;
    memset(&d, 0x55, sizeof d);
    SHOW("Q_GETQUOTA uid 0", qfd(fd, Q_GETQUOTA, USRQUOTA, 0, &d));
    printf("  bhard %llu ihard %llu valid %#x\n", (unsigned long long)d.dqb_bhardlimit,
           (unsigned long long)d.dqb_ihardlimit, d.dqb_valid);
    memset(&d, 0, sizeof d);
    d.dqb_bhardlimit = 100;
    d.dqb_bsoftlimit = 80;
    d.dqb_ihardlimit = 50;
    d.dqb_isoftlimit = 40;
    d.dqb_valid = QIF_LIMITS;
    SHOW("Q_SETQUOTA uid 1000", qfd(fd, Q_SETQUOTA, USRQUOTA, 1000, &d));
    SHOW("Q_SETQUOTA bad pointer", qfd(fd, Q_SETQUOTA, USRQUOTA, 1000, hole));
    memset(&d, 0x55, sizeof d);
    SHOW("Q_GETQUOTA uid 1000", qfd(fd, Q_GETQUOTA, USRQUOTA, 1000, &d));
    printf("  bhard %llu bsoft %llu ihard %llu isoft %llu valid %#x\n", (unsigned long long)d.dqb_bhardlimit,
           (unsigned long long)d.dqb_bsoftlimit, (unsigned long long)d.dqb_ihardlimit,
           (unsigned long long)d.dqb_isoftlimit, d.dqb_valid);
    SHOW("Q_GETQUOTA bad pointer", qfd(fd, Q_GETQUOTA, USRQUOTA, 1000, hole));
    SHOW("Q_GETQUOTA ending at a hole", qfd(fd, Q_GETQUOTA, USRQUOTA, 1000, hole - 64));
    struct nextdqblk n;
    memset(&n, 0x55, sizeof n);
    SHOW("Q_GETNEXTQUOTA from 1", qfd(fd, Q_GETNEXTQUOTA_ >> 8, USRQUOTA, 1, &n));
    printf("  id %u bhard %llu valid %#x\n", n.id, (unsigned long long)n.d.dqb_bhardlimit, n.d.dqb_valid);
    struct dqinfo info;
    memset(&info, 0, sizeof info);
    SHOW("Q_GETINFO", qfd(fd, Q_GETINFO, USRQUOTA, 0, &info));
    printf("  bgrace %llu igrace %llu\n", (unsigned long long)info.dqi_bgrace, (unsigned long long)info.dqi_igrace);
    uint32_t fmt = 0;
    SHOW("Q_GETFMT", qfd(fd, Q_GETFMT, USRQUOTA, 0, &fmt));
    printf("  format %u\n", fmt);
    struct quota_stat qs;
    memset(&qs, 0x55, sizeof qs);
    long r = syscall(NR_quotactl_fd, fd, QCMD(Q_XGETQSTAT_, USRQUOTA), 0, &qs);
    printf("Q_XGETQSTAT: %s version %d flags %#x incore %u\n", r == 0 ? "0" : strerrorname_np(errno),
           qs.version, qs.flags, qs.incoredqs);
    SHOW("Q_GETQUOTA group", qfd(fd, Q_GETQUOTA, GRPQUOTA, 0, &d));
    SHOW("bad command", qfd(fd, 0x7777, USRQUOTA, 0, &d));
    SHOW("bad type", qfd(fd, Q_GETQUOTA, 9, 0, &d));
    close(fd);
    umount2("q", 0);
    detach(dev);
    return 0;
}
