/* System administration calls: mounts and the new mount API, keys,
 * landlock, fanotify, seccomp, LSM attributes, quotas, memory policies and
 * protection keys, modules, reboot, time adjustment.
 *
 * Most of these take structs whose i386 layout is the x86-64 one (fixed-width
 * fields, __aligned_u64): the host kernel reads and writes them in the guest
 * window itself (ua_lock), so it judges sizes, versions and faults exactly as
 * the i386 kernel would. Structs that differ (32-bit pointers or longs inside)
 * are converted field by field, following the kernel's compat code. */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/timex.h>
#include <sys/uio.h>
#include <unistd.h>

#include "../mem/uaccess.h"
#include "sys.h"

/* x86-64 numbers of calls newer than the build host's headers */
#ifndef SYS_cachestat
#define SYS_cachestat 451
#endif
#ifndef SYS_statmount
#define SYS_statmount 457
#endif
#ifndef SYS_listmount
#define SYS_listmount 458
#endif
#ifndef SYS_lsm_get_self_attr
#define SYS_lsm_get_self_attr 459
#endif
#ifndef SYS_lsm_set_self_attr
#define SYS_lsm_set_self_attr 460
#endif
#ifndef SYS_lsm_list_modules
#define SYS_lsm_list_modules 461
#endif
#ifndef SYS_mseal
#define SYS_mseal 462
#endif
#ifndef SYS_setxattrat
#define SYS_setxattrat 463
#endif
#ifndef SYS_getxattrat
#define SYS_getxattrat 464
#endif
#ifndef SYS_listxattrat
#define SYS_listxattrat 465
#endif
#ifndef SYS_removexattrat
#define SYS_removexattrat 466
#endif
#ifndef SYS_open_tree_attr
#define SYS_open_tree_attr 467
#endif
#ifndef SYS_file_getattr
#define SYS_file_getattr 468
#endif
#ifndef SYS_file_setattr
#define SYS_file_setattr 469
#endif

/* A guest pointer for the host kernel: NULL stays NULL (many of these
 * calls give NULL a meaning), anything else is its host view. */
static void *gin(guest_addr a, uint32_t len) { return a ? ua_lock(a, len, UA_IN) : NULL; }
static void *gout(guest_addr a, uint32_t len) { return a ? ua_lock(a, len, UA_OUT) : NULL; }
static void *ginout(guest_addr a, uint32_t len) { return a ? ua_lock(a, len, UA_INOUT) : NULL; }

/* The host view of a guest address that names pages rather than memory
 * the call reads or writes (mbind, mseal, move_pages, pkey_mprotect). */
static void *range(guest_addr a) { return g2h(a); }   /* uaccess-ok: names a range of the guest's mappings */

/* A path the host judges (see HOST_PATH) that may also be NULL (AT_EMPTY_PATH
 * callers, mount's source, fanotify_mark's dfd-only form). */
