/* Time: clocks, sleeps, interval timers, timerfd. i386 has 32-bit time_t
 * structs and the *_time64 calls with 64-bit ones. */
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/times.h>
#include <unistd.h>

#include "put_user.h"
#include "sys.h"

/* ---- conversions ---- */

int get_timespec32(guest_addr a, struct timespec *ts)
{
    struct i386_timespec32 g;
    if (ua_read(&g, a, sizeof g)) return -EFAULT;
    ts->tv_sec = g.tv_sec;
    ts->tv_nsec = g.tv_nsec;
    return 0;
}

int get_timespec64(guest_addr a, struct timespec *ts)
{
    struct i386_timespec64 g;
    if (ua_read(&g, a, sizeof g)) return -EFAULT;
    ts->tv_sec = g.tv_sec;
    ts->tv_nsec = (long)(g.tv_nsec & 0xffffffff);  /* kernel/time/time.c: compat callers' padding is ignored */
    return 0;
}

int put_timespec32(guest_addr a, const struct timespec *ts)
{
    struct i386_timespec32 g = { (int32_t)ts->tv_sec, (int32_t)ts->tv_nsec };
    return ua_write(a, &g, sizeof g);
}

int put_timespec64(guest_addr a, const struct timespec *ts)
{
    struct i386_timespec64 g = { ts->tv_sec, ts->tv_nsec };
    return ua_write(a, &g, sizeof g);
}

int get_timeval(guest_addr a, struct timeval *tv)
{
    struct i386_timeval g;
    if (ua_read(&g, a, sizeof g)) return -EFAULT;
    tv->tv_sec = g.tv_sec;
    tv->tv_usec = g.tv_usec;
    return 0;
}

int put_timeval(guest_addr a, const struct timeval *tv)
{
    struct i386_timeval g = { (int32_t)tv->tv_sec, (int32_t)tv->tv_usec };
    return ua_write(a, &g, sizeof g);
}

static int get_itimerspec(guest_addr a, struct itimerspec *its, int time64)
{
    int step = time64 ? 16 : 8;
    int e = get_timespec(a, &its->it_interval, time64);
    return e ? e : get_timespec(a + step, &its->it_value, time64);
}

static int put_itimerspec(guest_addr a, const struct itimerspec *its, int time64)
{
    int step = time64 ? 16 : 8;
    int e = put_timespec(a, &its->it_interval, time64);
    return e ? e : put_timespec(a + step, &its->it_value, time64);
}

/* ---- clocks ---- */

static long do_clock_gettime(uint32_t clk, guest_addr tp, int time64)
{
    struct timespec ts;
    long r = host_ret(syscall(SYS_clock_gettime, (clockid_t)clk, &ts));
    return r ? r : put_timespec(tp, &ts, time64);
}

static long do_clock_getres(uint32_t clk, guest_addr tp, int time64)
{
    struct timespec ts;
    long r = host_ret(syscall(SYS_clock_getres, (clockid_t)clk, &ts));
    if (r || !tp) return r;
    return put_timespec(tp, &ts, time64);
}

static long do_clock_settime(uint32_t clk, guest_addr tp, int time64)
{
    struct timespec ts;
    int e = get_timespec(tp, &ts, time64);
    return e ? e : host_ret(syscall(SYS_clock_settime, (clockid_t)clk, &ts));
}

SYS(clock_gettime) { return do_clock_gettime(a1, a2, 0); }
SYS(clock_gettime64) { return do_clock_gettime(a1, a2, 1); }
SYS(clock_getres) { return do_clock_getres(a1, a2, 0); }
SYS(clock_getres_time64) { return do_clock_getres(a1, a2, 1); }
SYS(clock_settime) { return do_clock_settime(a1, a2, 0); }
SYS(clock_settime64) { return do_clock_settime(a1, a2, 1); }

