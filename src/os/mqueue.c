/* POSIX message queues. The i386 struct mq_attr is eight 32-bit longs
 * (flags, maxmsg, msgsize, curmsgs, 4 reserved); sends and receives block,
 * so they go through safe_syscall. */
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sys.h"

struct i386_mq_attr {
    int32_t flags, maxmsg, msgsize, curmsgs, reserved[4];
};

static int get_mq_attr(guest_addr a, long h[8])
{
    struct i386_mq_attr g;
    if (copy_from_guest(&g, a, sizeof g)) return -EFAULT;
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
    return copy_to_guest(a, &g, sizeof g);
}

SYS(mq_open)
{
    const char *name = guest_str(a1, 4096);
    if (!name) return -EFAULT;
    long attr[8];
    if (a4) {
        int e = get_mq_attr(a4, attr);
        if (e) return e;
    }
    return host_ret(syscall(SYS_mq_open, name, (int)a2, (mode_t)a3, a4 ? attr : NULL));
}

SYS(mq_unlink)
{
    const char *name = guest_str(a1, 4096);
    return name ? host_ret(syscall(SYS_mq_unlink, name)) : -EFAULT;
}

static long mq_transfer(long nr, uint32_t mqd, guest_addr msg, uint32_t len, uint32_t prio, guest_addr tsp, int time64)
{
    struct timespec ts;
    if (tsp) {
        int e = get_timespec(tsp, &ts, time64);
        if (e) return e;
    }
    void *p = guest_ptr(msg, len, nr == SYS_mq_timedsend ? PROT_READ : PROT_WRITE);
    if (!p && len) return -EFAULT;
    if (nr == SYS_mq_timedsend)
        return safe_syscall(nr, (int)mqd, (long)p, len, prio, tsp ? (long)&ts : 0, 0);
    unsigned int got_prio;
    long r = safe_syscall(nr, (int)mqd, (long)p, len, (long)&got_prio, tsp ? (long)&ts : 0, 0);
    if (r >= 0 && prio && put_u32(prio, got_prio)) return -EFAULT;
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
    if (a2) {
        if (get_sigevent(a2, &ev)) return -EFAULT;
        if (ev.sigev_notify == SIGEV_THREAD) {
            guest_addr g = (guest_addr)(uintptr_t)ev.sigev_value.sival_ptr;
            void *cookie = guest_ptr(g, 32, PROT_READ);   /* NOTIFY_COOKIE_LEN */
            if (!cookie) return -EFAULT;
            ev.sigev_value.sival_ptr = cookie;
        }
        evp = &ev;
    }
    return host_ret(syscall(SYS_mq_notify, (int)a1, evp));
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
