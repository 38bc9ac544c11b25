/* Shared by the syscall handler files: the handler signature, the table
 * (systab.h) and helpers for guest pointers, paths and conversions. */
#ifndef UE_OS_SYS_H
#define UE_OS_SYS_H

#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <time.h>

#include "../mem/mem.h"
#include "../mem/uaccess.h"
#include "abi.h"
#include "os.h"

/* Every handler has this signature: the guest's EBX ECX EDX ESI EDI EBP as
 * a1..a6; the result is the value for EAX (-errno on error). */
#define SYS(name) long sys_##name(struct cpu *c, uint32_t a1, uint32_t a2, uint32_t a3, \
                                  uint32_t a4, uint32_t a5, uint32_t a6)
typedef long (*sys_fn)(struct cpu *c, uint32_t a1, uint32_t a2, uint32_t a3,
                       uint32_t a4, uint32_t a5, uint32_t a6);

#define SYSCALL(nr, name, args, ret) SYS(name);
#define NOSYS(nr, name)
#define NISYS(nr, name)
#include "systab.h"
#undef SYSCALL
#undef NOSYS
#undef NISYS

/* A host result (-1 with errno set) as the guest's -errno. */
static inline long host_ret(long r) { return r == -1 ? -errno : r; }

/* 64-bit values passed in two registers */
static inline uint64_t pair64(uint32_t lo, uint32_t hi) { return (uint64_t)hi << 32 | lo; }

/* Guest paths: checked, "/proc/self/exe" style names handled, --sysroot
 * applied. buf must hold PATH_MAX bytes. Returns 0 or -errno. */
