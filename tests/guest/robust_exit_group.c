/* ue-test: variants=s2 d0; ldflags=-lpthread */
/* The whole process ends while one of its threads holds a robust,
 * process-shared mutex: by exit_group from another thread, and by a fatal
 * signal. The kernel walks every dying thread's robust list, so the parent
 * locking the mutex next gets EOWNERDEAD (a bounded wait, not a hang). */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t *m;
static int ready[2];

static void *hold(void *arg)
{
    pthread_mutex_lock(m);
    if (write(ready[1], "x", 1) != 1) _exit(9);
    for (;;) pause();
    return arg;
}

static void child(int how)
{
    pthread_t t;
    pthread_create(&t, NULL, hold, NULL);
    char c;
    if (read(ready[0], &c, 1) != 1) _exit(8);
    if (how == 0) _exit(0);          /* exit_group while the other thread holds the lock */
    kill(getpid(), SIGTERM);         /* or die by a signal */
    for (;;) pause();
}

static void init_mutex(void)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(m, &a);
}

static void run(int how, const char *what)
{
    pid_t p = fork();
    if (p == 0) child(how);
    int st;
    waitpid(p, &st, 0);
    printf("%s: child %s %d\n", what, WIFEXITED(st) ? "exited" : "killed by",
           WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 2;
    int e = pthread_mutex_timedlock(m, &ts);
    printf("%s: lock: %s\n", what, e == EOWNERDEAD ? "EOWNERDEAD" : e ? strerror(e) : "0");
    if (e == EOWNERDEAD) pthread_mutex_consistent(m);
    if (e == 0 || e == EOWNERDEAD) pthread_mutex_unlock(m);
    else init_mutex();   /* still held by the dead thread: a fresh one for the next case */
}

int main(void)
{
    m = mmap(NULL, sizeof *m, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    init_mutex();
    if (pipe(ready)) return 1;
    fflush(stdout);
    run(0, "exit_group");
    fflush(stdout);
    run(1, "SIGTERM");
    return 0;
}