#define OPT_PATH(p, addr)                                                     \
    char p##_buf[PATH_BUF]; const char *p = NULL;                             \
    if (addr) (void)guest_path(addr, p##_buf, &p)

#define HOST(...) host_ret(syscall(__VA_ARGS__))

/* ---- mounts ---- */

SYS(mount)
{
    OPT_PATH(src, a1);
    HOST_PATH(dir, a2);
    /* the host copies the data page itself, stopping at the first fault as copy_mount_options does */
    return HOST(SYS_mount, src, dir, gin(a3, 0), (unsigned long)a4, gin(a5, GUEST_PAGE));
}

SYS(umount2)
{
    HOST_PATH(p, a1);
    return HOST(SYS_umount2, p, (int)a2);
}

SYS(umount) { return sys_umount2(c, a1, 0, 0, 0, 0, 0); }   /* i386's oldumount */

SYS(pivot_root)
{
    HOST_PATH(n, a1);
    HOST_PATH(o, a2);
    return HOST(SYS_pivot_root, n, o);
}

SYS(fsopen) { return HOST(SYS_fsopen, gin(a1, 0), a2); }

enum { FSCONFIG_SET_STRING = 1, FSCONFIG_SET_BINARY = 2, FSCONFIG_SET_PATH = 3, FSCONFIG_SET_PATH_EMPTY = 4 };

SYS(fsconfig)
{
    /* value: a string, a blob of aux bytes, a path (aux its dirfd) or nothing */
    if (a2 == FSCONFIG_SET_PATH || a2 == FSCONFIG_SET_PATH_EMPTY) {
        OPT_PATH(p, a4);
        return HOST(SYS_fsconfig, (int)a1, a2, gin(a3, 0), p, (int)a5);
    }
    uint32_t len = a2 == FSCONFIG_SET_BINARY ? a5 : 0;
    return HOST(SYS_fsconfig, (int)a1, a2, gin(a3, 0), gin(a4, len), (int)a5);
}

SYS(fsmount) { return HOST(SYS_fsmount, (int)a1, a2, a3); }

SYS(fspick)
{
    OPT_PATH(p, a2);
    return HOST(SYS_fspick, guest_dirfd(a1), p, a3);
}

SYS(move_mount)
{
    OPT_PATH(from, a2);
    OPT_PATH(to, a4);
    return HOST(SYS_move_mount, guest_dirfd(a1), from, guest_dirfd(a3), to, a5);
}

SYS(open_tree)
{
    OPT_PATH(p, a2);
    return HOST(SYS_open_tree, guest_dirfd(a1), p, a3);
}


/* struct mount_attr: four __u64, the same on i386; the host reads its size-versioned copy */
SYS(open_tree_attr)
{
    OPT_PATH(p, a2);
    return HOST(SYS_open_tree_attr, guest_dirfd(a1), p, a3, gin(a4, a5), a5);
}

SYS(mount_setattr)
{
    OPT_PATH(p, a2);
    return HOST(SYS_mount_setattr, guest_dirfd(a1), p, a3, gin(a4, a5), a5);
}

/* struct mnt_id_req and struct statmount are fixed-width (string offsets
 * into the same buffer): the host fills the guest's buffer directly */
SYS(statmount) { return HOST(SYS_statmount, gin(a1, 0), gout(a2, a3), a3, a4); }

SYS(listmount)
{
    uint64_t room = (uint64_t)a3 * 8;
    return HOST(SYS_listmount, gin(a1, 0), gout(a2, room > 0xffffffffu ? 0xffffffffu : (uint32_t)room), a3, a4);
}

/* sysfs(2): 1 name to index, 2 index to name, 3 count */
SYS(sysfs)
{
    if (a1 == 1) return HOST(SYS_sysfs, 1, gin(a2, 0));
    if (a1 == 2) return HOST(SYS_sysfs, 2, a2, gout(a3, 256));
    return HOST(SYS_sysfs, a1, a2, a3);
}

/* compat_ustat: f_tfree and f_tinode 32-bit, then the two 6-byte names */
struct i386_ustat { int32_t f_tfree; uint32_t f_tinode; char f_fname[6], f_fpack[6]; };
ABI_SIZE(struct i386_ustat, 20);

SYS(ustat)
{
    struct { int f_tfree; unsigned long f_tinode; char f_fname[6], f_fpack[6]; } h;
    long r = HOST(SYS_ustat, a1, &h);
    if (r < 0) return r;
    struct i386_ustat g;
    memset(&g, 0, sizeof g);
    g.f_tfree = h.f_tfree;
    g.f_tinode = (uint32_t)h.f_tinode;
    memcpy(g.f_fname, h.f_fname, 6);
    memcpy(g.f_fpack, h.f_fpack, 6);
    return ua_write(a2, &g, sizeof g);
}

/* struct file_handle: handle_bytes, type, then the handle; the host reads
 * handle_bytes once and checks it (at most MAX_HANDLE_SZ, 128) */
SYS(name_to_handle_at)
{
    OPT_PATH(p, a2);
    return HOST(SYS_name_to_handle_at, guest_dirfd(a1), p, ginout(a3, 8 + 128), gout(a4, 8), (int)a5);
}

SYS(open_by_handle_at) { return HOST(SYS_open_by_handle_at, (int)a1, gin(a2, 0), (int)a3); }

/* ---- keys ---- */

SYS(add_key) { return HOST(SYS_add_key, gin(a1, 0), gin(a2, 0), gin(a3, a4), a4, (int32_t)a5); }

SYS(request_key) { return HOST(SYS_request_key, gin(a1, 0), gin(a2, 0), gin(a3, 0), (int32_t)a4); }

enum {
    KC_UPDATE = 2, KC_DESCRIBE = 6, KC_SEARCH = 10, KC_READ = 11, KC_INSTANTIATE = 12,
    KC_JOIN = 1, KC_GET_SECURITY = 17, KC_INSTANTIATE_IOV = 20, KC_DH_COMPUTE = 23,
    KC_PKEY_QUERY = 24, KC_PKEY_ENCRYPT = 25, KC_PKEY_DECRYPT = 26, KC_PKEY_SIGN = 27,
    KC_PKEY_VERIFY = 28, KC_RESTRICT = 29, KC_CAPABILITIES = 31,
};

/* KEYCTL_INSTANTIATE_IOV: compat iovecs (security/keys/keyctl.c with import_iovec) */
static long keyctl_iov(uint32_t id, guest_addr uiov, uint32_t n, uint32_t ring)
{
    if (!uiov) n = 0;
    struct iovec iov[IOV_MAX];
    int r = get_iovec(iov, uiov, n, UA_IN);
    if (r < 0) return r;
    return HOST(SYS_keyctl, KC_INSTANTIATE_IOV, (int32_t)id, n ? iov : NULL, n, (int32_t)ring);
}

/* KEYCTL_DH_COMPUTE: struct keyctl_kdf_params has two pointers (compat_keyctl_kdf_params) */
struct i386_kdf_params { uint32_t hashname, otherinfo, otherinfolen, spare[8]; };
ABI_SIZE(struct i386_kdf_params, 44);

static long keyctl_dh(guest_addr params, guest_addr buf, uint32_t len, guest_addr ukdf)
{
    struct { char *hashname, *otherinfo; uint32_t otherinfolen, spare[8]; } kdf;
    /* a kernel without KEY_DH_OPERATIONS answers EOPNOTSUPP before reading anything */
    if (HOST(SYS_keyctl, KC_DH_COMPUTE, NULL, NULL, 0, NULL) == -EOPNOTSUPP) return -EOPNOTSUPP;
    if (ukdf) {
        struct i386_kdf_params g;
        if (ua_read(&g, ukdf, sizeof g)) return -EFAULT;
        kdf.hashname = gin(g.hashname, 0);
        kdf.otherinfo = gin(g.otherinfo, g.otherinfolen);
        kdf.otherinfolen = g.otherinfolen;
        memcpy(kdf.spare, g.spare, sizeof kdf.spare);
    }
    return HOST(SYS_keyctl, KC_DH_COMPUTE, gin(params, 12), gout(buf, len), len, ukdf ? &kdf : NULL);
}

/* struct keyctl_pkey_params (fixed-width) sizes the output buffer: peek at it
 * for the lock only; the host reads it again and judges it */
static long keyctl_pkey(uint32_t cmd, guest_addr params, guest_addr info, guest_addr in, guest_addr out)
{
    uint32_t p[3] = { 0, 0, 0 };   /* key_id, in_len, out_len/in2_len */
    (void)ua_read(p, params, sizeof p);
    void *o = cmd == KC_PKEY_VERIFY ? gin(out, p[2]) : gout(out, p[2]);
    return HOST(SYS_keyctl, cmd, gin(params, 40), gin(info, 0), gin(in, p[1]), o);
}

SYS(keyctl)
{
    switch (a1) {
    case KC_JOIN: return HOST(SYS_keyctl, a1, gin(a2, 0));
    case KC_UPDATE: return HOST(SYS_keyctl, a1, (int32_t)a2, gin(a3, a4), a4);
    case KC_DESCRIBE: case KC_READ: case KC_GET_SECURITY:
        return HOST(SYS_keyctl, a1, (int32_t)a2, gout(a3, a4), a4);
    case KC_SEARCH: return HOST(SYS_keyctl, a1, (int32_t)a2, gin(a3, 0), gin(a4, 0), (int32_t)a5);
    case KC_INSTANTIATE: return HOST(SYS_keyctl, a1, (int32_t)a2, gin(a3, a4), a4, (int32_t)a5);
    case KC_INSTANTIATE_IOV: return keyctl_iov(a2, a3, a4, a5);
    case KC_DH_COMPUTE: return keyctl_dh(a2, a3, a4, a5);
    case KC_PKEY_QUERY: return HOST(SYS_keyctl, a1, (int32_t)a2, a3, gin(a4, 0), gout(a5, 56));
    case KC_PKEY_ENCRYPT: case KC_PKEY_DECRYPT: case KC_PKEY_SIGN: case KC_PKEY_VERIFY:
        return keyctl_pkey(a1, a2, a3, a4, a5);
    case KC_RESTRICT: return HOST(SYS_keyctl, a1, (int32_t)a2, gin(a3, 0), gin(a4, 0));
    case KC_CAPABILITIES: return HOST(SYS_keyctl, a1, gout(a2, a3), a3);
    default:   /* integers only (ids, uids, permissions, timeouts, fds), or unknown: EOPNOTSUPP */
        return HOST(SYS_keyctl, a1, (long)(int32_t)a2, (long)(int32_t)a3, (long)(int32_t)a4, (long)(int32_t)a5);
    }
}

/* ---- landlock: every attr is fixed-width (path_beneath packed as on x86-64) ---- */

SYS(landlock_create_ruleset) { return HOST(SYS_landlock_create_ruleset, gin(a1, a2), a2, a3); }
SYS(landlock_add_rule) { return HOST(SYS_landlock_add_rule, (int)a1, a2, gin(a3, 16), a4); }
SYS(landlock_restrict_self) { return HOST(SYS_landlock_restrict_self, (int)a1, a2); }

/* ---- fanotify ---- */

SYS(fanotify_init) { return HOST(SYS_fanotify_init, a1, a2); }

/* compat fanotify_mark: the 64-bit mask in two registers, low half first */
SYS(fanotify_mark)
{
    OPT_PATH(p, a6);
    return HOST(SYS_fanotify_mark, (int)a1, a2, pair64(a3, a4), guest_dirfd(a5), p);
}

/* ---- LSM attributes: struct lsm_ctx is fixed-width ---- */

SYS(lsm_get_self_attr)
{
    uint32_t size = 0;
    (void)ua_read(&size, a3, 4);   /* for the lock only: the host reads *size itself */
    return HOST(SYS_lsm_get_self_attr, a1, gout(a2, size), ginout(a3, 4), a4);
}

SYS(lsm_set_self_attr) { return HOST(SYS_lsm_set_self_attr, a1, gin(a2, a3), a3, a4); }

SYS(lsm_list_modules)
{
    uint32_t size = 0;
    (void)ua_read(&size, a2, 4);
    return HOST(SYS_lsm_list_modules, gout(a1, size), ginout(a2, 4), a3);
}

/* ---- extended attributes at a path: struct xattr_args holds a pointer ---- */

/* copy_struct_from_user: the first ksize bytes (zero-extended), the rest must be zero */
static int get_struct_versioned(void *dst, size_t ksize, guest_addr src, uint32_t usize)
{
    memset(dst, 0, ksize);
    if (ua_read(dst, src, usize < ksize ? usize : ksize)) return -EFAULT;
    for (uint32_t off = (uint32_t)ksize; off < usize; off++) {
        uint8_t b;
        if (ua_read(&b, src + off, 1)) return -EFAULT;
        if (b) return -E2BIG;
    }
    return 0;
}

struct xattr_args { uint64_t value; uint32_t size, flags; };

/* The guest's args with value as a host pointer; 0 or -errno, in setxattrat's order */
static int get_xattr_args(guest_addr uargs, uint32_t usize, struct xattr_args *a, enum ua_dir dir)
{
    if (usize < 16) return -EINVAL;
    if (usize > GUEST_PAGE) return -E2BIG;
    int e = get_struct_versioned(a, sizeof *a, uargs, usize);
    if (e) return e;
    if (a->value > 0xffffffffu) a->value = (uint64_t)-4096;   /* beyond the i386 range: the host's EFAULT too */
    else if (a->value) a->value = (uintptr_t)ua_lock((guest_addr)a->value, a->size, dir);
    return 0;
}


/* setxattrat and getxattrat: the value is read, or written */
static long xattrat(long nr, enum ua_dir dir, uint32_t dfd, guest_addr path, uint32_t at_flags,
                    guest_addr name, guest_addr uargs, uint32_t usize)
{
    struct xattr_args x;
    int e = get_xattr_args(uargs, usize, &x, dir);
    if (e) return e;
    OPT_PATH(p, path);
    return HOST(nr, guest_dirfd(dfd), p, at_flags, gin(name, 0), &x, sizeof x);
}

SYS(setxattrat) { return xattrat(SYS_setxattrat, UA_IN, a1, a2, a3, a4, a5, a6); }
SYS(getxattrat) { return xattrat(SYS_getxattrat, UA_OUT, a1, a2, a3, a4, a5, a6); }

SYS(listxattrat)
{
    OPT_PATH(p, a2);
    return HOST(SYS_listxattrat, guest_dirfd(a1), p, a3, gout(a4, a5), a5);
}

SYS(removexattrat)
{
    OPT_PATH(p, a2);
    return HOST(SYS_removexattrat, guest_dirfd(a1), p, a3, gin(a4, 0));
}

/* struct file_attr: fixed-width, size-versioned */
SYS(file_getattr)
{
    OPT_PATH(p, a2);
    return HOST(SYS_file_getattr, guest_dirfd(a1), p, gout(a3, a4), a4, a5);
}

SYS(file_setattr)
{
    OPT_PATH(p, a2);
    return HOST(SYS_file_setattr, guest_dirfd(a1), p, gin(a3, a4), a4, a5);
}

/* ---- quotas: if_dqblk ends with a u32 after eight u64 (68 bytes on i386) ---- */

struct i386_if_dqblk { uint64_t v[8]; uint32_t valid; } I386_PACKED;
ABI_SIZE(struct i386_if_dqblk, 68);
struct i386_if_nextdqblk { uint64_t v[8]; uint32_t valid, id; } I386_PACKED;
ABI_SIZE(struct i386_if_nextdqblk, 72);
struct host_if_nextdqblk { uint64_t v[8]; uint32_t valid, id; };

/* compat_fs_quota_stat: the two fs_qfilestat are 20 bytes (4-aligned u64s) */
struct i386_fs_qfilestat { uint64_t ino, nblks; uint32_t nextents; } I386_PACKED;
struct i386_fs_quota_stat {
    int8_t version; uint8_t pad0; uint16_t flags; int8_t pad; uint8_t pad1[3];
    struct i386_fs_qfilestat u, g;
    uint32_t incoredqs; int32_t btimelimit, itimelimit, rtbtimelimit;
    uint16_t bwarnlimit, iwarnlimit;
} I386_PACKED;
ABI_SIZE(struct i386_fs_quota_stat, 68);
struct host_fs_quota_stat {
    int8_t version; uint16_t flags; int8_t pad;
    struct { uint64_t ino, nblks; uint32_t nextents; } u, g;
    uint32_t incoredqs; int32_t btimelimit, itimelimit, rtbtimelimit;
    uint16_t bwarnlimit, iwarnlimit;
};

#define Q_QUOTAON 0x800002
#define Q_GETQUOTA 0x800007
#define Q_SETQUOTA 0x800008
#define Q_GETNEXTQUOTA 0x800009
#define Q_XGETQSTAT (('X' << 8) + 5)

/* The call by fd (quotactl_fd) or by the special file's path. */
static long quota_call(bool by_fd, uint32_t obj, uint32_t cmd, uint32_t id, void *addr)
{
    if (by_fd) return HOST(SYS_quotactl_fd, (int)obj, cmd, (int32_t)id, addr);
    OPT_PATH(p, obj);
    return HOST(SYS_quotactl, cmd, p, (int32_t)id, addr);
}

static long do_quotactl(bool by_fd, uint32_t obj, uint32_t cmd, uint32_t id, guest_addr addr)
{
    uint32_t sub = cmd >> 8;   /* the command without its quota type */
    long r;
    if (sub == Q_GETQUOTA || sub == Q_GETNEXTQUOTA) {
        struct host_if_nextdqblk h;
        struct i386_if_nextdqblk g;
        memset(&h, 0, sizeof h);
        r = quota_call(by_fd, obj, cmd, id, &h);
        if (r < 0) return r;
        memcpy(g.v, h.v, sizeof g.v);
        g.valid = h.valid;
        g.id = h.id;
        return ua_write(addr, &g, sub == Q_GETQUOTA ? 68 : 72) ? -EFAULT : r;
    }
    if (sub == Q_SETQUOTA) {
        struct i386_if_dqblk g;
        struct host_if_nextdqblk h;
        if (ua_read(&g, addr, sizeof g)) return quota_call(by_fd, obj, cmd, id, ua_lock(addr, sizeof g, UA_IN));
        memset(&h, 0, sizeof h);
        memcpy(h.v, g.v, sizeof h.v);
        h.valid = g.valid;
        return quota_call(by_fd, obj, cmd, id, &h);
    }
    if (sub == Q_XGETQSTAT) {
        struct host_fs_quota_stat h;
        struct i386_fs_quota_stat g;
        memset(&h, 0, sizeof h);
        r = quota_call(by_fd, obj, cmd, id, &h);
        if (r < 0) return r;
        memset(&g, 0, sizeof g);
        g.version = h.version; g.flags = h.flags; g.pad = h.pad;
        g.u = (struct i386_fs_qfilestat){ h.u.ino, h.u.nblks, h.u.nextents };
        g.g = (struct i386_fs_qfilestat){ h.g.ino, h.g.nblks, h.g.nextents };
        g.incoredqs = h.incoredqs; g.btimelimit = h.btimelimit; g.itimelimit = h.itimelimit;
        g.rtbtimelimit = h.rtbtimelimit; g.bwarnlimit = h.bwarnlimit; g.iwarnlimit = h.iwarnlimit;
        return ua_write(addr, &g, sizeof g) ? -EFAULT : r;
    }
    if (sub == Q_QUOTAON) {   /* addr: the quota file's path */
        OPT_PATH(p, addr);
        return quota_call(by_fd, obj, cmd, id, (void *)p);
    }
    /* the rest (if_dqinfo, fs_disk_quota, fs_quota_statv, format ids) are the same on i386 */
    return quota_call(by_fd, obj, cmd, id, ginout(addr, 0));
}

SYS(quotactl) { return do_quotactl(false, a2, a1, a3, a4); }
SYS(quotactl_fd) { return do_quotactl(true, a1, a2, a3, a4); }

/* ---- memory: policies, protection keys, sealing, secret memory ---- */

#define MAX_NODEMASK_BITS (GUEST_PAGE * 8)   /* get_nodes: more is EINVAL */

/* A guest nodemask (an array of 32-bit longs) as the host's 64-bit longs:
 * on little-endian both put node n at bit n%8 of byte n/8, so the compat
 * length of bytes is copied into a zeroed host buffer. NULL, an empty or an
 * oversized mask, or an unreadable one go to the host as they are: it
 * judges them at its point of the call. */
static unsigned long *nodemask_in(guest_addr m, uint32_t maxnode, unsigned long *buf)
{
    if (!m) return NULL;
    uint32_t bits = maxnode - 1;
    if (!maxnode || !bits || bits > MAX_NODEMASK_BITS) return ua_lock(m, 0, UA_IN);
    memset(buf, 0, MAX_NODEMASK_BITS / 8 + 8);
    if (ua_read(buf, m, (bits + 31) / 32 * 4)) return ua_lock(m, 0, UA_IN);
    return buf;
}

SYS(mbind)
{
    unsigned long buf[MAX_NODEMASK_BITS / 64 + 1];
    return HOST(SYS_mbind, range(a1), a2, a3, nodemask_in(a4, a5, buf), a5, a6);
}

SYS(set_mempolicy)
{
    unsigned long buf[MAX_NODEMASK_BITS / 64 + 1];
    return HOST(SYS_set_mempolicy, a1, nodemask_in(a2, a3, buf), a3);
}

SYS(migrate_pages)
{
    unsigned long o[MAX_NODEMASK_BITS / 64 + 1], n[MAX_NODEMASK_BITS / 64 + 1];
    return HOST(SYS_migrate_pages, (int)a1, a2, nodemask_in(a3, a2, o), nodemask_in(a4, a2, n));
}

#define MPOL_F_ADDR 2

/* get_mempolicy: the host fills a host mask; the guest gets the compat
 * words (copy_nodes_to_user: at most a page) */
SYS(get_mempolicy)
{
    unsigned long buf[MAX_NODEMASK_BITS / 64 + 1];
    uint32_t bits = a3 ? a3 - 1 : 0;
    bool to_host = a2 && a3 && bits <= MAX_NODEMASK_BITS;
    memset(buf, 0, sizeof buf);
    void *addr = (a5 & MPOL_F_ADDR) ? range(a4) : (void *)(uintptr_t)a4;
    int mode = 0;
    long r = HOST(SYS_get_mempolicy, a1 ? &mode : NULL, to_host ? buf : gout(a2, 0), a3, addr, a5);
    if (r < 0) return r;
    if (a1 && ua_put_u32(a1, (uint32_t)mode)) return -EFAULT;
    if (to_host && ua_write(a2, buf, (bits + 31) / 32 * 4)) return -EFAULT;
    return r;
}

SYS(set_mempolicy_home_node) { return HOST(SYS_set_mempolicy_home_node, range(a1), a2, a3, a4); }

/* move_pages: an array of compat pointers into this process's window,
 * converted and passed on in chunks (the kernel too works through the
 * array in chunks: the sum of the pages left unmoved, or the first error) */
#define MOVE_CHUNK 1024

SYS(move_pages)
{
    void *pages[MOVE_CHUNK];
    long total = 0;
    uint32_t i = 0;
    do {
        uint32_t n = a2 - i < MOVE_CHUNK ? a2 - i : MOVE_CHUNK;
        uint32_t k = 0, p;
        for (; k < n && !ua_get_u32(a3 + (i + k) * 4, &p); k++) pages[k] = range(p);
        /* an unreadable entry: the readable ones first, then the host
         * meets the fault itself, after its own checks (flags, pid) */
        bool fault = k == 0 && n;
        n = fault ? 1 : k;
        long r = HOST(SYS_move_pages, (int)a1, n, fault || !n ? gin(a3 + i * 4, 0) : (void *)pages,
                      a4 ? gin(a4 + i * 4, n * 4) : NULL, gout(a5 ? a5 + i * 4 : 0, n * 4), a6);
        if (r < 0) return r;
        total += r;
        i += n;
    } while (i < a2);
    return total;
}

/* protection keys: the keys are the host's; a key on a guest range is set
 * on its host view, and the guest's own bookkeeping follows mprotect */
SYS(pkey_alloc) { return HOST(SYS_pkey_alloc, a1, a2); }
SYS(pkey_free) { return HOST(SYS_pkey_free, (int)a1); }

SYS(pkey_mprotect)
{
    if ((int32_t)a4 != -1) {
        long r = HOST(SYS_pkey_mprotect, range(a1), a2, a3, (int)a4);
        if (r < 0) return r;
    }
    return mem_mprotect(a1, a2, (int)a3);
}

/* mseal on the guest range's host view: the host then refuses munmap,
 * mprotect and MAP_FIXED over it with EPERM as for a native process */
SYS(mseal)
{
    if (a3) return -EINVAL;
    if (a1 & (GUEST_PAGE - 1)) return -EINVAL;
    uint64_t len = ((uint64_t)a2 + GUEST_PAGE - 1) & ~(uint64_t)(GUEST_PAGE - 1);
    if (a1 + len > 0x100000000ull || len < a2) return -EINVAL;   /* start + len wraps */
    if (!len) return 0;
    if (!mem_ok(a1, (uint32_t)len, 0)) return -ENOMEM;   /* a hole (the host sees ue's reservation there) */
    return HOST(SYS_mseal, range(a1), (size_t)len, 0);
}

SYS(memfd_secret) { return HOST(SYS_memfd_secret, a1); }
SYS(userfaultfd) { return HOST(SYS_userfaultfd, (int)a1); }

/* struct cachestat_range and struct cachestat: u64 fields only */
SYS(cachestat) { return HOST(SYS_cachestat, (int)a1, gin(a2, 16), gout(a3, 40), a4); }

/* perf_event_attr is size-versioned and laid out as on x86-64; pids are
 * the host's. A hardware breakpoint's bp_addr is a guest address: the
 * host watches its host view (a copy of the attr with it converted; an
 * attr ue cannot read goes as it is, for the host's own EFAULT or E2BIG). */
#define PERF_TYPE_BREAKPOINT 5
#define PERF_ATTR_BP_ADDR 56

SYS(perf_event_open)
{
    uint32_t head[2];   /* type, size */
    uint8_t attr[GUEST_PAGE];
    void *p = gin(a1, 128);
    if (a1 && !ua_read(head, a1, sizeof head) && head[0] == PERF_TYPE_BREAKPOINT
        && head[1] >= PERF_ATTR_BP_ADDR + 8 && head[1] <= sizeof attr && !ua_read(attr, a1, head[1])) {
        uint64_t bp;
        memcpy(&bp, attr + PERF_ATTR_BP_ADDR, 8);
        if (bp <= 0xffffffffu) bp = (uintptr_t)range((guest_addr)bp);
        memcpy(attr + PERF_ATTR_BP_ADDR, &bp, 8);
        p = attr;
    }
    long r = HOST(SYS_perf_event_open, p, (int)a2, (int)a3, (int)a4, a5);
    /* E2BIG writes the kernel's size back into the guest's attr */
    if (r == -E2BIG && p == attr) r = HOST(SYS_perf_event_open, gin(a1, 128), (int)a2, (int)a3, (int)a4, a5);
    return r;
}

/* ---- modules, kexec, swap, reboot, logs ---- */

SYS(init_module) { return HOST(SYS_init_module, gin(a1, a2), a2, gin(a3, 0)); }
SYS(finit_module) { return HOST(SYS_finit_module, (int)a1, gin(a2, 0), (int)a3); }
SYS(delete_module) { return HOST(SYS_delete_module, gin(a1, 0), a2); }

SYS(swapon)
{
    HOST_PATH(p, a1);
    return HOST(SYS_swapon, p, (int)a2);
}

SYS(swapoff)
{
    HOST_PATH(p, a1);
    return HOST(SYS_swapoff, p);
}

#define REBOOT_CMD_RESTART2 0xA1B2C3D4u

/* the kernel checks CAP_SYS_BOOT, then the magic numbers, then the command */
SYS(reboot)
{
    return HOST(SYS_reboot, (int)a1, (int)a2, a3, a3 == REBOOT_CMD_RESTART2 ? gin(a4, 0) : (void *)(uintptr_t)a4);
}

SYS(syslog) { return HOST(SYS_syslog, (int)a1, gout(a2, a3), (int)a3); }
SYS(vhangup) { return HOST(SYS_vhangup); }
SYS(iopl) { return HOST(SYS_iopl, a1); }
SYS(ioperm) { return HOST(SYS_ioperm, a1, a2, (int)a3); }

#define KEXEC_ON_CRASH 1u
#define KEXEC_ARCH_MASK 0xffff0000u
#define KEXEC_FLAGS 0x0000000fu   /* ON_CRASH | PRESERVE_CONTEXT | UPDATE_ELFCOREHDR | CRASH_HOTPLUG_SUPPORT */
#define KEXEC_SEGMENT_MAX 16

/* compat kexec_load: kexec_load_check (permission, lockdown, flags, count),
 * the native-architecture check, then the segments are read. The host's
 * own check, asked with too many segments (EINVAL once it gets that far:
 * nothing can load), answers the first part: ENOSYS without kexec, EPERM.
 * ue loads no image: past the checks, EPERM as under kexec_load_disabled. */
SYS(kexec_load)
{
    long r = HOST(SYS_kexec_load, 0, KEXEC_SEGMENT_MAX + 1, NULL, a4 & KEXEC_ON_CRASH);
    if (r != -EINVAL) return r;
    if ((a4 & KEXEC_FLAGS) != (a4 & ~KEXEC_ARCH_MASK) || a2 > KEXEC_SEGMENT_MAX) return -EINVAL;
    if ((a4 & KEXEC_ARCH_MASK) == 0) return -EINVAL;   /* KEXEC_ARCH_DEFAULT */
    for (uint32_t i = 0; i < a2; i++) {
        uint32_t seg[4];
        if (ua_read(seg, a3 + i * 16, sizeof seg)) return -EFAULT;
    }
    return -EPERM;
}

/* ---- time adjustment ---- */

/* struct old_timex32 (kernel/time/time.c get_old_timex32): 32-bit longs, a timeval */
struct i386_timex {
    uint32_t modes;
    int32_t offset, freq, maxerror, esterror, status, constant, precision, tolerance;
    struct i386_timeval time;
    int32_t tick, ppsfreq, jitter, shift, stabil, jitcnt, calcnt, errcnt, stbcnt, tai;
    int32_t pad[11];
};
ABI_SIZE(struct i386_timex, 128);

#define TIMEX_FIELDS(X) X(offset) X(freq) X(maxerror) X(esterror) X(status) X(constant) \
    X(precision) X(tolerance) X(tick) X(ppsfreq) X(jitter) X(shift) X(stabil) X(jitcnt) \
    X(calcnt) X(errcnt) X(stbcnt) X(tai)

static long do_adjtime(bool with_clock, uint32_t clk, guest_addr a)
{
    struct i386_timex g;
    struct timex h;
    if (ua_read(&g, a, sizeof g)) return -EFAULT;
    memset(&h, 0, sizeof h);
    h.modes = g.modes;
#define IN(f) h.f = g.f;
    TIMEX_FIELDS(IN)
#undef IN
    h.time.tv_sec = g.time.tv_sec;
    h.time.tv_usec = g.time.tv_usec;
    long r = with_clock ? HOST(SYS_clock_adjtime, (int)clk, &h) : HOST(SYS_adjtimex, &h);
    if (r < 0) return r;
    memset(&g, 0, sizeof g);
    g.modes = h.modes;
#define OUT(f) g.f = (int32_t)h.f;
    TIMEX_FIELDS(OUT)
#undef OUT
    g.time.tv_sec = (int32_t)h.time.tv_sec;
    g.time.tv_usec = (int32_t)h.time.tv_usec;
    return ua_write(a, &g, sizeof g) ? -EFAULT : r;
}

SYS(adjtimex) { return do_adjtime(false, 0, a1); }
SYS(clock_adjtime) { return do_adjtime(true, a1, a2); }

/* struct __kernel_timex: explicit padding puts every 64-bit field at a multiple of 8: the x86-64 layout */
SYS(clock_adjtime64) { return HOST(SYS_clock_adjtime, (int)a1, ginout(a2, 208)); }

/* stime(25): a 32-bit time_t read, then settimeofday's checks */
SYS(stime)
{
    int32_t t;
    if (ua_read(&t, a1, 4)) return -EFAULT;
    struct timespec ts = { t, 0 };
    return host_ret(clock_settime(CLOCK_REALTIME, &ts));
}