int guest_path(guest_addr a, char *buf, const char **out);
#define PATH_BUF 4096
/* fs.c: whether the host has the 32-bit syscall entry; once, before any guest thread */
void fs_probe_int80(void);
/* A guest path argument in variable p; returns -errno from the handler on error. */
#define GET_PATH(p, addr)                                    \
    char p##_buf[PATH_BUF]; const char *p;                   \
    do { int e_ = guest_path(addr, p##_buf, &p); if (e_) return e_; } while (0)
/* A path for a host call that judges it itself (flags, modes, the other
 * path before this one's EFAULT): p##_err says whether ue may read p. */
#define HOST_PATH(p, addr) \
    char p##_buf[PATH_BUF]; const char *p; int p##_err = guest_path(addr, p##_buf, &p); (void)p##_err

/* dirfd arguments: the guest's AT_FDCWD is the same value (-100) */
static inline int guest_dirfd(uint32_t fd) { return (int32_t)fd; }

/* ---- time.c: timespec/timeval conversions (0 or -EFAULT/-EINVAL) ---- */
/* The i386 struct sigevent (a 4-byte sigval, signo, notify, thread id) as
 * the host's (timer_create, mq_notify); 0 or -EFAULT. */
struct sigevent;
int get_sigevent(guest_addr a, struct sigevent *ev);
int get_timespec32(guest_addr a, struct timespec *ts);
int get_timespec64(guest_addr a, struct timespec *ts);
int put_timespec32(guest_addr a, const struct timespec *ts);
int put_timespec64(guest_addr a, const struct timespec *ts);
int get_timeval(guest_addr a, struct timeval *tv);
int put_timeval(guest_addr a, const struct timeval *tv);
/* timespec64_valid: what poll_select_set_timeout, do_sigtimedwait and the
 * like check before EINVAL */
static inline bool timeout_valid(const struct timespec *ts)
{
    return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < 1000000000;
}
/* a guest timespec of either width (time64 chooses) */
static inline int get_timespec(guest_addr a, struct timespec *ts, int time64)
{
    return time64 ? get_timespec64(a, ts) : get_timespec32(a, ts);
}
static inline int put_timespec(guest_addr a, const struct timespec *ts, int time64)
{
    return time64 ? put_timespec64(a, ts) : put_timespec32(a, ts);
}

/* ---- procfs.c: /proc/self files that describe the guest ---- */
#define PROCFS_NOT_SPECIAL (-ENOENT - 1000)
/* an fd for the guest's version of p, -errno, or PROCFS_NOT_SPECIAL */
int procfs_open(const char *p, int flags);
/* -ETXTBSY when the call would write the running guest program, else 0 */
int exe_busy_open(int dirfd, const char *p, int flags);
int exe_busy_truncate(const char *p, int64_t len);

/* ---- file.c: per-fd facts the host kernel cannot keep for us ---- */
/* The guest opened fd without O_LARGEFILE (F_GETFL must not show it). */
void fd_set_nolfs(int fd, int on);
void fd_copy_flags(int from, int to);
/* fdget's verdict for answers ue gives itself: EBADF for a closed or O_PATH fd, else 0 */
int fd_usable(int fd);

/* ---- proc.c ---- */
void put_rusage(struct i386_rusage *out, const struct rusage *ru);
/* uid/gid 16-bit conversions of the old calls (high2lowuid/low2highuid) */
static inline uint32_t uid16_out(uint32_t id) { return id > 0xffff ? 65534 : id; }
static inline uint32_t uid16_in(uint32_t id) { id &= 0xffff; return id == 0xffff ? (uint32_t)-1 : id; }

/* ---- signal.c ---- */
void signal_init(void);
const struct i386_stack *signal_altstack(void);

/* ---- thread.c ---- */
int tls_set(struct cpu *c, guest_addr user_desc);   /* set_thread_area; 0 or -errno */
/* clone's CLONE_SETTLS: the descriptor read once and checked before the
 * child exists (no allocation there: entry -1 is EINVAL); then installed. */
int tls_get_desc(guest_addr a, struct i386_user_desc *u);
void tls_install(struct cpu *c, const struct i386_user_desc *u);
void thread_set_clear_tid(guest_addr a);
guest_addr thread_get_clear_tid(void);
/* The ending thread's robust futexes: each lock it holds gets FUTEX_OWNER_DIED. */
void thread_robust_exit(void);
/* Exit of the whole process (exit_group, a fatal signal): every thread's list. */
void thread_robust_exit_all(void);
void thread_robust_fork_child(void);
/* clone.c: guest threads */
long thread_create(struct cpu *parent, uint32_t flags, guest_addr newsp, guest_addr ptid,
                   const struct i386_user_desc *tls, guest_addr ctid);
void thread_after_fork(void);
/* In a vfork child: hand the parent what it wrote to the parent's stack (before exec, at exit). */
void clone_vfork_sync(void);
void thread_preload_unwinder(void);   /* before the guest runs: see clone.c */

/* ---- file.c: i386 iovec arrays ---- */
struct iovec;
/* The guest's cnt iovecs read once into iov (IOV_MAX entries), each buffer
 * locked for dir, as copy_compat_iovec_from_user: cnt, or -EINVAL (more
 * than UIO_MAXIOV, a negative length), -EFAULT (an unreadable entry). */
int get_iovec(struct iovec *iov, guest_addr a, uint32_t cnt, enum ua_dir dir);
/* The same for a host call that judges the vector itself: the host array
 * and *n its count; where the kernel would fail reading it, an array the
 * host fails on the same way at the same point of its checks. */
const struct iovec *iovec_for_host(struct iovec *iov, guest_addr a, uint32_t cnt, enum ua_dir dir, uint32_t *n);

/* ---- seccomp.c ---- */
/* Any seccomp state (strict mode in some thread, a filter): the dispatcher
 * then asks seccomp_enter before each guest call. */
extern int seccomp_active;
/* True when the call must not run: *r is its result (or OS_NO_RESULT). */
bool seccomp_enter(struct cpu *c, uint32_t nr, const uint32_t *a, long *r);
/* seccomp(2)'s operations; 0 or -errno */
long seccomp_set(uint32_t op, uint32_t flags, guest_addr uargs);
/* for proc.c: prctl(PR_SET_SECCOMP, mode, filter), and PR_GET_SECCOMP's answer (0, 1, 2) */
long seccomp_prctl(uint32_t mode, guest_addr filter);
int seccomp_mode_now(void);
/* exec.c: fd moved above the guest's numbers and kept across exec, for the
 * ue an execve starts (fd itself is closed); -1 on failure */
int fd_for_next_ue(int fd);
/* execve: the filters handed on to the new ue (an fd, -1: none, -errno) */
int seccomp_export(void);

/* ---- syscall.c: strace helpers usable by handlers ---- */
const char *errno_name(int e);
/* ioctl.c: the name of an i386 ioctl request, or NULL */
const char *ioctl_name(uint32_t req);
/* memcheck: the bytes an ioctl request's argument points to and the name
 * for reports ("generic" outside the table); false when it names none */
bool ioctl_arg_mem(uint32_t req, const char **name, uint32_t *len);

/* ---- syscall.c: the table's argument letters (systab.h), parsed once ---- */
struct sys_arg {
    char fmt;           /* a value letter, 's' for a string, or 'm' for guest memory */
    uint8_t dir;        /* 'm': enum ua_dir */
    char len;           /* 'm': '#' fixed size, 'n' the next argument, 'r' the result (room: next argument) */
    uint32_t size;      /* '#': bytes */
};
/* The parsed arguments of call nr: their count (0..6), or -1 when ue has no handler. */
int sys_args(uint32_t nr, const struct sys_arg **out);
/* Where memory argument k of a call with values a points, and how many bytes:
 * before the call (r NULL) the room, after it (*r the result) what was moved.
 * False when it names no memory (NULL, or a failed call's result length). */
bool sys_arg_range(const struct sys_arg *s, const uint32_t *a, int k, const long *r, guest_addr *addr, uint32_t *len);

#endif
