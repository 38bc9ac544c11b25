/* ue-test: variants=s2 d0; ldflags=-lpthread */
/* Robust mutexes: a thread, and then a child process (the mutex in shared
 * memory), end while holding the lock; the next locker gets EOWNERDEAD,
 * makes it consistent and can use it again. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t *m;

static void *hold_and_leave(void *arg)
{
    (void)arg;
    printf("thread lock: %d\n", pthread_mutex_lock(m));
    return NULL;   /* ends holding it */
}

static void init_mutex(int pshared)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutexattr_setpshared(&a, pshared);
    pthread_mutex_init(m, &a);
}

static void take_over(const char *who)
{
    int r = pthread_mutex_lock(m);
    printf("%s: lock after the owner died: %s\n", who, r == EOWNERDEAD ? "EOWNERDEAD" : strerror(r));
    if (r == EOWNERDEAD) printf("consistent: %d\n", pthread_mutex_consistent(m));
    printf("unlock: %d, lock again: %d, unlock: %d\n", pthread_mutex_unlock(m), pthread_mutex_lock(m),
           pthread_mutex_unlock(m));
}

int main(void)
{
    m = mmap(NULL, sizeof *m, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    init_mutex(PTHREAD_PROCESS_PRIVATE);
    pthread_t t;
    pthread_create(&t, NULL, hold_and_leave, NULL);
    pthread_join(t, NULL);
    take_over("thread");

    init_mutex(PTHREAD_PROCESS_SHARED);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        printf("child lock: %d\n", pthread_mutex_lock(m));
        fflush(stdout);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    take_over("process");
    return 0;
}
