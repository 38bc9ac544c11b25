/* ue-test: variants=s2 d0 */
/* Mounts, in a private mount namespace of their own (nothing reaches the
 * host's): a tmpfs with mount(2) and umount2(MNT_DETACH), the new mount API
 * (fsopen, fsconfig, fsmount, move_mount), open_tree(OPEN_TREE_CLONE),
 * statmount and listmount of the new mount, mount_setattr to read-only,
 * file handles, sysfs and ustat; the errno cases (bad flags, bad pointers,
 * unknown file system types). Without CAP_SYS_ADMIN unshare fails: the test
 * says so and stops, natively and under ue alike. */
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
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "errno_show.h"

#define NR_umount 22
#define NR_ustat 62
#define NR_sysfs 135
#define NR_open_tree 428
#define NR_move_mount 429
#define NR_fsopen 430
#define NR_fsconfig 431
#define NR_fsmount 432
#define NR_fspick 433
#define NR_mount_setattr 442
#define NR_statmount 457
#define NR_listmount 458
#define NR_open_tree_attr 467

#define STATMOUNT_SB_BASIC 1
#define STATMOUNT_MNT_BASIC 2
#define STATMOUNT_MNT_POINT 0x10
#define STATMOUNT_FS_TYPE 0x20

struct mnt_id_req { uint32_t size, spare; uint64_t mnt_id, param; };
/* the fields of struct statmount printed here; strings start at 512 */
struct statmount_head {
    uint32_t size, mnt_opts; uint64_t mask;
    uint32_t dev_major, dev_minor; uint64_t sb_magic;
    uint32_t sb_flags, fs_type; uint64_t mnt_id, mnt_parent_id;
    uint32_t id_old, parent_old; uint64_t mnt_attr;
    uint64_t propagation, peer_group, master, propagate_from;
    uint32_t mnt_root, mnt_point;
};

static char *hole;   /* an inaccessible page */

static uint64_t mount_id(const char *path)
{
    struct statx sx;
    if (statx(AT_FDCWD, path, 0, 0x4000 /* STATX_MNT_ID_UNIQUE */, &sx)) return 0;
    return sx.stx_mnt_id;
}

static void old_api(void)
{
    mkdir("m", 0755);
    SHOW("mount tmpfs m", mount("tmpfs", "m", "tmpfs", 0, "size=1m,mode=755"));
    int fd = open("m/f", O_CREAT | O_WRONLY, 0644);
    SHOW("write m/f", write(fd, "hello", 5));
    close(fd);
    SHOW("umount2 bad flags", umount2("m", 0x100));
    SHOW("umount2 MNT_EXPIRE|MNT_FORCE", umount2("m", MNT_EXPIRE | MNT_FORCE));
    SHOW("umount2 m MNT_DETACH", umount2("m", MNT_DETACH));
    SHOW("m/f after umount", access("m/f", F_OK));
    SHOW("mount data at a bad address", mount("tmpfs", "m", "tmpfs", 0, hole));
    SHOW("mount type at a bad address", mount("tmpfs", "m", hole, 0, NULL));
    SHOW("mount target at a bad address", mount("tmpfs", hole, "tmpfs", 0, NULL));
    SHOW("mount unknown type", mount("none", "m", "nosuchfs_ue", 0, NULL));
    SHOW("mount missing target", mount("tmpfs", "nothere", "tmpfs", 0, NULL));
    /* data: a page is copied, whatever follows is not read */
    char *data = hole - 16;
    strcpy(data, "size=2m,mode=7");
    data[15] = '5';
    SHOW("mount data ending at a hole", mount("tmpfs", "m", "tmpfs", 0, data));
    SHOW("umount(22) m", syscall(NR_umount, "m"));
    SHOW("umount(22) not a mount point", syscall(NR_umount, "."));
    SHOW("umount(22) bad address", syscall(NR_umount, hole));
    SHOW("bind mount m on m", mount("m", "m", NULL, MS_BIND, NULL));
    SHOW("umount2 m", umount2("m", 0));
    rmdir("m");
}

