/* The file system: paths, stat, directories, links, permissions, times,
 * statfs, extended attributes, inotify. */
#include <dirent.h>
#include <linux/limits.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "../loader/loader.h"
#include "../mem/mem.h"
#include "../mem/uaccess.h"
#include "put_user.h"
#include "sys.h"

char ue_exe_path[4096];
char ue_exe_link[4096];

#define NR_fchmodat2 452

/* ---- paths ---- */

/* Is p "/proc/self/<name>" (or the same through our pid or thread-self)? */
static bool is_proc_self(const char *p, const char *name)
{
    char pid[24];
    const char *rest;
    if (strncmp(p, "/proc/", 6)) return false;
    p += 6;
    int n = snprintf(pid, sizeof pid, "%d/", (int)getpid());
    if (!strncmp(p, "self/", 5)) rest = p + 5;
    else if (!strncmp(p, "thread-self/", 12)) rest = p + 12;
    else if (!strncmp(p, pid, n)) rest = p + n;
    else return false;
    return !strcmp(rest, name);
}

/* fs/namei.c getname: the NUL must come within PATH_MAX bytes
 * (ENAMETOOLONG), an unreadable byte before it is EFAULT. An empty name is
 * left to the host (ENOENT, or the fd itself with AT_EMPTY_PATH). */
static int get_name(guest_addr a, char buf[PATH_BUF])
{
    long n = ua_strncpy(buf, a, PATH_BUF);
    return n < 0 ? (int)n : 0;
}

/* The host name for a guest one in buf: /proc/self/exe is the program, --sysroot applies. */
static const char *map_path(char buf[PATH_BUF])
{
    if (buf[0] != '/') return buf;
    if (ue_exe_path[0] && is_proc_self(buf, "exe")) return ue_exe_path;
    if (ue_opt.sysroot) {
        char raw[PATH_BUF];
        strcpy(raw, buf);
        if (sysroot_path(raw, buf, PATH_BUF) == raw) strcpy(buf, raw);
    }
    return buf;
}

/* On failure *out is the guest's own bytes as the host sees them: a host call
 * given it reports EFAULT or ENAMETOOLONG after its own earlier checks. */
int guest_path(guest_addr a, char *buf, const char **out)
{
    int e = get_name(a, buf);
    if (e) {
        *out = ua_lock(a, PATH_BUF, UA_IN);
        return e;
    }
    *out = map_path(buf);
    return 0;
}

SYS(getcwd)
{
    char buf[PATH_BUF];
    long r = host_ret(syscall(SYS_getcwd, buf, sizeof buf));  /* returns the length with the NUL */
    if (r < 0) return r;
    if ((uint32_t)r > a2) return -ERANGE;
    return ua_write(a1, buf, (size_t)r) ? -EFAULT : r;
}

SYS(chdir)
{
    HOST_PATH(p, a1);
    return host_ret(chdir(p));
}

SYS(fchdir) { return host_ret(fchdir((int)a1)); }

SYS(chroot)
{
    HOST_PATH(p, a1);
    return host_ret(chroot(p));
}

/* ---- stat ---- */

/* stat(106) family: the compat struct stat with 16-bit ids and 32-bit sizes (fs/stat.c cp_compat_stat) */
static int put_stat(guest_addr a, const struct stat *st)
{
    struct i386_stat g;
    memset(&g, 0, sizeof g);
    if (st->st_ino != (uint32_t)st->st_ino || st->st_nlink > 0xffff || st->st_size > 0x7fffffff)
        return -EOVERFLOW;
    g.st_dev = (uint32_t)st->st_dev;
    g.st_ino = (uint32_t)st->st_ino;
    g.st_mode = (uint16_t)st->st_mode;
    g.st_nlink = (uint16_t)st->st_nlink;
    g.st_uid = (uint16_t)uid16_out(st->st_uid);
    g.st_gid = (uint16_t)uid16_out(st->st_gid);
    g.st_rdev = (uint32_t)st->st_rdev;
    g.st_size = (uint32_t)st->st_size;
    g.st_blksize = (uint32_t)st->st_blksize;
    g.st_blocks = (uint32_t)st->st_blocks;
    g.st_atime_ = (uint32_t)st->st_atim.tv_sec;
    g.st_atime_nsec = (uint32_t)st->st_atim.tv_nsec;
    g.st_mtime_ = (uint32_t)st->st_mtim.tv_sec;
    g.st_mtime_nsec = (uint32_t)st->st_mtim.tv_nsec;
    g.st_ctime_ = (uint32_t)st->st_ctim.tv_sec;
    g.st_ctime_nsec = (uint32_t)st->st_ctim.tv_nsec;
    return ua_write(a, &g, sizeof g);
}

