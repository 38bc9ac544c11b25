/* ue-test: variants=s2 d0 */
/* ppoll, pselect and epoll_pwait with a temporary signal mask: a signal
 * blocked outside the call but let through by its mask interrupts it
 * (EINTR), its handler runs, and the caller's mask is back afterwards; a
 * signal already pending when the call starts interrupts it at once. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/time.h>
#include <unistd.h>

static volatile sig_atomic_t got;
static volatile int blocked_in_handler;

static void on_alarm(int sig)
{
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    blocked_in_handler = sigismember(&cur, SIGALRM);   /* the kernel blocks it during its handler */
    got = sig;
}

static void arm(int ms)
{
    struct itimerval it = { { 0, 0 }, { 0, ms * 1000 } };
    setitimer(ITIMER_REAL, &it, NULL);
}

static void report(const char *what, int r, int err)
{
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    printf("%s: r=%d errno=%s got=%d in-handler-blocked=%d blocked-after=%d\n", what, r, r < 0 ? strerror(err) : "-",
           (int)got, blocked_in_handler, sigismember(&cur, SIGALRM));
    got = 0;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    sigset_t block, open_mask;
    sigemptyset(&block);
    sigaddset(&block, SIGALRM);
    sigprocmask(SIG_BLOCK, &block, NULL);
    sigemptyset(&open_mask);
    struct timespec two = { 2, 0 };

    arm(50);
    int r = ppoll(NULL, 0, &two, &open_mask);
    report("ppoll, signal during the wait", r, errno);

    raise(SIGALRM);   /* pending, blocked */
    r = ppoll(NULL, 0, &two, &open_mask);
    report("ppoll, signal pending before", r, errno);

    arm(50);
    r = ppoll(NULL, 0, &(struct timespec){ 0, 200000000 }, &block);
    report("ppoll, mask keeps it blocked (timeout)", r, errno);
    sigset_t pend;
    sigpending(&pend);
    printf("pending after: %d\n", sigismember(&pend, SIGALRM));
    r = sigsuspend(&open_mask);
    report("sigsuspend takes it", r, errno);

    arm(50);
    r = pselect(0, NULL, NULL, NULL, &two, &open_mask);
    report("pselect", r, errno);

    int ep = epoll_create1(0);
    struct epoll_event ev;
    arm(50);
    r = epoll_pwait(ep, &ev, 1, 2000, &open_mask);
    report("epoll_pwait", r, errno);

    int fds[2];
    pipe(fds);
    write(fds[1], "x", 1);
    struct pollfd pfd = { fds[0], POLLIN, 0 };
    r = ppoll(&pfd, 1, &two, &open_mask);
    report("ppoll, ready at once", r, errno);
    printf("revents %#x\n", pfd.revents);
    return 0;
}
