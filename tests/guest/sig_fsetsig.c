/* ue-test: variants=s2 d0 */
/* fcntl F_SETSIG with O_ASYNC: a real-time signal (and SIGIO itself) carries
 * the SIGPOLL siginfo: si_code POLL_IN, si_fd and si_band (a long: 4 bytes
 * on i386). Also rt_sigqueueinfo to self of a SIGPOLL-layout info. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile int n;
static siginfo_t last;
static void h(int s, siginfo_t *si, void *u) { last = *si; n++; }

static void show(const char *what, int fd)
{
    printf("%s: n=%d signo=%d code=%d fd_ok=%d band=%#lx errno=%d\n", what, n,
           last.si_signo == SIGRTMIN + 1 ? 1000 : last.si_signo, last.si_code,
           last.si_fd == fd, (unsigned long)last.si_band, last.si_errno);
}

static void setup(int fd, int sig)
{
    printf("setown=%d ", fcntl(fd, F_SETOWN, getpid()));
    printf("setsig=%d ", fcntl(fd, F_SETSIG, sig));
    printf("getsig_ok=%d ", fcntl(fd, F_GETSIG) == sig);
    memset(&last, 0, sizeof last);
    printf("async=%d\n", fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_ASYNC));
}

/* O_ASYNC on fds[0] with signal sig, then a write to fds[1] while it is blocked */
static void async_write(int fds[2], int sig, const sigset_t *m, const char *what)
{
    sigset_t old;
    setup(fds[0], sig);
    sigprocmask(SIG_BLOCK, m, &old);
    write(fds[1], "x", 1);
    sigprocmask(SIG_SETMASK, &old, NULL);
    show(what, fds[0]);
}

int main(void)
{
    struct sigaction a;
    memset(&a, 0, sizeof a);
    a.sa_sigaction = h;
    a.sa_flags = SA_SIGINFO;
    sigaction(SIGRTMIN + 1, &a, NULL);
    sigaction(SIGIO, &a, NULL);
    sigset_t m, old;
    sigemptyset(&m);
    sigaddset(&m, SIGRTMIN + 1);
    sigaddset(&m, SIGIO);

    int p[2], sv[2], q[2];
    pipe(p);
    async_write(p, SIGRTMIN + 1, &m, "pipe rt");
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    async_write(sv, SIGRTMIN + 1, &m, "socket rt");
    pipe(q);   /* F_SETSIG SIGIO explicitly: the info is filled too */
    async_write(q, SIGIO, &m, "pipe sigio");
    int z[2];
    pipe(z);   /* F_SETSIG 0: plain SIGIO, sent as SEND_SIG_PRIV (SI_KERNEL, no fd) */
    async_write(z, 0, &m, "pipe default");

    /* sigtimedwait sees the same fields */
    int r[2];
    pipe(r);
    setup(r[0], SIGRTMIN + 1);
    sigprocmask(SIG_BLOCK, &m, &old);
    write(r[1], "w", 1);
    struct timespec ts = { 1, 0 };
    siginfo_t si;
    memset(&si, 0, sizeof si);
    int s = sigtimedwait(&m, &si, &ts);
    last = si;
    printf("timedwait=%s ", s == SIGRTMIN + 1 ? "rt+1" : "other");
    show("", r[0]);
    sigprocmask(SIG_SETMASK, &old, NULL);

    /* queued to self with the POLL layout (code POLL_OUT > 0 is allowed to self) */
    memset(&si, 0, sizeof si);
    si.si_signo = SIGRTMIN + 1;
    si.si_code = POLL_OUT;
    si.si_band = 0x1234;
    si.si_fd = 77;
    n = 0;
    long q2 = syscall(SYS_rt_sigqueueinfo, getpid(), SIGRTMIN + 1, &si);
    printf("queueinfo=%ld ", q2);
    show("queued poll", 77);
    return 0;
}