static int put_stat64(guest_addr a, const struct stat *st)
{
    struct i386_stat64 g;
    memset(&g, 0, sizeof g);
    g.st_dev = st->st_dev;
    g.st_ino32 = (uint32_t)st->st_ino;
    g.st_ino = st->st_ino;
    g.st_mode = st->st_mode;
    g.st_nlink = (uint32_t)st->st_nlink;
    g.st_uid = st->st_uid;
    g.st_gid = st->st_gid;
    g.st_rdev = st->st_rdev;
    g.st_size = st->st_size;
    g.st_blksize = (uint32_t)st->st_blksize;
    g.st_blocks = (uint64_t)st->st_blocks;
    g.st_atime_ = (uint32_t)st->st_atim.tv_sec;
    g.st_atime_nsec = (uint32_t)st->st_atim.tv_nsec;
    g.st_mtime_ = (uint32_t)st->st_mtim.tv_sec;
    g.st_mtime_nsec = (uint32_t)st->st_mtim.tv_nsec;
    g.st_ctime_ = (uint32_t)st->st_ctim.tv_sec;
    g.st_ctime_nsec = (uint32_t)st->st_ctim.tv_nsec;
    /* arch/x86/kernel/sys_ia32.c cp_stat64: field by field in this order up to
     * the first that faults; the pads are never written */
#define F(f) { offsetof(struct i386_stat64, f), sizeof g.f }
    static const struct { uint8_t off, len; } order[] = {
        F(st_dev), F(st_ino32), F(st_ino), F(st_mode), F(st_nlink), F(st_uid), F(st_gid),
        F(st_rdev), F(st_size), F(st_atime_), F(st_atime_nsec), F(st_mtime_), F(st_mtime_nsec),
        F(st_ctime_), F(st_ctime_nsec), F(st_blksize), F(st_blocks),
    };
#undef F
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++)
        if (put_user(a + order[k].off, (const char *)&g + order[k].off, order[k].len)) return -EFAULT;   /* one store each */
    return 0;
}

/* oldstat(18) family: struct __old_kernel_stat, which the x86-64 kernel
 * fills for i386 callers with its own sys_stat (fs/stat.c cp_old_stat): 16-bit
 * ino and nlink or EOVERFLOW, old_encode_dev devices, 16-bit ids, size and
 * times cut to 32 bits (no EOVERFLOW for the size on a 64-bit kernel); all 32
 * bytes are written, the pad zeroed. */
static int put_old_stat(guest_addr a, const struct stat *st)
{
    struct i386_old_stat g;
    memset(&g, 0, sizeof g);
    if (st->st_ino != (uint16_t)st->st_ino || st->st_nlink > 0xffff) return -EOVERFLOW;
    g.st_dev = (uint16_t)(major(st->st_dev) << 8 | minor(st->st_dev));
    g.st_ino = (uint16_t)st->st_ino;
    g.st_mode = (uint16_t)st->st_mode;
    g.st_nlink = (uint16_t)st->st_nlink;
    g.st_uid = (uint16_t)uid16_out(st->st_uid);
    g.st_gid = (uint16_t)uid16_out(st->st_gid);
    g.st_rdev = (uint16_t)(major(st->st_rdev) << 8 | minor(st->st_rdev));
    g.st_size = (uint32_t)st->st_size;
    g.st_atime_ = (uint32_t)st->st_atim.tv_sec;
    g.st_mtime_ = (uint32_t)st->st_mtim.tv_sec;
    g.st_ctime_ = (uint32_t)st->st_ctim.tv_sec;
    return ua_write(a, &g, sizeof g);
}

enum stat_layout { STAT_NEW, STAT_64, STAT_OLD };

/* One body for every stat call: fd >= 0 with NULL path is fstat. */
static long do_stat(int dirfd, guest_addr path, bool use_path, int flags, guest_addr buf, enum stat_layout how)
{
    struct stat st;
    int r;
    if (use_path && !path && (flags & AT_EMPTY_PATH)) {
        r = fstatat(dirfd, "", &st, flags);   /* a NULL name with AT_EMPTY_PATH means the fd (Linux 6.11) */
    } else if (use_path) {
        HOST_PATH(p, path);
        r = fstatat(dirfd, p, &st, flags);
    } else {
        r = fstat(dirfd, &st);
    }
    if (r) return -errno;
    return how == STAT_64 ? put_stat64(buf, &st) : how == STAT_OLD ? put_old_stat(buf, &st) : put_stat(buf, &st);
}

SYS(stat) { return do_stat(AT_FDCWD, a1, true, 0, a2, STAT_NEW); }
SYS(lstat) { return do_stat(AT_FDCWD, a1, true, AT_SYMLINK_NOFOLLOW, a2, STAT_NEW); }
SYS(fstat) { return do_stat((int)a1, 0, false, 0, a2, STAT_NEW); }
SYS(stat64) { return do_stat(AT_FDCWD, a1, true, 0, a2, STAT_64); }
SYS(lstat64) { return do_stat(AT_FDCWD, a1, true, AT_SYMLINK_NOFOLLOW, a2, STAT_64); }
SYS(fstat64) { return do_stat((int)a1, 0, false, 0, a2, STAT_64); }
SYS(fstatat64) { return do_stat(guest_dirfd(a1), a2, true, (int)a4, a3, STAT_64); }
SYS(oldstat) { return do_stat(AT_FDCWD, a1, true, 0, a2, STAT_OLD); }
SYS(oldlstat) { return do_stat(AT_FDCWD, a1, true, AT_SYMLINK_NOFOLLOW, a2, STAT_OLD); }
SYS(oldfstat) { return do_stat((int)a1, 0, false, 0, a2, STAT_OLD); }

SYS(statx)
{
    struct statx stx;   /* fixed-width fields: the same 256 bytes on every ABI */
    long r;
    if (!a2 && (a3 & AT_EMPTY_PATH)) {
        r = host_ret(statx(guest_dirfd(a1), "", (int)a3, a4, &stx));
    } else {
        HOST_PATH(p, a2);
        r = host_ret(statx(guest_dirfd(a1), p, (int)a3, a4, &stx));
    }
    return r ? r : ua_write(a5, &stx, sizeof stx);   /* fs/stat.c: the lookup's error before EFAULT */
}

/* ---- access ---- */

SYS(access)
{
    HOST_PATH(p, a1);
    return host_ret(syscall(SYS_faccessat, AT_FDCWD, p, (int)a2));
}

SYS(faccessat)
{
    HOST_PATH(p, a2);
    return host_ret(syscall(SYS_faccessat, guest_dirfd(a1), p, (int)a3));
}

