/* ue-test: variants=s2 d0 */
/* ioctl on files, pipes, namespaces and pidfds: FIONREAD/FIONBIO/FIOCLEX/
 * FIONCLEX/FIOASYNC/FIGETBSZ/FIOQSIZE, FS_IOC32_GETFLAGS (an int on both
 * ABIs), FS_IOC_FSGETXATTR, FS_IOC_RESVSP64 (a packed i386 struct),
 * FS_IOC_FIEMAP, NS_GET_NSTYPE/NS_GET_USERNS/NS_GET_OWNER_UID/NS_GET_PARENT,
 * PIDFD_GET_INFO (fields that do not vary) and PIDFD_GET_*_NAMESPACE, bad
 * pointers (EFAULT, or ENOTTY first when the fd has no such request), bad
 * fds, and numbers outside ue's table (doc/ioctl.md's rule). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "include/errno_show.h"

#define SHOW_IO(what, fd, req, arg) SHOW(what, ioctl(fd, req, arg))
#define BAD ((void *)16)

#define NSIO 0xb7
#define NS_GET_USERNS _IO(NSIO, 0x1)
#define NS_GET_PARENT _IO(NSIO, 0x2)
#define NS_GET_NSTYPE _IO(NSIO, 0x3)
#define NS_GET_OWNER_UID _IO(NSIO, 0x4)

struct pidfd_info {
    uint64_t mask, cgroupid;
    uint32_t pid, tgid, ppid, ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid;
    int32_t exit_code;
    uint32_t coredump_mask, spare1;
};
#define PIDFD_GET_INFO_V0 _IOWR(0xFF, 11, char[64])
#define PIDFD_GET_INFO_V1 _IOWR(0xFF, 11, struct pidfd_info)
#define PIDFD_GET_PID_NAMESPACE _IO(0xFF, 5)
#define PIDFD_GET_UTS_NAMESPACE _IO(0xFF, 10)

static void ns_checks(void)
{
    static const char *names[] = { "net", "uts", "ipc", "pid", "user", "mnt", "cgroup", "time" };
    for (unsigned k = 0; k < sizeof names / sizeof names[0]; k++) {
        char path[64];
        snprintf(path, sizeof path, "/proc/self/ns/%s", names[k]);
        int fd = open(path, O_RDONLY);
        if (fd < 0) { printf("open %s: %s\n", path, strerrorname_np(errno)); continue; }
        printf("NS_GET_NSTYPE %-6s %#lx\n", names[k], (long)ioctl(fd, NS_GET_NSTYPE));
        close(fd);
    }
    int net = open("/proc/self/ns/net", O_RDONLY);
    int user = ioctl(net, NS_GET_USERNS);
    printf("NS_GET_USERNS: %s\n", user >= 0 ? "fd" : strerrorname_np(errno));
    uint32_t uid = 12345;
    SHOW_IO("NS_GET_OWNER_UID", user, NS_GET_OWNER_UID, &uid);
    printf("owner uid %u\n", uid);
    SHOW_IO("NS_GET_OWNER_UID bad pointer", user, NS_GET_OWNER_UID, BAD);
    SHOW_IO("NS_GET_OWNER_UID on a net ns", net, NS_GET_OWNER_UID, &uid);
    int parent = ioctl(user, NS_GET_PARENT);
    printf("NS_GET_PARENT: %s\n", parent >= 0 ? "fd" : strerrorname_np(errno));
    SHOW_IO("NS_GET_NSTYPE on a pipe", 0, NS_GET_NSTYPE, 0);
    close(net);
    close(user);
    if (parent >= 0) close(parent);
}

static void pidfd_checks(void)
{
    int p[2];
    if (pipe(p)) return;
    pid_t child = fork();
    if (child == 0) {
        char c;
        close(p[1]);
        read(p[0], &c, 1);
        _exit(0);
    }
    close(p[0]);
    int pfd = syscall(SYS_pidfd_open, child, 0);
    if (pfd < 0) { printf("pidfd_open: %s\n", strerrorname_np(errno)); goto out; }
    struct pidfd_info info;
    memset(&info, 0, sizeof info);
    info.mask = 1 | 2 | 4;   /* PIDFD_INFO_PID, CREDS, CGROUPID */
    long r = ioctl(pfd, PIDFD_GET_INFO_V0, &info);
    printf("PIDFD_GET_INFO(64) %ld %s\n", r, r < 0 ? strerrorname_np(errno) : "");
    if (r == 0)
        printf(" mask&7 %#llx pid %d tgid %d ppid %d ruid %u euid %u rgid %u\n",
               (unsigned long long)(info.mask & 7), info.pid == (uint32_t)child,
               info.tgid == (uint32_t)child, info.ppid == (uint32_t)getpid(), info.ruid, info.euid, info.rgid);
    memset(&info, 0, sizeof info);
    info.mask = 1;
    r = ioctl(pfd, PIDFD_GET_INFO_V1, &info);
    printf("PIDFD_GET_INFO(72) %ld %s pid %d\n", r, r < 0 ? strerrorname_np(errno) : "", info.pid == (uint32_t)child);
    SHOW_IO("PIDFD_GET_INFO bad pointer", pfd, PIDFD_GET_INFO_V0, BAD);
    SHOW_IO("PIDFD_GET_INFO on a pipe", p[1], PIDFD_GET_INFO_V0, &info);
    int ns = ioctl(pfd, PIDFD_GET_PID_NAMESPACE, 0);
    printf("PIDFD_GET_PID_NAMESPACE: %s", ns >= 0 ? "fd" : strerrorname_np(errno));
    if (ns >= 0) { printf(" type %#x", ioctl(ns, NS_GET_NSTYPE)); close(ns); }
    ns = ioctl(pfd, PIDFD_GET_UTS_NAMESPACE, 0);
    printf("\nPIDFD_GET_UTS_NAMESPACE: %s", ns >= 0 ? "fd" : strerrorname_np(errno));
    if (ns >= 0) { printf(" type %#x", ioctl(ns, NS_GET_NSTYPE)); close(ns); }
    printf("\n");
    close(pfd);
