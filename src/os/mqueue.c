/* POSIX message queues. The i386 struct mq_attr is eight 32-bit longs
 * (flags, maxmsg, msgsize, curmsgs, 4 reserved); sends and receives block,
 * so they go through safe_syscall. */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../mem/uaccess.h"
#include "sys.h"

struct i386_mq_attr {
    int32_t flags, maxmsg, msgsize, curmsgs, reserved[4];
};

static int get_mq_attr(guest_addr a, long h[8])
{
    struct i386_mq_attr g;
    if (ua_read(&g, a, sizeof g)) return -EFAULT;
    memset(h, 0, 8 * sizeof(long));
    h[0] = g.flags;
    h[1] = g.maxmsg;
    h[2] = g.msgsize;
    h[3] = g.curmsgs;
    return 0;
}

static int put_mq_attr(guest_addr a, const long h[8])
{
    struct i386_mq_attr g = { (int32_t)h[0], (int32_t)h[1], (int32_t)h[2], (int32_t)h[3], { 0, 0, 0, 0 } };
    return ua_write(a, &g, sizeof g);
}

/* A queue name as getname() reads it: PATH_MAX bytes at most. */
static long get_mq_name(guest_addr a, char name[PATH_BUF])
{
    long n = ua_strncpy(name, a, PATH_BUF);
    return n < 0 ? n : 0;
}

/* compat mq_open reads the attributes, only with O_CREAT, before the name */
SYS(mq_open)
{
    long attr[8];
    bool with_attr = a4 && (a2 & O_CREAT);
    if (with_attr) {
        int e = get_mq_attr(a4, attr);
        if (e) return e;
    }
    char name[PATH_BUF];
    long e = get_mq_name(a1, name);
    if (e) return e;
    return host_ret(syscall(SYS_mq_open, name, (int)a2, (mode_t)a3, with_attr ? attr : NULL));
}

SYS(mq_unlink)
{
    char name[PATH_BUF];
    long e = get_mq_name(a1, name);
    return e ? e : host_ret(syscall(SYS_mq_unlink, name));
}

/* The message and the priority word have the same layout on both: the host
 * kernel checks the queue, the size and the pointers in its own order. */
static long mq_transfer(long nr, uint32_t mqd, guest_addr msg, uint32_t len, uint32_t prio, guest_addr tsp, int time64)
{
    struct timespec ts;
    if (tsp) {
        int e = get_timespec(tsp, &ts, time64);
        if (e) return e;
    }
    if (nr == SYS_mq_timedsend) {
        void *p = ua_lock(msg, len, UA_IN);
        long r = safe_syscall(nr, (int)mqd, (long)p, len, prio, tsp ? (long)&ts : 0, 0);
        ua_unlock(p, msg, r < 0 ? 0 : len, UA_IN);
        return r;
    }
    void *p = ua_lock(msg, len, UA_OUT), *pp = prio ? ua_lock(prio, 4, UA_OUT) : NULL;
    long r = safe_syscall(nr, (int)mqd, (long)p, len, (long)pp, tsp ? (long)&ts : 0, 0);
    ua_unlock(p, msg, r < 0 ? 0 : (uint32_t)r, UA_OUT);
    if (pp) ua_unlock(pp, prio, r < 0 ? 0 : 4, UA_OUT);
    return r;
}

SYS(mq_timedsend) { return mq_transfer(SYS_mq_timedsend, a1, a2, a3, a4, a5, 0); }
SYS(mq_timedsend_time64) { return mq_transfer(SYS_mq_timedsend, a1, a2, a3, a4, a5, 1); }
SYS(mq_timedreceive) { return mq_transfer(SYS_mq_timedreceive, a1, a2, a3, a4, a5, 0); }
SYS(mq_timedreceive_time64) { return mq_transfer(SYS_mq_timedreceive, a1, a2, a3, a4, a5, 1); }

/* The sigevent as timer_create reads it; SIGEV_THREAD is the libc's netlink
 * protocol, where the kernel reads a cookie at sigev_value: a guest pointer. */
SYS(mq_notify)
{
    struct sigevent ev, *evp = NULL;
    guest_addr cookie = 0;
    void *hc = NULL;
    if (a2) {
        if (get_sigevent(a2, &ev)) return -EFAULT;
        if (ev.sigev_notify == SIGEV_THREAD) {
            /* the host kernel copies NOTIFY_COOKIE_LEN bytes from it itself */
            cookie = (guest_addr)(uintptr_t)ev.sigev_value.sival_ptr;
            ev.sigev_value.sival_ptr = hc = ua_lock(cookie, 32, UA_IN);
        }
        evp = &ev;
    }
    long r = host_ret(syscall(SYS_mq_notify, (int)a1, evp));
    if (hc) ua_unlock(hc, cookie, 32, UA_IN);
    return r;
}

SYS(mq_getsetattr)
{
    long in[8], out[8];
    if (a2) {
        int e = get_mq_attr(a2, in);
        if (e) return e;
    }
    long r = host_ret(syscall(SYS_mq_getsetattr, (int)a1, a2 ? in : NULL, a3 ? out : NULL));
    if (r) return r;
    return a3 && put_mq_attr(a3, out) ? -EFAULT : 0;
}