SYS(faccessat2)
{
    HOST_PATH(p, a2);
    return host_ret(syscall(SYS_faccessat2, guest_dirfd(a1), p, (int)a3, (int)a4));
}

/* ---- directories ---- */

/* Directory reads are made as an i386 process would make them: through the
 * host's 32-bit syscall entry (int 0x80 works from 64-bit code). File systems
 * then pick their 32-bit behaviour: ext4 gives 32-bit hash offsets to compat
 * callers and 64-bit ones to us, which an i386 libc's readdir rejects with
 * EOVERFLOW. The buffer must lie below 4 GiB, hence a bounce buffer. A host
 * without the 32-bit entry (no IA32 emulation: int 0x80 raises SIGSEGV) is
 * detected once; directories are then read with the 64-bit call, the old
 * getdents records are converted here and ext4's hash positions shifted to
 * the i386 ones (ext4_hashed_dir). open, lseek and _llseek use the same entry
 * (i386_syscall), for the O_LARGEFILE and directory answers of an i386 caller. */
#if defined(__x86_64__)
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>

#define COMPAT_BOUNCE (64 * 1024)
/* per thread, below 4 GiB: a copy of a guest buffer, the bounce buffer,
 * then a page that is never accessible */
#define BOUNCE_AREA (2 * COMPAT_BOUNCE + 4096)
static __thread char *bounce;

static long compat_syscall5(long nr, long a, long b, long c, long d, long e)
{
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
                     : "memory", "r8", "r9", "r10", "r11");
    return r;
}
#define compat_syscall3(nr, a, b, c) compat_syscall5(nr, a, b, c, 0, 0)

static bool have_int80;
static sigjmp_buf probe_jmp;
static void probe_fault(int sig) { (void)sig; siglongjmp(probe_jmp, 1); }

/* Once, from os_init before any guest thread exists: the SIGSEGV handler is
 * borrowed for the probe while nothing else can fault or install one. */
void fs_probe_int80(void)
{
    const char *force = getenv("UE_NO_INT80");   /* testing: act as a host without the 32-bit entry */
    if (force && *force == '1') return;
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = probe_fault;
    sigaction(SIGSEGV, &sa, &old);
    if (!sigsetjmp(probe_jmp, 1)) have_int80 = compat_syscall3(20, 0, 0, 0) == getpid();   /* i386 getpid */
    sigaction(SIGSEGV, &old, NULL);
}

/* MAP_32BIT space is 2 GiB: a thread's bounce buffer goes when the thread does */
static pthread_key_t bounce_key;
static pthread_once_t bounce_once = PTHREAD_ONCE_INIT;
static void bounce_free(void *p) { munmap((char *)p - COMPAT_BOUNCE, BOUNCE_AREA); }
static void bounce_key_init(void) { pthread_key_create(&bounce_key, bounce_free); }