out:
    close(p[1]);
    waitpid(child, NULL, 0);
}

int main(void)
{
    int p[2];
    if (pipe(p)) return 1;
    int n = -1;
    write(p[1], "seven!!", 7);
    SHOW_IO("FIONREAD pipe", p[0], FIONREAD, &n);
    printf("  %d\n", n);
    SHOW_IO("FIONREAD bad pointer", p[0], FIONREAD, BAD);
    SHOW_IO("FIONREAD bad fd", 99, FIONREAD, &n);
    int on = 1;
    SHOW_IO("FIONBIO on", p[0], FIONBIO, &on);
    char buf[16];
    read(p[0], buf, sizeof buf);
    SHOW("read empty nonblocking", read(p[0], buf, 1));
    SHOW_IO("FIONBIO bad pointer", p[0], FIONBIO, BAD);
    SHOW_IO("FIOCLEX", p[0], FIOCLEX, 0);
    printf("  FD_CLOEXEC %d\n", fcntl(p[0], F_GETFD));
    SHOW_IO("FIONCLEX", p[0], FIONCLEX, 0);
    printf("  FD_CLOEXEC %d\n", fcntl(p[0], F_GETFD));
    on = 0;
    SHOW_IO("FIOASYNC off", p[0], FIOASYNC, &on);
    SHOW_IO("TCGETS pipe", p[0], TCGETS, buf);
    SHOW_IO("TCGETS pipe bad pointer", p[0], TCGETS, BAD);

    int fd = open("ioctl_misc.tmp", O_RDWR | O_CREAT | O_TRUNC, 0600);
    write(fd, "0123456789", 10);
    lseek(fd, 3, SEEK_SET);
    SHOW_IO("FIONREAD file", fd, FIONREAD, &n);
    printf("  %d\n", n);
    int bsz = 0;
    SHOW_IO("FIGETBSZ", fd, FIGETBSZ, &bsz);
    printf("  block size > 0: %d\n", bsz > 0);
    long long q = -1;
    SHOW_IO("FIOQSIZE", fd, FIOQSIZE, &q);
    int flags = -1;
    SHOW_IO("FS_IOC32_GETFLAGS", fd, 0x80046601, &flags);
    printf("  flags %#x\n", flags);
    SHOW_IO("FS_IOC32_GETFLAGS bad pointer", fd, 0x80046601, BAD);
    SHOW_IO("FS_IOC_GETFLAGS (64-bit number)", fd, 0x80086601, &q);
    SHOW_IO("FS_IOC32_GETFLAGS pipe", p[0], 0x80046601, &flags);
    SHOW_IO("FS_IOC32_GETVERSION", fd, 0x80047601, &flags);
    SHOW_IO("FICLONE itself", fd, 0x40049409, fd);
    struct fsxattr fx;
    memset(&fx, 0, sizeof fx);
    SHOW_IO("FS_IOC_FSGETXATTR", fd, FS_IOC_FSGETXATTR, &fx);
    printf("  xflags %#x extsize %u\n", fx.fsx_xflags, fx.fsx_extsize);
    char label[FSLABEL_MAX];
    SHOW_IO("FS_IOC_GETFSLABEL", fd, FS_IOC_GETFSLABEL, label);

    /* FS_IOC_RESVSP: struct space_resv's 64-bit fields 4-aligned on i386 */
    struct { short l_type, l_whence; long long l_start, l_len; int l_sysid; unsigned l_pid; int l_pad[4]; }
        __attribute__((packed, aligned(4))) resv = { 0, SEEK_SET, 0, 64 * 1024, 0, 0, { 0 } };
    printf("sizeof(struct space_resv) %zu\n", sizeof resv);
    SHOW_IO("FS_IOC_RESVSP64 64 KiB", fd, _IOW('X', 42, resv), &resv);
    struct stat st;
    fstat(fd, &st);
    printf("  size %lld blocks >= 128: %d\n", (long long)st.st_size, st.st_blocks >= 128);
    resv.l_start = -1;
    SHOW_IO("FS_IOC_RESVSP64 negative start", fd, _IOW('X', 42, resv), &resv);
    SHOW_IO("FS_IOC_RESVSP64 bad pointer", fd, _IOW('X', 42, resv), BAD);

    /* FS_IOC_FIEMAP: a header, then as many extents as it says */
    fsync(fd);
    struct { struct fiemap fm; struct fiemap_extent ext[4]; } map;
    memset(&map, 0, sizeof map);
    map.fm.fm_length = ~0ULL;
    map.fm.fm_flags = FIEMAP_FLAG_SYNC;
    map.fm.fm_extent_count = 4;
    SHOW_IO("FS_IOC_FIEMAP", fd, FS_IOC_FIEMAP, &map);
    /* how ext4 splits written and preallocated blocks varies: only the shape */
    unsigned mapped = map.fm.fm_mapped_extents;
    printf("  mapped >= 1: %d first at 0: %d last flagged: %d\n", mapped >= 1, map.ext[0].fe_logical == 0,
           mapped >= 1 && mapped <= 4 && (map.ext[mapped - 1].fe_flags & FIEMAP_EXTENT_LAST));
    map.fm.fm_extent_count = 0;
    SHOW_IO("FS_IOC_FIEMAP count only", fd, FS_IOC_FIEMAP, &map);
    printf("  same count %d\n", map.fm.fm_mapped_extents == mapped);
    SHOW_IO("FS_IOC_FIEMAP bad pointer", fd, FS_IOC_FIEMAP, BAD);

    /* outside ue's table: an unknown _IOR/_IO on a pipe and a file, a bad fd */
    SHOW_IO("_IOR('z', 1, int) pipe", p[0], _IOR('z', 1, int), &n);
    SHOW_IO("_IOR('z', 1, int) file", fd, _IOR('z', 1, int), &n);
    SHOW_IO("_IOWR('z', 3, 12) bad pointer", fd, _IOWR('z', 3, char[12]), BAD);
    SHOW_IO("_IO('z', 2) pipe", p[0], _IO('z', 2), 7);
    SHOW_IO("_IO('z', 2) bad fd", 99, _IO('z', 2), 7);
    /* an unknown old-style tty number: ue warns on stderr, sent elsewhere here */
    fflush(stdout);
    int err = dup(2), null = open("/dev/null", O_WRONLY);
    dup2(null, 2);
    errno = 0;
    long r = ioctl(p[0], 0x54ff, 0);
    long rb = ioctl(99, 0x54ff, 0);
    int e = errno;
    dup2(err, 2);
    printf("0x54ff pipe %ld, bad fd %ld %s\n", r, rb, strerrorname_np(e));
    SHOW_IO("UFFDIO_API on a pipe", p[0], _IOWR(0xAA, 0x3F, char[24]), buf);
    close(fd);
    unlink("ioctl_misc.tmp");

    ns_checks();
    pidfd_checks();
    return 0;
}
