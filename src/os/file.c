/* File descriptors: open/close, read/write and their vector and positioned
 * forms, seeking, dup, fcntl, pipes, poll/select/epoll, sync and
 * truncate, in-kernel copies (sendfile, splice). */
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "../mem/uaccess.h"
#include "put_user.h"
#include "sys.h"

#define I386_O_LARGEFILE 0100000
#define I386_F_GETLK64 12
#define I386_F_SETLK64 13
#define I386_F_SETLKW64 14

/* fs.c: a call through the host's i386 entry (-ENOSYS on a host without
 * one), and the thread's scratch memory below 4 GiB for its pointers (NULL then) */
long i386_syscall(long nr, long a, long b, long c, long d, long e);
void *i386_scratch(void);
/* fs.c: lseek on an ext4 hashed directory with i386 positions when the host
 * has no i386 entry: 0 and *res, -errno, or -ENOSYS for every other case */
long dir_lseek32(int fd, int64_t off, int whence, int64_t *res);

/* ---- per-fd facts ---- */

/* fds the guest opened without O_LARGEFILE: the x86_64 kernel forces the flag,
 * an i386 kernel would not show it in F_GETFL. */
#define NOLFS_MAX 65536
static uint8_t fd_nolfs[NOLFS_MAX];

void fd_set_nolfs(int fd, int on)
{
    if (fd >= 0 && fd < NOLFS_MAX) fd_nolfs[fd] = (uint8_t)on;
}

void fd_copy_flags(int from, int to)
{
    if (to >= 0 && to < NOLFS_MAX) fd_nolfs[to] = (from >= 0 && from < NOLFS_MAX) ? fd_nolfs[from] : 0;
}

/* ---- open and close ---- */

/* Through the host's i386 entry when it has one: the file is then as an i386
 * open makes it (O_LARGEFILE not forced), and F_GETFL, EOVERFLOW for big
 * files and the 2 GiB limits of writes and truncates are the host's. */
static long host_openat(int dirfd, const char *p, bool readable, uint32_t flags, uint32_t mode, bool *exact)
{
    char *s = readable ? i386_scratch() : NULL;
    size_t n = s ? strlen(p) + 1 : 0;
    *exact = false;
    if (s && n <= PATH_BUF) {
        memcpy(s, p, n);
        long r = i386_syscall(295, dirfd, (long)(uintptr_t)s, flags, mode, 0);   /* i386 openat */
        if (r != -ENOSYS) {
            *exact = true;
            return r;
        }
    }
    return host_ret(syscall(SYS_openat, dirfd, p, (int)flags, (mode_t)mode));
}

static long do_openat(int dirfd, guest_addr path, uint32_t flags, uint32_t mode)
{
    HOST_PATH(p, path);
    bool exact = false;
    long r = p_err ? PROCFS_NOT_SPECIAL : procfs_open(p, (int)flags);
    if (r == PROCFS_NOT_SPECIAL && !p_err) r = exe_busy_open(dirfd, p, (int)flags) ?: PROCFS_NOT_SPECIAL;
    if (r == PROCFS_NOT_SPECIAL) r = host_openat(dirfd, p, !p_err, flags, mode, &exact);
    if (r < 0) return r;
    if (exact) {
        fd_set_nolfs((int)r, 0);
        return r;
    }
    if (!(flags & I386_O_LARGEFILE)) {
        /* fs/open.c generic_file_open: without O_LARGEFILE a file over 2 GiB is refused;
         * the x86_64 host forced the flag, so check here */
        struct stat st;
        if (!fstat((int)r, &st) && S_ISREG(st.st_mode) && st.st_size > 0x7fffffff) {
            close((int)r);
            return -EOVERFLOW;
        }
    }
    struct stat st;   /* 2: a regular file, whose writes stop at 2 GiB - 1 */
    fd_set_nolfs((int)r, (flags & I386_O_LARGEFILE) ? 0 : !fstat((int)r, &st) && S_ISREG(st.st_mode) ? 2 : 1);
    return r;
}

SYS(open) { return do_openat(AT_FDCWD, a1, a2, a3); }
SYS(openat) { return do_openat(guest_dirfd(a1), a2, a3, a4); }
/* sys_creat forces O_LARGEFILE for i386 callers too (x86_64 has no 32-bit off_t) */
SYS(creat) { return do_openat(AT_FDCWD, a1, O_CREAT | O_WRONLY | O_TRUNC | I386_O_LARGEFILE, a2); }

