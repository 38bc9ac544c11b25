/* ue-test: variants=s2 d0 */
/* A blocked signal is queued even when it is ignored (it could be
 * unblocked with a handler by then), and stays pending while blocked. The
 * p-calls' temporary mask (ppoll, pselect6, epoll_pwait) only lets it be
 * discarded when the call would wait: a call that returns at once (a ready
 * fd) leaves it pending, one that finds nothing ready takes it (the
 * signal interrupts, is ignored, and the call is restarted). ue set the
 * temporary mask on its host thread before the call, which discarded it
 * every time. Found by the sys fuzzer (seed 0x5f00 of make check:
 * sigpending after ppoll). */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <unistd.h>

static int wr, rd, ep_ready, ep_idle;

static const char *pending(void)
{
    sigset_t p;
    sigpending(&p);
    return sigismember(&p, SIGUSR2) ? "pending" : "gone";
}

static void arm(void)
{
    sigset_t p;
    sigpending(&p);
    if (!sigismember(&p, SIGUSR2)) kill(getpid(), SIGUSR2);
}

static long call(int kind, int ready)
{
    uint64_t none = 0;   /* the temporary mask: nothing blocked */
    struct timespec zero = { 0, 0 };
    switch (kind) {
    case 0: {
        struct pollfd f = { ready ? wr : rd, ready ? POLLOUT : POLLIN, 0 };
        return syscall(SYS_ppoll, &f, 1, &zero, &none, 8);
    }
    case 1: {
        fd_set s;
        FD_ZERO(&s);
        FD_SET(ready ? wr : rd, &s);
        struct { void *ss; size_t len; } sig = { &none, 8 };
        return syscall(SYS_pselect6, (ready ? wr : rd) + 1, ready ? NULL : &s, ready ? &s : NULL, NULL, &zero, &sig);
    }
    default: {
        struct epoll_event ev;
        return syscall(SYS_epoll_pwait, ready ? ep_ready : ep_idle, &ev, 1, 0, &none, 8);
    }
    }
}

int main(void)
{
    int p[2];
    if (pipe(p)) return 1;
    rd = p[0];
    wr = p[1];
    ep_ready = epoll_create1(0);
    ep_idle = epoll_create1(0);
    struct epoll_event ev = { EPOLLOUT, { 0 } };
    epoll_ctl(ep_ready, EPOLL_CTL_ADD, wr, &ev);
    ev.events = EPOLLIN;
    epoll_ctl(ep_idle, EPOLL_CTL_ADD, rd, &ev);

    signal(SIGUSR2, SIG_IGN);
    sigset_t b;
    sigemptyset(&b);
    sigaddset(&b, SIGUSR2);
    sigprocmask(SIG_BLOCK, &b, NULL);
    kill(getpid(), SIGUSR2);
    printf("ignored, blocked, sent: %s\n", pending());

    static const char *const name[] = { "ppoll", "pselect6", "epoll_pwait" };
    for (int k = 0; k < 3; k++)
        for (int ready = 1; ready >= 0; ready--) {
            arm();
            errno = 0;
            long r = call(k, ready);
            printf("%-11s %-9s -> %ld %s; SIGUSR2 %s\n", name[k], ready ? "ready" : "not ready", r,
                   r < 0 ? strerrorname_np(errno) : "", pending());
        }

    /* unblocked for good: taken and ignored */
    arm();
    sigprocmask(SIG_UNBLOCK, &b, NULL);
    printf("unblocked: %s\n", pending());
    return 0;
}
