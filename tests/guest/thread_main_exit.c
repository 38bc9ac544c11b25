/* ue-test: variants=s2 d0 p2; ldflags=-lpthread */
/* The main thread ends with pthread_exit while its threads run on: the
 * first one joins the main thread (its tid word is cleared at its exit), then
 * each thread prints in turn, and the last one ends the process with a
 * status of its own. */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define N 3
static pthread_t main_thread;
static pid_t main_pid;
static sem_t turn[N + 1];

static void *work(void *arg)
{
    int id = (int)(intptr_t)arg;
    if (id == 0) {
        int e = pthread_join(main_thread, NULL);
        printf("thread 0: joined the main thread: %d\n", e);
    }
    while (sem_wait(&turn[id])) {}
    printf("thread %d: still running, same pid: %d\n", id, getpid() == main_pid);
    fflush(stdout);
    if (id == N - 1) exit(42);
    sem_post(&turn[id + 1]);
    return NULL;
}

int main(void)
{
    main_thread = pthread_self();
    main_pid = getpid();
    for (int k = 0; k <= N; k++) sem_init(&turn[k], 0, 0);
    pthread_t t[N];
    for (int k = 0; k < N; k++) pthread_create(&t[k], NULL, work, (void *)(intptr_t)k);
    printf("main: leaving with pthread_exit\n");
    fflush(stdout);
    sem_post(&turn[0]);
    pthread_exit(NULL);
}