static void new_api(void)
{
    mkdir("n", 0755);
    mkdir("o", 0755);
    SHOW("fsopen unknown type", syscall(NR_fsopen, "nosuchfs_ue", 0));
    SHOW("fsopen bad flags", syscall(NR_fsopen, "tmpfs", 0x10));
    SHOW("fsopen bad name", syscall(NR_fsopen, hole, 0));
    int fs = syscall(NR_fsopen, "tmpfs", 1);
    printf("fsopen tmpfs: %s\n", fs >= 0 ? "fd" : strerrorname_np(errno));
    SHOW("fsconfig size string", syscall(NR_fsconfig, fs, FSCONFIG_SET_STRING, "size", "1m", 0));
    SHOW("fsconfig bad key", syscall(NR_fsconfig, fs, FSCONFIG_SET_STRING, hole, "1m", 0));
    SHOW("fsconfig bad value", syscall(NR_fsconfig, fs, FSCONFIG_SET_STRING, "size", hole, 0));
    SHOW("fsconfig flag with a value", syscall(NR_fsconfig, fs, FSCONFIG_SET_FLAG, "ro", "x", 0));
    SHOW("fsconfig binary", syscall(NR_fsconfig, fs, FSCONFIG_SET_BINARY, "mode", "\1\2", 2));
    SHOW("fsconfig binary bad blob", syscall(NR_fsconfig, fs, FSCONFIG_SET_BINARY, "mode", hole, 2));
    SHOW("fsconfig path", syscall(NR_fsconfig, fs, FSCONFIG_SET_PATH, "source", "/", AT_FDCWD));
    SHOW("fsconfig fd", syscall(NR_fsconfig, fs, FSCONFIG_SET_FD, "source", NULL, 0));
    SHOW("fsconfig bad cmd", syscall(NR_fsconfig, fs, 99, NULL, NULL, 0));
    SHOW("fsconfig not a context", syscall(NR_fsconfig, 0, FSCONFIG_CMD_CREATE, NULL, NULL, 0));
    SHOW("fsconfig create", syscall(NR_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0));
    SHOW("fsmount bad flags", syscall(NR_fsmount, fs, 2, 0));
    int mfd = syscall(NR_fsmount, fs, 1, 0);
    printf("fsmount: %s\n", mfd >= 0 ? "fd" : strerrorname_np(errno));
    SHOW("move_mount bad path", syscall(NR_move_mount, mfd, "", AT_FDCWD, hole, MOVE_MOUNT_F_EMPTY_PATH));
    SHOW("move_mount bad flags", syscall(NR_move_mount, mfd, "", AT_FDCWD, "n", 0x1000));
    SHOW("move_mount to n", syscall(NR_move_mount, mfd, "", AT_FDCWD, "n", MOVE_MOUNT_F_EMPTY_PATH));
    int fd = open("n/g", O_CREAT | O_WRONLY, 0644);
    SHOW("write n/g", write(fd, "new api", 7));
    close(fd);
    close(mfd);
    close(fs);

    int pick = syscall(NR_fspick, AT_FDCWD, "n", 0);
    printf("fspick n: %s\n", pick >= 0 ? "fd" : strerrorname_np(errno));
    if (pick >= 0) close(pick);
    SHOW("fspick bad flags", syscall(NR_fspick, AT_FDCWD, "n", 0x100));

    SHOW("open_tree bad flags", syscall(NR_open_tree, AT_FDCWD, "n", 0x2));
    SHOW("open_tree bad path", syscall(NR_open_tree, AT_FDCWD, hole, OPEN_TREE_CLONE));
    int t = syscall(NR_open_tree, AT_FDCWD, "n", OPEN_TREE_CLONE | O_CLOEXEC);
    printf("open_tree clone: %s\n", t >= 0 ? "fd" : strerrorname_np(errno));
    SHOW("move_mount clone to o", syscall(NR_move_mount, t, "", AT_FDCWD, "o", MOVE_MOUNT_F_EMPTY_PATH));
    close(t);
    SHOW("clone shows n/g", access("o/g", F_OK));

    /* statmount and listmount of n */
    uint64_t id = mount_id("n");
    struct mnt_id_req req = { 24, 0, id, STATMOUNT_SB_BASIC | STATMOUNT_MNT_BASIC | STATMOUNT_MNT_POINT | STATMOUNT_FS_TYPE };
    static char buf[8192];
    SHOW("statmount n", syscall(NR_statmount, &req, buf, sizeof buf, 0));
    struct statmount_head *sm = (void *)buf;
    char cwd[4096], want[4200];
    if (!getcwd(cwd, sizeof cwd)) cwd[0] = 0;
    snprintf(want, sizeof want, "%s/n", cwd);
    printf("  fs type %s, magic %#llx, mount point is ./n: %d, id matches: %d\n", buf + 512 + sm->fs_type,
           (unsigned long long)sm->sb_magic, !strcmp(buf + 512 + sm->mnt_point, want), sm->mnt_id == id);
    SHOW("statmount buffer too small", syscall(NR_statmount, &req, buf, 16, 0));
    SHOW("statmount bad buffer", syscall(NR_statmount, &req, hole, 4096, 0));
    SHOW("statmount bad request", syscall(NR_statmount, hole, buf, sizeof buf, 0));
    req.size = 8;
    SHOW("statmount short request", syscall(NR_statmount, &req, buf, sizeof buf, 0));
    req.size = 24;
    SHOW("statmount bad flags", syscall(NR_statmount, &req, buf, sizeof buf, 1));
    uint64_t parent = sm->mnt_parent_id, ids[256];
    struct mnt_id_req lreq = { 24, 0, parent, 0 };
    long n = syscall(NR_listmount, &lreq, ids, 256, 0);
    int found = 0;
    for (long i = 0; i < n; i++) found += ids[i] == id;
    printf("listmount of the parent lists n: %d\n", found);
    SHOW("listmount bad buffer", syscall(NR_listmount, &lreq, hole, 256, 0));
    SHOW("listmount bad flags", syscall(NR_listmount, &lreq, ids, 256, 0x100));

    /* read-only with mount_setattr */
    struct mount_attr attr = { MOUNT_ATTR_RDONLY, 0, 0, 0 };
    SHOW("mount_setattr bad size", syscall(NR_mount_setattr, AT_FDCWD, "n", 0, &attr, 4));
    SHOW("mount_setattr bad pointer", syscall(NR_mount_setattr, AT_FDCWD, "n", 0, hole, sizeof attr));
    SHOW("mount_setattr bad flags", syscall(NR_mount_setattr, AT_FDCWD, "n", 0x4, &attr, sizeof attr));
    SHOW("mount_setattr n read-only", syscall(NR_mount_setattr, AT_FDCWD, "n", 0, &attr, sizeof attr));
    SHOW("create in n", open("n/h", O_CREAT | O_WRONLY, 0644));
    struct mount_attr clr = { 0, MOUNT_ATTR_RDONLY, 0, 0 };
    t = syscall(NR_open_tree_attr, AT_FDCWD, "n", OPEN_TREE_CLONE | O_CLOEXEC, &clr, sizeof clr);
    printf("open_tree_attr clone rw: %s\n", t >= 0 ? "fd" : strerrorname_np(errno));
    if (t >= 0) close(t);
    SHOW("open_tree_attr bad attr", syscall(NR_open_tree_attr, AT_FDCWD, "n", OPEN_TREE_CLONE, hole, sizeof clr));

    /* file handles on the tmpfs */
    struct { uint32_t bytes; int32_t type; unsigned char h[128]; } fh = { 0 };
    int mid;
    SHOW("name_to_handle_at size 0", name_to_handle_at(AT_FDCWD, "n/g", (void *)&fh, &mid, 0));
    printf("  handle_bytes asked: %u\n", fh.bytes);
    fh.bytes = 129;
    SHOW("name_to_handle_at size 129", name_to_handle_at(AT_FDCWD, "n/g", (void *)&fh, &mid, 0));
    fh.bytes = 128;
    SHOW("name_to_handle_at", name_to_handle_at(AT_FDCWD, "n/g", (void *)&fh, &mid, 0));
    SHOW("name_to_handle_at bad mount id", name_to_handle_at(AT_FDCWD, "n/g", (void *)&fh, (int *)hole, 0));
    SHOW("name_to_handle_at bad handle", name_to_handle_at(AT_FDCWD, "n/g", (void *)hole, &mid, 0));
    int dir = open("n", O_RDONLY | O_DIRECTORY);
    int hf = open_by_handle_at(dir, (void *)&fh, O_RDONLY);
    char got[16] = "";
    if (hf >= 0) { if (read(hf, got, sizeof got - 1) < 0) got[0] = 0; close(hf); }
    printf("open_by_handle_at: %s %s\n", hf >= 0 ? "fd" : strerrorname_np(errno), got);
    SHOW("open_by_handle_at bad handle", open_by_handle_at(dir, (void *)hole, O_RDONLY));
    close(dir);

    SHOW("pivot_root missing put_old", syscall(SYS_pivot_root, "o", "nothere"));
    SHOW("pivot_root bad path", syscall(SYS_pivot_root, hole, "n"));
    SHOW("umount2 o", umount2("o", 0));
    SHOW("umount2 n", umount2("n", MNT_DETACH));
    rmdir("n");
    rmdir("o");
}

