/* ue-test: variants=s2 d0; ldflags=-lpthread; timeout=5 */
/* rt_sigtimedwait for SIGUSR2 with a zero timeout, thousands of times, while
 * another thread sends the caller SIGUSR1 (caught, not in the set) as fast
 * as it can: every call must return at once, EAGAIN or EINTR. ue once spun
 * forever when SIGUSR1 was recorded just before the host call. Then the
 * order with SIGUSR2 pending: a bad timeout is EINVAL before the signal is
 * taken (do_sigtimedwait checks the timespec first). */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define CALLS 30000

static volatile int stop;
static volatile long handled, progress;
static pid_t main_tid;

static void on_usr1(int sig) { (void)sig; handled++; }

static void *sender(void *arg)
{
    (void)arg;
    /* at most one signal per call of the main thread: sent back to back, a
     * fast sender starves the receiver (each handler run is followed by the
     * next delivery) and the test measures the host, not the race. The delay
     * varies so the signal lands at different points of the call. */
    long seen = -1;
    unsigned delay = 1;
    while (!stop) {
        if (progress == seen)
            continue;
        seen = progress;
        delay = delay * 1103515245u + 12345u;
        for (volatile unsigned k = 0; k < (delay >> 16) % 600; k++) {}
        syscall(SYS_tgkill, getpid(), main_tid, SIGUSR1);
    }
    return NULL;
}

/* the raw call with an i386 32-bit timespec */
static long tw(const sigset_t *set, siginfo_t *si, long sec, long nsec)
{
    struct { long s, ns; } ts = { sec, nsec };
    long r = syscall(SYS_rt_sigtimedwait, set, si, &ts, 8);
    return r < 0 ? -errno : r;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    main_tid = (pid_t)syscall(SYS_gettid);

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    pthread_t th;
    pthread_create(&th, NULL, sender, NULL);
    long bad = 0;
    for (int i = 0; i < CALLS; i++) {
        siginfo_t si;
        long r = tw(&set, &si, 0, i % 3 ? 0 : 1000);
        progress = i;
        if (r != -EAGAIN && r != -EINTR && !bad++)
            printf("call %d: unexpected %ld\n", i, r);
    }
    stop = 1;
    pthread_join(th, NULL);
    printf("racing calls: %s\n", bad ? "FAILED" : "all returned EAGAIN or EINTR");

    /* SIGUSR2 blocked and pending: bad timeouts first, then it is taken */
    sigprocmask(SIG_BLOCK, &set, NULL);
    raise(SIGUSR2);
    siginfo_t si;
    long r1 = tw(&set, &si, -1, 0), r2 = tw(&set, &si, 0, 1000000000), r3 = tw(&set, &si, 0, -1);
    printf("pending, bad timeouts: %s %s %s\n", strerror((int)-r1), strerror((int)-r2), strerror((int)-r3));
    long r = tw(&set, &si, 0, 0);
    printf("pending, zero timeout: %ld (signo %d, code %d)\n", r, si.si_signo, si.si_code);
    printf("empty now: %s\n", strerror((int)-tw(&set, &si, 0, 0)));
    return 0;
}
