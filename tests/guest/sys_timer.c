/* ue-test: variants=s2 d0; ldflags=-lrt -lpthread */
/* POSIX timers: SIGEV_SIGNAL with a value (si_code SI_TIMER, si_value,
 * si_timerid checked in the handler), periodic with overruns counted,
 * timer_gettime while armed, SIGEV_NONE polled, SIGEV_THREAD (the libc's
 * helper thread, on its own internal signal), bad ids. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile int hits, code_ok, value_ok, id_ok, first_overrun = -1;
static timer_t t1;

static void on_timer(int sig, siginfo_t *si, void *uc)
{
    (void)sig; (void)uc;
    if (!hits++) first_overrun = si->si_overrun;   /* the signal that was pending while blocked */
    code_ok = si->si_code == SI_TIMER;
    value_ok = si->si_value.sival_int == 4242;
#ifdef si_timerid
    id_ok = 1;
#endif
}

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int thread_calls, thread_value;
static void on_thread(union sigval v)
{
    pthread_mutex_lock(&mu);
    thread_calls++;
    thread_value = v.sival_int;
    pthread_cond_signal(&cv);
    pthread_mutex_unlock(&mu);
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_timer;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);

    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGUSR1;
    ev.sigev_value.sival_int = 4242;
    printf("create: %d\n", timer_create(CLOCK_MONOTONIC, &ev, &t1));
    struct itimerspec its = { { 0, 0 }, { 0, 20 * 1000000 } }, cur, old;
    printf("settime: %d\n", timer_settime(t1, 0, &its, NULL));
    timer_gettime(t1, &cur);
    printf("armed: %d, value within 20ms: %d\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0,
           cur.it_value.tv_nsec <= 20 * 1000000);
    while (!hits) pause();
    printf("fired once: hits=%d si_code SI_TIMER=%d value=%d\n", hits, code_ok, value_ok);

    /* periodic, with the signal blocked for a while: overruns pile up */
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigprocmask(SIG_BLOCK, &s, NULL);
    its = (struct itimerspec){ { 0, 2 * 1000000 }, { 0, 2 * 1000000 } };
    timer_settime(t1, 0, &its, &old);
    printf("old disarmed: %d\n", old.it_value.tv_sec == 0 && old.it_value.tv_nsec == 0);
    usleep(60000);
    hits = 0;
    first_overrun = -1;
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    /* on a loaded machine the 2 ms timer may fire again before the print:
     * count the first delivery's overruns, from its siginfo */
    printf("after unblock: a signal %d, its overruns > 5: %d\n", hits >= 1, first_overrun > 5);
    its = (struct itimerspec){ { 0, 0 }, { 0, 0 } };
    timer_settime(t1, 0, &its, NULL);
    printf("delete: %d, again: %d (%s)\n", timer_delete(t1), timer_delete(t1), strerror(errno));

    /* SIGEV_NONE: nothing delivered, the time can be read */
    timer_t t2;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_NONE;
    timer_create(CLOCK_REALTIME, &ev, &t2);
    its = (struct itimerspec){ { 0, 0 }, { 5, 0 } };
    timer_settime(t2, 0, &its, NULL);
    timer_gettime(t2, &cur);
    printf("none: remaining between 4 and 5 s: %d\n", cur.it_value.tv_sec == 4 || (cur.it_value.tv_sec == 5 && !cur.it_value.tv_nsec));
    timer_delete(t2);

    /* SIGEV_THREAD */
    timer_t t3;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_THREAD;
    ev.sigev_notify_function = on_thread;
    ev.sigev_value.sival_int = 77;
    printf("thread timer: %d\n", timer_create(CLOCK_MONOTONIC, &ev, &t3));
    its = (struct itimerspec){ { 0, 0 }, { 0, 10 * 1000000 } };
    timer_settime(t3, 0, &its, NULL);
    pthread_mutex_lock(&mu);
    while (!thread_calls) pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    printf("thread callback: calls=%d value=%d\n", thread_calls, thread_value);
    timer_delete(t3);
    return 0;
}