SYS(openat2)
{
    /* struct open_how (u64 flags, mode, resolve) is the same on every ABI;
     * fs/open.c: a size under VER0 is EINVAL, over a page E2BIG, and the host
     * checks that bytes past the struct are zero on our one copy */
    uint64_t how[4096 / 8];
    if (a4 < 24) return -EINVAL;   /* OPEN_HOW_SIZE_VER0 */
    if (a4 > sizeof how) return -E2BIG;
    if (ua_read(how, a3, a4)) return -EFAULT;
    HOST_PATH(p, a2);
    long r = p_err || how[0] >> 32 ? 0 : exe_busy_open(guest_dirfd(a1), p, (int)how[0]);
    if (r) return r;
    if (!p_err && !(how[0] >> 32) && !how[2] && (r = procfs_open(p, (int)how[0])) != PROCFS_NOT_SPECIAL)
        return r;   /* /proc/self files of the guest, when no RESOLVE_ flag could refuse the walk */
    r = host_ret(syscall(SYS_openat2, guest_dirfd(a1), p, how, (size_t)a4));
    if (r >= 0) fd_set_nolfs((int)r, 0);   /* sys_openat2 forces O_LARGEFILE for i386 callers too */
    return r;
}

SYS(close)
{
    long r = host_ret(close((int)a1));
    fd_set_nolfs((int)a1, 0);
    return r;
}

SYS(close_range)
{
    long r = host_ret(syscall(SYS_close_range, a1, a2, a3));
    if (r == 0 && !(a3 & CLOSE_RANGE_CLOEXEC))
        for (uint32_t fd = a1; fd <= a2 && fd < NOLFS_MAX; fd++) fd_nolfs[fd] = 0;
    return r;
}

/* ---- read and write ---- */

/* The guest buffer goes to the host as it is: a partly mapped one gets the
 * kernel's own answer (EFAULT with the data left in a pipe, a short write).
 * A negative offset goes to the host too: EINVAL in the kernel's order. */
/* A write to a regular file opened without O_LARGEFILE when the host forced
 * the flag (no i386 entry): mm/filemap.c generic_write_check_limits stops it
 * at 2 GiB - 1, after the host's own checks (a file not open for writing, a
 * negative offset, RLIMIT_FSIZE with its SIGXFSZ), which it is left to make.
 * at: the offset, or -1 for the file position. 0 with *len cut, or -EFBIG. */
static int nolfs_write_limit(int fd, int64_t at, uint64_t *len)
{
    const int64_t max = 0x7fffffff;   /* MAX_NON_LFS */
    if (fd < 0 || fd >= NOLFS_MAX || fd_nolfs[fd] != 2 || !*len) return 0;
    int fl = fcntl(fd, F_GETFL);
    struct stat st;
    struct rlimit rl;
    if (fl < 0 || (fl & O_ACCMODE) == O_RDONLY || at < -1) return 0;
    if (fl & O_APPEND) at = fstat(fd, &st) ? -1 : st.st_size;
    else if (at == -1) at = lseek(fd, 0, SEEK_CUR);
    if (at < 0 || (!getrlimit(RLIMIT_FSIZE, &rl) && rl.rlim_cur != RLIM_INFINITY && (uint64_t)at >= rl.rlim_cur))
        return 0;
    if (at >= max) return -EFBIG;
    if (*len > (uint64_t)(max - at)) *len = (uint64_t)(max - at);
    return 0;
}

static long do_rw(long nr, int fd, guest_addr buf, uint32_t len, enum ua_dir dir, int64_t off)
{
    if (dir == UA_IN) {
        uint64_t n = len;
        int e = nolfs_write_limit(fd, nr == SYS_pwrite64 ? off : -1, &n);
        if (e) return e;
        len = (uint32_t)n;
    }
    void *p = ua_lock(buf, len, dir);
    long r = safe_syscall(nr, fd, (long)p, len, (long)off, 0, 0);
    ua_unlock(p, buf, r > 0 ? (uint32_t)r : 0, dir);
    return r;
}

SYS(read) { return do_rw(SYS_read, (int)a1, a2, a3, UA_OUT, 0); }
SYS(write) { return do_rw(SYS_write, (int)a1, a2, a3, UA_IN, 0); }
SYS(pread64) { return do_rw(SYS_pread64, (int)a1, a2, a3, UA_OUT, (int64_t)pair64(a4, a5)); }
SYS(pwrite64) { return do_rw(SYS_pwrite64, (int)a1, a2, a3, UA_IN, (int64_t)pair64(a4, a5)); }

/* The guest's 8-byte iovecs read once, in order, as lib/iov_iter.c
 * copy_compat_iovec_from_user does: more than UIO_MAXIOV is EINVAL, a
 * negative length EINVAL, an unreadable entry EFAULT. The host kernel clamps
 * the total to MAX_RW_COUNT as the i386 kernel would. */