SYS(gettimeofday)
{
    struct timeval tv;
    struct timezone tz;
    if (syscall(SYS_gettimeofday, &tv, &tz)) return -errno;
    if (a1 && put_timeval(a1, &tv)) return -EFAULT;
    if (a2 && ua_write(a2, &tz, 8)) return -EFAULT;   /* two ints on both ABIs */
    return 0;
}

SYS(settimeofday)
{
    struct timeval tv;
    struct timezone tz;
    if (a1 && get_timeval(a1, &tv)) return -EFAULT;
    /* compat settimeofday: the microseconds are checked before the zone is read */
    if (a1 && (tv.tv_usec < 0 || tv.tv_usec > 1000000)) return -EINVAL;
    if (a2 && ua_read(&tz, a2, 8)) return -EFAULT;
    return host_ret(syscall(SYS_settimeofday, a1 ? &tv : NULL, a2 ? &tz : NULL));
}

SYS(time)
{
    int32_t t = (int32_t)time(NULL);
    if (a1 && put_user(a1, &t, 4)) return -EFAULT;
    return t;
}

SYS(times)
{
    struct tms t;
    clock_t r = times(&t);
    if (r == (clock_t)-1) return -errno;
    if (a1) {
        struct i386_tms g = { (uint32_t)t.tms_utime, (uint32_t)t.tms_stime,
                              (uint32_t)t.tms_cutime, (uint32_t)t.tms_cstime };
        if (ua_write(a1, &g, sizeof g)) return -EFAULT;
    }
    return (long)(int32_t)(uint32_t)r;
}

/* ---- sleeping ---- */

/* The kernel's restart block: a sleep interrupted with its state kept
 * (its end on a clock) returns -ERESTART_RESTARTBLOCK after restart_set;
 * without a guest handler to run the guest then calls restart_syscall (0),
 * which continues it through fn (as hrtimer_nanosleep_restart and
 * futex_wait_restart), and with one the guest sees EINTR. restart_syscall
 * with nothing to continue (none, or a sigreturn since) gives EINTR
 * (do_no_restart_syscall). */
static __thread struct {
    long (*fn)(const uint64_t *a);
    uint64_t a[6];
} restart;

long restart_set(long (*fn)(const uint64_t *a), const uint64_t a[6])
{
    restart.fn = fn;
    memcpy(restart.a, a, sizeof restart.a);
    return -OS_ERESTART_BLOCK;
}

void time_restart_clear(void) { restart.fn = NULL; }

SYS(restart_syscall)
{
    if (!restart.fn) return -EINTR;
    uint64_t a[6];
    long (*fn)(const uint64_t *) = restart.fn;
    memcpy(a, restart.a, sizeof a);
    long r = fn(a);
    if (r != -OS_ERESTART_BLOCK && r != -OS_ERESTART) restart.fn = NULL;   /* else kept, or set again */
    return r;
}

static long sleep_until(clockid_t clk, const struct timespec *end, guest_addr rmt, int time64);

/* the continuation: clock, end, rmt, time64 */
static long sleep_restart(const uint64_t *a)
{
    struct timespec end = { (time_t)a[1], (long)a[2] };
    return sleep_until((clockid_t)a[0], &end, (guest_addr)a[3], (int)a[4]);
}

static long sleep_until(clockid_t clk, const struct timespec *end, guest_addr rmt, int time64)
{
    long r = safe_syscall(SYS_clock_nanosleep, clk, TIMER_ABSTIME, (long)end, 0, 0, 0);
    if (r != -EINTR) return r;
    struct timespec now, rem;
    clock_gettime(clk, &now);
    rem.tv_sec = end->tv_sec - now.tv_sec;
    rem.tv_nsec = end->tv_nsec - now.tv_nsec;
    if (rem.tv_nsec < 0) { rem.tv_nsec += 1000000000; rem.tv_sec--; }
    if (rem.tv_sec < 0 || (!rem.tv_sec && !rem.tv_nsec)) return 0;   /* do_nanosleep: no time left */
    if (rmt && put_timespec(rmt, &rem, time64)) return -EFAULT;
    return restart_set(sleep_restart, (const uint64_t[6]){ (uint64_t)clk, (uint64_t)end->tv_sec, (uint64_t)end->tv_nsec, rmt, (uint64_t)time64, 0 });
}