static void sysfs_ustat(void)
{
    char name[64] = "";
    long idx = syscall(NR_sysfs, 1, "tmpfs");
    printf("sysfs tmpfs index found: %d\n", idx >= 0);
    SHOW("sysfs index to name", syscall(NR_sysfs, 2, idx, name));
    printf("  name %s\n", name);
    SHOW("sysfs unknown name", syscall(NR_sysfs, 1, "nosuchfs_ue"));
    SHOW("sysfs bad name", syscall(NR_sysfs, 1, hole));
    SHOW("sysfs bad buffer", syscall(NR_sysfs, 2, idx, hole));
    SHOW("sysfs index out of range", syscall(NR_sysfs, 2, 100000, name));
    printf("sysfs count positive: %d\n", syscall(NR_sysfs, 3) > 0);
    SHOW("sysfs option 4", syscall(NR_sysfs, 4));
    struct stat st;
    stat(".", &st);
    unsigned dev = (unsigned)(major(st.st_dev) << 8 | minor(st.st_dev));
    char us[20];
    long r = syscall(NR_ustat, dev, us);
    printf("ustat .: %s\n", r == 0 ? "0" : strerrorname_np(errno));
    SHOW("ustat bad buffer", syscall(NR_ustat, dev, hole));
    SHOW("ustat unknown device", syscall(NR_ustat, 0xfff00, us));
}

int main(void)
{
    hole = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(hole + 4096, 4096);
    hole += 4096;
    sysfs_ustat();
    if (unshare(CLONE_NEWNS)) {
        printf("unshare(CLONE_NEWNS): %s: skipped\n", strerrorname_np(errno));
        return 0;
    }
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
        printf("making / private: %s: skipped\n", strerrorname_np(errno));
        return 0;
    }
    old_api();
    new_api();
    return 0;
}