int get_iovec(struct iovec *iov, guest_addr a, uint32_t cnt, enum ua_dir dir)
{
    struct i386_iovec g[IOV_MAX];
    if (cnt > IOV_MAX) return -EINVAL;
    size_t missing = ua_read_partial(g, a, cnt * sizeof g[0]);
    uint32_t whole = cnt - (uint32_t)((missing + sizeof g[0] - 1) / sizeof g[0]);
    for (uint32_t k = 0; k < whole; k++) {
        if ((int32_t)g[k].iov_len < 0) return -EINVAL;
        iov[k].iov_base = ua_lock(g[k].iov_base, g[k].iov_len, dir);
        iov[k].iov_len = g[k].iov_len;
    }
    return whole < cnt ? -EFAULT : (int)cnt;
}

/* A host address that is never mapped: the guard above the guest window. */
static void *host_fault_addr(void) { return (char *)g2h(0xffffffffu) + 1; }   /* uaccess-ok: the guard, never touched */

/* For a vector get_iovec refused with e: an array the host refuses the same
 * way (and *n its count), after the checks it makes first (the fd...):
 * unmapped for EFAULT, one negative length for EINVAL; more than UIO_MAXIOV
 * the host refuses before reading. */
static const struct iovec *iovec_refused(int e, uint32_t cnt, uint32_t *n)
{
    static const struct iovec negative = { NULL, (size_t)-1 };
    bool neg = e == -EINVAL && cnt <= IOV_MAX;
    *n = neg ? 1 : cnt;
    return neg ? &negative : host_fault_addr();
}

const struct iovec *iovec_for_host(struct iovec *iov, guest_addr a, uint32_t cnt, enum ua_dir dir, uint32_t *n)
{
    int r = get_iovec(iov, a, cnt, dir);
    if (r < 0) return iovec_refused(r, cnt, n);
    *n = cnt;
    return iov;
}

/* nr: the host call (readv, preadv, preadv2...); x86_64's preadv/preadv2
 * take the whole offset in pos_l. */
static long do_vec(long nr, int fd, guest_addr vec, uint32_t cnt, int64_t off, int flags)
{
    struct iovec iov[IOV_MAX];
    enum ua_dir dir = nr == SYS_readv || nr == SYS_preadv || nr == SYS_preadv2 ? UA_OUT : UA_IN;
    int n = get_iovec(iov, vec, cnt, dir);
    if (n < 0) {
        /* the kernel checks the fd (EBADF, not open for reading...) before the
         * iovec: hand the host an iovec it refuses the same way */
        uint32_t bad_n;
        const struct iovec *bad = iovec_refused(n, cnt, &bad_n);
        long r = host_ret(syscall(nr, fd, bad, bad_n, (long)off, 0, flags));
        return r < 0 ? r : n;
    }
    if (dir == UA_IN) {
        uint64_t total = 0, left;
        for (int k = 0; k < n; k++) total += iov[k].iov_len;
        left = total;
        int e = nolfs_write_limit(fd, nr == SYS_writev || (nr == SYS_pwritev2 && off == -1) ? -1 : off, &left);
        if (e) return e;
        for (int k = 0; k < n && left < total; k++) {   /* cut the vector at the limit */
            if (iov[k].iov_len > left) iov[k].iov_len = left;
            left -= iov[k].iov_len;
        }
    }
    /* safe_syscall: a signal cannot slip in between the attention check and the call */
    return safe_syscall(nr, fd, (long)iov, n, (long)off, 0, flags);
}

SYS(readv) { return do_vec(SYS_readv, (int)a1, a2, a3, 0, 0); }
SYS(writev) { return do_vec(SYS_writev, (int)a1, a2, a3, 0, 0); }
SYS(preadv) { return do_vec(SYS_preadv, (int)a1, a2, a3, (int64_t)pair64(a4, a5), 0); }
SYS(pwritev) { return do_vec(SYS_pwritev, (int)a1, a2, a3, (int64_t)pair64(a4, a5), 0); }
SYS(preadv2) { return do_vec(SYS_preadv2, (int)a1, a2, a3, (int64_t)pair64(a4, a5), (int)a6); }
SYS(pwritev2) { return do_vec(SYS_pwritev2, (int)a1, a2, a3, (int64_t)pair64(a4, a5), (int)a6); }

/* ---- seeking ---- */

/* Through the host's i386 entry when it has one: ext4 directories and
 * EOVERFLOW answer a 32-bit caller differently. */
SYS(lseek)
{
    long k = i386_syscall(19, (int)a1, (int32_t)a2, (int)a3, 0, 0);
    if (k != -ENOSYS) return k;
    int64_t res;
    k = dir_lseek32((int)a1, (int32_t)a2, (int)a3, &res);
    if (k != -ENOSYS) return k < 0 ? k : (long)res;
    off_t r = lseek((int)a1, (int32_t)a2, (int)a3);
    if (r == -1) return -errno;
    return (int32_t)r;   /* the x86_64 kernel's compat lseek: the low 32 bits, no EOVERFLOW */
}