/* A relative sleep of req on clk: to an end on clk's base (a relative
 * CLOCK_REALTIME timer runs on CLOCK_MONOTONIC, as hrtimer_init makes it). */
static long sleep_for(clockid_t clk, const struct timespec *req, guest_addr rmt, int time64)
{
    struct timespec end;
    if (clk == CLOCK_REALTIME) clk = CLOCK_MONOTONIC;
    clock_gettime(clk, &end);
    end.tv_sec += req->tv_sec;
    end.tv_nsec += req->tv_nsec;
    if (end.tv_nsec >= 1000000000) { end.tv_nsec -= 1000000000; end.tv_sec++; }
    return sleep_until(clk, &end, rmt, time64);
}

SYS(nanosleep)
{
    struct timespec req;
    int e = get_timespec32(a1, &req);
    if (e) return e;
    if (!timeout_valid(&req)) return -EINVAL;
    return sleep_for(CLOCK_MONOTONIC, &req, a2, 0);
}

static long do_clock_nanosleep(uint32_t clk, uint32_t flags, guest_addr reqp, guest_addr remp, int time64)
{
    struct timespec req, rem;
    int e = get_timespec(reqp, &req, time64);
    /* the clock is checked before the request is read: the host, given no request, says which */
    if (e) return host_ret(syscall(SYS_clock_nanosleep, (clockid_t)clk, (int)flags, NULL, NULL));
    bool hrtimer_clock = clk == CLOCK_REALTIME || clk == CLOCK_MONOTONIC || clk == CLOCK_BOOTTIME || clk == CLOCK_TAI;
    if (hrtimer_clock && !(flags & TIMER_ABSTIME) && timeout_valid(&req))
        return sleep_for((clockid_t)clk, &req, remp, time64);
    long r = safe_syscall(SYS_clock_nanosleep, (clockid_t)clk, (int)flags, (long)&req, (long)&rem, 0, 0);
    if (r == -EINTR && remp && !(flags & TIMER_ABSTIME) && put_timespec(remp, &rem, time64)) return -EFAULT;
    return r;
}

SYS(clock_nanosleep) { return do_clock_nanosleep(a1, a2, a3, a4, 0); }
SYS(clock_nanosleep_time64) { return do_clock_nanosleep(a1, a2, a3, a4, 1); }

/* ---- interval timers ---- */

static int put_itimerval(guest_addr a, const struct itimerval *it)
{
    int e = put_timeval(a, &it->it_interval);
    return e ? e : put_timeval(a + 8, &it->it_value);
}

SYS(getitimer)
{
    struct itimerval it;
    if (getitimer((int)a1, &it)) return -errno;
    return put_itimerval(a2, &it);
}

SYS(setitimer)
{
    struct itimerval in, old;
    if (a2) {
        if (get_timeval(a2, &in.it_interval) || get_timeval(a2 + 8, &in.it_value)) return -EFAULT;
    } else {
        in = (struct itimerval){ { 0, 0 }, { 0, 0 } };
    }
    if (setitimer((int)a1, &in, &old)) return -errno;
    return a3 ? put_itimerval(a3, &old) : 0;
}

SYS(alarm) { return alarm(a1); }

SYS(timerfd_create) { return host_ret(timerfd_create((int)a1, (int)a2)); }

static long do_timerfd_settime(uint32_t fd, uint32_t flags, guest_addr newp, guest_addr oldp, int time64)
{
    struct itimerspec in, old;
    if (!newp) return -EINVAL;   /* before the copy (kernel/time/posix-timers.c) */
    int e = get_itimerspec(newp, &in, time64);
    if (e) return e;
    if (timerfd_settime((int)fd, (int)flags, &in, &old)) return -errno;
    return oldp ? put_itimerspec(oldp, &old, time64) : 0;
}

