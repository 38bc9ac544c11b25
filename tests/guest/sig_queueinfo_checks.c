/* ue-test: variants=s2 d0 */
/* rt_sigqueueinfo, rt_tgsigqueueinfo and pidfd_send_signal judge the
 * caller's siginfo as the kernel does: si_signo is replaced by sig for the
 * first two, must equal sig for pidfd_send_signal (EINVAL); si_code >= 0 or
 * SI_TKILL is EPERM unless sent to oneself; bad flags and pointers. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int n, last_signo, last_code, last_val, last_pid_ok;
static void h(int s, siginfo_t *si, void *u)
{
    n++;
    last_signo = si->si_signo;
    last_code = si->si_code;
    last_val = si->si_value.sival_int;
    last_pid_ok = si->si_pid == 4242;
}

static void res(const char *what, long r)
{
    printf("%-34s r=%ld errno=%s n=%d signo=%d code=%d val=%d pid4242=%d\n", what, r,
           r < 0 ? strerrorname_np(errno) : "-", n, last_signo, last_code, last_val, last_pid_ok);
    n = last_signo = last_code = last_val = last_pid_ok = 0;
}

static siginfo_t mk(int signo, int code)
{
    siginfo_t si;
    memset(&si, 0, sizeof si);
    si.si_signo = signo;
    si.si_code = code;
    si.si_pid = 4242;
    si.si_value.sival_int = 99;
    return si;
}

int main(void)
{
    struct sigaction a;
    memset(&a, 0, sizeof a);
    a.sa_sigaction = h;
    a.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &a, NULL);
    sigaction(SIGUSR2, &a, NULL);
    pid_t me = getpid();
    siginfo_t si;

    si = mk(SIGUSR2, SI_QUEUE);
    res("queueinfo signo mismatch", syscall(SYS_rt_sigqueueinfo, me, SIGUSR1, &si));
    si = mk(SIGUSR1, SI_USER);
    res("queueinfo SI_USER self", syscall(SYS_rt_sigqueueinfo, me, SIGUSR1, &si));
    si = mk(SIGUSR1, SI_TKILL);
    res("queueinfo SI_TKILL self", syscall(SYS_rt_sigqueueinfo, me, SIGUSR1, &si));
    si = mk(SIGUSR1, 5);
    res("queueinfo code 5 self", syscall(SYS_rt_sigqueueinfo, me, SIGUSR1, &si));
    si = mk(SIGUSR1, SI_QUEUE);
    res("queueinfo bad sig", syscall(SYS_rt_sigqueueinfo, me, 99, &si));
    res("queueinfo bad ptr", syscall(SYS_rt_sigqueueinfo, me, SIGUSR1, (void *)8));
    res("tgsigqueueinfo mismatch", syscall(SYS_rt_tgsigqueueinfo, me, gettid(), SIGUSR1, &(siginfo_t){0}));
    si = mk(SIGUSR2, SI_MESGQ);
    res("tgsigqueueinfo mismatch 2", syscall(SYS_rt_tgsigqueueinfo, me, gettid(), SIGUSR1, &si));

    /* another process: parent sends to the child */
    sigset_t m;
    sigemptyset(&m);
    sigaddset(&m, SIGUSR1);
    sigprocmask(SIG_BLOCK, &m, NULL);
    int p[2];
    pipe(p);
    pid_t c = fork();
    if (c == 0) {
        char b;
        read(p[0], &b, 1);
        _exit(0);
    }
    si = mk(SIGUSR1, SI_USER);
    res("queueinfo SI_USER other", syscall(SYS_rt_sigqueueinfo, c, SIGUSR1, &si));
    si = mk(SIGUSR1, SI_TKILL);
    res("queueinfo SI_TKILL other", syscall(SYS_rt_sigqueueinfo, c, SIGUSR1, &si));
    si = mk(SIGUSR1, SI_KERNEL);
    res("queueinfo SI_KERNEL other", syscall(SYS_rt_sigqueueinfo, c, SIGUSR1, &si));
    si = mk(SIGUSR1, SI_QUEUE);
    res("queueinfo SI_QUEUE other", syscall(SYS_rt_sigqueueinfo, c, SIGUSR1, &si));
    si = mk(SIGUSR1, SI_USER);
    res("tgsigqueueinfo SI_USER other", syscall(SYS_rt_tgsigqueueinfo, c, c, SIGUSR1, &si));

    int cfd = syscall(SYS_pidfd_open, c, 0);
    int sfd = syscall(SYS_pidfd_open, me, 0);
    si = mk(SIGUSR2, SI_QUEUE);
    res("pidfd mismatch other", syscall(SYS_pidfd_send_signal, cfd, SIGUSR1, &si, 0));
    si = mk(SIGUSR1, SI_USER);
    res("pidfd SI_USER other", syscall(SYS_pidfd_send_signal, cfd, SIGUSR1, &si, 0));
    si = mk(SIGUSR1, SI_TKILL);
    res("pidfd SI_TKILL other", syscall(SYS_pidfd_send_signal, cfd, SIGUSR1, &si, 0));
    si = mk(SIGUSR1, SI_QUEUE);
    res("pidfd SI_QUEUE other", syscall(SYS_pidfd_send_signal, cfd, SIGUSR1, &si, 0));
    res("pidfd bad ptr other", syscall(SYS_pidfd_send_signal, cfd, SIGUSR1, (void *)8, 0));
    res("pidfd bad flags bad ptr", syscall(SYS_pidfd_send_signal, cfd, SIGUSR1, (void *)8, 0x100));
    res("pidfd bad fd bad ptr", syscall(SYS_pidfd_send_signal, 999, SIGUSR1, (void *)8, 0));
    res("pidfd bad sig bad ptr", syscall(SYS_pidfd_send_signal, cfd, 99, (void *)8, 0));
    write(p[1], "x", 1);
    int st;
    waitpid(c, &st, 0);
    printf("child exited=%d\n", WIFEXITED(st));
    sigprocmask(SIG_UNBLOCK, &m, NULL);

    si = mk(SIGUSR2, SI_QUEUE);
    res("pidfd mismatch self", syscall(SYS_pidfd_send_signal, sfd, SIGUSR1, &si, 0));
    si = mk(SIGUSR1, SI_USER);
    res("pidfd SI_USER self", syscall(SYS_pidfd_send_signal, sfd, SIGUSR1, &si, 0));
    si = mk(SIGUSR1, SI_QUEUE);
    res("pidfd SI_QUEUE self", syscall(SYS_pidfd_send_signal, sfd, SIGUSR1, &si, 0));
    res("pidfd NULL info self", syscall(SYS_pidfd_send_signal, sfd, SIGUSR1, NULL, 0));
    return 0;
}