SYS(_llseek)
{
    int64_t *res = i386_scratch();
    if (res) {
        long k = i386_syscall(140, (int)a1, a2, a3, (long)(uintptr_t)res, (int)a5);
        if (k != -ENOSYS) return k < 0 ? k : ua_put_u64(a4, (uint64_t)*res) ? -EFAULT : 0;
    }
    int64_t pos;
    long k = dir_lseek32((int)a1, (int64_t)pair64(a3, a2), (int)a5, &pos);
    if (k != -ENOSYS) return k < 0 ? k : ua_put_u64(a4, (uint64_t)pos) ? -EFAULT : 0;
    off_t r = lseek((int)a1, (off_t)pair64(a3, a2), (int)a5);
    if (r == -1) return -errno;
    return ua_put_u64(a4, (uint64_t)r) ? -EFAULT : 0;
}

/* ---- dup ---- */

SYS(dup)
{
    long r = host_ret(dup((int)a1));
    if (r >= 0) fd_copy_flags((int)a1, (int)r);
    return r;
}

SYS(dup2)
{
    long r = host_ret(dup2((int)a1, (int)a2));
    if (r >= 0 && a1 != a2) fd_copy_flags((int)a1, (int)r);
    return r;
}

SYS(dup3)
{
    long r = host_ret(dup3((int)a1, (int)a2, (int)a3));
    if (r >= 0) fd_copy_flags((int)a1, (int)r);
    return r;
}

/* ---- fcntl ---- */

/* fdget's verdict, for errors ue finds itself that the kernel reports only
 * after the fd's: EBADF for a closed fd or an O_PATH one, else 0 */
int fd_usable(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    return fl < 0 ? -errno : (fl & O_PATH) ? -EBADF : 0;
}

/* i386 struct flock (32-bit offsets) */
static long fcntl_flock32(int fd, int cmd, guest_addr a)
{
    struct i386_flock g;
    if (ua_read(&g, a, sizeof g)) return fd_usable(fd) ?: -EFAULT;
    struct flock fl = { .l_type = g.l_type, .l_whence = g.l_whence,
                        .l_start = g.l_start, .l_len = g.l_len, .l_pid = g.l_pid };
    long r = safe_syscall(SYS_fcntl, fd, cmd, (long)&fl, 0, 0, 0);   /* F_SETLKW blocks */
    if (r < 0 || cmd != F_GETLK) return r;
    if (fl.l_type != F_UNLCK && (fl.l_start != (int32_t)fl.l_start || fl.l_len != (int32_t)fl.l_len))
        return -EOVERFLOW;
    g.l_type = fl.l_type; g.l_whence = fl.l_whence;
    g.l_start = (int32_t)fl.l_start; g.l_len = (int32_t)fl.l_len; g.l_pid = fl.l_pid;
    return ua_write(a, &g, sizeof g) ? -EFAULT : r;
}

/* i386 struct flock64 (packed, 24 bytes); cmd is the host command */
static long fcntl_flock64(int fd, int cmd, guest_addr a)
{
    struct i386_flock64 g;
    if (ua_read(&g, a, sizeof g)) return fd_usable(fd) ?: -EFAULT;
    struct flock fl = { .l_type = g.l_type, .l_whence = g.l_whence,
                        .l_start = g.l_start, .l_len = g.l_len, .l_pid = g.l_pid };
    long r = safe_syscall(SYS_fcntl, fd, cmd, (long)&fl, 0, 0, 0);   /* F_SETLKW blocks */
    if (r < 0 || (cmd != F_GETLK && cmd != F_OFD_GETLK)) return r;
    g.l_type = fl.l_type; g.l_whence = fl.l_whence;
    g.l_start = fl.l_start; g.l_len = fl.l_len; g.l_pid = fl.l_pid;
    return ua_write(a, &g, sizeof g) ? -EFAULT : r;
}

