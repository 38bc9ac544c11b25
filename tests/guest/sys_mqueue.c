/* ue-test: variants=s2 d0; ldflags=-lrt -lpthread */
/* POSIX message queues: attributes in and out, priority order, O_NONBLOCK
 * and EAGAIN, a receive timing out, notification by signal and by thread,
 * a blocked receiver woken by a forked sender, unlink. */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t notified;
static void on_usr1(int sig, siginfo_t *si, void *uc) { (void)sig; (void)uc; notified = si->si_value.sival_int; }

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int thread_note;
static void on_thread(union sigval v)
{
    pthread_mutex_lock(&mu);
    thread_note = v.sival_int;
    pthread_cond_signal(&cv);
    pthread_mutex_unlock(&mu);
}

int main(void)
{
    char name[64];
    snprintf(name, sizeof name, "/ue-test-mq-%d", (int)getpid());
    struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = 64 }, got;
    mqd_t q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
    printf("open: %s\n", q == (mqd_t)-1 ? strerror(errno) : "ok");
    mq_getattr(q, &got);
    printf("attr: maxmsg %ld msgsize %ld curmsgs %ld flags %ld\n", got.mq_maxmsg, got.mq_msgsize, got.mq_curmsgs, got.mq_flags);
    mq_send(q, "low", 4, 1);
    mq_send(q, "high", 5, 9);
    mq_send(q, "mid", 4, 5);
    char buf[64];
    unsigned prio;
    for (int k = 0; k < 3; k++) {
        ssize_t n = mq_receive(q, buf, sizeof buf, &prio);
        printf("got %zd '%s' prio %u\n", n, buf, prio);
    }
    printf("small buffer: %zd (%s)\n", mq_receive(q, buf, 8, NULL), strerror(errno));
    struct mq_attr nb = { .mq_flags = O_NONBLOCK }, old;
    mq_setattr(q, &nb, &old);
    printf("old flags %ld; empty nonblocking: %zd (%s)\n", old.mq_flags, mq_receive(q, buf, sizeof buf, NULL), strerror(errno));
    nb.mq_flags = 0;
    mq_setattr(q, &nb, NULL);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 30 * 1000000;
    if (ts.tv_nsec >= 1000000000) { ts.tv_sec++; ts.tv_nsec -= 1000000000; }
    printf("timed receive: %zd (%s)\n", mq_timedreceive(q, buf, sizeof buf, NULL, &ts), strerror(errno));

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_usr1;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGUSR1;
    ev.sigev_value.sival_int = 31337;
    printf("notify: %d, again: %d (%s)\n", mq_notify(q, &ev), mq_notify(q, &ev), strerror(errno));
    mq_send(q, "ping", 5, 0);
    while (!notified) usleep(1000);
    printf("signal note: %d\n", (int)notified);
    mq_receive(q, buf, sizeof buf, NULL);

    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_THREAD;
    ev.sigev_notify_function = on_thread;
    ev.sigev_value.sival_int = 55;
    printf("thread notify: %d\n", mq_notify(q, &ev));
    mq_send(q, "pong", 5, 0);
    pthread_mutex_lock(&mu);
    while (!thread_note) pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    printf("thread note: %d\n", thread_note);
    mq_receive(q, buf, sizeof buf, NULL);

    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        usleep(30000);
        mq_send(q, "from child", 11, 3);
        _exit(0);
    }
    ssize_t n = mq_receive(q, buf, sizeof buf, &prio);
    printf("blocked receive: %zd '%s' prio %u\n", n, buf, prio);
    waitpid(pid, NULL, 0);
    mq_close(q);
    printf("unlink: %d, again: %d (%s)\n", mq_unlink(name), mq_unlink(name), strerror(errno));
    return 0;
}