static long do_timerfd_gettime(uint32_t fd, guest_addr cur, int time64)
{
    struct itimerspec its;
    if (timerfd_gettime((int)fd, &its)) return -errno;
    return put_itimerspec(cur, &its, time64);
}

SYS(timerfd_settime) { return do_timerfd_settime(a1, a2, a3, a4, 0); }
SYS(timerfd_settime64) { return do_timerfd_settime(a1, a2, a3, a4, 1); }
SYS(timerfd_gettime) { return do_timerfd_gettime(a1, a2, 0); }
SYS(timerfd_gettime64) { return do_timerfd_gettime(a1, a2, 1); }

SYS(sched_rr_get_interval)
{
    struct timespec ts;
    if (sched_rr_get_interval((pid_t)a1, &ts)) return -errno;
    return put_timespec32(a2, &ts);
}

SYS(sched_rr_get_interval_time64)
{
    struct timespec ts;
    if (sched_rr_get_interval((pid_t)a1, &ts)) return -errno;
    return put_timespec64(a2, &ts);
}

/* ---- POSIX timers: the kernel's timer ids pass through; the i386 struct
 * sigevent (a 4-byte sigval, then signo, notify and the thread id at 12)
 * is rebuilt as the host's. SIGEV_THREAD is the guest libc's business: it
 * asks the kernel for SIGEV_THREAD_ID to a helper thread. ---- */

int get_sigevent(guest_addr a, struct sigevent *ev)
{
    uint32_t g[4];   /* sigev_value, sigev_signo, sigev_notify, sigev_notify_thread_id */
    if (ua_read(g, a, sizeof g)) return -EFAULT;
    memset(ev, 0, sizeof *ev);
    ev->sigev_value.sival_ptr = (void *)(uintptr_t)g[0];
    ev->sigev_signo = (int)g[1];
    ev->sigev_notify = (int)g[2];
    ev->_sigev_un._tid = (int)g[3];
    return 0;
}

SYS(timer_create)
{
    struct sigevent ev, *evp = NULL;
    if (a2) {
        if (get_sigevent(a2, &ev)) return -EFAULT;
        evp = &ev;
    }
    int id;
    long r = host_ret(syscall(SYS_timer_create, (clockid_t)a1, evp, &id));
    if (r) return r;
    if (ua_put_u32(a3, (uint32_t)id)) {
        syscall(SYS_timer_delete, id);
        return -EFAULT;
    }
    return 0;
}

static long do_timer_settime(uint32_t id, uint32_t flags, guest_addr newp, guest_addr oldp, int time64)
{
    struct itimerspec in, old;
    if (!newp) return -EINVAL;   /* before the copy (kernel/time/posix-timers.c) */
    int e = get_itimerspec(newp, &in, time64);
    if (e) return e;
    long r = host_ret(syscall(SYS_timer_settime, (int)id, (int)flags, &in, oldp ? &old : NULL));
    if (r) return r;
    return oldp ? put_itimerspec(oldp, &old, time64) : 0;
}

static long do_timer_gettime(uint32_t id, guest_addr cur, int time64)
{
    struct itimerspec its;
    long r = host_ret(syscall(SYS_timer_gettime, (int)id, &its));
    return r ? r : put_itimerspec(cur, &its, time64);
}

SYS(timer_settime) { return do_timer_settime(a1, a2, a3, a4, 0); }
SYS(timer_settime64) { return do_timer_settime(a1, a2, a3, a4, 1); }
SYS(timer_gettime) { return do_timer_gettime(a1, a2, 0); }
SYS(timer_gettime64) { return do_timer_gettime(a1, a2, 1); }
SYS(timer_getoverrun) { return host_ret(syscall(SYS_timer_getoverrun, (int)a1)); }
SYS(timer_delete) { return host_ret(syscall(SYS_timer_delete, (int)a1)); }