static long do_fcntl(int fd, uint32_t cmd, uint32_t arg)
{
    long r;
    switch (cmd) {
    case F_DUPFD: case F_DUPFD_CLOEXEC:
        r = host_ret(fcntl(fd, (int)cmd, (int)arg));
        if (r >= 0) fd_copy_flags(fd, (int)r);
        return r;
    case F_GETFL:
        r = host_ret(fcntl(fd, F_GETFL));
        if (r >= 0 && fd >= 0 && fd < NOLFS_MAX && fd_nolfs[fd]) r &= ~I386_O_LARGEFILE;
        return r;
    case F_GETFD: case F_SETFD: case F_SETFL: case F_GETOWN: case F_SETOWN:
    case F_GETSIG: case F_SETSIG: case F_GETLEASE: case F_SETLEASE: case F_NOTIFY:
    case F_GETPIPE_SZ: case F_SETPIPE_SZ: case F_GET_SEALS: case F_ADD_SEALS:
    case 1027 /* F_DUPFD_QUERY */: case 1028 /* F_CREATED_QUERY */:
        return host_ret(fcntl(fd, (int)cmd, (int)arg));
    case F_GETOWN_EX: case F_SETOWN_EX:   /* struct f_owner_ex: two ints */
        return host_ret(fcntl(fd, (int)cmd, ua_lock(arg, 8, cmd == F_GETOWN_EX ? UA_OUT : UA_IN)));
    case F_GET_RW_HINT: case F_SET_RW_HINT: case F_GET_FILE_RW_HINT: case F_SET_FILE_RW_HINT: {
        bool get = cmd == F_GET_RW_HINT || cmd == F_GET_FILE_RW_HINT;   /* a u64 on both */
        return host_ret(fcntl(fd, (int)cmd, ua_lock(arg, 8, get ? UA_OUT : UA_IN)));
    }
    case F_GETLK: case F_SETLK: case F_SETLKW:
        return fcntl_flock32(fd, (int)cmd, arg);
    case I386_F_GETLK64: case I386_F_SETLK64: case I386_F_SETLKW64:
        return fcntl_flock64(fd, (int)(cmd - I386_F_GETLK64 + F_GETLK), arg);
    case F_OFD_GETLK: case F_OFD_SETLK: case F_OFD_SETLKW:
        return fcntl_flock64(fd, (int)cmd, arg);
    default:
        return fd_usable(fd) ?: -EINVAL;
    }
}

/* x86_64 kernels serve both numbers with compat_sys_fcntl64 */
SYS(fcntl) { return do_fcntl((int)a1, a2, a3); }
SYS(fcntl64) { return do_fcntl((int)a1, a2, a3); }

/* ---- pipes ---- */

static long do_pipe(guest_addr a, int flags)
{
    int fds[2];
    if (pipe2(fds, flags)) return -errno;   /* fs/pipe.c do_pipe2: bad flags before a bad pointer */
    fd_set_nolfs(fds[0], 0);
    fd_set_nolfs(fds[1], 0);
    if (ua_write(a, fds, 8)) { close(fds[0]); close(fds[1]); return -EFAULT; }
    return 0;
}

SYS(pipe) { return do_pipe(a1, 0); }
SYS(pipe2) { return do_pipe(a1, (int)a2); }

/* ---- poll and select ---- */

/* A guest sigset for the p-calls (set_compat_user_sigmask): 0, -EINVAL or -EFAULT. */
static int get_sigmask(guest_addr a, uint32_t size, uint64_t *mask)
{
    if (!a) return 0;
    if (size != 8) return -EINVAL;
    return ua_read(mask, a, 8);
}

/* struct pollfd is the same 8 bytes on both ABIs: the host reads and writes them */
static long do_poll(guest_addr fds, uint32_t nfds, struct timespec *tp, const uint64_t *mask)
{
    if (nfds > 1u << 20) return -EINVAL;   /* over any RLIMIT_NOFILE (fs.nr_open) */
    void *p = ua_lock(fds, nfds * 8, UA_INOUT);
    sigset_t hs;
    if (mask) safe_mask_host_set(mask, &hs);
    long r = safe_syscall_masked(mask, SYS_ppoll, (long)p, nfds, (long)tp, mask ? (long)&hs : 0, 8, 0);
    ua_unlock(p, fds, nfds * 8, UA_INOUT);
    return r;
}

SYS(poll)
{
    int32_t ms = (int32_t)a3;
    if (ms < 0) return do_poll(a1, a2, NULL, NULL);
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    return do_poll(a1, a2, &ts, NULL);
}

/* fs/select.c compat ppoll: the timeout (EFAULT, EINVAL), then the mask, then the poll;
 * the time left is written back unless the timeout was zero, whatever the result */
static long do_ppoll(uint32_t fds, uint32_t nfds, guest_addr tsp, guest_addr sigmask, uint32_t sigsetsize, int time64)
{
    struct timespec ts;
    uint64_t mask;
    if (tsp) {
        int e = get_timespec(tsp, &ts, time64);
        if (e) return e;
        if (!timeout_valid(&ts)) return -EINVAL;
    }
    int e = get_sigmask(sigmask, sigsetsize, &mask);
    if (e) return e;
    bool zero = tsp && !ts.tv_sec && !ts.tv_nsec;
    long r = do_poll(fds, nfds, tsp ? &ts : NULL, sigmask ? &mask : NULL);
    if (tsp && !zero) put_timespec(tsp, &ts, time64);
    return r;
}