/* The thread's bounce buffer below 4 GiB, or NULL. */
static char *get_bounce(void)
{
    if (!bounce) {
        char *a = mmap(NULL, BOUNCE_AREA, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
        if (a == MAP_FAILED) return NULL;
        mprotect(a + 2 * COMPAT_BOUNCE, 4096, PROT_NONE);
        char *p = a + COMPAT_BOUNCE;
        pthread_once(&bounce_once, bounce_key_init);
        pthread_setspecific(bounce_key, p);
        bounce = p;
    }
    return bounce;
}

void *i386_scratch(void) { return have_int80 ? get_bounce() : NULL; }

long i386_syscall(long nr, long a, long b, long c, long d, long e)
{
    return have_int80 ? compat_syscall5(nr, a, b, c, d, e) : -ENOSYS;
}

/* ext4 hash-ordered directories give a 64-bit caller positions
 * (major hash >> 1) << 32 | minor hash and an i386 one major hash >> 1
 * (fs/ext4/dir.c hash2pos, pos2maj_hash): without the i386 entry ue shifts
 * them by 32 bits each way, which gives the guest the i386 values exactly. */
static bool ext4_hashed_dir(int fd)
{
    struct stat st;
    struct statfs sf;
    if (fstat(fd, &st) || !S_ISDIR(st.st_mode) || fstatfs(fd, &sf) || sf.f_type != 0xEF53) return false;
    off_t cur = lseek(fd, 0, SEEK_CUR);
    off_t end = lseek(fd, 0, SEEK_END);   /* hashed: EXT4_HTREE_EOF_64BIT; linear: the size */
    lseek(fd, cur, SEEK_SET);
    return end == INT64_MAX;
}

/* lseek on such a directory as generic_file_llseek_size does for an i386
 * caller (the end and the limit at EXT4_HTREE_EOF_32BIT); -ENOSYS for every
 * other file, or when the host's i386 entry answers for itself. */
long dir_lseek32(int fd, int64_t off, int whence, int64_t *res)
{
    const int64_t eof = 0x7fffffff;
    if (have_int80 || !ext4_hashed_dir(fd)) return -ENOSYS;
    int64_t cur = lseek(fd, 0, SEEK_CUR) >> 32;
    switch (whence) {
    case SEEK_SET: break;
    case SEEK_CUR:
        if (!off) {
            *res = cur;
            return 0;
        }
        off += cur;
        break;
    case SEEK_END: off += eof; break;
    case SEEK_DATA: case SEEK_HOLE:
        if ((uint64_t)off >= (uint64_t)eof) return -ENXIO;
        if (whence == SEEK_HOLE) off = eof;
        break;
    default: return -EINVAL;
    }
    if (off < 0 || off > eof) return -EINVAL;
    if (lseek(fd, off << 32, SEEK_SET) < 0) return -errno;
    *res = off;
    return 0;
}

/* One record, field by field as filldir writes it, each field one store
 * (unsafe_put_user): the previous record's d_off (already written here),
 * or for the call's first record its own d_off with the position before
 * it (first_off); then d_ino, d_reclen, d_type, the name's NUL, and the
 * name as unsafe_copy_to_user stores it (8, 4, 2, 1 bytes at a time).
 * A record that faults keeps what was stored before the fault. Its d_off
 * gets its final value (the next record's position) once it is whole. The
 * bytes between the name's NUL and the end (the old layout's type byte
 * aside) keep the guest's. */
static int put_dirent(guest_addr dst, const char *rec, int reclen_at, uint16_t reclen, const void *first_off)
{
    bool old = reclen_at == 8;   /* i386 linux_dirent: 32-bit ino and off, type in the last byte */
    int w = old ? 4 : 8, name = old ? 10 : 19, type = old ? reclen - 1 : 18;
    size_t len = strnlen(rec + name, reclen - name);
    if (first_off && put_user(dst + w, first_off, w)) return -EFAULT;
    if (put_user(dst, rec, w) || put_user(dst + reclen_at, rec + reclen_at, 2) || put_user(dst + type, rec + type, 1))
        return -EFAULT;
    if (put_user(dst + name + len, "", 1)) return -EFAULT;   /* unsafe_copy_dirent_name: the NUL first */
    for (size_t at = 0, chunk = 8; chunk; chunk /= 2)
        for (; len - at >= chunk; at += chunk)
            if (put_user(dst + name + at, rec + name + at, (uint32_t)chunk)) return -EFAULT;
    return put_user(dst + w, rec + w, w);
}

/* fs/readdir.c filldir: records go out one by one; when one cannot be
 * written the call returns the bytes of those before it (EFAULT when there
 * are none) and the directory stays at the record that failed. Copies the
 * records host[0..n) of a host call that read them all; next_off(rec) is a
 * record's position of the following entry, start the position before. */
static long put_dirents(int fd, guest_addr buf, const char *host, long n, int reclen_at,
                        int64_t (*next_off)(const char *), int64_t start, int shift)
{
    long pos = 0;
    int64_t at = start, first = start >> shift;   /* little-endian: the old layout takes its low half */
    while (pos < n) {
        uint16_t reclen;
        memcpy(&reclen, host + pos + reclen_at, 2);
        if ((uint64_t)buf + pos + reclen > 1ull << 32 ||
            put_dirent(buf + pos, host + pos, reclen_at, reclen, pos ? NULL : &first))
            break;   /* (past 4 GiB the guest address would wrap: nothing is there natively) */
        at = next_off(host + pos) << shift;   /* shift: the records hold ext4's i386 positions */
        pos += reclen;
    }
    if (pos == n) return n;
    if (at >= 0) lseek(fd, at, SEEK_SET);   /* the rest comes (or fails) on the next call */
    return pos ? pos : -EFAULT;
}

static int64_t next_off32(const char *d) { uint32_t o; memcpy(&o, d + 4, 4); return o; }

/* struct linux_dirent for i386: ino, off (32-bit), reclen, name, NUL, pad,
 * type in the last byte; never longer than the 64-bit record it comes from,
 * so the converted records fit in place, and at least 2/3 of it: twice count
 * bytes of 64-bit records fill count bytes as the i386 call would. */
static long getdents_from64(int fd, guest_addr buf, uint32_t count)
{
    static __thread char host[COMPAT_BOUNCE];
    if ((int32_t)count < 0) return host_ret(syscall(SYS_getdents64, fd, host, count));   /* int count: nothing fits */
    int64_t start = lseek(fd, 0, SEEK_CUR);
    uint64_t want = (uint64_t)count * 2;
    long n = syscall(SYS_getdents64, fd, host, want > sizeof host ? sizeof host : (size_t)want);
    if (n < 0) return -errno;
    int shift = n && ext4_hashed_dir(fd) ? 32 : 0;
    long out = 0, err = 0;
    bool cut = false;
    int64_t prev_off = start;
    for (long pos = 0; pos < n;) {
        const char *d = host + pos;
        uint64_t ino;
        int64_t off;
        uint16_t reclen;
        memcpy(&ino, d, 8);
        memcpy(&off, d + 8, 8);
        memcpy(&reclen, d + 16, 2);
        off >>= shift;
        const char *name = d + 19;
        size_t len = strnlen(name, 256);
        uint32_t rec = (uint32_t)((10 + len + 2 + 3) & ~(size_t)3);
        if (ino > UINT32_MAX || off > INT32_MAX || off < INT32_MIN) {   /* compat filldir */
            err = -EOVERFLOW;
            break;
        }
        if (out + rec > count) {   /* filldir: a record that does not fit ends the call */
            err = out ? 0 : -EINVAL;
            cut = true;
            break;
        }
        uint8_t r[272];
        uint32_t ino32 = (uint32_t)ino, off32 = (uint32_t)off;
        uint16_t rl = (uint16_t)rec;
        memset(r, 0, rec);
        memcpy(r, &ino32, 4);
        memcpy(r + 4, &off32, 4);
        memcpy(r + 8, &rl, 2);
        memcpy(r + 10, name, len);
        r[rec - 1] = (uint8_t)d[18];
        memcpy(host + out, r, rec);   /* out <= pos: records only shrink */
        out += rec;
        prev_off = off << shift;
        pos += reclen;
    }
    long r = put_dirents(fd, buf, host, out, 8, next_off32, start, shift);
    if (r != out || (!err && !cut)) return r;
    if (prev_off >= 0) lseek(fd, prev_off, SEEK_SET);   /* stay at the entry that did not fit */
    return out ? out : err;
}

/* i386 getdents (141) or getdents64 (220) into the guest buffer */
static long compat_getdents(int nr, int fd, guest_addr buf, uint32_t count)
{
    if (!have_int80) {
        if (nr == 141) return getdents_from64(fd, buf, count);
        void *p = ua_lock(buf, count, UA_OUT);   /* linux_dirent64 is the same on both */
        long r = host_ret(syscall(SYS_getdents64, fd, p, count));
        ua_unlock(p, buf, r > 0 ? (uint32_t)r : 0, UA_OUT);
        if (r > 0 && ext4_hashed_dir(fd)) {   /* the i386 positions in place of the 64-bit ones */
            for (long pos = 0; pos < r;) {
                uint16_t reclen;
                int64_t off;
                if (ua_read(&reclen, buf + pos + 16, 2) || ua_read(&off, buf + pos + 8, 8) || !reclen) break;
                off >>= 32;
                ua_write(buf + pos + 8, &off, 8);
                pos += reclen;
            }
        }
        return r;
    }
    if (!get_bounce()) return -ENOMEM;
    /* filldir's count is an int: over INT_MAX no record fits (EINVAL), nothing is written */
    uint32_t n = count > COMPAT_BOUNCE && (int32_t)count >= 0 ? COMPAT_BOUNCE : count;
    /* The host's i386 call fills a copy of the guest's buffer as far as the
     * guest could be written (readable and writable), which ends where the
     * never accessible page begins: the host kernel then stores, faults,
     * counts and moves the directory's position exactly as for the guest.
     * The bytes it changed go back. */
    char *orig = bounce - COMPAT_BOUNCE, *guard = bounce + COMPAT_BOUNCE;
    uint32_t got = n > COMPAT_BOUNCE ? 0 : n - (uint32_t)ua_read_partial(orig, buf, n), w = 0;
    while (w < got && mem_guest_writable(buf + w)) {
        uint64_t next = ((uint64_t)buf + w + 4096) / 4096 * 4096 - buf;
        w = next < got ? (uint32_t)next : got;
    }
    char *at = guard - w;
    memcpy(at, orig, w);
    long r = compat_syscall3(nr, fd, (long)(uintptr_t)at, n);
    for (uint32_t i = 0; i < w;) {
        if (at[i] == orig[i]) {
            i++;
            continue;
        }
        uint32_t j = i;
        while (j < w && at[j] != orig[j]) j++;
        ua_write_partial(buf + i, at + i, j - i);
        i = j;
    }
    return r;
}

SYS(getdents) { return compat_getdents(141, (int)a1, a2, a3); }
SYS(getdents64) { return compat_getdents(220, (int)a1, a2, a3); }

#else
/* other hosts: getdents64 has the same layout; getdents is left out */
SYS(getdents) { return -ENOSYS; }
SYS(getdents64)
{
    void *p = ua_lock(a2, a3, UA_OUT);
    return host_ret(syscall(SYS_getdents64, (int)a1, p, a3));
}
void fs_probe_int80(void) {}
void *i386_scratch(void) { return NULL; }
long dir_lseek32(int fd, int64_t off, int whence, int64_t *res) { return -ENOSYS; }
long i386_syscall(long nr, long a, long b, long c, long d, long e) { return -ENOSYS; }
#endif

/* readdir (89, the kernel's compat old_readdir): one compat old_linux_dirent
 * per call (32-bit d_ino and d_offset, the entry's own position, a 16-bit
 * d_namlen, the name and a NUL) and 1, or 0 at the end; count is not looked
 * at. An entry whose inode needs more than 32 bits (EOVERFLOW) or that the
 * guest's buffer cannot take (EFAULT, the bytes before the fault written)
 * stays unread. Through the host's i386 entry into the bounce buffer, the
 * position put back after an EFAULT; without it from getdents64, and
 * d_offset is then the position before the call (reading from there gives
 * the same entry, but ext4's hash order may show another number natively). */
SYS(readdir)
{
    int fd = (int)a1;
    char *s = i386_scratch();
    uint8_t rec[10 + 256 + 1];
    int64_t before;
    uint32_t len;
    if (s) {
        int64_t *pos = (int64_t *)(s + 1024);
        bool seekable = i386_syscall(140, fd, 0, 0, (long)(uintptr_t)pos, SEEK_CUR) == 0;   /* _llseek */
        before = *pos;
        long r = i386_syscall(89, fd, (long)(uintptr_t)s, 1, 0, 0);
        if (r != 1) return r;
        uint16_t namlen;
        memcpy(&namlen, s + 8, 2);
        len = 10u + namlen + 1;
        if (len > sizeof rec) return -EIO;   /* no name is longer than NAME_MAX */
        memcpy(rec, s, len);
        if (!ua_write_partial(a2, rec, len)) return 1;
        if (seekable) i386_syscall(140, fd, (long)(before >> 32), (long)(uint32_t)before, (long)(uintptr_t)pos, SEEK_SET);
        return -EFAULT;
    }
    static __thread char host[4096];
    before = lseek(fd, 0, SEEK_CUR);
    int64_t before32;   /* an ext4 hash position as the i386 one */
    if (dir_lseek32(fd, 0, SEEK_CUR, &before32)) before32 = before;
    long r = host_ret(syscall(SYS_getdents64, fd, host, sizeof host));
    if (r <= 0) return r;
    uint64_t ino;
    int64_t next;
    memcpy(&ino, host, 8);
    memcpy(&next, host + 8, 8);
    const char *name = host + 19;
    size_t namlen = strnlen(name, 255);
    if (ino != (uint32_t)ino) {
        lseek(fd, before, SEEK_SET);
        return -EOVERFLOW;
    }
    uint32_t ino32 = (uint32_t)ino, off32 = (uint32_t)before32;
    uint16_t nl = (uint16_t)namlen;
    memcpy(rec, &ino32, 4);
    memcpy(rec + 4, &off32, 4);
    memcpy(rec + 8, &nl, 2);
    memcpy(rec + 10, name, namlen);
    rec[10 + namlen] = 0;
    len = 10u + (uint32_t)namlen + 1;
    if (ua_write_partial(a2, rec, len)) {
        lseek(fd, before, SEEK_SET);
        return -EFAULT;
    }
    lseek(fd, next, SEEK_SET);
    return 1;
}

SYS(mkdir)
{
    HOST_PATH(p, a1);
    return host_ret(mkdir(p, a2));
}

SYS(mkdirat)
{
    HOST_PATH(p, a2);
    return host_ret(mkdirat(guest_dirfd(a1), p, a3));
}

SYS(rmdir)
{
    HOST_PATH(p, a1);
    return host_ret(rmdir(p));
}

/* i386 mknod's dev is the kernel's 32-bit encoding (new_decode_dev) */
static dev_t guest_dev(uint32_t dev)
{
    return makedev((dev & 0xfff00) >> 8, (dev & 0xff) | ((dev >> 12) & 0xfff00));
}

SYS(mknod)
{
    HOST_PATH(p, a1);
    return host_ret(mknod(p, a2, guest_dev(a3)));
}

SYS(mknodat)
{
    HOST_PATH(p, a2);
    return host_ret(mknodat(guest_dirfd(a1), p, a3, guest_dev(a4)));
}

/* ---- links and names ---- */

SYS(unlink)
{
    HOST_PATH(p, a1);
    return host_ret(unlink(p));
}

SYS(unlinkat)
{
    HOST_PATH(p, a2);
    return host_ret(unlinkat(guest_dirfd(a1), p, (int)a3));
}

SYS(rename)
{
    HOST_PATH(p, a1);
    HOST_PATH(q, a2);
    return host_ret(rename(p, q));
}

SYS(renameat)
{
    HOST_PATH(p, a2);
    HOST_PATH(q, a4);
    return host_ret(renameat(guest_dirfd(a1), p, guest_dirfd(a3), q));
}

SYS(renameat2)
{
    HOST_PATH(p, a2);
    HOST_PATH(q, a4);
    return host_ret(renameat2(guest_dirfd(a1), p, guest_dirfd(a3), q, a5));
}

/* a symlink's target is stored as given: no --sysroot mapping */
static long do_symlinkat(guest_addr target, int dirfd, guest_addr path)
{
    char t[PATH_BUF];
    const char *tp = get_name(target, t) ? ua_lock(target, PATH_BUF, UA_IN) : t;   /* the host faults on it */
    HOST_PATH(q, path);
    return host_ret(symlinkat(tp, dirfd, q));
}

SYS(symlink) { return do_symlinkat(a1, AT_FDCWD, a2); }
SYS(symlinkat) { return do_symlinkat(a1, guest_dirfd(a2), a3); }

SYS(link)
{
    HOST_PATH(p, a1);
    HOST_PATH(q, a2);
    return host_ret(link(p, q));
}

SYS(linkat)
{
    HOST_PATH(p, a2);
    HOST_PATH(q, a4);
    return host_ret(linkat(guest_dirfd(a1), p, guest_dirfd(a3), q, (int)a5));
}

/* fs/stat.c do_readlinkat: the size first, then the name; the link's bytes
 * go straight into the guest buffer (EFAULT or not as the host decides) */
static long do_readlinkat(int dirfd, guest_addr path, guest_addr buf, uint32_t size)
{
    if ((int32_t)size <= 0) return -EINVAL;
    HOST_PATH(p, path);
    if (!p_err && p == ue_exe_path) {   /* the guest program, not ue */
        const char *shown = ue_exe_link[0] ? ue_exe_link : ue_exe_path;
        size_t n = strlen(shown);
        if (n > size) n = size;
        return ua_write(buf, shown, n) ? -EFAULT : (long)n;
    }
    void *out = ua_lock(buf, size, UA_OUT);
    long r = host_ret(readlinkat(dirfd, p, out, size));
    ua_unlock(out, buf, r > 0 ? (uint32_t)r : 0, UA_OUT);
    return r;
}

SYS(readlink) { return do_readlinkat(AT_FDCWD, a1, a2, a3); }
SYS(readlinkat) { return do_readlinkat(guest_dirfd(a1), a2, a3, a4); }

/* ---- permissions and owners ---- */

SYS(chmod)
{
    HOST_PATH(p, a1);
    return host_ret(chmod(p, a2));
}

SYS(fchmod) { return host_ret(fchmod((int)a1, a2)); }

SYS(fchmodat)
{
    HOST_PATH(p, a2);
    return host_ret(syscall(SYS_fchmodat, guest_dirfd(a1), p, a3));
}

SYS(fchmodat2)
{
    HOST_PATH(p, a2);
    return host_ret(syscall(NR_fchmodat2, guest_dirfd(a1), p, a3, a4));
}

static long do_chown(int dirfd, guest_addr path, uint32_t uid, uint32_t gid, int flags)
{
    HOST_PATH(p, path);
    return host_ret(fchownat(dirfd, p, uid, gid, flags));
}

SYS(chown) { return do_chown(AT_FDCWD, a1, uid16_in(a2), uid16_in(a3), 0); }
SYS(lchown) { return do_chown(AT_FDCWD, a1, uid16_in(a2), uid16_in(a3), AT_SYMLINK_NOFOLLOW); }
SYS(fchown) { return host_ret(fchown((int)a1, uid16_in(a2), uid16_in(a3))); }
SYS(chown32) { return do_chown(AT_FDCWD, a1, a2, a3, 0); }
SYS(lchown32) { return do_chown(AT_FDCWD, a1, a2, a3, AT_SYMLINK_NOFOLLOW); }
SYS(fchown32) { return host_ret(fchown((int)a1, a2, a3)); }
SYS(fchownat) { return do_chown(guest_dirfd(a1), a2, a3, a4, (int)a5); }

SYS(umask) { return umask(a1 & 0777); }

/* ---- times ---- */

/* path 0 means the file dirfd itself (futimesat/utimensat with a NULL name) */
static long do_utimens(int dirfd, guest_addr path, const struct timespec *ts, int flags)
{
    if (!path) return host_ret(syscall(SYS_utimensat, dirfd, NULL, ts, flags));
    HOST_PATH(p, path);
    return host_ret(syscall(SYS_utimensat, dirfd, p, ts, flags));
}

SYS(utime)
{
    struct i386_utimbuf u;
    struct timespec ts[2];
    if (!a2) return do_utimens(AT_FDCWD, a1, NULL, 0);
    if (ua_read(&u, a2, sizeof u)) return -EFAULT;
    ts[0] = (struct timespec){ u.actime, 0 };
    ts[1] = (struct timespec){ u.modtime, 0 };
    return do_utimens(AT_FDCWD, a1, ts, 0);
}

static long do_utimes(int dirfd, guest_addr path, guest_addr tvp)
{
    struct timespec ts[2];
    if (!tvp) return do_utimens(dirfd, path, NULL, 0);
    struct timeval tv[2];
    for (int k = 0; k < 2; k++) {   /* compat_sys_utimes: both read, then both checked */
        int e = get_timeval(tvp + k * 8, &tv[k]);
        if (e) return e;
    }
    for (int k = 0; k < 2; k++) {
        if (tv[k].tv_usec < 0 || tv[k].tv_usec >= 1000000) return -EINVAL;
        ts[k] = (struct timespec){ tv[k].tv_sec, tv[k].tv_usec * 1000 };
    }
    return do_utimens(dirfd, path, ts, 0);
}

SYS(utimes) { return do_utimes(AT_FDCWD, a1, a2); }
SYS(futimesat) { return do_utimes(guest_dirfd(a1), a2, a3); }

static long do_utimensat(uint32_t dirfd, guest_addr path, guest_addr tsp, uint32_t flags, int time64)
{
    struct timespec ts[2];
    if (tsp) {
        for (int k = 0; k < 2; k++) {
            int e = get_timespec(tsp + k * (time64 ? 16 : 8), &ts[k], time64);
            if (e) return e;
        }
    }
    return do_utimens(guest_dirfd(dirfd), path, tsp ? ts : NULL, (int)flags);
}

SYS(utimensat) { return do_utimensat(a1, a2, a3, a4, 0); }
SYS(utimensat_time64) { return do_utimensat(a1, a2, a3, a4, 1); }

/* ---- statfs ---- */

static int put_statfs(guest_addr a, const struct statfs *s)
{
    struct i386_statfs g;
    /* fs/statfs.c put_compat_statfs */
    if ((s->f_blocks | s->f_bfree | s->f_bavail | (uint64_t)s->f_bsize | (uint64_t)s->f_frsize) >> 32)
        return -EOVERFLOW;
    if ((s->f_files != (fsfilcnt_t)-1 && s->f_files >> 32) || (s->f_ffree != (fsfilcnt_t)-1 && s->f_ffree >> 32))
        return -EOVERFLOW;
    memset(&g, 0, sizeof g);
    g.f_type = (uint32_t)s->f_type;
    g.f_bsize = (uint32_t)s->f_bsize;
    g.f_blocks = (uint32_t)s->f_blocks;
    g.f_bfree = (uint32_t)s->f_bfree;
    g.f_bavail = (uint32_t)s->f_bavail;
    g.f_files = (uint32_t)s->f_files;
    g.f_ffree = (uint32_t)s->f_ffree;
    memcpy(g.f_fsid, &s->f_fsid, 8);
    g.f_namelen = (uint32_t)s->f_namelen;
    g.f_frsize = (uint32_t)s->f_frsize;
    g.f_flags = (uint32_t)s->f_flags;
    return ua_write(a, &g, sizeof g);
}

static int put_statfs64(guest_addr a, const struct statfs *s)
{
    struct i386_statfs64 g;
    if (((uint64_t)s->f_bsize | (uint64_t)s->f_frsize) >> 32) return -EOVERFLOW;
    memset(&g, 0, sizeof g);
    g.f_type = (uint32_t)s->f_type;
    g.f_bsize = (uint32_t)s->f_bsize;
    g.f_blocks = s->f_blocks;
    g.f_bfree = s->f_bfree;
    g.f_bavail = s->f_bavail;
    g.f_files = s->f_files;
    g.f_ffree = s->f_ffree;
    memcpy(g.f_fsid, &s->f_fsid, 8);
    g.f_namelen = (uint32_t)s->f_namelen;
    g.f_frsize = (uint32_t)s->f_frsize;
    g.f_flags = (uint32_t)s->f_flags;
    return ua_write(a, &g, sizeof g);
}

SYS(statfs)
{
    struct statfs s;
    HOST_PATH(p, a1);
    if (statfs(p, &s)) return -errno;
    return put_statfs(a2, &s);
}

SYS(fstatfs)
{
    struct statfs s;
    if (fstatfs((int)a1, &s)) return -errno;
    return put_statfs(a2, &s);
}

SYS(statfs64)
{
    struct statfs s;
    if (a2 != sizeof(struct i386_statfs64)) return -EINVAL;
    HOST_PATH(p, a1);
    if (statfs(p, &s)) return -errno;
    return put_statfs64(a3, &s);
}

SYS(fstatfs64)
{
    struct statfs s;
    if (a2 != sizeof(struct i386_statfs64)) return -EINVAL;
    if (fstatfs((int)a1, &s)) return -errno;
    return put_statfs64(a3, &s);
}

/* ---- extended attributes: strings and byte buffers only ---- */

enum { XA_PATH, XA_LINK, XA_FD };

/* fs/xattr.c (Linux 6.13 on): the flags, the name and the value are taken
 * before the path is looked up. The name is read once into host memory;
 * empty or without a NUL in 256 bytes it is ERANGE (import_xattr_name). */
static int get_xattr_name(guest_addr a, char name[XATTR_NAME_MAX + 1])
{
    long n = ua_strncpy(name, a, XATTR_NAME_MAX + 1);
    return n == -EFAULT ? -EFAULT : n <= 0 ? -ERANGE : 0;
}

static long do_setxattr(int kind, uint32_t obj, guest_addr name, guest_addr value, uint32_t size, int flags)
{
    char n[XATTR_NAME_MAX + 1];
    if (flags & ~(XATTR_CREATE | XATTR_REPLACE)) return -EINVAL;
    int e = get_xattr_name(name, n);
    if (e) return e;
    if (size > XATTR_SIZE_MAX) return -E2BIG;
    void *v = malloc(size ? size : 1);   /* setxattr_copy: the value read once, in full */
    if (!v) return -ENOMEM;
    long r = ua_read(v, value, size);
    if (!r) {
        if (kind == XA_FD) {
            r = host_ret(fsetxattr((int)obj, n, v, size, flags));
        } else {
            char pbuf[PATH_BUF];
            const char *p;
            r = guest_path(obj, pbuf, &p);
            if (!r) r = host_ret(kind == XA_LINK ? lsetxattr(p, n, v, size, flags) : setxattr(p, n, v, size, flags));
        }
    }
    free(v);
    return r;
}

static long do_getxattr(int kind, uint32_t obj, guest_addr name, guest_addr value, uint32_t size)
{
    char n[XATTR_NAME_MAX + 1];
    int e = get_xattr_name(name, n);
    if (e) return e;
    void *v = ua_lock(value, size, UA_OUT);   /* the host writes the value, or EFAULT */
    if (kind == XA_FD) return host_ret(fgetxattr((int)obj, n, v, size));
    HOST_PATH(p, obj);
    return host_ret(kind == XA_LINK ? lgetxattr(p, n, v, size) : getxattr(p, n, v, size));
}

static long do_listxattr(int kind, uint32_t obj, guest_addr list, uint32_t size)
{
    char *l = ua_lock(list, size, UA_OUT);
    if (kind == XA_FD) return host_ret(flistxattr((int)obj, l, size));
    HOST_PATH(p, obj);
    return host_ret(kind == XA_LINK ? llistxattr(p, l, size) : listxattr(p, l, size));
}

static long do_removexattr(int kind, uint32_t obj, guest_addr name)
{
    char n[XATTR_NAME_MAX + 1];
    int e = get_xattr_name(name, n);
    if (e) return e;
    if (kind == XA_FD) return host_ret(fremovexattr((int)obj, n));
    HOST_PATH(p, obj);
    return host_ret(kind == XA_LINK ? lremovexattr(p, n) : removexattr(p, n));
}

SYS(setxattr) { return do_setxattr(XA_PATH, a1, a2, a3, a4, (int)a5); }
SYS(lsetxattr) { return do_setxattr(XA_LINK, a1, a2, a3, a4, (int)a5); }
SYS(fsetxattr) { return do_setxattr(XA_FD, a1, a2, a3, a4, (int)a5); }
SYS(getxattr) { return do_getxattr(XA_PATH, a1, a2, a3, a4); }
SYS(lgetxattr) { return do_getxattr(XA_LINK, a1, a2, a3, a4); }
SYS(fgetxattr) { return do_getxattr(XA_FD, a1, a2, a3, a4); }
SYS(listxattr) { return do_listxattr(XA_PATH, a1, a2, a3); }
SYS(llistxattr) { return do_listxattr(XA_LINK, a1, a2, a3); }
SYS(flistxattr) { return do_listxattr(XA_FD, a1, a2, a3); }
SYS(removexattr) { return do_removexattr(XA_PATH, a1, a2); }
SYS(lremovexattr) { return do_removexattr(XA_LINK, a1, a2); }
SYS(fremovexattr) { return do_removexattr(XA_FD, a1, a2); }

/* ---- inotify: struct inotify_event has fixed-width fields ---- */

SYS(inotify_init) { return host_ret(inotify_init1(0)); }
SYS(inotify_init1) { return host_ret(inotify_init1((int)a1)); }

SYS(inotify_add_watch)
{
    HOST_PATH(p, a2);
    return host_ret(inotify_add_watch((int)a1, p, a3));
}

SYS(inotify_rm_watch) { return host_ret(inotify_rm_watch((int)a1, (int)a2)); }

SYS(acct)
{
    if (!a1) return host_ret(acct(NULL));
    HOST_PATH(p, a1);
    return host_ret(acct(p));
}