SYS(ppoll) { return do_ppoll(a1, a2, a3, a4, a5, 0); }
SYS(ppoll_time64) { return do_ppoll(a1, a2, a3, a4, a5, 1); }

/* fd_sets are arrays of 32-bit words on i386: the same bytes as 64-bit words
 * on a little-endian host, but only ceil(n/32) words may be touched. Each is
 * read once into host memory; the host kernel works on the copies. */
struct fdsets {
    uint32_t n, gbytes;
    guest_addr g[3];
    uint64_t *h[3];
};

/* The fdtable's size, where the kernel caps n (core_sys_select): FDSize in
 * /proc/self/status; 0 when unknown. */
static uint32_t host_max_fds(void)
{
    char buf[2048];
    int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return 0;
    buf[n] = 0;
    const char *f = strstr(buf, "\nFDSize:");
    return f ? (uint32_t)strtoul(f + 8, NULL, 10) : 0;
}

/* 0, -ENOMEM or -EFAULT; s->h[] are valid for fdsets_free in every case */
static int fdsets_in(struct fdsets *s, uint32_t n, const guest_addr g[3])
{
    s->n = n;
    s->gbytes = (n + 31) / 32 * 4;
    for (int k = 0; k < 3; k++) {
        s->g[k] = g[k];
        s->h[k] = NULL;
    }
    for (int k = 0; k < 3; k++) {
        if (!g[k] || !n) continue;
        s->h[k] = calloc(1, (n + 63) / 64 * 8);
        if (!s->h[k]) return -ENOMEM;
    }
    for (int k = 0; k < 3; k++)
        if (s->h[k] && ua_read(s->h[k], g[k], s->gbytes)) return -EFAULT;
    return 0;
}

/* set_fd_set in order: the first that fails makes the result EFAULT. The
 * kernel's compat_put_bitmap stores one 32-bit word at a time: the words
 * before a fault are written, and a word running into a page that cannot be
 * written is left whole, not written up to the page's end. */
static int fdsets_out(const struct fdsets *s)
{
    for (int k = 0; k < 3; k++) {
        if (!s->h[k]) continue;
        const uint32_t *w = (const uint32_t *)s->h[k];
        for (uint32_t i = 0; i < s->gbytes / 4; i++)
            if ((uint64_t)s->g[k] + 4 * i + 4 > 1ull << 32 || put_user_u32(s->g[k] + 4 * i, w[i]))
                return -EFAULT;   /* the kernel's compat pointers do not wrap */
    }
    return 0;
}

static void fdsets_free(struct fdsets *s)
{
    for (int k = 0; k < 3; k++) free(s->h[k]);
}

enum { TV_TIMEVAL, TV_TIMESPEC32, TV_TIMESPEC64 };

/* fs/select.c do_compat_select / do_compat_pselect: the timeout (EFAULT,
 * EINVAL), the signal mask, n < 0 (EINVAL), n capped at the fdtable's size,
 * each set copied in (EFAULT); the time left is written back unless the
 * timeout was zero, whatever the result. */
static long do_select(uint32_t n, guest_addr in, guest_addr out, guest_addr ex, guest_addr tv, int kind,
                      guest_addr sigmask, uint32_t sigsetsize)
{
    struct timespec ts, *tp = NULL;
    uint64_t mask;
    if (tv) {
        int e;
        if (kind == TV_TIMEVAL) {
            struct timeval t;
            e = get_timeval(tv, &t);
            /* the microseconds may carry into the seconds */
            ts.tv_sec = t.tv_sec + t.tv_usec / 1000000;
            ts.tv_nsec = t.tv_usec % 1000000 * 1000;
        } else {
            e = get_timespec(tv, &ts, kind == TV_TIMESPEC64);
        }
        if (e) return e;
        if (!timeout_valid(&ts)) return -EINVAL;
        tp = &ts;
    }
    /* the kernel's end time, for the time left when the wait never starts */
    struct timespec end = {0, 0};
    if (tp) {
        clock_gettime(CLOCK_MONOTONIC, &end);
        end.tv_sec += ts.tv_sec + (end.tv_nsec + ts.tv_nsec) / 1000000000;
        end.tv_nsec = (end.tv_nsec + ts.tv_nsec) % 1000000000;
    }
    bool waited = false;
    int e = get_sigmask(sigmask, sigsetsize, &mask);
    if (e) return e;
    bool zero = tp && !ts.tv_sec && !ts.tv_nsec;
    long r;
    if ((int32_t)n < 0) {
        r = -EINVAL;
    } else {
        const guest_addr g[3] = { in, out, ex };
        struct fdsets s;
        if (n > 64) {   /* the smallest fdtable: past it, bytes beyond the table's size are neither read nor written */
            uint32_t max = host_max_fds();
            if (max && max < n) n = max;
        }
        r = fdsets_in(&s, n, g);
        if (!r) {
            sigset_t hs;
            struct { const sigset_t *ss; size_t len; } hsig = { &hs, 8 };
            if (sigmask) safe_mask_host_set(&mask, &hs);
            r = safe_syscall_masked(sigmask ? &mask : NULL, SYS_pselect6, (int)s.n, (long)s.h[0], (long)s.h[1],
                                    (long)s.h[2], (long)tp, sigmask ? (long)&hsig : 0);
            waited = true;
            if (r >= 0) {
                e = fdsets_out(&s);
                if (e) r = e;
            }
        }
        fdsets_free(&s);
    }
    if (tp && !zero && !waited) {   /* failed before waiting: the time left by the clock, as poll_select_finish */
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        int64_t left = (int64_t)(end.tv_sec - now.tv_sec) * 1000000000 + (end.tv_nsec - now.tv_nsec);
        if (left < 0) left = 0;
        ts.tv_sec = left / 1000000000;
        ts.tv_nsec = left % 1000000000;
    }
    if (tp && !zero) {   /* the host left the time remaining in ts */
        if (kind == TV_TIMEVAL) {
            struct timeval t = { ts.tv_sec, ts.tv_nsec / 1000 };
            put_timeval(tv, &t);
        } else {
            put_timespec(tv, &ts, kind == TV_TIMESPEC64);
        }
    }
    return r;
}

SYS(_newselect) { return do_select(a1, a2, a3, a4, a5, TV_TIMEVAL, 0, 0); }

SYS(select)
{
    struct i386_sel_arg s;
    if (ua_read(&s, a1, sizeof s)) return -EFAULT;
    return do_select(s.n, s.inp, s.outp, s.exp, s.tvp, TV_TIMEVAL, 0, 0);
}

static long do_pselect6(uint32_t n, uint32_t in, uint32_t out, uint32_t ex, uint32_t tsp, uint32_t sig, int time64)
{
    struct i386_sigset_arg ss = { 0, 0 };
    if (sig && ua_read(&ss, sig, sizeof ss)) return -EFAULT;
    return do_select(n, in, out, ex, tsp, time64 ? TV_TIMESPEC64 : TV_TIMESPEC32, ss.ss, ss.ss_len);
}

SYS(pselect6) { return do_pselect6(a1, a2, a3, a4, a5, a6, 0); }
SYS(pselect6_time64) { return do_pselect6(a1, a2, a3, a4, a5, a6, 1); }

/* ---- epoll: struct epoll_event is packed (12 bytes) on both ABIs ---- */

SYS(epoll_create) { return (int32_t)a1 <= 0 ? -EINVAL : host_ret(epoll_create1(0)); }
SYS(epoll_create1) { return host_ret(epoll_create1((int)a1)); }

SYS(epoll_ctl)
{
    struct epoll_event ev, *evp = NULL;
    if ((int)a2 != EPOLL_CTL_DEL) {   /* ep_op_has_event: copied before any fd check */
        if (ua_read(&ev, a4, sizeof ev)) return -EFAULT;
        evp = &ev;
    }
    return host_ret(epoll_ctl((int)a1, (int)a2, (int)a3, evp));
}

/* fs/eventpoll.c: the mask first (compat epoll_pwait), then the host checks
 * the fd and maxevents in its order (EP_MAX_EVENTS is INT_MAX / 12 on both) */
static long do_epoll_wait(int epfd, guest_addr events, int32_t max, const struct timespec *ts, uint32_t sigmask, uint32_t sigsetsize)
{
    uint64_t mask;
    int e = get_sigmask(sigmask, sigsetsize, &mask);
    if (e) return e;
    uint32_t len = max > 0 && max <= INT32_MAX / 12 ? (uint32_t)max * 12 : 0;
    void *p = ua_lock(events, len, UA_OUT);
    sigset_t hs;
    if (sigmask) safe_mask_host_set(&mask, &hs);
    long r = safe_syscall_masked(sigmask ? &mask : NULL, SYS_epoll_pwait2, epfd, (long)p, max, (long)ts,
                                 sigmask ? (long)&hs : 0, 8);
    ua_unlock(p, events, r > 0 ? (uint32_t)r * 12 : 0, UA_OUT);
    return r;
}

static long epoll_ms(int epfd, guest_addr events, int32_t max, int32_t ms, uint32_t sigmask, uint32_t sigsetsize)
{
    if (ms < 0) return do_epoll_wait(epfd, events, max, NULL, sigmask, sigsetsize);
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    return do_epoll_wait(epfd, events, max, &ts, sigmask, sigsetsize);
}

SYS(epoll_wait) { return epoll_ms((int)a1, a2, (int32_t)a3, (int32_t)a4, 0, 0); }
SYS(epoll_pwait) { return epoll_ms((int)a1, a2, (int32_t)a3, (int32_t)a4, a5, a6); }

SYS(epoll_pwait2)
{
    struct timespec ts;
    if (a4) {
        int e = get_timespec64(a4, &ts);
        if (e) return e;
        if (!timeout_valid(&ts)) return -EINVAL;
    }
    return do_epoll_wait((int)a1, a2, (int32_t)a3, a4 ? &ts : NULL, a5, a6);
}

/* ---- descriptors of other kinds ---- */

SYS(eventfd) { return host_ret(eventfd(a1, 0)); }
SYS(eventfd2) { return host_ret(eventfd(a1, (int)a2)); }

SYS(memfd_create)
{
    /* the host reads the name itself: flags, then EFAULT or a name too long, in its order */
    return host_ret(memfd_create(ua_lock(a1, 250, UA_IN), a2));
}

/* ---- sync, truncate, allocation hints ---- */

SYS(fsync) { return host_ret(fsync((int)a1)); }
SYS(fdatasync) { return host_ret(fdatasync((int)a1)); }
SYS(sync) { sync(); return 0; }
SYS(syncfs) { return host_ret(syncfs((int)a1)); }
SYS(flock) { return safe_syscall(SYS_flock, (int)a1, (int)a2, 0, 0, 0, 0); }   /* LOCK_EX blocks */

SYS(truncate)
{
    HOST_PATH(p, a1);
    long busy = p_err ? 0 : exe_busy_truncate(p, (int32_t)a2);
    return busy ? busy : host_ret(truncate(p, (int32_t)a2));
}
SYS(ftruncate) { return host_ret(ftruncate((int)a1, (int32_t)a2)); }

SYS(truncate64)
{
    HOST_PATH(p, a1);
    long busy = p_err ? 0 : exe_busy_truncate(p, (int64_t)pair64(a2, a3));
    return busy ? busy : host_ret(truncate(p, (off_t)pair64(a2, a3)));
}
/* fs/open.c do_ftruncate: without O_LARGEFILE the length stops at 2 GiB */
SYS(ftruncate64)
{
    int64_t len = (int64_t)pair64(a2, a3);
    if (len > 0x7fffffff && (int)a1 >= 0 && (int)a1 < NOLFS_MAX && fd_nolfs[a1]) return -EINVAL;
    return host_ret(ftruncate((int)a1, len));
}

SYS(fallocate) { return host_ret(fallocate((int)a1, (int)a2, (off_t)pair64(a3, a4), (off_t)pair64(a5, a6))); }

/* posix_fadvise returns the error number instead of setting errno */
SYS(fadvise64) { return -posix_fadvise((int)a1, (off_t)pair64(a2, a3), (off_t)a4, (int)a5); }
SYS(fadvise64_64) { return -posix_fadvise((int)a1, (off_t)pair64(a2, a3), (off_t)pair64(a4, a5), (int)a6); }

SYS(readahead) { return host_ret(readahead((int)a1, (off64_t)pair64(a2, a3), a4)); }

SYS(sync_file_range)
{
    return host_ret(sync_file_range((int)a1, (off64_t)pair64(a2, a3), (off64_t)pair64(a4, a5), a6));
}

/* ---- copies inside the kernel ---- */

SYS(sendfile)
{
    if (!a3) return host_ret(sendfile((int)a1, (int)a2, NULL, a4));
    uint32_t off32;
    if (ua_get_u32(a3, &off32)) return -EFAULT;
    off_t off = (int32_t)off32;
    long r = host_ret(sendfile((int)a1, (int)a2, &off, a4));
    if (r >= 0 && off > INT32_MAX) return -EOVERFLOW;
    if (ua_put_u32(a3, (uint32_t)off)) return -EFAULT;
    return r;
}

SYS(sendfile64)
{
    /* loff_t: the host reads and writes the guest's 8 bytes */
    return host_ret(sendfile((int)a1, (int)a2, a3 ? ua_lock(a3, 8, UA_INOUT) : NULL, a4));
}

/* loff_t pointers: 8 bytes on both ABIs, read and written by the host */
static loff_t *opt_loff(guest_addr a) { return a ? ua_lock(a, 8, UA_INOUT) : NULL; }

SYS(splice) { return host_ret(splice((int)a1, opt_loff(a2), (int)a3, opt_loff(a4), a5, a6)); }

SYS(tee) { return host_ret(tee((int)a1, (int)a2, a3, a4)); }

SYS(copy_file_range)
{
    return host_ret(copy_file_range((int)a1, opt_loff(a2), (int)a3, opt_loff(a4), a5, a6));
}
